/* riscv_boot.c - firmware / kernel / initrd loading for RISC-V machines. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/vm.h"
#include "cpu/rv64/insn.h"
#include "loader/elf.h"
#include "machine/riscv_boot.h"

/* RISC-V Linux Image header (Documentation/riscv/boot-image-header.rst) */
struct riscv_image_header {
	uint32_t code0, code1;
	uint64_t text_offset;
	uint64_t image_size;
	uint64_t flags;
	uint32_t version, res1;
	uint64_t res2;
	uint64_t magic;		/* "RISCV\0\0\0", deprecated */
	uint32_t magic2;	/* "RSC\x05" */
	uint32_t res3;
};
#define RISCV_IMAGE_MAGIC 0x5643534952ull	/* "RISCV" little-endian */
#define RISCV_IMAGE_MAGIC2 0x05435352u		/* "RSC\x05" */

int file_size(const char *path, uint64_t *size, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st)) {
		int e = errno;

		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(e));
		return -e;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", path);
		return -EINVAL;
	}
	*size = (uint64_t)st.st_size;
	return 0;
}

static int read_head(const char *path, void *buf, size_t len, size_t *got, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		int e = errno;

		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(e));
		return -e;
	}
	n = pread(fd, buf, len, 0);
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		return -EIO;
	}
	*got = (size_t)n;
	return 0;
}

int load_file_at(struct vm *vm, const char *path, gpa_t gpa, gpa_t limit, uint64_t *size,
		 char *err, size_t errlen)
{
	uint64_t sz;
	uint8_t *dst;
	int fd, ret;

	ret = file_size(path, &sz, err, errlen);
	if (ret)
		return ret;
	if (sz == 0) {
		snprintf(err, errlen, "'%s' is empty", path);
		return -EINVAL;
	}
	dst = as_ram_ptr(&vm->as, gpa, sz);
	if (!dst || gpa + sz > limit) {
		snprintf(err, errlen, "'%s' (%llu bytes) does not fit in guest RAM at 0x%llx; "
			 "give more --memory", path, (unsigned long long)sz, (unsigned long long)gpa);
		return -E2BIG;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return ret;
	}
	for (uint64_t done = 0; done < sz;) {
		ssize_t n = read(fd, dst + done, sz - done);

		if (n <= 0) {
			snprintf(err, errlen, "cannot read '%s': %s", path,
				 n < 0 ? strerror(errno) : "file shrank");
			close(fd);
			return -EIO;
		}
		done += (uint64_t)n;
	}
	close(fd);
	*size = sz;
	return 0;
}

static bool is_bzimage(const uint8_t *h, size_t n)
{
	/* x86 boot protocol: "HdrS" at 0x202 */
	return n >= 0x206 && !memcmp(h + 0x202, "HdrS", 4);
}

static int load_elf_image(struct vm *vm, const char *path, struct boot_image *img, char *err,
			  size_t errlen)
{
	struct elf_image e;
	int ret = elf_load(vm, path, &e, err, errlen);

	if (ret)
		return ret;
	img->entry = e.entry;
	img->start = e.lowest;
	img->end = e.highest;
	img->has_tohost = e.has_tohost;
	img->tohost = e.tohost;
	img->has_fromhost = e.has_fromhost;
	img->fromhost = e.fromhost;
	return 0;
}

/* a raw binary at base, entered at its first byte */
static int load_raw_image(struct vm *vm, const char *path, gpa_t base, struct boot_image *img,
			  char *err, size_t errlen)
{
	uint64_t size;
	int ret = load_file_at(vm, path, base, vm->ram_base + vm->ram_size, &size, err, errlen);

	if (ret)
		return ret;
	img->entry = base;
	img->start = base;
	img->end = base + size;
	return 0;
}

/* The start both loaders share: read the head of the file, load an ELF, or
 * refuse an x86 bzImage (`what` names the expected kind). Returns 1 when the
 * caller must handle the file itself. */
