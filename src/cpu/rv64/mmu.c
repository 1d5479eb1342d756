/* mmu.c - page-table walk (privileged spec 1.12 section 4.3-4.5), PMP
 * (section 3.7) and the software TLB refill and slow paths. */
#include <errno.h>
#include <string.h>

#include "core/vm.h"
#include "cpu/rv64/dcache.h"
#include "cpu/rv64/mmu.h"

#define SATP_MODE_SHIFT 60
#define SATP_PPN_MASK ((1ull << 44) - 1)
#define PTE_V (1u << 0)
#define PTE_R (1u << 1)
#define PTE_W (1u << 2)
#define PTE_X (1u << 3)
#define PTE_U (1u << 4)
#define PTE_A (1u << 6)
#define PTE_D (1u << 7)
#define PTE_PPN_SHIFT 10
/* bits 63:54: N (Svnapot), PBMT (Svpbmt) and reserved; none implemented */
#define PTE_RESERVED_MASK (0x3ffull << 54)

#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_A 0x18
#define PMP_A_OFF 0x00
#define PMP_A_TOR 0x08
#define PMP_A_NA4 0x10
#define PMP_A_NAPOT 0x18
#define PMP_L 0x80

static const uint8_t page_fault_cause[3] = {
	RV_EXC_LOAD_PAGE_FAULT, RV_EXC_STORE_PAGE_FAULT, RV_EXC_INSN_PAGE_FAULT
};
static const uint8_t access_fault_cause[3] = {
	RV_EXC_LOAD_ACCESS, RV_EXC_STORE_ACCESS, RV_EXC_INSN_ACCESS
};

void rv_tlb_flush_all(struct rv_cpu *cpu)
{
	memset(cpu->tlb, 0xff, sizeof(cpu->tlb));
	cpu->tlb_has_superpage = false;
}

void rv_tlb_flush_va(struct rv_cpu *cpu, gva_t va)
{
	/* an entry may come from a superpage whose other 4 KiB pieces are
	 * cached under other tags: then only a full flush is exact */
	if (cpu->tlb_has_superpage) {
		rv_tlb_flush_all(cpu);
		return;
	}
	for (int s = 0; s < RV_TLB_SETS; s++)
		for (int a = 0; a < 3; a++) {
			struct rv_tlb_entry *e = &cpu->tlb[s][a][rv_tlb_index(va)];

			if ((e->tag & ~(RV_PAGE_SIZE - 1)) == (va & ~(RV_PAGE_SIZE - 1)))
				e->tag = ~0ull;
		}
}

void rv_tlb_drop_writes_to(struct rv_cpu *cpu, const uint8_t *page)
{
	for (int s = 0; s < RV_TLB_SETS; s++) {
		for (int i = 0; i < RV_TLB_SIZE; i++) {
			struct rv_tlb_entry *e = &cpu->tlb[s][RV_ACC_WRITE][i];

			if (e->tag != ~0ull && (const uint8_t *)(uintptr_t)(e->tag + e->addend) == page)
				e->tag = ~0ull;
		}
	}
}

