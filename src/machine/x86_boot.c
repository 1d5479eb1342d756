/* x86_boot.c - direct kernel boot for the x86-64 machine (no firmware): a
 * bzImage through the Linux/x86 boot protocol's 64-bit entry, an ELF64
 * kernel through its Xen PVH note, or a plain ELF64 at e_entry in long mode.
 * See x86_boot.h for the contract and x86_layout.h for the addresses.
 *
 * The kernel and initrd files are untrusted: every size, offset and address
 * read from them is checked against the file and guest RAM before use, and
 * guest RAM is written only through as_copy_to() / as_ram_ptr().
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/vm.h"
#include "machine/x86_boot.h"
#include "machine/x86_bootparam.h"
#include "machine/x86_layout.h"

#define PAGE_SIZE_4K		0x1000ull
#define HUGE_2M			0x200000ull

/* Linux's boot GDT layout (arch/x86/include/asm/segment.h: __BOOT_CS 0x10,
 * __BOOT_DS 0x18), plus a flat 32-bit code segment at 0x08 for PVH entry.
 * The TSS descriptor takes two slots in long mode; its upper half is zero
 * (base < 4 GiB), which reads as a null descriptor in 32-bit mode. */
#define GDT_SEL_CODE32		0x08
#define GDT_SEL_CODE64		0x10
#define GDT_SEL_DATA		0x18
#define GDT_SEL_TSS		0x20
#define GDT_ENTRIES		6
#define GDT_LIMIT		(GDT_ENTRIES * 8 - 1)
#define TSS_LIMIT		0x67	/* a minimal 32-bit TSS; nothing reads it */

/* segment types (SDM vol. 3, 3.4.5.1 and 3.5) */
#define SEG_TYPE_DATA_RW_ACCESSED	0x3
#define SEG_TYPE_CODE_RX_ACCESSED	0xb
#define SEG_TYPE_TSS_BUSY		0xb
#define SEG_TYPE_LDT			0x2

#define CR0_PE			(1ull << 0)
#define CR0_ET			(1ull << 4)
#define CR0_PG			(1ull << 31)
#define CR4_PAE			(1ull << 5)
#define EFER_LME		(1ull << 8)
#define EFER_LMA		(1ull << 10)
#define RFLAGS_RESERVED1	(1ull << 1)

#define PTE_PRESENT		(1ull << 0)
#define PTE_RW			(1ull << 1)
#define PTE_PS			(1ull << 7)
#define IDENTITY_MAP_GIB	4	/* page directories at X86_PD_ADDR */

/* bzImage: protocol 2.06 has cmdline_size; the 64-bit entry needs 2.12's
 * XLF_KERNEL_64 */
#define BZ_PROTO_MIN		0x0206
#define BZ_PROTO_XLOADFLAGS	0x020c
#define BZ_PROTO_PREF_ADDRESS	0x020a
#define BZ_HDR_END_MAX		0x290	/* the zero page's next field after the header */
#define BZ_SETUP_SECTS_MAX	64	/* the real-mode part is at most 32 KiB */
#define BZ_HEAP_END		0xfe00	/* heap_end_ptr as if setup ran at 0x90000 */

/* the PVH structures, all in the page at X86_PVH_INFO_ADDR */
#define PVH_MEMMAP_ADDR		(X86_PVH_INFO_ADDR + 0x40)
#define PVH_MODLIST_ADDR	(X86_PVH_INFO_ADDR + 0x200)

#define MEMMAP_MAX		4	/* entries of x86_memmap() */

_Static_assert(X86_GDT_ADDR + GDT_ENTRIES * 8 <= X86_PVH_INFO_ADDR, "GDT below the PVH page");
_Static_assert(PVH_MEMMAP_ADDR >= X86_PVH_INFO_ADDR + sizeof(struct x86_hvm_start_info) &&
	       PVH_MEMMAP_ADDR + MEMMAP_MAX * sizeof(struct x86_hvm_memmap_entry) <= PVH_MODLIST_ADDR &&
	       PVH_MODLIST_ADDR + sizeof(struct x86_hvm_modlist_entry) <= X86_ZERO_PAGE_ADDR,
	       "the PVH structures fit below the zero page");
_Static_assert(X86_PDPT_ADDR == X86_PML4_ADDR + PAGE_SIZE_4K &&
	       X86_PD_ADDR + IDENTITY_MAP_GIB * PAGE_SIZE_4K <= X86_CMDLINE_ADDR, "page tables");
_Static_assert(X86_CMDLINE_ADDR + X86_CMDLINE_MAX <= X86_MPTABLE_ADDR, "command line");

/* a kernel file mapped read-only */
struct kfile {
	const char *path;
	const uint8_t *data;
	uint64_t size;
};

__attribute__((format(printf, 4, 5)))
static int boot_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

