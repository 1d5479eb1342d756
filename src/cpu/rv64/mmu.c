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

_Static_assert(RV_TLB_SETS * 3 * RV_TLB_SIZE <= 65536, "tlb_log holds 16-bit indices");

/* the entry at a flat index of cpu->tlb (see tlb_log in cpu.h) */
static struct rv_tlb_entry *tlb_flat(struct rv_cpu *cpu, unsigned slot)
{
	return &cpu->tlb[0][0][0] + slot;
}

void rv_tlb_flush_all(struct rv_cpu *cpu)
{
	if (cpu->tlb_log_n <= RV_TLB_LOG) {
		for (uint32_t i = 0; i < cpu->tlb_log_n; i++)
			tlb_flat(cpu, cpu->tlb_log[i])->tag = ~0ull;
	} else {
		for (int a = 0; a < RV_TLB_SETS * 3; a++)
			if (cpu->tlb_dirty & (1u << a))
				memset(&cpu->tlb[a / 3][a % 3], 0xff, sizeof(cpu->tlb[0][0]));
	}
	cpu->tlb_log_n = 0;
	cpu->tlb_sp_n = 0;
	cpu->tlb_dirty = 0;
}

/* record a fill (access_page) */
static void tlb_log_fill(struct rv_cpu *cpu, int set, enum rv_access acc, unsigned index,
			 int level)
{
	unsigned slot = ((unsigned)set * 3 + acc) * RV_TLB_SIZE + index;

	if (cpu->tlb_log_n < RV_TLB_LOG)
		cpu->tlb_log[cpu->tlb_log_n] = (uint16_t)slot;
	cpu->tlb_log_n++;
	cpu->tlb_dirty |= 1u << (set * 3 + acc);
	if (level) {
		if (cpu->tlb_sp_n < RV_TLB_SP_LOG)
			cpu->tlb_sp_log[cpu->tlb_sp_n] = (struct rv_tlb_sp){ (uint16_t)slot, (uint8_t)level };
		cpu->tlb_sp_n++;
	}
}

void rv_tlb_flush_va(struct rv_cpu *cpu, gva_t va)
{
	if (cpu->tlb_sp_n > RV_TLB_SP_LOG) {
		/* superpage pieces we lost track of: only a full flush is exact */
		rv_tlb_flush_all(cpu);
		return;
	}
	for (int s = 0; s < RV_TLB_SETS; s++)
		for (int a = 0; a < 3; a++) {
			struct rv_tlb_entry *e = &cpu->tlb[s][a][rv_tlb_index(va)];

			if ((e->tag & ~(RV_PAGE_SIZE - 1)) == (va & ~(RV_PAGE_SIZE - 1)))
				e->tag = ~0ull;
		}
	/* the pieces of a superpage holding va, cached under their own tags
	 * (the slot may have been refilled since: dropping it is harmless) */
	for (uint32_t i = 0; i < cpu->tlb_sp_n; i++) {
		struct rv_tlb_entry *e = tlb_flat(cpu, cpu->tlb_sp_log[i].slot);

		if (e->tag != ~0ull &&
		    ((e->tag ^ va) >> (RV_PAGE_SHIFT + 9 * cpu->tlb_sp_log[i].level)) == 0)
			e->tag = ~0ull;
	}
}