void rv_update_data_set(struct rv_cpu *cpu)
{
	int p = cpu->priv;

	if (p == RV_PRIV_M && (cpu->mstatus & MSTATUS_MPRV))
		p = (cpu->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
	cpu->data_set = rv_tlb_set(p);
	if (p == RV_PRIV_S && (cpu->mstatus & MSTATUS_SUM))
		cpu->data_set = RV_TLB_SET_S_SUM;
	cpu->tlb_load = cpu->tlb[cpu->data_set][RV_ACC_READ];
	cpu->tlb_store = cpu->tlb[cpu->data_set][RV_ACC_WRITE];
	cpu->tlb_fetch = cpu->tlb[rv_tlb_set(cpu->priv)][RV_ACC_FETCH];
}

/* ---- PMP ---- */

/* address range [*lo, *hi) of entry i, false when OFF */
static bool pmp_range(const struct rv_cpu *cpu, int i, uint64_t *lo, uint64_t *hi)
{
	uint8_t cfg = cpu->pmpcfg[i];
	uint64_t addr = cpu->pmpaddr[i];

	switch (cfg & PMP_A) {
	case PMP_A_TOR:
		*lo = i ? (cpu->pmpaddr[i - 1] & ((1ull << 54) - 1)) << 2 : 0;
		*hi = (addr & ((1ull << 54) - 1)) << 2;
		return true;
	case PMP_A_NA4:
		*lo = (addr & ((1ull << 54) - 1)) << 2;
		*hi = *lo + 4;
		return true;
	case PMP_A_NAPOT: {
		/* trailing ones give the size: 2^(ones+3) bytes */
		int ones = __builtin_ctzll(~addr);

		if (ones >= 54) {
			*lo = 0;
			*hi = ~0ull; /* the whole 56-bit space and beyond */
			return true;
		}
		uint64_t size = 1ull << (ones + 3);

		*lo = ((addr & ((1ull << 54) - 1)) << 2) & ~(size - 1);
		*hi = *lo + size;
		return true;
	}
	default:
		return false;
	}
}

bool rv_pmp_allows(const struct rv_cpu *cpu, gpa_t pa, uint64_t len, enum rv_access acc, int priv)
{
	static const uint8_t need[3] = { PMP_R, PMP_W, PMP_X };

	/* no entry enabled: nothing can match, so only M-mode succeeds */
	if (!cpu->pmp_active)
		return priv == RV_PRIV_M;
	for (int i = 0; i < RV_PMP_COUNT; i++) {
		uint64_t lo, hi;

		if (!pmp_range(cpu, i, &lo, &hi) || lo >= hi)
			continue;
		bool any = pa < hi && pa + len > lo;

		if (!any)
			continue;
		/* the lowest-numbered matching entry decides; a partial match fails */
		if (pa < lo || pa + len > hi)
			return false;
		if (priv == RV_PRIV_M && !(cpu->pmpcfg[i] & PMP_L))
			return true;
		return (cpu->pmpcfg[i] & need[acc]) != 0;
	}
	/* no match: M-mode succeeds, S/U fail (PMP entries are implemented) */
	return priv == RV_PRIV_M;
}

/* ---- page-table walk ---- */

static int pte_levels(uint64_t satp)
{
	switch (satp >> SATP_MODE_SHIFT) {
	case 8: return 3;	/* Sv39 */
	case 9: return 4;	/* Sv48 */
	case 10: return 5;	/* Sv57 */
	default: return 0;	/* Bare */
	}
}

int rv_translate(struct rv_cpu *cpu, gva_t va, enum rv_access acc, int priv, gpa_t *pa)
{
	int levels = pte_levels(cpu->satp);

	if (priv == RV_PRIV_M || levels == 0) {
		*pa = va;
		return 0;
	}
	int va_bits = RV_PAGE_SHIFT + 9 * levels;

	if ((uint64_t)((int64_t)(va << (64 - va_bits)) >> (64 - va_bits)) != va)
		return page_fault_cause[acc];

	gpa_t table = (cpu->satp & SATP_PPN_MASK) << RV_PAGE_SHIFT;

	for (int level = levels - 1; level >= 0; level--) {
		gpa_t pte_addr = table + ((va >> (RV_PAGE_SHIFT + 9 * level)) & 511) * 8;
		uint8_t *p;
		uint64_t pte;

		/* implicit access: PMP-checked as an S-mode read */
		if (!rv_pmp_allows(cpu, pte_addr, 8, RV_ACC_READ, RV_PRIV_S))
			return access_fault_cause[acc];
		p = as_ram_ptr(cpu->as, pte_addr, 8);
		if (!p)
			return access_fault_cause[acc];
		memcpy(&pte, p, 8);

		if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) || (pte & PTE_RESERVED_MASK))
			return page_fault_cause[acc];
		uint64_t ppn = (pte >> PTE_PPN_SHIFT) & SATP_PPN_MASK;

		if (!(pte & (PTE_R | PTE_X))) {
			/* non-leaf: D, A and U are reserved (section 4.3.1); QEMU
			 * and Spike fault on them, so do we */
			if (pte & (PTE_D | PTE_A | PTE_U))
				return page_fault_cause[acc];
			table = ppn << RV_PAGE_SHIFT;
			continue;
		}
		/* leaf: permissions */
		if (priv == RV_PRIV_U && !(pte & PTE_U))
			return page_fault_cause[acc];
		if (priv == RV_PRIV_S && (pte & PTE_U) &&
		    (acc == RV_ACC_FETCH || !(cpu->mstatus & MSTATUS_SUM)))
			return page_fault_cause[acc];
		switch (acc) {
		case RV_ACC_FETCH:
			if (!(pte & PTE_X))
				return page_fault_cause[acc];
			break;
		case RV_ACC_READ:
			if (!(pte & PTE_R) && !((cpu->mstatus & MSTATUS_MXR) && (pte & PTE_X)))
				return page_fault_cause[acc];
			break;
		case RV_ACC_WRITE:
			if (!(pte & PTE_W))
				return page_fault_cause[acc];
			break;
		}
		/* misaligned superpage */
		if (level && (ppn & ((1ull << (9 * level)) - 1)))
			return page_fault_cause[acc];
		/* hardware A/D update (Svadu behaviour, as QEMU) */
		uint64_t want = PTE_A | (acc == RV_ACC_WRITE ? PTE_D : 0);

		if ((pte & want) != want) {
			if (!rv_pmp_allows(cpu, pte_addr, 8, RV_ACC_WRITE, RV_PRIV_S))
				return access_fault_cause[acc];
			pte |= want;
			memcpy(p, &pte, 8);
		}
		uint64_t page_mask = (1ull << (RV_PAGE_SHIFT + 9 * level)) - 1;

		/* the TLB caches 4 KiB pieces of superpages: see rv_tlb_flush_va */
		if (level)
			cpu->tlb_has_superpage = true;

		*pa = ((ppn << RV_PAGE_SHIFT) & ~page_mask) | (va & page_mask);
		return 0;
	}
	return page_fault_cause[acc];
}