/* [off, off + len) inside a file of `size` bytes? */
static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

void x86_ram_split(uint64_t ram_size, uint64_t *low, uint64_t *high)
{
	*low = ram_size < X86_LOW_RAM_MAX ? ram_size : X86_LOW_RAM_MAX;
	*high = ram_size - *low;
}

/* ---- files ---- */

static int kfile_open(struct kfile *kf, const char *path, char *err, size_t errlen)
{
	struct stat st;
	void *p;
	int fd, ret = 0;

	memset(kf, 0, sizeof(*kf));
	kf->path = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		return boot_fail(err, errlen, ret, "cannot open '%s': %s", path, strerror(-ret));
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		ret = boot_fail(err, errlen, -EINVAL, "'%s' is not a regular file", path);
		goto out;
	}
	if (st.st_size == 0) {
		ret = boot_fail(err, errlen, -ENOEXEC, "'%s' is empty, not an x86-64 kernel", path);
		goto out;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		ret = -errno;
		boot_fail(err, errlen, ret, "cannot read '%s': %s", path, strerror(-ret));
		goto out;
	}
	kf->data = p;
	kf->size = (uint64_t)st.st_size;
out:
	close(fd);
	return ret;
}

static void kfile_close(struct kfile *kf)
{
	if (kf->data)
		munmap((void *)kf->data, (size_t)kf->size);
	kf->data = NULL;
}

/* ---- memory map, command line, initrd ---- */

/* The guest's memory map (e820 / PVH memmap), returns the entry count:
 * conventional memory up to the MP table, the MP table reserved, RAM from
 * 1 MiB to the end of low RAM, and high RAM at 4 GiB. The legacy hole
 * [X86_EBDA_END, X86_HIMEM_ADDR) is left out, so the guest treats it as
 * reserved. */
static unsigned x86_memmap(uint64_t low, uint64_t high, struct x86_e820_entry map[MEMMAP_MAX])
{
	unsigned n = 0;

	map[n++] = (struct x86_e820_entry){ 0, X86_MPTABLE_ADDR, X86_E820_RAM };
	map[n++] = (struct x86_e820_entry){ X86_MPTABLE_ADDR, X86_EBDA_END - X86_MPTABLE_ADDR,
					    X86_E820_RESERVED };
	if (low > X86_HIMEM_ADDR)
		map[n++] = (struct x86_e820_entry){ X86_HIMEM_ADDR, low - X86_HIMEM_ADDR,
						    X86_E820_RAM };
	if (high)
		map[n++] = (struct x86_e820_entry){ X86_HIGH_RAM_BASE, high, X86_E820_RAM };
	return n;
}

/* the command line's length without the NUL, checked against `max` (the
 * kernel's limit, also without the NUL) and the buffer at X86_CMDLINE_ADDR */
static int check_cmdline(const char *cmdline, uint64_t max, size_t *len, char *err, size_t errlen)
{
	size_t n = strnlen(cmdline, X86_CMDLINE_MAX);

	if (max > X86_CMDLINE_MAX - 1)
		max = X86_CMDLINE_MAX - 1;
	if (n > max)
		return boot_fail(err, errlen, -E2BIG,
				 "the kernel command line is too long (%s%zu bytes, at most %llu)",
				 n == X86_CMDLINE_MAX ? "over " : "", n, (unsigned long long)max);
	*len = n;
	return 0;
}

static int write_cmdline(struct vm *vm, const char *cmdline, size_t len, char *err, size_t errlen)
{
	uint8_t nul = 0;

	if (as_copy_to(&vm->as, X86_CMDLINE_ADDR, cmdline, len) ||
	    as_copy_to(&vm->as, X86_CMDLINE_ADDR + len, &nul, 1))
		return boot_fail(err, errlen, -EFAULT, "guest RAM does not hold the command line at 0x%llx",
				 (unsigned long long)X86_CMDLINE_ADDR);
	return 0;
}

/* Loads the initrd page-aligned at the top of [kernel_end, top) and
 * records it in res. */
