/* test_x86_boot.c - unit tests for the x86-64 direct kernel boot
 * (src/machine/x86_boot.c): synthetic bzImages and ELF64 kernels (with and
 * without a Xen PVH note) are written to temporary files and loaded into a
 * VM's RAM; the tests then read guest RAM back and check the kernel bytes,
 * the zero page, hvm_start_info, the GDT, the page tables and the initial
 * CPU state against the boot protocol's numbers (written out here, not taken
 * from the code under test), and that broken or hostile files are refused
 * with a message saying why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/vm.h"
#include "machine/x86_boot.h"
#include "machine/x86_bootparam.h"
#include "machine/x86_layout.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)
#define RAM_SIZE (64 * MIB)

/* the synthetic bzImage */
#define BZ_SETUP_SECTS 4
#define BZ_SETUP_SIZE ((BZ_SETUP_SECTS + 1) * 512)
#define BZ_PM_SIZE (64 * 1024)
#define BZ_PREF 0x1000000u		/* LOAD_PHYSICAL_ADDR: 16 MiB */
#define BZ_INIT_SIZE 0x800000u		/* 8 MiB: the kernel runs in [16, 24) MiB */

struct fix {
	struct vm vm;
	void *high;			/* high RAM mapping, when a test adds one */
	uint64_t high_size;
	char paths[8][64];		/* temporary files, removed in teardown */
	int nr_paths;
	char err[512];
};

