/* elf.c - ELF64 loader for RISC-V firmware and bare-metal programs. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/vm.h"
#include "loader/elf.h"

bool elf_is_elf(const uint8_t *buf, size_t len)
{
	return len >= SELFMAG && memcmp(buf, ELFMAG, SELFMAG) == 0;
}

/* [off, off + len) inside a file of size size? */
static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static void find_htif_symbols(const uint8_t *f, uint64_t size, const Elf64_Ehdr *eh,
			      struct elf_image *img)
{
	if (!eh->e_shoff || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr), size))
		return;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(f + eh->e_shoff);

	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum ||
		    sh[i].sh_entsize != sizeof(Elf64_Sym))
			continue;
		const Elf64_Shdr *strs = &sh[sh[i].sh_link];

		if (!in_file(sh[i].sh_offset, sh[i].sh_size, size) ||
		    !in_file(strs->sh_offset, strs->sh_size, size) || !strs->sh_size)
			continue;
		const Elf64_Sym *sym = (const Elf64_Sym *)(f + sh[i].sh_offset);
		const char *names = (const char *)(f + strs->sh_offset);
		uint64_t n = sh[i].sh_size / sizeof(Elf64_Sym);

		for (uint64_t k = 0; k < n; k++) {
			uint64_t name = sym[k].st_name;

			if (name >= strs->sh_size || !memchr(names + name, 0, strs->sh_size - name))
				continue;
			if (!strcmp(names + name, "tohost")) {
				img->tohost = sym[k].st_value;
				img->has_tohost = true;
			} else if (!strcmp(names + name, "fromhost")) {
				img->fromhost = sym[k].st_value;
				img->has_fromhost = true;
			}
		}
	}
}

int elf_load(struct vm *vm, const char *path, struct elf_image *img, char *err, size_t errlen)
{
	struct stat st;
	uint8_t *f = MAP_FAILED;
	int fd, ret;

	memset(img, 0, sizeof(*img));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return ret;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		snprintf(err, errlen, "'%s' is not a regular file", path);
		goto out;
	}
	if ((uint64_t)st.st_size < sizeof(Elf64_Ehdr)) {
		ret = -ENOEXEC;
		snprintf(err, errlen, "'%s' is not an ELF file (too small)", path);
		goto out;
	}
	f = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (f == MAP_FAILED) {
		ret = -errno;
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)f;
	uint64_t size = (uint64_t)st.st_size;

	if (!elf_is_elf(f, size)) {
		ret = -ENOEXEC;
		snprintf(err, errlen, "'%s' is not an ELF file", path);
		goto out;
	}
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_RISCV) {
		ret = -ENOEXEC;
		snprintf(err, errlen, "'%s' is not a 64-bit little-endian RISC-V ELF (machine %u, class %u)",
			 path, eh->e_machine, eh->e_ident[EI_CLASS]);
		goto out;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    !in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), size)) {
		ret = -ENOEXEC;
		snprintf(err, errlen, "'%s': corrupt program header table", path);
		goto out;
	}
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(f + eh->e_phoff);
	bool any = false;

	img->lowest = UINT64_MAX;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		uint8_t *dst;

		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		if (ph[i].p_filesz > ph[i].p_memsz || !in_file(ph[i].p_offset, ph[i].p_filesz, size)) {
			ret = -ENOEXEC;
			snprintf(err, errlen, "'%s': segment %u lies outside the file", path, i);
			goto out;
		}
		dst = as_ram_ptr(&vm->as, ph[i].p_paddr, ph[i].p_memsz);
		if (!dst) {
			ret = -E2BIG;
			snprintf(err, errlen,
				 "'%s': segment %u (0x%llx-0x%llx) does not fit in guest RAM (0x%llx-0x%llx)",
				 path, i, (unsigned long long)ph[i].p_paddr,
				 (unsigned long long)(ph[i].p_paddr + ph[i].p_memsz),
				 (unsigned long long)vm->ram_base,
				 (unsigned long long)(vm->ram_base + vm->ram_size));
			goto out;
		}
		memcpy(dst, f + ph[i].p_offset, ph[i].p_filesz);
		memset(dst + ph[i].p_filesz, 0, ph[i].p_memsz - ph[i].p_filesz);
		if (ph[i].p_paddr < img->lowest)
			img->lowest = ph[i].p_paddr;
		if (ph[i].p_paddr + ph[i].p_memsz > img->highest)
			img->highest = ph[i].p_paddr + ph[i].p_memsz;
		any = true;
	}
	if (!any) {
		ret = -ENOEXEC;
		snprintf(err, errlen, "'%s' has no loadable segments", path);
		goto out;
	}
	img->entry = eh->e_entry;
	find_htif_symbols(f, size, eh, img);
	ret = 0;
out:
	if (f != MAP_FAILED)
		munmap(f, (size_t)st.st_size);
	close(fd);
	return ret;
}
