/* riscv_boot.h - loading firmware, kernel and initrd for the virt board the
 * way QEMU does: firmware at DRAM base, kernel at DRAM base + its Image
 * header's text_offset (0x20_0000), FDT and initrd at the top of RAM. All
 * input files are untrusted: sizes are checked before anything is copied. */
#ifndef MACHINA_MACHINE_RISCV_BOOT_H
#define MACHINA_MACHINE_RISCV_BOOT_H

#include "core/types.h"

struct vm;

struct boot_image {
	gpa_t entry;		/* where to start it */
	gpa_t start, end;	/* memory it occupies */
	bool has_tohost, has_fromhost;
	gpa_t tohost, fromhost;	/* HTIF symbols of an ELF */
};

/* Firmware: a RISC-V ELF, or a raw binary loaded at `base`. */
int must_check riscv_load_firmware(struct vm *vm, const char *path, gpa_t base,
				   struct boot_image *img, char *err, size_t errlen);
/* Kernel: a RISC-V Linux Image (header magic), a RISC-V ELF, or a raw
 * RISC-V binary (e.g. U-Boot's u-boot.bin) whose first instructions decode;
 * default_base is where Images without a text offset and raw binaries go.
 * x86 bzImages and other files are refused with a message saying why. */
int must_check riscv_load_kernel(struct vm *vm, const char *path, gpa_t default_base,
				 struct boot_image *img, char *err, size_t errlen);
/* Read a whole file into guest RAM at gpa (must fit below `limit`). */
int must_check load_file_at(struct vm *vm, const char *path, gpa_t gpa, gpa_t limit,
			    uint64_t *size, char *err, size_t errlen);
/* Size of a regular file, or -errno with a message. */
int must_check file_size(const char *path, uint64_t *size, char *err, size_t errlen);

/* OpenSBI fw_dynamic handoff (include/sbi/fw_dynamic.h, version 2) */
struct fw_dynamic_info {
	uint64_t magic;		/* 0x4942534f "OSBI" */
	uint64_t version;	/* 2 */
	uint64_t next_addr;
	uint64_t next_mode;	/* 1: S-mode */
	uint64_t options;
	uint64_t boot_hart;
};
#define FW_DYNAMIC_INFO_MAGIC 0x4942534full
#define FW_DYNAMIC_INFO_VERSION 2
#define FW_DYNAMIC_NEXT_MODE_S 1

#endif