/* ---- slow paths ---- */

static int fault(struct rv_cpu *cpu, int cause, gva_t va)
{
	cpu->exc_cause = cause;
	cpu->exc_tval = va;
	return -1;
}

/* Translate and check one access that stays inside a page. On success,
 * *host is set for plain RAM (and the TLB is filled when allowed) or NULL
 * for MMIO, with *pa the physical address. */
static int access_page(struct rv_cpu *cpu, gva_t va, unsigned size, enum rv_access acc,
		       uint8_t **host, gpa_t *pa)
{
	int set = acc == RV_ACC_FETCH ? rv_tlb_set(cpu->priv) : cpu->data_set;
	int priv = set == 2 ? RV_PRIV_M : set == RV_TLB_SET_S_SUM ? RV_PRIV_S : set;
	int cause = rv_translate(cpu, va, acc, priv, pa);

	if (cause)
		return fault(cpu, cause, va);
	if (!rv_pmp_allows(cpu, *pa, size, acc, priv))
		return fault(cpu, access_fault_cause[acc], va);

	gpa_t page = *pa & ~(RV_PAGE_SIZE - 1);
	uint8_t *hpage = as_ram_ptr(cpu->as, page, RV_PAGE_SIZE);

	if (!hpage) {
		/* not a clean RAM page: MMIO, or RAM next to an MMIO window */
		*host = as_ram_ptr(cpu->as, *pa, size);
		return 0;
	}
	*host = hpage + (*pa - page);
	if (acc == RV_ACC_WRITE && cpu->dc && rv_dcache_page_has_code(cpu->dc, hpage)) {
		/* self-modifying code: drop the decoded blocks of this page */
		rv_dcache_invalidate_page(cpu->dc, hpage);
	}
	if (rv_pmp_allows(cpu, page, RV_PAGE_SIZE, acc, priv)) {
		struct rv_tlb_entry *e = &cpu->tlb[set][acc][rv_tlb_index(va)];

		e->tag = va & ~(RV_PAGE_SIZE - 1);
		e->addend = (uintptr_t)hpage - e->tag;
	}
	return 0;
}