static int load_initrd(struct vm *vm, const char *path, gpa_t kernel_end, gpa_t top,
		       struct x86_boot_result *res, char *err, size_t errlen)
{
	struct stat st;
	uint64_t size, start, done = 0;
	uint8_t *dst;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		return boot_fail(err, errlen, ret, "cannot open initrd '%s': %s", path, strerror(-ret));
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		ret = boot_fail(err, errlen, -EINVAL, "initrd '%s' is not a regular file", path);
		goto out;
	}
	size = (uint64_t)st.st_size;
	if (size == 0) {
		ret = boot_fail(err, errlen, -EINVAL, "initrd '%s' is empty", path);
		goto out;
	}
	kernel_end = align_up(kernel_end, PAGE_SIZE_4K);
	if (top < kernel_end || size > top - kernel_end ||
	    ((top - size) & ~(PAGE_SIZE_4K - 1)) < kernel_end) {
		ret = boot_fail(err, errlen, -E2BIG,
				"initrd '%s' (%llu bytes) does not fit in guest RAM between the kernel "
				"(ending at 0x%llx) and 0x%llx; give more --memory", path,
				(unsigned long long)size, (unsigned long long)kernel_end,
				(unsigned long long)top);
		goto out;
	}
	start = (top - size) & ~(PAGE_SIZE_4K - 1);
	dst = as_ram_ptr(&vm->as, start, size);
	if (!dst) {
		ret = boot_fail(err, errlen, -EFAULT, "initrd '%s': guest RAM at 0x%llx-0x%llx is not mapped",
				path, (unsigned long long)start, (unsigned long long)(start + size));
		goto out;
	}
	/* bounded by the size: each read makes progress or ends the loop */
	while (done < size) {
		ssize_t n = pread(fd, dst + done, size - done, (off_t)done);

		if (n <= 0) {
			ret = boot_fail(err, errlen, -EIO, "cannot read initrd '%s': %s", path,
					n < 0 ? strerror(errno) : "file shrank");
			goto out;
		}
		done += (uint64_t)n;
	}
	res->initrd_start = start;
	res->initrd_size = size;
out:
	close(fd);
	return ret;
}

/* ---- CPU state, GDT, page tables ---- */

static struct x86_seg flat_seg(uint16_t selector, uint8_t type, uint8_t l, uint8_t db)
{
	/* KVM keeps the byte-granular limit: 0xfffff pages with g = 1 */
	return (struct x86_seg){ .base = 0, .limit = 0xffffffff, .selector = selector, .type = type,
				 .present = 1, .dpl = 0, .db = db, .s = 1, .l = l, .g = 1 };
}

static struct x86_seg tss_seg(void)
{
	return (struct x86_seg){ .base = 0, .limit = TSS_LIMIT, .selector = GDT_SEL_TSS,
				 .type = SEG_TYPE_TSS_BUSY, .present = 1, .s = 0 };
}

/* the 8-byte descriptor for a segment (SDM vol. 3, 3.4.5) */
static uint64_t seg_desc(const struct x86_seg *s)
{
	uint32_t limit = s->g ? s->limit >> 12 : s->limit;

	return (limit & 0xffffull) | ((s->base & 0xffffffull) << 16) |
	       ((uint64_t)(s->type & 0xf) << 40) | ((uint64_t)(s->s & 1) << 44) |
	       ((uint64_t)(s->dpl & 3) << 45) | ((uint64_t)(s->present & 1) << 47) |
	       ((uint64_t)((limit >> 16) & 0xf) << 48) | ((uint64_t)(s->avl & 1) << 52) |
	       ((uint64_t)(s->l & 1) << 53) | ((uint64_t)(s->db & 1) << 54) |
	       ((uint64_t)(s->g & 1) << 55) | (((s->base >> 24) & 0xffull) << 56);
}

static int write_gdt(struct vm *vm)
{
	struct x86_seg code32 = flat_seg(GDT_SEL_CODE32, SEG_TYPE_CODE_RX_ACCESSED, 0, 1);
	struct x86_seg code64 = flat_seg(GDT_SEL_CODE64, SEG_TYPE_CODE_RX_ACCESSED, 1, 0);
	struct x86_seg data = flat_seg(GDT_SEL_DATA, SEG_TYPE_DATA_RW_ACCESSED, 0, 1);
	struct x86_seg tss = tss_seg();
	uint64_t gdt[GDT_ENTRIES] = { 0 };

	gdt[GDT_SEL_CODE32 / 8] = seg_desc(&code32);
	gdt[GDT_SEL_CODE64 / 8] = seg_desc(&code64);
	gdt[GDT_SEL_DATA / 8] = seg_desc(&data);
	gdt[GDT_SEL_TSS / 8] = seg_desc(&tss);
	gdt[GDT_SEL_TSS / 8 + 1] = tss.base >> 32;	/* long mode: base 63:32 */
	return as_copy_to(&vm->as, X86_GDT_ADDR, gdt, sizeof(gdt));
}

/* identity map of [0, 4 GiB) with 2 MiB pages: PML4[0] -> PDPT[0..3] ->
 * four page directories */
