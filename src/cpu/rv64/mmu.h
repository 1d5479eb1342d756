/* mmu.h - address translation (Sv39/Sv48/Sv57), PMP and the software TLB.
 *
 * Fast paths are inline: a TLB hit is one compare and an add. Misses go to
 * the *_slow functions, which walk the page table, check PMP, fill the TLB
 * when the whole page is plain RAM, and otherwise perform the access through
 * the address space (MMIO). On failure they record the exception in
 * cpu->exc_cause / cpu->exc_tval and return -1; the interpreter then takes
 * the trap with the pc of the faulting instruction.
 */
#ifndef MACHINA_RV64_MMU_H
#define MACHINA_RV64_MMU_H

#include <string.h>

#include "cpu/rv64/cpu.h"

static inline int rv_tlb_set(int priv)
{
	return priv == RV_PRIV_M ? 2 : priv;
}

static inline unsigned rv_tlb_index(gva_t va)
{
	return (va >> RV_PAGE_SHIFT) & (RV_TLB_SIZE - 1);
}

int must_check rv_load_slow(struct rv_cpu *cpu, gva_t va, unsigned size, uint64_t *val);
int must_check rv_store_slow(struct rv_cpu *cpu, gva_t va, unsigned size, uint64_t val);
/* host pointer for an aligned read-modify-write (AMO, SC) of RAM, or NULL
 * with *pa set when the target is MMIO; -1 on fault */
int must_check rv_amo_translate(struct rv_cpu *cpu, gva_t va, unsigned size, uint8_t **host,
				gpa_t *pa);
/* Instruction fetch. rv_fetch_page sets *host to the bytes at pc and returns
 * 0 when pc's page is plain RAM cached in the fetch TLB (decodable into the
 * decode cache up to the page end), 1 when only the 2-byte parcel at pc may
 * be read (RAM page shared with MMIO or PMP-split), -1 on a fault.
 * rv_fetch_parcel reads one 16-bit parcel at va with full checks. */
int must_check rv_fetch_page(struct rv_cpu *cpu, gva_t pc, uint8_t **host);
int must_check rv_fetch_parcel(struct rv_cpu *cpu, gva_t va, uint16_t *parcel);

/* Translate va for an access of type acc with privilege priv. Returns 0 and
 * the physical address, or the exception cause (page or access fault). */
int rv_translate(struct rv_cpu *cpu, gva_t va, enum rv_access acc, int priv, gpa_t *pa);
/* PMP: may [pa, pa+len) be accessed with acc at priv? */
bool rv_pmp_allows(const struct rv_cpu *cpu, gpa_t pa, uint64_t len, enum rv_access acc, int priv);
/* recompute pmp_active and the decoded ranges after pmpcfg/pmpaddr changed */
void rv_pmp_update(struct rv_cpu *cpu);

void rv_tlb_flush_all(struct rv_cpu *cpu);
/* sfence.vma with an address: drop what maps va's page */
void rv_tlb_flush_va(struct rv_cpu *cpu, gva_t va);
/* drop write entries that map host page `page` (it now holds decoded code) */
void rv_tlb_drop_writes_to(struct rv_cpu *cpu, const uint8_t *page);
/* recompute cpu->data_set and the cached TLB pointers after priv or
 * mstatus.MPRV/MPP changed */
void rv_update_data_set(struct rv_cpu *cpu);

#define RV_DEFINE_LOAD(name, type, size)                                                  \
	static inline int must_check name(struct rv_cpu *cpu, gva_t va, uint64_t *val)        \
	{                                                                                     \
		struct rv_tlb_entry *e = &cpu->tlb_load[rv_tlb_index(va)];                     \
		if (likely(e->tag == (va & ~(uint64_t)(RV_PAGE_SIZE - size)))) {               \
			type t;                                                               \
			memcpy(&t, (void *)(uintptr_t)(va + e->addend), size);                \
			*val = (uint64_t)(int64_t)t;                                          \
			return 0;                                                             \
		}                                                                             \
		if (rv_load_slow(cpu, va, size, val))                                         \
			return -1;                                                            \
		*val = (uint64_t)(int64_t)(type) * val;                                       \
		return 0;                                                                     \
	}

RV_DEFINE_LOAD(rv_ld_i8, int8_t, 1)
RV_DEFINE_LOAD(rv_ld_u8, uint8_t, 1)
RV_DEFINE_LOAD(rv_ld_i16, int16_t, 2)
RV_DEFINE_LOAD(rv_ld_u16, uint16_t, 2)
RV_DEFINE_LOAD(rv_ld_i32, int32_t, 4)
RV_DEFINE_LOAD(rv_ld_u32, uint32_t, 4)
RV_DEFINE_LOAD(rv_ld_u64, uint64_t, 8)

static inline int must_check rv_store(struct rv_cpu *cpu, gva_t va, unsigned size, uint64_t val)
{
	struct rv_tlb_entry *e = &cpu->tlb_store[rv_tlb_index(va)];

	if (likely(e->tag == (va & ~(uint64_t)(RV_PAGE_SIZE - size)))) {
		memcpy((void *)(uintptr_t)(va + e->addend), &val, size);
		return 0;
	}
	return rv_store_slow(cpu, va, size, val);
}

#endif