int rv_load_slow(struct rv_cpu *cpu, gva_t va, unsigned size, uint64_t *val)
{
	uint8_t *host;
	gpa_t pa;

	if (((va & (RV_PAGE_SIZE - 1)) + size) > RV_PAGE_SIZE) {
		/* misaligned across a page: byte by byte, each translated */
		uint64_t v = 0, b;

		for (unsigned i = 0; i < size; i++) {
			if (rv_load_slow(cpu, va + i, 1, &b))
				return -1;
			v |= b << (8 * i);
		}
		*val = v;
		return 0;
	}
	if (access_page(cpu, va, size, RV_ACC_READ, &host, &pa))
		return -1;
	if (host) {
		uint64_t v = 0;

		memcpy(&v, host, size);
		*val = v;
		return 0;
	}
	if (pa & (size - 1)) {
		/* misaligned MMIO: byte accesses, as QEMU splits them */
		uint64_t v = 0, b;

		for (unsigned i = 0; i < size; i++) {
			if (as_read(cpu->as, pa + i, 1, &b))
				return fault(cpu, RV_EXC_LOAD_ACCESS, va);
			v |= b << (8 * i);
		}
		*val = v;
		return 0;
	}
	if (as_read(cpu->as, pa, size, val))
		return fault(cpu, RV_EXC_LOAD_ACCESS, va);	/* a hole */
	return 0;
}

int rv_store_slow(struct rv_cpu *cpu, gva_t va, unsigned size, uint64_t val)
{
	uint8_t *host;
	gpa_t pa;

	if (((va & (RV_PAGE_SIZE - 1)) + size) > RV_PAGE_SIZE) {
		/* check both pages before writing anything */
		gpa_t pa2;
		uint8_t *h2;

		if (access_page(cpu, va, 1, RV_ACC_WRITE, &h2, &pa2) ||
		    access_page(cpu, va + size - 1, 1, RV_ACC_WRITE, &h2, &pa2))
			return -1;
		for (unsigned i = 0; i < size; i++)
			if (rv_store_slow(cpu, va + i, 1, val >> (8 * i)))
				return -1;
		return 0;
	}
	if (access_page(cpu, va, size, RV_ACC_WRITE, &host, &pa))
		return -1;
	if (host) {
		memcpy(host, &val, size);
		return 0;
	}
	if (pa & (size - 1)) {
		/* misaligned MMIO: byte accesses, as QEMU splits them */
		for (unsigned i = 0; i < size; i++)
			if (as_write(cpu->as, pa + i, 1, val >> (8 * i)))
				return fault(cpu, RV_EXC_STORE_ACCESS, va);
		return 0;
	}
	if (as_write(cpu->as, pa, size, val))
		return fault(cpu, RV_EXC_STORE_ACCESS, va);	/* a hole */
	return 0;
}

int rv_amo_translate(struct rv_cpu *cpu, gva_t va, unsigned size, uint8_t **host, gpa_t *pa)
{
	struct rv_tlb_entry *e = &cpu->tlb_store[rv_tlb_index(va)];

	if (likely(e->tag == (va & ~(uint64_t)(RV_PAGE_SIZE - size)))) {
		*host = (uint8_t *)(uintptr_t)(va + e->addend);
		return 0;
	}
	/* an AMO needs read permission too (a write-only page cannot exist:
	 * W without R is reserved), so the store check is sufficient */
	if (access_page(cpu, va, size, RV_ACC_WRITE, host, pa))
		return -1;
	if (!*host) {
		const struct as_region *r = as_find(cpu->as, *pa);

		if (!r || r->kind != AS_MMIO)
			return fault(cpu, RV_EXC_STORE_ACCESS, va);
	}
	return 0;
}

int rv_fetch_page(struct rv_cpu *cpu, gva_t pc, uint8_t **host)
{
	struct rv_tlb_entry *e = &cpu->tlb_fetch[rv_tlb_index(pc)];
	gva_t vpage = pc & ~(RV_PAGE_SIZE - 1);
	gpa_t pa;

	if (likely(e->tag == vpage)) {
		*host = (uint8_t *)(uintptr_t)(pc + e->addend);
		return 0;
	}
	/* checks the first parcel; the second half of a 4-byte instruction that
	 * crosses into the next page is fetched (and checked) separately */
	if (access_page(cpu, pc, 2, RV_ACC_FETCH, host, &pa))
		return -1;
	if (!*host)
		return fault(cpu, RV_EXC_INSN_ACCESS, pc);
	return e->tag == vpage ? 0 : 1;
}

int rv_fetch_parcel(struct rv_cpu *cpu, gva_t va, uint16_t *parcel)
{
	uint8_t *host;
	int ret = rv_fetch_page(cpu, va, &host);

	if (ret < 0)
		return -1;
	/* in both cases host points at the parcel in RAM (access_page checked
	 * the 2 bytes) */
	memcpy(parcel, host, 2);
	return 0;
}