static int write_page_tables(struct vm *vm)
{
	uint64_t pml4 = X86_PDPT_ADDR | PTE_PRESENT | PTE_RW;
	uint64_t pdpt[IDENTITY_MAP_GIB];
	uint8_t *pd = as_ram_ptr(&vm->as, X86_PD_ADDR, IDENTITY_MAP_GIB * PAGE_SIZE_4K);
	uint8_t *tables = as_ram_ptr(&vm->as, X86_PML4_ADDR, 2 * PAGE_SIZE_4K);

	if (!pd || !tables)
		return -EFAULT;
	memset(tables, 0, 2 * PAGE_SIZE_4K);
	memcpy(tables, &pml4, sizeof(pml4));
	for (unsigned i = 0; i < IDENTITY_MAP_GIB; i++)
		pdpt[i] = (X86_PD_ADDR + i * PAGE_SIZE_4K) | PTE_PRESENT | PTE_RW;
	memcpy(tables + (X86_PDPT_ADDR - X86_PML4_ADDR), pdpt, sizeof(pdpt));
	for (uint64_t i = 0; i < IDENTITY_MAP_GIB * 512; i++) {
		uint64_t pde = (i * HUGE_2M) | PTE_PRESENT | PTE_RW | PTE_PS;

		memcpy(pd + i * 8, &pde, sizeof(pde));
	}
	return 0;
}

static void cpu_common(struct x86_cpu_init *cpu, uint64_t entry)
{
	memset(cpu, 0, sizeof(*cpu));
	cpu->rip = entry;
	cpu->rflags = RFLAGS_RESERVED1;	/* interrupts off */
	cpu->ds = flat_seg(GDT_SEL_DATA, SEG_TYPE_DATA_RW_ACCESSED, 0, 1);
	cpu->es = cpu->ds;
	cpu->fs = cpu->ds;
	cpu->gs = cpu->ds;
	cpu->ss = cpu->ds;
	cpu->tr = tss_seg();
	cpu->ldt = (struct x86_seg){ .type = SEG_TYPE_LDT, .unusable = 1 };
	cpu->gdt = (struct x86_dtable){ X86_GDT_ADDR, GDT_LIMIT };
	cpu->idt = (struct x86_dtable){ 0, 0 };
}

/* 64-bit entry (boot.rst, "64-bit Boot Protocol"): long mode, paging on
 * with the identity map, CS = __BOOT_CS, DS/ES/SS = __BOOT_DS, rsi = zero page */
static int setup_long_mode(struct vm *vm, uint64_t entry, struct x86_cpu_init *cpu)
{
	int ret = write_gdt(vm);

	if (!ret)
		ret = write_page_tables(vm);
	if (ret)
		return ret;
	cpu_common(cpu, entry);
	cpu->cs = flat_seg(GDT_SEL_CODE64, SEG_TYPE_CODE_RX_ACCESSED, 1, 0);
	cpu->rsi = X86_ZERO_PAGE_ADDR;
	cpu->cr0 = CR0_PE | CR0_ET | CR0_PG;
	cpu->cr3 = X86_PML4_ADDR;
	cpu->cr4 = CR4_PAE;
	cpu->efer = EFER_LME | EFER_LMA;
	return 0;
}

/* PVH entry (Xen docs/misc/pvh.pandoc): 32-bit protected mode, paging off,
 * flat CS/DS/ES/SS, a valid TR, ebx = hvm_start_info */
static int setup_pvh_mode(struct vm *vm, uint64_t entry, struct x86_cpu_init *cpu)
{
	int ret = write_gdt(vm);

	if (ret)
		return ret;
	cpu_common(cpu, entry);
	cpu->cs = flat_seg(GDT_SEL_CODE32, SEG_TYPE_CODE_RX_ACCESSED, 0, 1);
	cpu->rbx = X86_PVH_INFO_ADDR;
	cpu->cr0 = CR0_PE | CR0_ET;
	return 0;
}

/* ---- boot structures ---- */

/* The zero page: bp already holds the setup header (from the bzImage, or
 * the few fields a vmlinux needs); adds loader, command line, initrd and
 * the e820 map, and writes it at X86_ZERO_PAGE_ADDR. */
static int write_zero_page(struct vm *vm, struct x86_boot_params *bp,
			   const struct x86_boot_result *res, uint64_t low, uint64_t high)
{
	struct x86_e820_entry map[MEMMAP_MAX];
	unsigned n = x86_memmap(low, high, map);

	bp->hdr.type_of_loader = X86_LOADER_UNDEFINED;
	bp->hdr.cmd_line_ptr = (uint32_t)X86_CMDLINE_ADDR;
	bp->ext_cmd_line_ptr = (uint32_t)(X86_CMDLINE_ADDR >> 32);
	bp->hdr.ramdisk_image = (uint32_t)res->initrd_start;
	bp->ext_ramdisk_image = (uint32_t)(res->initrd_start >> 32);
	bp->hdr.ramdisk_size = (uint32_t)res->initrd_size;
	bp->ext_ramdisk_size = (uint32_t)(res->initrd_size >> 32);
	bp->e820_entries = (uint8_t)n;
	memcpy(bp->e820_table, map, n * sizeof(map[0]));
	return as_copy_to(&vm->as, X86_ZERO_PAGE_ADDR, bp, sizeof(*bp));
}