static const char *tmpdir(void)
{
	const char *d = getenv("TMPDIR");

	return d && *d ? d : "/tmp";
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(vm_init(&f->vm, "x86boot"), 0);
	assert_int_equal(vm_alloc_ram(&f->vm, 0, RAM_SIZE), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	for (int i = 0; i < f->nr_paths; i++)
		unlink(f->paths[i]);
	vm_destroy(&f->vm);
	if (f->high)
		munmap(f->high, f->high_size);
	free(f);
	return 0;
}

/* a temporary file holding buf; its path lives in the fixture */
static const char *tmp_file(struct fix *f, const void *buf, size_t len)
{
	char *path;
	int fd;

	assert_true(f->nr_paths < (int)ARRAY_SIZE(f->paths));
	path = f->paths[f->nr_paths++];
	snprintf(path, sizeof(f->paths[0]), "%s/mx86-XXXXXX", tmpdir());
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	return path;
}

static uint8_t pat(uint64_t i)
{
	return (uint8_t)(i * 97 + (i >> 8) * 13 + 5);
}

static void *guest(struct fix *f, gpa_t gpa, uint64_t len)
{
	uint8_t *p = as_ram_ptr(&f->vm.as, gpa, len);

	assert_non_null(p);
	return p;
}

static uint64_t rd64(struct fix *f, gpa_t gpa)
{
	uint64_t v;

	memcpy(&v, guest(f, gpa, 8), 8);
	return v;
}

static void expect_err(struct fix *f, int ret, int want, const char *substr)
{
	if (ret != want || !strstr(f->err, substr))
		print_error("ret %d (want %d), err \"%s\" (want \"%s\")\n", ret, want, f->err, substr);
	assert_int_equal(ret, want);
	assert_non_null(strstr(f->err, substr));
}

static int load(struct fix *f, const char *kernel, const char *initrd, const char *cmdline,
		uint64_t ram_size, struct x86_boot_result *res)
{
	struct x86_boot_config cfg = {
		.kernel = kernel, .initrd = initrd, .cmdline = cmdline, .ram_size = ram_size,
	};

	memset(f->err, 0, sizeof(f->err));
	return x86_boot_load(&f->vm, &cfg, res, f->err, sizeof(f->err));
}

/* ---- synthetic bzImage ---- */

struct bz {
	uint8_t buf[BZ_SETUP_SIZE + BZ_PM_SIZE];
	struct x86_setup_header h;
};

static void bz_init(struct bz *b)
{
	memset(b, 0, sizeof(*b));
	for (size_t i = 0; i < sizeof(b->buf); i++)
		b->buf[i] = pat(i);
	b->buf[0x200] = 0xeb;			/* jmp over the header... */
	b->buf[0x201] = 0x26c - 0x202;		/* ...which ends at 0x26c */
	memset(b->buf + 0x26c, 0xee, 0x290 - 0x26c);	/* code after the header */
	b->h.setup_sects = BZ_SETUP_SECTS;
	b->h.root_dev = 0x0801;
	b->h.vid_mode = 0xffff;
	b->h.boot_flag = 0xaa55;
	b->h.jump = 0x6aeb;
	b->h.header = 0x53726448;		/* "HdrS" */
	b->h.version = 0x020f;
	b->h.kernel_version = 0x1234;
	b->h.loadflags = 0x01;			/* LOADED_HIGH */
	b->h.code32_start = 0x100000;
	b->h.initrd_addr_max = 0x7fffffff;
	b->h.kernel_alignment = 0x200000;
	b->h.relocatable_kernel = 1;
	b->h.min_alignment = 21;
	b->h.xloadflags = 0x1 | 0x2;		/* XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G */
	b->h.cmdline_size = 2047;
	b->h.pref_address = BZ_PREF;
	b->h.init_size = BZ_INIT_SIZE;
}

static const char *bz_file(struct fix *f, struct bz *b)
{
	memcpy(b->buf + 0x1f1, &b->h, sizeof(b->h));
	return tmp_file(f, b->buf, sizeof(b->buf));
}

static const char *initrd_file(struct fix *f, size_t len)
{
	uint8_t *buf = malloc(len);
	const char *path;

	assert_non_null(buf);
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(pat(i) ^ 0x5a);
	path = tmp_file(f, buf, len);
	free(buf);
	return path;
}

static struct x86_boot_params *zero_page(struct fix *f)
{
	return guest(f, X86_ZERO_PAGE_ADDR, sizeof(struct x86_boot_params));
}

static void check_e820(const struct x86_boot_params *bp, uint64_t low, uint64_t high)
{
	struct x86_e820_entry e[4];

	assert_int_equal(bp->e820_entries, high ? 4 : 3);
	memcpy(e, bp->e820_table, sizeof(e));
	assert_int_equal(e[0].addr, 0);
	assert_int_equal(e[0].size, X86_MPTABLE_ADDR);
	assert_int_equal(e[0].type, 1);
	assert_int_equal(e[1].addr, X86_MPTABLE_ADDR);
	assert_int_equal(e[1].addr + e[1].size, 0xa0000);
	assert_int_equal(e[1].type, 2);
	assert_int_equal(e[2].addr, 0x100000);
	assert_int_equal(e[2].addr + e[2].size, low);
	assert_int_equal(e[2].type, 1);
	if (high) {
		assert_int_equal(e[3].addr, 0x100000000ull);
		assert_int_equal(e[3].size, high);
		assert_int_equal(e[3].type, 1);
	}
}

static void check_initrd_bytes(struct fix *f, gpa_t start, uint64_t len)
{
	const uint8_t *p = guest(f, start, len);

	for (uint64_t i = 0; i < len; i++)
		if (p[i] != (uint8_t)(pat(i) ^ 0x5a))
			fail_msg("initrd byte %llu differs", (unsigned long long)i);
}

/* the flat segments and control registers of the 64-bit boot protocol */
static void check_long_mode(const struct x86_cpu_init *c, uint64_t rip)
{
	assert_int_equal(c->rip, rip);
	assert_int_equal(c->rsi, X86_ZERO_PAGE_ADDR);
	assert_int_equal(c->rflags, 2);
	assert_int_equal(c->cs.selector, 0x10);		/* __BOOT_CS */
	assert_int_equal(c->cs.l, 1);
	assert_int_equal(c->cs.db, 0);
	assert_int_equal(c->cs.type, 0xb);
	assert_int_equal(c->cs.s, 1);
	assert_int_equal(c->cs.present, 1);
	assert_int_equal(c->cs.dpl, 0);
	assert_int_equal(c->cs.g, 1);
	assert_int_equal(c->cs.limit, 0xffffffff);
	assert_int_equal(c->cs.base, 0);
	const struct x86_seg *data[] = { &c->ds, &c->es, &c->ss };

	for (unsigned i = 0; i < ARRAY_SIZE(data); i++) {
		assert_int_equal(data[i]->selector, 0x18);	/* __BOOT_DS */
		assert_int_equal(data[i]->type, 0x3);
		assert_int_equal(data[i]->s, 1);
		assert_int_equal(data[i]->present, 1);
		assert_int_equal(data[i]->limit, 0xffffffff);
		assert_int_equal(data[i]->g, 1);
	}
	assert_int_equal(c->tr.selector, 0x20);
	assert_int_equal(c->tr.type, 0xb);		/* busy 64-bit TSS */
	assert_int_equal(c->tr.s, 0);
	assert_int_equal(c->tr.present, 1);
	assert_int_equal(c->tr.limit, 0x67);
	assert_int_equal(c->gdt.base, X86_GDT_ADDR);
	assert_true(c->gdt.limit >= 0x27);		/* covers the TSS descriptor */
	assert_true((c->cr0 & 0x80000001) == 0x80000001);	/* PG | PE */
	assert_int_equal(c->cr3, X86_PML4_ADDR);
	assert_true(c->cr4 & 0x20);			/* PAE */
	assert_int_equal(c->efer & 0x500, 0x500);	/* LME | LMA */
}

/* the descriptors the segments above were taken from (SDM vol. 3, 3.4.5) */
static void check_gdt(struct fix *f)
{
	assert_int_equal(rd64(f, X86_GDT_ADDR + 0x00), 0);
	assert_int_equal(rd64(f, X86_GDT_ADDR + 0x08), 0x00cf9b000000ffffull);	/* code32 */
	assert_int_equal(rd64(f, X86_GDT_ADDR + 0x10), 0x00af9b000000ffffull);	/* code64 */
	assert_int_equal(rd64(f, X86_GDT_ADDR + 0x18), 0x00cf93000000ffffull);	/* data */
	assert_int_equal(rd64(f, X86_GDT_ADDR + 0x20), 0x00008b0000000067ull);	/* TSS */
	assert_int_equal(rd64(f, X86_GDT_ADDR + 0x28), 0);
}

static void check_page_tables(struct fix *f)
{
	assert_int_equal(rd64(f, X86_PML4_ADDR), X86_PDPT_ADDR | 3);
	assert_int_equal(rd64(f, X86_PML4_ADDR + 8), 0);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(rd64(f, X86_PDPT_ADDR + i * 8), (X86_PD_ADDR + i * 0x1000) | 3);
	assert_int_equal(rd64(f, X86_PDPT_ADDR + 4 * 8), 0);
	for (uint64_t i = 0; i < 2048; i++) {
		uint64_t pde = rd64(f, X86_PD_ADDR + i * 8);

		if (pde != ((i << 21) | 0x83))
			fail_msg("PD entry %llu = 0x%llx", (unsigned long long)i, (unsigned long long)pde);
	}
}

/* ---- tests ---- */

static void test_ram_split(void **state)
{
	uint64_t low, high;

	(void)state;
	x86_ram_split(256 * MIB, &low, &high);
	assert_int_equal(low, 256 * MIB);
	assert_int_equal(high, 0);
	x86_ram_split(3 * GIB, &low, &high);
	assert_int_equal(low, 3 * GIB);
	assert_int_equal(high, 0);
	x86_ram_split(3 * GIB + 4096, &low, &high);
	assert_int_equal(low, 3 * GIB);
	assert_int_equal(high, 4096);
	x86_ram_split(16 * GIB, &low, &high);
	assert_int_equal(low, 3 * GIB);
	assert_int_equal(high, 13 * GIB);
}

static void test_bzimage(void **state)
{
	struct fix *f = *state;
	struct bz b;
	struct x86_boot_result res;
	const char *cmdline = "console=ttyS0 root=/dev/vda rw";
	const char *kernel, *initrd;
	struct x86_boot_params *bp;

	bz_init(&b);
	kernel = bz_file(f, &b);
	initrd = initrd_file(f, 100000);
	assert_int_equal(load(f, kernel, initrd, cmdline, RAM_SIZE, &res), 0);
	assert_int_equal(res.kind, X86_KERNEL_BZIMAGE);
	assert_int_equal(res.kernel_start, 0x100000);
	assert_int_equal(res.kernel_end, BZ_PREF + BZ_INIT_SIZE);

	/* the protected-mode part, byte for byte, at 1 MiB */
	assert_memory_equal(guest(f, 0x100000, BZ_PM_SIZE), b.buf + BZ_SETUP_SIZE, BZ_PM_SIZE);
	assert_string_equal((char *)guest(f, X86_CMDLINE_ADDR, strlen(cmdline) + 1), cmdline);

	bp = zero_page(f);
	/* the header, copied from the file up to 0x202 + byte 0x201 */
	assert_int_equal(bp->hdr.boot_flag, 0xaa55);
	assert_int_equal(bp->hdr.header, 0x53726448);
	assert_int_equal(bp->hdr.version, 0x020f);
	assert_int_equal(bp->hdr.kernel_version, 0x1234);
	assert_int_equal(bp->hdr.root_dev, 0x0801);
	assert_int_equal(bp->hdr.init_size, BZ_INIT_SIZE);
	assert_int_equal(bp->hdr.pref_address, BZ_PREF);
	for (unsigned i = 0x26c; i < 0x290; i++)
		assert_int_equal(((uint8_t *)bp)[i], 0);	/* past the header: not copied */
	for (unsigned i = 0; i < 0x1f1; i++)
		if (i < 0x1e8 || i > 0x1e8)
			assert_int_equal(((uint8_t *)bp)[i], 0);	/* boot sector not copied */
	/* what the loader fills */
	assert_int_equal(bp->hdr.type_of_loader, 0xff);
	assert_int_equal(bp->hdr.loadflags & 0x81, 0x81);	/* LOADED_HIGH | CAN_USE_HEAP */
	assert_true(bp->hdr.heap_end_ptr != 0);
	assert_int_equal(bp->hdr.cmd_line_ptr, X86_CMDLINE_ADDR);
	assert_int_equal(bp->ext_cmd_line_ptr, 0);
	assert_int_equal(bp->sentinel, 0);
	/* initrd: page-aligned at the top of RAM, above the kernel */
	assert_int_equal(bp->hdr.ramdisk_size, 100000);
	assert_int_equal(bp->ext_ramdisk_size, 0);
	assert_int_equal(bp->ext_ramdisk_image, 0);
	assert_int_equal(bp->hdr.ramdisk_image, res.initrd_start);
	assert_int_equal(res.initrd_size, 100000);
	assert_int_equal(res.initrd_start & 0xfff, 0);
	assert_true(res.initrd_start + 100000 <= RAM_SIZE);
	assert_true(res.initrd_start + 100000 + 4096 > RAM_SIZE);
	assert_true(res.initrd_start >= res.kernel_end);
	check_initrd_bytes(f, res.initrd_start, 100000);
	check_e820(bp, RAM_SIZE, 0);

	check_long_mode(&res.cpu, 0x100200);
	check_gdt(f);
	check_page_tables(f);
}

/* setup_sects 0 means 4; no initrd; an empty command line */
static void test_bzimage_defaults(void **state)
{
	struct fix *f = *state;
	struct bz b;
	struct x86_boot_result res;

	bz_init(&b);
	b.h.setup_sects = 0;
	assert_int_equal(load(f, bz_file(f, &b), NULL, "", RAM_SIZE, &res), 0);
	assert_memory_equal(guest(f, 0x100000, BZ_PM_SIZE), b.buf + BZ_SETUP_SIZE, BZ_PM_SIZE);
	assert_int_equal(res.initrd_size, 0);
	assert_int_equal(zero_page(f)->hdr.ramdisk_image, 0);
	assert_int_equal(zero_page(f)->hdr.ramdisk_size, 0);
	assert_int_equal(*(uint8_t *)guest(f, X86_CMDLINE_ADDR, 1), 0);
	/* a command line of exactly cmdline_size bytes is accepted */
	char line[2048];

	memset(line, 'a', 2047);
	line[2047] = 0;
	assert_int_equal(load(f, f->paths[0], NULL, line, RAM_SIZE, &res), 0);
	assert_int_equal(strlen((char *)guest(f, X86_CMDLINE_ADDR, 2048)), 2047);
}

/* RAM above 3 GiB goes to 4 GiB; the initrd stays below initrd_addr_max */
static void test_bzimage_high_ram(void **state)
{
	struct fix *f = *state;
	struct bz b;
	struct x86_boot_result res;
	uint64_t ram = 3 * GIB + 16 * MIB;
	const char *kernel, *initrd;

	/* replace the fixture's RAM: 3 GiB low (MAP_NORESERVE), 16 MiB high */
	vm_destroy(&f->vm);
	assert_int_equal(vm_init(&f->vm, "x86high"), 0);
	assert_int_equal(vm_alloc_ram(&f->vm, 0, 3 * GIB), 0);
	f->high_size = 16 * MIB;
	f->high = mmap(NULL, f->high_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(f->high != MAP_FAILED);
	assert_int_equal(as_add_ram(&f->vm.as, 4 * GIB, f->high_size, f->high, "high"), 0);

	bz_init(&b);
	b.h.initrd_addr_max = 0x37ffffff;
	kernel = bz_file(f, &b);
	initrd = initrd_file(f, 5000);
	assert_int_equal(load(f, kernel, initrd, "x", ram, &res), 0);
	assert_true(res.initrd_start + 5000 <= 0x38000000);
	assert_true(res.initrd_start + 5000 + 4096 > 0x38000000);
	check_initrd_bytes(f, res.initrd_start, 5000);
	check_e820(zero_page(f), 3 * GIB, 16 * MIB);
}

static void test_bzimage_errors(void **state)
{
	struct fix *f = *state;
	struct bz b;
	struct x86_boot_result res;
	char name[80];

	bz_init(&b);
	b.h.version = 0x0205;
	expect_err(f, load(f, bz_file(f, &b), NULL, "", RAM_SIZE, &res), -ENOEXEC, "2.05");
	/* the message names the file */
	snprintf(name, sizeof(name), "'%s'", f->paths[f->nr_paths - 1]);
	assert_non_null(strstr(f->err, name));

	bz_init(&b);
	b.h.version = 0x020b;		/* 2.11: no xloadflags yet */
	expect_err(f, load(f, bz_file(f, &b), NULL, "", RAM_SIZE, &res), -ENOEXEC, "64-bit");
	bz_init(&b);
	b.h.xloadflags = 0;		/* a 32-bit kernel */
	expect_err(f, load(f, bz_file(f, &b), NULL, "", RAM_SIZE, &res), -ENOEXEC, "64-bit");
}

static void test_bzimage_corrupt(void **state)
{
	struct fix *f = *state;
	struct bz b;
	struct x86_boot_result res;

	bz_init(&b);
	b.h.boot_flag = 0x1234;
	expect_err(f, load(f, bz_file(f, &b), NULL, "", RAM_SIZE, &res), -ENOEXEC, "boot flag");
	bz_init(&b);
	b.h.loadflags = 0;
	expect_err(f, load(f, bz_file(f, &b), NULL, "", RAM_SIZE, &res), -ENOEXEC, "zImage");
	/* more setup sectors than the file holds */
	bz_init(&b);
	b.h.setup_sects = 200;
	expect_err(f, load(f, bz_file(f, &b), NULL, "", RAM_SIZE, &res), -ENOEXEC, "truncated");
	/* truncated right after the header */
	bz_init(&b);
	memcpy(b.buf + 0x1f1, &b.h, sizeof(b.h));
	expect_err(f, load(f, tmp_file(f, b.buf, 0x300), NULL, "", RAM_SIZE, &res), -ENOEXEC,
		   "truncated");
}

static void test_bzimage_fit(void **state)
{
	struct fix *f = *state;
	struct bz b;
	struct x86_boot_result res;
	const char *kernel;
	char line[40];

	bz_init(&b);
	b.h.cmdline_size = 16;
	kernel = bz_file(f, &b);
	memset(line, 'c', 17);
	line[17] = 0;
	expect_err(f, load(f, kernel, NULL, line, RAM_SIZE, &res), -E2BIG, "command line");
	line[16] = 0;
	assert_int_equal(load(f, kernel, NULL, line, RAM_SIZE, &res), 0);

	/* init_size beyond RAM: 16 MiB + 8 MiB do not fit in 20 MiB */
	expect_err(f, load(f, kernel, NULL, "", 20 * MIB, &res), -E2BIG, "init_size");
	/* a pref_address beyond RAM */
	bz_init(&b);
	b.h.pref_address = 0x7ffffffffff00000ull;
	expect_err(f, load(f, bz_file(f, &b), NULL, "", RAM_SIZE, &res), -E2BIG, "fit");
	/* too little RAM at all */
	expect_err(f, load(f, kernel, NULL, "", 1 * MIB, &res), -E2BIG, "RAM");
}

static void test_bzimage_initrd_fit(void **state)
{
	struct fix *f = *state;
	struct bz b;
	struct x86_boot_result res;
	const char *kernel, *big, *small;

	bz_init(&b);
	kernel = bz_file(f, &b);
	/* 24 MiB of kernel + 10 MiB of initrd > 32 MiB */
	big = initrd_file(f, 10 * MIB);
	expect_err(f, load(f, kernel, big, "", 32 * MIB, &res), -E2BIG, "initrd");
	/* fits exactly: 8 MiB between the kernel's end and 32 MiB */
	small = initrd_file(f, 8 * MIB);
	assert_int_equal(load(f, kernel, small, "", 32 * MIB, &res), 0);
	assert_int_equal(res.initrd_start, BZ_PREF + BZ_INIT_SIZE);
	/* initrd_addr_max below the kernel's end */
	bz_init(&b);
	b.h.initrd_addr_max = 0x00ffffff;
	expect_err(f, load(f, bz_file(f, &b), small, "", RAM_SIZE, &res), -E2BIG, "initrd");
	/* a missing initrd */
	expect_err(f, load(f, kernel, "/nonexistent/initrd.img", "", RAM_SIZE, &res), -ENOENT,
		   "/nonexistent/initrd.img");
}

static void test_not_a_kernel(void **state)
{
	struct fix *f = *state;
	struct x86_boot_result res;
	char text[4096];
	const char *path;

	expect_err(f, load(f, "/nonexistent/bzImage", NULL, "", RAM_SIZE, &res), -ENOENT,
		   "/nonexistent/bzImage");
	expect_err(f, load(f, tmpdir(), NULL, "", RAM_SIZE, &res), -EINVAL, "not a regular file");
	path = tmp_file(f, "", 0);
	expect_err(f, load(f, path, NULL, "", RAM_SIZE, &res), -ENOEXEC, "empty");
	memset(text, 'A', sizeof(text));
	path = tmp_file(f, text, sizeof(text));
	expect_err(f, load(f, path, NULL, "", RAM_SIZE, &res), -ENOEXEC,
		   "is not a Linux bzImage or an ELF64 kernel");
	path = tmp_file(f, "\177ELF\2\1\1", 7);
	expect_err(f, load(f, path, NULL, "", RAM_SIZE, &res), -ENOEXEC, "truncated");
}

/* ---- synthetic ELF64 ---- */

struct seg {
	uint32_t type;
	uint64_t paddr;
	const uint8_t *data;
	uint64_t filesz, memsz, align;
};

struct elf_spec {
	uint8_t cls;
	uint16_t machine;
	uint16_t type;
	uint64_t entry;
	struct seg segs[4];
	unsigned nsegs;
	const uint8_t *shnote;		/* a SHT_NOTE section, when not NULL */
	size_t shnote_len;
};

static void elf_spec_init(struct elf_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->cls = ELFCLASS64;
	s->machine = EM_X86_64;
	s->type = ET_EXEC;
	s->entry = 0x1000000;
}

/* ehdr, phdrs, segment data, then the optional note section and its
 * section headers; returns the size */
static size_t build_elf(uint8_t *buf, size_t cap, const struct elf_spec *s)
{
	Elf64_Ehdr eh;
	size_t off = sizeof(eh) + s->nsegs * sizeof(Elf64_Phdr);

	memset(buf, 0, cap);
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = s->cls;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = s->type;
	eh.e_machine = s->machine;
	eh.e_version = EV_CURRENT;
	eh.e_entry = s->entry;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (uint16_t)s->nsegs;
	for (unsigned i = 0; i < s->nsegs; i++) {
		const struct seg *sg = &s->segs[i];
		Elf64_Phdr ph = {
			.p_type = sg->type, .p_flags = PF_R | PF_X, .p_offset = off,
			.p_vaddr = sg->paddr + 0xffffffff80000000ull, .p_paddr = sg->paddr,
			.p_filesz = sg->filesz, .p_memsz = sg->memsz, .p_align = sg->align,
		};

		if (sg->data) {
			assert_true(off + sg->filesz <= cap);
			memcpy(buf + off, sg->data, sg->filesz);
			off = (off + sg->filesz + 15) & ~15ul;
		} else {
			ph.p_offset = 0;	/* the test set filesz itself */
		}
		memcpy(buf + sizeof(eh) + i * sizeof(ph), &ph, sizeof(ph));
	}
	if (s->shnote) {
		Elf64_Shdr sh[2];

		memset(sh, 0, sizeof(sh));
		assert_true(off + s->shnote_len + sizeof(sh) <= cap);
		memcpy(buf + off, s->shnote, s->shnote_len);
		sh[1].sh_type = SHT_NOTE;
		sh[1].sh_offset = off;
		sh[1].sh_size = s->shnote_len;
		sh[1].sh_addralign = 4;
		off = (off + s->shnote_len + 15) & ~15ul;
		memcpy(buf + off, sh, sizeof(sh));
		eh.e_shoff = off;
		eh.e_shentsize = sizeof(Elf64_Shdr);
		eh.e_shnum = 2;
		off += sizeof(sh);
	}
	memcpy(buf, &eh, sizeof(eh));
	return off;
}

/* one ELF note, 4-byte aligned; returns its size */
static size_t put_note(uint8_t *p, const char *name, uint32_t type, const void *desc,
		       uint32_t descsz)
{
	Elf64_Nhdr nh = { .n_namesz = (uint32_t)strlen(name) + 1, .n_descsz = descsz, .n_type = type };
	size_t off = sizeof(nh);

	memcpy(p, &nh, sizeof(nh));
	memcpy(p + off, name, nh.n_namesz);
	off += (nh.n_namesz + 3) & ~3u;
	memcpy(p + off, desc, descsz);
	off += (descsz + 3) & ~3u;
	return off;
}

#define ELF_BUF (256 * 1024)
#define TEXT_SIZE 8192
#define DATA_FILESZ 1000
#define DATA_MEMSZ 0x3000

struct elf_kernel {
	uint8_t text[TEXT_SIZE], data[DATA_FILESZ];
	uint8_t notes[256];
	size_t notes_len;
	struct elf_spec spec;
};

/* text at 16 MiB, data + bss at 16 MiB + 64 KiB */
static void elf_kernel_init(struct elf_kernel *k)
{
	elf_spec_init(&k->spec);
	for (size_t i = 0; i < TEXT_SIZE; i++)
		k->text[i] = pat(i);
	for (size_t i = 0; i < DATA_FILESZ; i++)
		k->data[i] = pat(i + 7);
	k->spec.segs[0] = (struct seg){ PT_LOAD, 0x1000000, k->text, TEXT_SIZE, TEXT_SIZE, 0x200000 };
	k->spec.segs[1] = (struct seg){ PT_LOAD, 0x1010000, k->data, DATA_FILESZ, DATA_MEMSZ, 0x1000 };
	k->spec.nsegs = 2;
	k->notes_len = 0;
}

/* a "Linux" note, then the Xen PVH entry note */
static void elf_kernel_add_pvh(struct elf_kernel *k, uint64_t entry, uint32_t descsz)
{
	uint32_t linux_version = 0x060100;

	k->notes_len = put_note(k->notes, "Linux", 6, &linux_version, 4);
	k->notes_len += put_note(k->notes + k->notes_len, "Xen", 18, &entry, descsz);
}

static const char *elf_kernel_file(struct fix *f, struct elf_kernel *k, bool notes_in_segment)
{
	uint8_t *buf = malloc(ELF_BUF);
	const char *path;
	size_t len;

	assert_non_null(buf);
	if (k->notes_len && notes_in_segment) {
		k->spec.segs[k->spec.nsegs++] =
			(struct seg){ PT_NOTE, 0, k->notes, k->notes_len, k->notes_len, 4 };
	} else if (k->notes_len) {
		k->spec.shnote = k->notes;
		k->spec.shnote_len = k->notes_len;
	}
	len = build_elf(buf, ELF_BUF, &k->spec);
	path = tmp_file(f, buf, len);
	free(buf);
	return path;
}

static void check_elf_segments(struct fix *f)
{
	const uint8_t *bss;

	for (size_t i = 0; i < TEXT_SIZE; i++)
		assert_int_equal(((uint8_t *)guest(f, 0x1000000, TEXT_SIZE))[i], pat(i));
	for (size_t i = 0; i < DATA_FILESZ; i++)
		assert_int_equal(((uint8_t *)guest(f, 0x1010000, DATA_FILESZ))[i], pat(i + 7));
	bss = guest(f, 0x1010000 + DATA_FILESZ, DATA_MEMSZ - DATA_FILESZ);
	for (size_t i = 0; i < DATA_MEMSZ - DATA_FILESZ; i++)
		assert_int_equal(bss[i], 0);
}

static void test_elf64(void **state)
{
	struct fix *f = *state;
	struct elf_kernel k;
	struct x86_boot_result res;
	const char *kernel, *initrd;
	struct x86_boot_params *bp;

	elf_kernel_init(&k);
	kernel = elf_kernel_file(f, &k, true);
	initrd = initrd_file(f, 3000);
	/* dirty the bss: the loader must clear it */
	memset(guest(f, 0x1010000, DATA_MEMSZ), 0xcc, DATA_MEMSZ);
	assert_int_equal(load(f, kernel, initrd, "root=/dev/vda", RAM_SIZE, &res), 0);
	assert_int_equal(res.kind, X86_KERNEL_ELF64);
	assert_int_equal(res.kernel_start, 0x1000000);
	assert_int_equal(res.kernel_end, 0x1010000 + DATA_MEMSZ);
	check_elf_segments(f);

	bp = zero_page(f);
	assert_int_equal(bp->hdr.type_of_loader, 0xff);
	assert_int_equal(bp->hdr.boot_flag, 0xaa55);
	assert_int_equal(bp->hdr.header, 0x53726448);
	assert_int_equal(bp->hdr.cmd_line_ptr, X86_CMDLINE_ADDR);
	assert_string_equal((char *)guest(f, X86_CMDLINE_ADDR, 14), "root=/dev/vda");
	assert_int_equal(bp->hdr.ramdisk_image, res.initrd_start);
	assert_int_equal(bp->hdr.ramdisk_size, 3000);
	assert_true(res.initrd_start + 3000 <= RAM_SIZE && res.initrd_start + 3000 + 4096 > RAM_SIZE);
	check_initrd_bytes(f, res.initrd_start, 3000);
	check_e820(bp, RAM_SIZE, 0);
	check_long_mode(&res.cpu, 0x1000000);
	check_gdt(f);
	check_page_tables(f);
}

static void check_pvh_cpu(const struct x86_cpu_init *c, uint64_t entry)
{
	assert_int_equal(c->rip, entry);
	assert_int_equal(c->rbx, X86_PVH_INFO_ADDR);
	assert_int_equal(c->rflags, 2);
	assert_int_equal(c->cr0 & 0x80000001, 1);	/* PE, no PG */
	assert_int_equal(c->cr4, 0);
	assert_int_equal(c->efer, 0);
	assert_int_equal(c->cs.selector, 0x08);
	assert_int_equal(c->cs.l, 0);
	assert_int_equal(c->cs.db, 1);
	assert_int_equal(c->cs.type, 0xb);
	assert_int_equal(c->cs.s, 1);
	assert_int_equal(c->cs.g, 1);
	assert_int_equal(c->cs.limit, 0xffffffff);
	assert_int_equal(c->cs.base, 0);
	const struct x86_seg *data[] = { &c->ds, &c->es, &c->ss, &c->fs, &c->gs };

	for (unsigned i = 0; i < ARRAY_SIZE(data); i++) {
		assert_int_equal(data[i]->type, 0x3);
		assert_int_equal(data[i]->db, 1);
		assert_int_equal(data[i]->present, 1);
		assert_int_equal(data[i]->limit, 0xffffffff);
		assert_int_equal(data[i]->base, 0);
	}
	assert_int_equal(c->tr.type, 0xb);
	assert_int_equal(c->tr.s, 0);
	assert_int_equal(c->tr.present, 1);
	assert_int_equal(c->tr.limit, 0x67);
	assert_int_equal(c->gdt.base, X86_GDT_ADDR);
}

static void test_pvh(void **state)
{
	struct fix *f = *state;
	struct elf_kernel k;
	struct x86_boot_result res;
	struct x86_hvm_start_info si;
	struct x86_hvm_modlist_entry mod;
	struct x86_hvm_memmap_entry mm[3];
	const char *kernel, *initrd;

	elf_kernel_init(&k);
	elf_kernel_add_pvh(&k, 0x1000400, 4);
	kernel = elf_kernel_file(f, &k, true);
	initrd = initrd_file(f, 12345);
	assert_int_equal(load(f, kernel, initrd, "console=ttyS0", RAM_SIZE, &res), 0);
	assert_int_equal(res.kind, X86_KERNEL_PVH);
	check_elf_segments(f);
	check_pvh_cpu(&res.cpu, 0x1000400);
	check_gdt(f);

	memcpy(&si, guest(f, X86_PVH_INFO_ADDR, sizeof(si)), sizeof(si));
	assert_int_equal(si.magic, 0x336ec578);
	assert_int_equal(si.version, 1);
	assert_int_equal(si.flags, 0);
	assert_int_equal(si.rsdp_paddr, 0);
	assert_int_equal(si.cmdline_paddr, X86_CMDLINE_ADDR);
	assert_string_equal((char *)guest(f, si.cmdline_paddr, 14), "console=ttyS0");
	assert_int_equal(si.nr_modules, 1);
	memcpy(&mod, guest(f, si.modlist_paddr, sizeof(mod)), sizeof(mod));
	assert_int_equal(mod.paddr, res.initrd_start);
	assert_int_equal(mod.size, 12345);
	assert_int_equal(mod.paddr & 0xfff, 0);
	assert_true(mod.paddr >= res.kernel_end && mod.paddr + 12345 <= RAM_SIZE);
	check_initrd_bytes(f, mod.paddr, 12345);
	/* the structures sit in the PVH page, not over the zero page */
	assert_true(si.modlist_paddr >= X86_PVH_INFO_ADDR + sizeof(si) &&
		    si.modlist_paddr + sizeof(mod) <= X86_ZERO_PAGE_ADDR);
	assert_int_equal(si.memmap_entries, 3);
	assert_true(si.memmap_paddr >= X86_PVH_INFO_ADDR + sizeof(si) &&
		    si.memmap_paddr + sizeof(mm) <= X86_ZERO_PAGE_ADDR);
	memcpy(mm, guest(f, si.memmap_paddr, sizeof(mm)), sizeof(mm));
	assert_int_equal(mm[0].addr, 0);
	assert_int_equal(mm[0].size, X86_MPTABLE_ADDR);
	assert_int_equal(mm[0].type, 1);
	assert_int_equal(mm[1].addr, X86_MPTABLE_ADDR);
	assert_int_equal(mm[1].addr + mm[1].size, 0xa0000);
	assert_int_equal(mm[1].type, 2);
	assert_int_equal(mm[2].addr, 0x100000);
	assert_int_equal(mm[2].addr + mm[2].size, RAM_SIZE);
	assert_int_equal(mm[2].type, 1);
}

/* an 8-byte entry in a SHT_NOTE section (no PT_NOTE), no initrd */
static void test_pvh_section_note(void **state)
{
	struct fix *f = *state;
	struct elf_kernel k;
	struct x86_boot_result res;
	struct x86_hvm_start_info si;

	elf_kernel_init(&k);
	elf_kernel_add_pvh(&k, 0x1000800, 8);
	assert_int_equal(load(f, elf_kernel_file(f, &k, false), NULL, "", RAM_SIZE, &res), 0);
	assert_int_equal(res.kind, X86_KERNEL_PVH);
	check_pvh_cpu(&res.cpu, 0x1000800);
	memcpy(&si, guest(f, X86_PVH_INFO_ADDR, sizeof(si)), sizeof(si));
	assert_int_equal(si.nr_modules, 0);
	assert_int_equal(si.memmap_entries, 3);
	assert_int_equal(*(uint8_t *)guest(f, si.cmdline_paddr, 1), 0);

	/* a Xen note with a 2-byte value is refused */
	elf_kernel_init(&k);
	elf_kernel_add_pvh(&k, 0x1000800, 2);
	expect_err(f, load(f, elf_kernel_file(f, &k, true), NULL, "", RAM_SIZE, &res), -ENOEXEC,
		   "PVH");
}

static void test_elf_errors(void **state)
{
	struct fix *f = *state;
	struct elf_kernel k;
	struct x86_boot_result res;

	elf_kernel_init(&k);
	k.spec.machine = EM_RISCV;
	expect_err(f, load(f, elf_kernel_file(f, &k, true), NULL, "", RAM_SIZE, &res), -ENOEXEC,
		   "is a RISC-V ELF, not an x86-64 kernel");
	elf_kernel_init(&k);
	k.spec.machine = EM_386;
	k.spec.cls = ELFCLASS32;
	expect_err(f, load(f, elf_kernel_file(f, &k, true), NULL, "", RAM_SIZE, &res), -ENOEXEC,
		   "32-bit x86 ELF");
	elf_kernel_init(&k);
	k.spec.type = ET_REL;
	expect_err(f, load(f, elf_kernel_file(f, &k, true), NULL, "", RAM_SIZE, &res), -ENOEXEC,
		   "not an executable");
	assert_int_equal(f->nr_paths, 3);
	for (int i = 0; i < f->nr_paths; i++)
		unlink(f->paths[i]);
	f->nr_paths = 0;

	/* a segment beyond RAM, one below 1 MiB, one wrapping around */
	elf_kernel_init(&k);
	k.spec.segs[1].paddr = RAM_SIZE - 0x1000;
	expect_err(f, load(f, elf_kernel_file(f, &k, true), NULL, "", RAM_SIZE, &res), -E2BIG,
		   "segment 1");
	elf_kernel_init(&k);
	k.spec.segs[0].paddr = 0x7000;
	expect_err(f, load(f, elf_kernel_file(f, &k, true), NULL, "", RAM_SIZE, &res), -E2BIG,
		   "segment 0");
	elf_kernel_init(&k);
	k.spec.segs[1].paddr = 0xfffffffffffff000ull;
	expect_err(f, load(f, elf_kernel_file(f, &k, true), NULL, "", RAM_SIZE, &res), -E2BIG,
		   "does not fit");
	/* the boot structures were not written: the GDT is still empty */
	assert_int_equal(rd64(f, X86_GDT_ADDR + 0x10), 0);
	for (int i = 0; i < f->nr_paths; i++)
		unlink(f->paths[i]);
	f->nr_paths = 0;

	/* p_filesz > p_memsz; file data beyond the end of the file */
	elf_kernel_init(&k);
	k.spec.segs[1].filesz = DATA_MEMSZ + 1;
	k.spec.segs[1].data = NULL;
	expect_err(f, load(f, elf_kernel_file(f, &k, true), NULL, "", RAM_SIZE, &res), -ENOEXEC,
		   "segment 1");
	elf_kernel_init(&k);
	k.spec.segs[1].filesz = 1ull << 40;
	k.spec.segs[1].memsz = 1ull << 40;
	k.spec.segs[1].data = NULL;
	expect_err(f, load(f, elf_kernel_file(f, &k, true), NULL, "", RAM_SIZE, &res), -ENOEXEC,
		   "outside the file");
	/* an entry point that the identity map does not reach */
	elf_kernel_init(&k);
	k.spec.entry = 0xffffffff81000000ull;
	expect_err(f, load(f, elf_kernel_file(f, &k, true), NULL, "", RAM_SIZE, &res), -ENOEXEC,
		   "entry point");
	/* no PT_LOAD at all */
	elf_kernel_init(&k);
	k.spec.nsegs = 0;
	expect_err(f, load(f, elf_kernel_file(f, &k, true), NULL, "", RAM_SIZE, &res), -ENOEXEC,
		   "no loadable segments");
}

/* the program header table cut off by the end of the file */
static void test_elf_truncated(void **state)
{
	struct fix *f = *state;
	struct elf_kernel k;
	struct x86_boot_result res;
	uint8_t *buf = malloc(ELF_BUF);
	size_t len;

	assert_non_null(buf);
	elf_kernel_init(&k);
	len = build_elf(buf, ELF_BUF, &k.spec);
	assert_true(len > 100);
	expect_err(f, load(f, tmp_file(f, buf, 100), NULL, "", RAM_SIZE, &res), -ENOEXEC, "truncated");
	expect_err(f, load(f, tmp_file(f, buf, 40), NULL, "", RAM_SIZE, &res), -ENOEXEC, "truncated");
	/* the segment's data cut off */
	expect_err(f, load(f, tmp_file(f, buf, len - 500), NULL, "", RAM_SIZE, &res), -ENOEXEC,
		   "outside the file");
	free(buf);
}

static void test_elf_cmdline_too_long(void **state)
{
	struct fix *f = *state;
	struct elf_kernel k;
	struct x86_boot_result res;
	size_t n = X86_CMDLINE_MAX + 10;
	char *line = malloc(n);
	const char *kernel;

	assert_non_null(line);
	memset(line, 'x', n - 1);
	line[n - 1] = 0;
	elf_kernel_init(&k);
	kernel = elf_kernel_file(f, &k, true);
	expect_err(f, load(f, kernel, NULL, line, RAM_SIZE, &res), -E2BIG, "command line");
	/* X86_CMDLINE_MAX counts the NUL */
	line[X86_CMDLINE_MAX] = 0;
	expect_err(f, load(f, kernel, NULL, line, RAM_SIZE, &res), -E2BIG, "command line");
	line[X86_CMDLINE_MAX - 1] = 0;
	assert_int_equal(load(f, kernel, NULL, line, RAM_SIZE, &res), 0);
	assert_int_equal(*(uint8_t *)guest(f, X86_CMDLINE_ADDR + X86_CMDLINE_MAX - 1, 1), 0);
	free(line);
}

/* A real kernel, when the machine has one: $MACHINA_X86_KERNEL or
 * /boot/vmlinuz-*. Skipped otherwise. */
static void test_real_kernel(void **state)
{
	struct fix *f = *state;
	struct x86_boot_result res;
	const char *path = getenv("MACHINA_X86_KERNEL");
	glob_t g = { 0 };
	int ret;

	if ((!path || !*path) && glob("/boot/vmlinuz-*", 0, NULL, &g) == 0 && g.gl_pathc)
		path = g.gl_pathv[0];
	if (!path || !*path || access(path, R_OK)) {
		globfree(&g);
		print_message("no x86-64 kernel on this machine: skipped\n");
		skip();
		return;
	}
	vm_destroy(&f->vm);
	assert_int_equal(vm_init(&f->vm, "x86real"), 0);
	assert_int_equal(vm_alloc_ram(&f->vm, 0, 512 * MIB), 0);
	ret = load(f, path, NULL, "console=ttyS0", 512 * MIB, &res);
	if (ret)
		print_error("%s: %s\n", path, f->err);
	assert_int_equal(ret, 0);
	print_message("%s: kind %d, kernel 0x%llx-0x%llx, entry 0x%llx\n", path, res.kind,
		      (unsigned long long)res.kernel_start, (unsigned long long)res.kernel_end,
		      (unsigned long long)res.cpu.rip);
	if (res.kind == X86_KERNEL_BZIMAGE) {
		assert_true(zero_page(f)->hdr.version >= 0x020c);
		check_long_mode(&res.cpu, 0x100200);
	}
	globfree(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ram_split),
		cmocka_unit_test_setup_teardown(test_bzimage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bzimage_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bzimage_high_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bzimage_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bzimage_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bzimage_fit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bzimage_initrd_fit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf64, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pvh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pvh_section_note, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf_cmdline_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_kernel, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
