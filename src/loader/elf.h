/* elf.h - loading RISC-V ELF64 images into guest RAM. The file is untrusted:
 * every offset and size is bounds-checked against the file and guest RAM. */
#ifndef MACHINA_LOADER_ELF_H
#define MACHINA_LOADER_ELF_H

#include "core/types.h"

struct vm;

struct elf_image {
	gpa_t entry;
	gpa_t lowest, highest;	/* physical range occupied by PT_LOAD segments */
	bool has_tohost, has_fromhost;
	gpa_t tohost, fromhost;	/* HTIF symbols, when present */
};

/* Load the ELF file `path` (EM_RISCV, ELFCLASS64, little-endian) at its
 * segments' physical addresses. Returns 0, or -errno with a message in
 * err (ENOENT, ENOEXEC not an ELF / not RISC-V 64, E2BIG does not fit RAM). */
int must_check elf_load(struct vm *vm, const char *path, struct elf_image *img, char *err,
			size_t errlen);

/* Is this buffer an ELF file of any kind? */
bool elf_is_elf(const uint8_t *buf, size_t len);

#endif