static int write_pvh_info(struct vm *vm, const struct x86_boot_result *res, uint64_t low,
			  uint64_t high)
{
	struct x86_e820_entry map[MEMMAP_MAX];
	struct x86_hvm_memmap_entry mm[MEMMAP_MAX];
	struct x86_hvm_modlist_entry mod = { .paddr = res->initrd_start, .size = res->initrd_size };
	struct x86_hvm_start_info si = {
		.magic = X86_HVM_START_MAGIC,
		.version = X86_HVM_START_VERSION,
		.nr_modules = res->initrd_size ? 1 : 0,
		.modlist_paddr = res->initrd_size ? PVH_MODLIST_ADDR : 0,
		.cmdline_paddr = X86_CMDLINE_ADDR,
		.rsdp_paddr = 0,	/* no ACPI */
		.memmap_paddr = PVH_MEMMAP_ADDR,
	};
	unsigned n = x86_memmap(low, high, map);
	int ret;

	memset(mm, 0, sizeof(mm));
	for (unsigned i = 0; i < n; i++)
		mm[i] = (struct x86_hvm_memmap_entry){ map[i].addr, map[i].size, map[i].type, 0 };
	si.memmap_entries = n;
	ret = as_copy_to(&vm->as, X86_PVH_INFO_ADDR, &si, sizeof(si));
	if (!ret)
		ret = as_copy_to(&vm->as, PVH_MEMMAP_ADDR, mm, n * sizeof(mm[0]));
	if (!ret)
		ret = as_copy_to(&vm->as, PVH_MODLIST_ADDR, &mod, sizeof(mod));
	return ret;
}

/* ---- bzImage ---- */

static bool is_bzimage(const struct kfile *kf)
{
	return kf->size >= 0x206 && !memcmp(kf->data + 0x202, "HdrS", 4);
}