static int load_common(struct vm *vm, const char *path, uint8_t *head, size_t headlen, size_t *n,
		       struct boot_image *img, const char *what, char *err, size_t errlen)
{
	int ret;

	memset(img, 0, sizeof(*img));
	ret = read_head(path, head, headlen, n, err, errlen);
	if (ret)
		return ret;
	if (elf_is_elf(head, *n))
		return load_elf_image(vm, path, img, err, errlen);
	if (is_bzimage(head, *n)) {
		snprintf(err, errlen, "'%s' is an x86 kernel (bzImage), not %s", path, what);
		return -ENOEXEC;
	}
	return 1;
}

/* a raw binary must start with instructions that decode */
static bool looks_like_riscv_code(const uint8_t *h, size_t n)
{
	size_t off = 0;
	int count = 0;

	while (count < 16 && off + 4 <= n) {
		uint32_t raw;
		struct rv_insn ins;

		memcpy(&raw, h + off, 4);
		if (raw == 0)
			return false;
		rv_decode(&ins, raw);
		if (ins.op == RV_OP_ILLEGAL)
			return false;
		off += ins.len;
		count++;
	}
	return count == 16;
}

int riscv_load_firmware(struct vm *vm, const char *path, gpa_t base, struct boot_image *img,
			char *err, size_t errlen)
{
	uint8_t head[0x400];
	size_t n;
	int ret = load_common(vm, path, head, sizeof(head), &n, img, "RISC-V firmware", err, errlen);

	if (ret != 1)
		return ret;
	if (!looks_like_riscv_code(head, n)) {
		snprintf(err, errlen, "'%s' is not RISC-V firmware: not an ELF, and it does not start "
			 "with RISC-V instructions", path);
		return -ENOEXEC;
	}
	return load_raw_image(vm, path, base, img, err, errlen);
}

int riscv_load_kernel(struct vm *vm, const char *path, gpa_t default_base, struct boot_image *img,
		      char *err, size_t errlen)
{
	uint8_t head[0x400];
	struct riscv_image_header hdr;
	uint64_t size;
	size_t n;
	int ret = load_common(vm, path, head, sizeof(head), &n, img,
			      "a RISC-V kernel; x86 guests need --arch x86_64", err, errlen);

	if (ret != 1)
		return ret;
	if (n >= sizeof(hdr)) {
		memcpy(&hdr, head, sizeof(hdr));
		if (hdr.magic2 == RISCV_IMAGE_MAGIC2 || hdr.magic == RISCV_IMAGE_MAGIC) {
			gpa_t base = hdr.text_offset ? vm->ram_base + hdr.text_offset : default_base;

			/* RV64 kernels must sit on a 2 MiB boundary */
			if (hdr.text_offset & 0x1fffff || hdr.text_offset >= vm->ram_size) {
				snprintf(err, errlen, "'%s': Image header asks for an unusable text offset 0x%llx",
					 path, (unsigned long long)hdr.text_offset);
				return -ENOEXEC;
			}
			ret = load_file_at(vm, path, base, vm->ram_base + vm->ram_size, &size, err, errlen);
			if (ret)
				return ret;
			img->entry = base;
			img->start = base;
			/* image_size covers bss; older headers may leave it 0 */
			img->end = base + (hdr.image_size > size ? hdr.image_size : size);
			if (img->end > vm->ram_base + vm->ram_size) {
				snprintf(err, errlen, "'%s' needs %llu bytes of memory from 0x%llx: give more --memory",
					 path, (unsigned long long)hdr.image_size, (unsigned long long)base);
				return -E2BIG;
			}
			return 0;
		}
	}
	if (!looks_like_riscv_code(head, n)) {
		snprintf(err, errlen, "'%s' is not a RISC-V kernel: no RISC-V Image header, not an ELF, "
			 "and it does not start with RISC-V instructions", path);
		return -ENOEXEC;
	}
	return load_raw_image(vm, path, default_base, img, err, errlen);
}