void rv_tlb_drop_writes_to(struct rv_cpu *cpu, const uint8_t *page)
{
	if (cpu->tlb_log_n <= RV_TLB_LOG) {
		/* only logged entries can be valid */
		for (uint32_t i = 0; i < cpu->tlb_log_n; i++) {
			unsigned slot = cpu->tlb_log[i];
			struct rv_tlb_entry *e = tlb_flat(cpu, slot);

			if ((slot / RV_TLB_SIZE) % 3 == RV_ACC_WRITE && e->tag != ~0ull &&
			    (const uint8_t *)(uintptr_t)(e->tag + e->addend) == page)
				e->tag = ~0ull;
		}
		return;
	}
	for (int s = 0; s < RV_TLB_SETS; s++) {
		if (!(cpu->tlb_dirty & (1u << (s * 3 + RV_ACC_WRITE))))
			continue;
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

void rv_pmp_update(struct rv_cpu *cpu)
{
	cpu->pmp_active = 0;
	cpu->nr_pmp_ranges = 0;
	for (int i = 0; i < RV_PMP_COUNT; i++) {
		uint64_t lo, hi;

		if (cpu->pmpcfg[i] & PMP_A)
			cpu->pmp_active = 1;
		/* an empty range never matches: leave it out */
		if (!pmp_range(cpu, i, &lo, &hi) || lo >= hi)
			continue;
		cpu->pmp_range[cpu->nr_pmp_ranges++] = (struct rv_pmp_range){ lo, hi, cpu->pmpcfg[i] };
	}
}

bool rv_pmp_allows(const struct rv_cpu *cpu, gpa_t pa, uint64_t len, enum rv_access acc, int priv)
{
	static const uint8_t need[3] = { PMP_R, PMP_W, PMP_X };

	/* no entry enabled: nothing can match, so only M-mode succeeds */
	if (!cpu->pmp_active)
		return priv == RV_PRIV_M;
	for (int i = 0; i < cpu->nr_pmp_ranges; i++) {
		const struct rv_pmp_range *r = &cpu->pmp_range[i];
		bool any = pa < r->hi && pa + len > r->lo;

		if (!any)
			continue;
		/* the lowest-numbered matching entry decides; a partial match fails */
		if (pa < r->lo || pa + len > r->hi)
			return false;
		if (priv == RV_PRIV_M && !(r->cfg & PMP_L))
			return true;
		return (r->cfg & need[acc]) != 0;
	}
	/* no match: M-mode succeeds, S/U fail (PMP entries are implemented) */
	return priv == RV_PRIV_M;
}

/* ---- guest-physical RAM ---- */

static uint8_t *ram_ptr_refill(struct rv_cpu *cpu, gpa_t pa, uint64_t len)
{
	const struct address_space *as = cpu->as;
	const struct as_region *ram = NULL;
	uint8_t *p = as_ram_ptr(as, pa, len);
	gpa_t lo, hi;

	if (!p)
		return NULL;
	/* the RAM region as_ram_ptr used (the last one containing the range) */
	for (int i = 0; i < as->nr_regions; i++) {
		const struct as_region *r = &as->regions[i];

		if (r->kind == AS_RAM && pa >= r->base && pa - r->base < r->size &&
		    len <= r->size - (pa - r->base) && r->host + (pa - r->base) == p)
			ram = r;
	}
	if (!ram)
		return p;
	/* shrink it to the part around pa that no MMIO region overlaps (none
	 * overlaps [pa, pa + len) itself, or as_ram_ptr would have failed) */
	lo = ram->base;
	hi = ram->base + ram->size;
	for (int i = 0; i < as->nr_regions; i++) {
		const struct as_region *r = &as->regions[i];

		if (r->kind != AS_MMIO || r->base >= hi || r->base + r->size <= lo)
			continue;
		if (r->base + r->size <= pa)
			lo = r->base + r->size;
		else
			hi = r->base;
	}
	cpu->ram_lo = lo;
	cpu->ram_hi = hi;
	cpu->ram_host = ram->host + (lo - ram->base);
	cpu->ram_nr_regions = as->nr_regions;
	return p;
}

/* as_ram_ptr(cpu->as, pa, len), with the last plain-RAM interval cached */
static inline uint8_t *ram_ptr(struct rv_cpu *cpu, gpa_t pa, uint64_t len)
{
	if (likely(pa >= cpu->ram_lo && pa < cpu->ram_hi && len <= cpu->ram_hi - pa &&
		   cpu->ram_nr_regions == cpu->as->nr_regions))
		return cpu->ram_host + (pa - cpu->ram_lo);
	return ram_ptr_refill(cpu, pa, len);
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

/* rv_translate, also giving the level of the leaf (0: 4 KiB page) */
static int translate(struct rv_cpu *cpu, gva_t va, enum rv_access acc, int priv, gpa_t *pa,
		     int *leaf_level)
{
	int levels = pte_levels(cpu->satp);

	*leaf_level = 0;

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
		p = ram_ptr(cpu, pte_addr, 8);
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

		*leaf_level = level;
		*pa = ((ppn << RV_PAGE_SHIFT) & ~page_mask) | (va & page_mask);
		return 0;
	}
	return page_fault_cause[acc];
}

int rv_translate(struct rv_cpu *cpu, gva_t va, enum rv_access acc, int priv, gpa_t *pa)
{
	int level;

	return translate(cpu, va, acc, priv, pa, &level);
}

/* ---- slow paths ---- */

/* RAM accesses of a run-time size, without a call to memcpy */
static inline uint64_t host_read(const uint8_t *p, unsigned size)
{
	uint8_t v8; uint16_t v16; uint32_t v32; uint64_t v64;

	switch (size) {
	case 1: memcpy(&v8, p, 1); return v8;
	case 2: memcpy(&v16, p, 2); return v16;
	case 4: memcpy(&v32, p, 4); return v32;
	default: memcpy(&v64, p, 8); return v64;
	}
}

static inline void host_write(uint8_t *p, unsigned size, uint64_t val)
{
	uint8_t v8 = (uint8_t)val; uint16_t v16 = (uint16_t)val; uint32_t v32 = (uint32_t)val;

	switch (size) {
	case 1: memcpy(p, &v8, 1); return;
	case 2: memcpy(p, &v16, 2); return;
	case 4: memcpy(p, &v32, 4); return;
	default: memcpy(p, &val, 8); return;
	}
}

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
	int level;
	int cause = translate(cpu, va, acc, priv, pa, &level);

	if (cause)
		return fault(cpu, cause, va);
	if (!rv_pmp_allows(cpu, *pa, size, acc, priv))
		return fault(cpu, access_fault_cause[acc], va);

	gpa_t page = *pa & ~(RV_PAGE_SIZE - 1);
	uint8_t *hpage = ram_ptr(cpu, page, RV_PAGE_SIZE);

	if (!hpage) {
		/* not a clean RAM page: MMIO, or RAM next to an MMIO window */
		*host = ram_ptr(cpu, *pa, size);
		return 0;
	}
	*host = hpage + (*pa - page);
	if (acc == RV_ACC_WRITE && cpu->dc && rv_dcache_page_has_code(cpu->dc, hpage)) {
		/* self-modifying code: drop the decoded blocks of this page */
		rv_dcache_invalidate_page(cpu->dc, hpage);
	}
	if (rv_pmp_allows(cpu, page, RV_PAGE_SIZE, acc, priv)) {
		struct rv_tlb_entry *e = &cpu->tlb[set][acc][rv_tlb_index(va)];

		/* the TLB caches 4 KiB pieces of superpages: see rv_tlb_flush_va */
		e->tag = va & ~(RV_PAGE_SIZE - 1);
		e->addend = (uintptr_t)hpage - e->tag;
		tlb_log_fill(cpu, set, acc, rv_tlb_index(va), level);
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
		*val = host_read(host, size);
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
		host_write(host, size, val);
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