static int load_bzimage(struct vm *vm, const struct x86_boot_config *cfg, const struct kfile *kf,
			uint64_t low, uint64_t high, struct x86_boot_result *res, char *err,
			size_t errlen)
{
	struct x86_boot_params bp;
	struct x86_setup_header *h = &bp.hdr;
	const char *path = kf->path, *cmdline = cfg->cmdline ? cfg->cmdline : "";
	uint64_t hdr_end, setup_size, pm_size, run, kernel_end, initrd_top;
	size_t cmdline_len = 0;
	int ret;

	/* the header runs from 0x1f1 to 0x202 + the byte at 0x201 (the jump's
	 * offset); never past the file or the zero page's header area */
	memset(&bp, 0, sizeof(bp));
	hdr_end = 0x202 + (uint64_t)kf->data[0x201];
	if (hdr_end > BZ_HDR_END_MAX)
		hdr_end = BZ_HDR_END_MAX;
	if (hdr_end > kf->size)
		hdr_end = kf->size;
	memcpy((uint8_t *)&bp + X86_SETUP_HDR_OFFSET, kf->data + X86_SETUP_HDR_OFFSET,
	       hdr_end - X86_SETUP_HDR_OFFSET);

	if (h->boot_flag != X86_BOOT_FLAG)
		return boot_fail(err, errlen, -ENOEXEC, "'%s' is not a Linux bzImage: boot flag 0x%04x, not 0xaa55",
				 path, h->boot_flag);
	if (h->version < BZ_PROTO_MIN)
		return boot_fail(err, errlen, -ENOEXEC,
				 "'%s' uses Linux boot protocol %u.%02u, too old: at least 2.06 is needed",
				 path, h->version >> 8, h->version & 0xff);
	if (h->version < BZ_PROTO_XLOADFLAGS || !(h->xloadflags & X86_XLF_KERNEL_64))
		return boot_fail(err, errlen, -ENOEXEC,
				 "'%s' has no 64-bit entry point (boot protocol %u.%02u, XLF_KERNEL_64 %s): "
				 "not an x86-64 kernel", path, h->version >> 8, h->version & 0xff,
				 h->version < BZ_PROTO_XLOADFLAGS ? "needs 2.12" : "not set");
	if (!(h->loadflags & X86_LOADED_HIGH))
		return boot_fail(err, errlen, -ENOEXEC, "'%s' is a zImage (loaded low), not a bzImage", path);

	setup_size = ((uint64_t)(h->setup_sects ? h->setup_sects : X86_SETUP_SECTS_DEFAULT) + 1) * 512;
	if (h->setup_sects > BZ_SETUP_SECTS_MAX || setup_size >= kf->size)
		return boot_fail(err, errlen, -ENOEXEC,
				 "'%s' is truncated or corrupt: %llu bytes, but its header announces %u setup sectors",
				 path, (unsigned long long)kf->size, h->setup_sects);
	pm_size = kf->size - setup_size;
	ret = check_cmdline(cmdline, h->cmdline_size, &cmdline_len, err, errlen);
	if (ret)
		return ret;

	/* Where the kernel runs: it decompresses itself at its preferred address
	 * (2.10+; LOAD_PHYSICAL_ADDR) when loaded below it, aligned to
	 * kernel_alignment, and needs init_size bytes from there. */
	run = X86_HIMEM_ADDR;
	if (h->version >= BZ_PROTO_PREF_ADDRESS && h->pref_address > run)
		run = h->pref_address;
	if (run < low && h->relocatable_kernel && h->kernel_alignment &&
	    !(h->kernel_alignment & (h->kernel_alignment - 1)))
		run = align_up(run, h->kernel_alignment);
	kernel_end = X86_HIMEM_ADDR + pm_size;
	if (run >= low || h->init_size > low - run || pm_size > low - X86_HIMEM_ADDR)
		return boot_fail(err, errlen, -E2BIG,
				 "'%s' does not fit in guest RAM: it loads %llu bytes at 0x%llx and needs "
				 "%u bytes (init_size) from 0x%llx, but low RAM ends at 0x%llx; give more --memory",
				 path, (unsigned long long)pm_size, (unsigned long long)X86_HIMEM_ADDR,
				 h->init_size, (unsigned long long)run, (unsigned long long)low);
	if (run + h->init_size > kernel_end)
		kernel_end = run + h->init_size;

	if (as_copy_to(&vm->as, X86_HIMEM_ADDR, kf->data + setup_size, pm_size))
		return boot_fail(err, errlen, -EFAULT, "guest RAM at 0x%llx-0x%llx is not mapped",
				 (unsigned long long)X86_HIMEM_ADDR,
				 (unsigned long long)(X86_HIMEM_ADDR + pm_size));
	res->kind = X86_KERNEL_BZIMAGE;
	res->kernel_start = X86_HIMEM_ADDR;
	res->kernel_end = kernel_end;
	ret = write_cmdline(vm, cmdline, cmdline_len, err, errlen);
	if (ret)
		return ret;
	if (cfg->initrd) {
		/* initrd_addr_max is the highest byte the initrd may occupy */
		initrd_top = (uint64_t)(h->initrd_addr_max ? h->initrd_addr_max :
					X86_INITRD_ADDR_MAX_DEFAULT) + 1;
		if (initrd_top > low)
			initrd_top = low;
		ret = load_initrd(vm, cfg->initrd, kernel_end, initrd_top, res, err, errlen);
		if (ret)
			return ret;
	}

	h->loadflags |= X86_CAN_USE_HEAP;
	h->heap_end_ptr = BZ_HEAP_END;
	h->setup_data = 0;	/* no setup_data list */
	ret = write_zero_page(vm, &bp, res, low, high);
	if (!ret)
		ret = setup_long_mode(vm, X86_HIMEM_ADDR + X86_ENTRY64_OFFSET, &res->cpu);
	if (ret)
		return boot_fail(err, errlen, ret, "guest RAM below 1 MiB is not mapped");
	return 0;
}

/* ---- ELF64 ---- */

static const char *elf_machine_name(unsigned machine)
{
	switch (machine) {
	case EM_386: return "32-bit x86";
	case EM_X86_64: return "x86-64";
	case EM_RISCV: return "RISC-V";
	case EM_AARCH64: return "AArch64";
	case EM_ARM: return "ARM";
	case EM_PPC: return "PowerPC";
	case EM_PPC64: return "PowerPC64";
	case EM_S390: return "s390";
	case EM_MIPS: return "MIPS";
	case EM_SPARCV9: return "SPARC64";
	case 258: return "LoongArch";	/* EM_LOONGARCH, missing from older elf.h */
	default: return NULL;
	}
}

/* Looks for the "Xen" note XEN_ELFNOTE_PHYS32_ENTRY in the note area
 * [off, off + len) of the file (already checked to lie inside it). Returns
 * 1 with *entry set, 0 if absent, -ENOEXEC for a malformed value. */
static int find_pvh_note(const uint8_t *f, uint64_t off, uint64_t len, uint64_t align,
			 uint64_t *entry)
{
	uint64_t pos = 0;

	/* bounded: every note advances pos by at least its 12-byte header */
	while (len - pos >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		uint64_t name, desc;

		memcpy(&nh, f + off + pos, sizeof(nh));
		name = pos + sizeof(nh);
		desc = name + align_up(nh.n_namesz, align);
		if (desc > len || nh.n_descsz > len - desc)
			return 0;	/* truncated note: stop looking */
		if (nh.n_type == X86_XEN_ELFNOTE_PHYS32_ENTRY && nh.n_namesz == 4 &&
		    !memcmp(f + off + name, "Xen", 4)) {
			uint32_t v32;

			if (nh.n_descsz == 8) {
				memcpy(entry, f + off + desc, 8);
			} else if (nh.n_descsz == 4) {
				memcpy(&v32, f + off + desc, 4);
				*entry = v32;
			} else {
				return -ENOEXEC;
			}
			return 1;
		}
		pos = desc + align_up(nh.n_descsz, align);
		if (pos > len)
			return 0;
	}
	return 0;
}

/* PT_NOTE segments first, then SHT_NOTE sections */
static int elf_pvh_entry(const struct kfile *kf, const Elf64_Ehdr *eh, uint64_t *entry)
{
	int found = 0;

	for (unsigned i = 0; i < eh->e_phnum && !found; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, kf->data + eh->e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_NOTE && in_file(ph.p_offset, ph.p_filesz, kf->size))
			found = find_pvh_note(kf->data, ph.p_offset, ph.p_filesz,
					      ph.p_align == 8 ? 8 : 4, entry);
	}
	if (found || !eh->e_shoff || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr), kf->size))
		return found;
	for (unsigned i = 0; i < eh->e_shnum && !found; i++) {
		Elf64_Shdr sh;

		memcpy(&sh, kf->data + eh->e_shoff + (uint64_t)i * sizeof(sh), sizeof(sh));
		if (sh.sh_type == SHT_NOTE && in_file(sh.sh_offset, sh.sh_size, kf->size))
			found = find_pvh_note(kf->data, sh.sh_offset, sh.sh_size,
					      sh.sh_addralign == 8 ? 8 : 4, entry);
	}
	return found;
}

static int check_elf_header(const struct kfile *kf, Elf64_Ehdr *eh, char *err, size_t errlen)
{
	const uint8_t *id = kf->data;
	const char *path = kf->path;
	unsigned machine;
	const char *name;

	if (kf->size < EI_NIDENT + 4)
		return boot_fail(err, errlen, -ENOEXEC, "'%s' is a truncated ELF file", path);
	/* e_machine sits at 18 in both classes; read it for the message */
	machine = (id[EI_DATA] == ELFDATA2MSB) ? (unsigned)(id[18] << 8 | id[19]) :
						   (unsigned)(id[18] | id[19] << 8);
	name = elf_machine_name(machine);
	if (machine != EM_X86_64 || id[EI_CLASS] != ELFCLASS64 || id[EI_DATA] != ELFDATA2LSB) {
		if (machine == EM_X86_64)
			return boot_fail(err, errlen, -ENOEXEC, "'%s' is a %s x86-64 ELF, not an x86-64 kernel",
					 path, id[EI_CLASS] != ELFCLASS64 ? "32-bit (x32)" : "big-endian");
		if (name)
			return boot_fail(err, errlen, -ENOEXEC, "'%s' is a%s %s ELF, not an x86-64 kernel", path,
					 name[0] == 'A' ? "n" : "", name);
		return boot_fail(err, errlen, -ENOEXEC,
				 "'%s' is an ELF for machine %u, not an x86-64 kernel", path, machine);
	}
	if (kf->size < sizeof(*eh))
		return boot_fail(err, errlen, -ENOEXEC, "'%s' is a truncated ELF file", path);
	memcpy(eh, kf->data, sizeof(*eh));
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return boot_fail(err, errlen, -ENOEXEC,
				 "'%s' is an x86-64 ELF but not an executable (e_type %u)", path, eh->e_type);
	if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    !in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), kf->size))
		return boot_fail(err, errlen, -ENOEXEC,
				 "'%s' is truncated or corrupt: bad program header table", path);
	return 0;
}

static int load_elf(struct vm *vm, const struct x86_boot_config *cfg, const struct kfile *kf,
		    uint64_t low, uint64_t high, struct x86_boot_result *res, char *err,
		    size_t errlen)
{
	const char *path = kf->path, *cmdline = cfg->cmdline ? cfg->cmdline : "";
	Elf64_Ehdr eh;
	uint64_t lowest = UINT64_MAX, highest = 0, entry;
	size_t cmdline_len = 0;
	int pvh, ret;

	ret = check_elf_header(kf, &eh, err, errlen);
	if (ret)
		return ret;
	/* check every segment before writing anything */
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, kf->data + eh.e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz)
			return boot_fail(err, errlen, -ENOEXEC,
					 "'%s' is corrupt: segment %u has more bytes in the file than in memory",
					 path, i);
		if (!in_file(ph.p_offset, ph.p_filesz, kf->size))
			return boot_fail(err, errlen, -ENOEXEC,
					 "'%s' is truncated or corrupt: segment %u lies outside the file",
					 path, i);
		/* physical addresses: [1 MiB, end of low RAM), nothing wraps */
		if (ph.p_paddr < X86_HIMEM_ADDR || ph.p_paddr >= low || ph.p_memsz > low - ph.p_paddr)
			return boot_fail(err, errlen, -E2BIG,
					 "'%s': segment %u (physical 0x%llx-0x%llx) does not fit in guest "
					 "RAM from 0x%llx to 0x%llx", path, i,
					 (unsigned long long)ph.p_paddr,
					 (unsigned long long)(ph.p_paddr + ph.p_memsz),
					 (unsigned long long)X86_HIMEM_ADDR, (unsigned long long)low);
		if (ph.p_paddr < lowest)
			lowest = ph.p_paddr;
		if (ph.p_paddr + ph.p_memsz > highest)
			highest = ph.p_paddr + ph.p_memsz;
	}
	if (lowest == UINT64_MAX)
		return boot_fail(err, errlen, -ENOEXEC, "'%s' has no loadable segments", path);
	pvh = elf_pvh_entry(kf, &eh, &entry);
	if (pvh < 0)
		return boot_fail(err, errlen, -ENOEXEC, "'%s' has a malformed Xen PVH entry note", path);
	if (!pvh)
		entry = eh.e_entry;
	/* PVH starts in 32-bit mode, long mode on the 4 GiB identity map */
	if (entry >= X86_HIGH_RAM_BASE)
		return boot_fail(err, errlen, -ENOEXEC,
				 "'%s': entry point 0x%llx is not a physical address below 4 GiB", path,
				 (unsigned long long)entry);
	ret = check_cmdline(cmdline, X86_CMDLINE_MAX - 1, &cmdline_len, err, errlen);
	if (ret)
		return ret;

	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		uint8_t *dst;

		memcpy(&ph, kf->data + eh.e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		dst = as_ram_ptr(&vm->as, ph.p_paddr, ph.p_memsz);
		if (!dst)
			return boot_fail(err, errlen, -EFAULT, "'%s': guest RAM at 0x%llx-0x%llx is not mapped",
					 path, (unsigned long long)ph.p_paddr,
					 (unsigned long long)(ph.p_paddr + ph.p_memsz));
		memcpy(dst, kf->data + ph.p_offset, ph.p_filesz);
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);	/* bss */
	}
	res->kind = pvh ? X86_KERNEL_PVH : X86_KERNEL_ELF64;
	res->kernel_start = lowest;
	res->kernel_end = highest;
	ret = write_cmdline(vm, cmdline, cmdline_len, err, errlen);
	if (!ret && cfg->initrd)
		ret = load_initrd(vm, cfg->initrd, highest, low, res, err, errlen);
	if (ret)
		return ret;

	if (pvh) {
		ret = write_pvh_info(vm, res, low, high);
		if (!ret)
			ret = setup_pvh_mode(vm, entry, &res->cpu);
	} else {
		/* a vmlinux reads the zero page too: the fields a bzImage's setup
		 * code would have filled */
		struct x86_boot_params bp;

		memset(&bp, 0, sizeof(bp));
		bp.hdr.boot_flag = X86_BOOT_FLAG;
		bp.hdr.header = X86_SETUP_HDR_MAGIC;
		bp.hdr.cmdline_size = (uint32_t)(X86_CMDLINE_MAX - 1);
		ret = write_zero_page(vm, &bp, res, low, high);
		if (!ret)
			ret = setup_long_mode(vm, entry, &res->cpu);
	}
	if (ret)
		return boot_fail(err, errlen, ret, "guest RAM below 1 MiB is not mapped");
	return 0;
}

int x86_boot_load(struct vm *vm, const struct x86_boot_config *cfg, struct x86_boot_result *res,
		  char *err, size_t errlen)
{
	struct kfile kf;
	uint64_t low, high;
	int ret;

	memset(res, 0, sizeof(*res));
	if (errlen)
		err[0] = '\0';
	x86_ram_split(cfg->ram_size, &low, &high);
	if (low <= X86_HIMEM_ADDR)
		return boot_fail(err, errlen, -E2BIG, "%llu bytes of RAM are too few: kernels load at 1 MiB",
				 (unsigned long long)cfg->ram_size);
	if (!cfg->kernel)
		return boot_fail(err, errlen, -EINVAL, "no kernel given");
	ret = kfile_open(&kf, cfg->kernel, err, errlen);
	if (ret)
		return ret;
	if (is_bzimage(&kf))
		ret = load_bzimage(vm, cfg, &kf, low, high, res, err, errlen);
	else if (kf.size >= SELFMAG && !memcmp(kf.data, ELFMAG, SELFMAG))
		ret = load_elf(vm, cfg, &kf, low, high, res, err, errlen);
	else
		ret = boot_fail(err, errlen, -ENOEXEC, "'%s' is not a Linux bzImage or an ELF64 kernel",
				cfg->kernel);
	kfile_close(&kf);
	return ret;
}
