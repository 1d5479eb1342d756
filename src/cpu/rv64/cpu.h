/* cpu.h - the RV64GC hart: architectural state, software TLB, decode cache.
 *
 * Implements RV64IMAFDC + Zicsr, Zifencei, Zicntr, Zihintpause with the
 * privileged architecture 1.12 (M, S, U; Sv39/Sv48/Sv57; PMP).
 *
 * Guest-visible state (what a snapshot must save) is the first block of
 * struct rv_cpu, up to `rv_cpu_state_end`; everything after it is a cache
 * that can be rebuilt (TLB, decode cache) or host wiring.
 */
#ifndef MACHINA_RV64_CPU_H
#define MACHINA_RV64_CPU_H

#include "core/as.h"
#include "core/types.h"

struct vm;
struct rv_dcache;

enum rv_priv { RV_PRIV_U = 0, RV_PRIV_S = 1, RV_PRIV_M = 3 };

/* exception causes (privileged spec table 3.6) */
enum rv_exc {
	RV_EXC_INSN_MISALIGNED = 0,
	RV_EXC_INSN_ACCESS = 1,
	RV_EXC_ILLEGAL_INSN = 2,
	RV_EXC_BREAKPOINT = 3,
	RV_EXC_LOAD_MISALIGNED = 4,
	RV_EXC_LOAD_ACCESS = 5,
	RV_EXC_STORE_MISALIGNED = 6,
	RV_EXC_STORE_ACCESS = 7,
	RV_EXC_ECALL_U = 8,
	RV_EXC_ECALL_S = 9,
	RV_EXC_ECALL_M = 11,
	RV_EXC_INSN_PAGE_FAULT = 12,
	RV_EXC_LOAD_PAGE_FAULT = 13,
	RV_EXC_STORE_PAGE_FAULT = 15,
};

/* interrupt numbers = bit positions in mip/mie */
enum rv_irq { RV_IRQ_SSI = 1, RV_IRQ_MSI = 3, RV_IRQ_STI = 5, RV_IRQ_MTI = 7, RV_IRQ_SEI = 9, RV_IRQ_MEI = 11 };

/* mstatus bits */
#define MSTATUS_SIE	(1ull << 1)
#define MSTATUS_MIE	(1ull << 3)
#define MSTATUS_SPIE	(1ull << 5)
#define MSTATUS_UBE	(1ull << 6)
#define MSTATUS_MPIE	(1ull << 7)
#define MSTATUS_SPP	(1ull << 8)
#define MSTATUS_VS	(3ull << 9)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP	(3ull << 11)
#define MSTATUS_FS_SHIFT 13
#define MSTATUS_FS	(3ull << 13)
#define MSTATUS_XS	(3ull << 15)
#define MSTATUS_MPRV	(1ull << 17)
#define MSTATUS_SUM	(1ull << 18)
#define MSTATUS_MXR	(1ull << 19)
#define MSTATUS_TVM	(1ull << 20)
#define MSTATUS_TW	(1ull << 21)
#define MSTATUS_TSR	(1ull << 22)
#define MSTATUS_UXL	(3ull << 32)
#define MSTATUS_SXL	(3ull << 34)
#define MSTATUS_SD	(1ull << 63)

#define RV_PMP_COUNT 16

/* memory access types, also the index of the TLB set */
enum rv_access { RV_ACC_READ = 0, RV_ACC_WRITE = 1, RV_ACC_FETCH = 2 };

/* Software TLB entry (TinyEMU's scheme). `tag` is the virtual page address;
 * a lookup compares it with the access address masked so that the low bits
 * of a misaligned access survive and miss: a hit is one compare, and the host
 * address is vaddr + addend. tag = -1 marks an empty entry. */
struct rv_tlb_entry {
	uint64_t tag;
	uintptr_t addend;
};

#define RV_TLB_SIZE 2048
#define RV_PAGE_SHIFT 12
#define RV_PAGE_SIZE (1ull << RV_PAGE_SHIFT)

/* indices of the TLB sets: U, S, M (untranslated but still PMP-checked) and
 * S with mstatus.SUM = 1. S-mode data accesses with SUM set have their own
 * set, so that Linux toggling SUM around every user copy costs no flush: the
 * S set never holds user pages, the S+SUM set may. */
#define RV_TLB_SETS 4
#define RV_TLB_SET_S_SUM 3

struct rv_cpu {
	/* ---- architectural state ---- */
	uint64_t x[33];		/* x[32] is a write sink for rd = x0 */
	uint64_t f[32];
	uint64_t pc;
	uint32_t fflags;
	uint32_t frm;
	int priv;

	uint64_t mstatus;	/* holds sstatus bits too */
	uint64_t misa;
	uint64_t medeleg, mideleg;
	uint64_t mie;
	uint64_t mip;		/* effective: software bits | device lines */
	bool seip_sw;		/* software-written SEIP (mip.SEIP = seip_sw | line) */
	bool seip_line;		/* external SEIP from the interrupt controller */
	uint64_t mtvec, stvec;
	uint64_t mscratch, sscratch;
	uint64_t mepc, sepc;
	uint64_t mcause, scause;
	uint64_t mtval, stval;
	uint64_t satp;
	uint64_t mcounteren, scounteren, mcountinhibit;
	uint64_t menvcfg, senvcfg;
	uint64_t mhartid;
	uint64_t instret;	/* instructions retired since reset (always counts) */
	uint64_t instret_offset; /* minstret = instret + instret_offset */
	uint64_t cycle_offset;	/* mcycle = instret + cycle_offset (one cycle each) */
	uint64_t frozen_instret, frozen_cycle;	/* values held under mcountinhibit */
	uint8_t pmpcfg[RV_PMP_COUNT];
	uint64_t pmpaddr[RV_PMP_COUNT];
	uint64_t reservation;	/* LR address; RV_NO_RESERVATION when none */
	bool wfi;		/* stalled in WFI until an interrupt is pending */
	char rv_cpu_state_end[0];

	/* ---- host wiring ---- */
	struct vm *vm;
	struct address_space *as;
	/* mtime source for the time CSR (CLINT) */
	uint64_t (*read_time)(void *opaque);
	void *time_opaque;

	/* ---- caches (rebuildable) ---- */
	bool exit_request;	/* leave rv_cpu_run at the next block boundary */
	uint64_t exc_cause;	/* exception raised by a slow path, taken by the loop */
	uint64_t exc_tval;
	int data_set;		/* TLB set of the effective data privilege (MPRV) */
	/* the TLB arrays in use, cached for the fast paths */
	struct rv_tlb_entry *tlb_load, *tlb_store, *tlb_fetch;
	/* an interrupt can be taken now (pending, enabled, not masked by
	 * MIE/SIE and privilege); recomputed by rv_update_irq() whenever mip,
	 * mie, mideleg, mstatus or the privilege changes */
	bool irq_deliverable;
	/* Blocks chain only while the instructions left in the slice exceed
	 * this: 0, or INT64_MAX when irq_deliverable || exit_request (so one
	 * compare checks both; a plain aligned store can set it) */
	int64_t chain_floor;
	uint64_t pmp_active;	/* any PMP entry enabled (fast path when 0) */
	/* the enabled PMP entries with a non-empty range, decoded, in priority
	 * order; rebuilt by rv_pmp_update() whenever pmpcfg/pmpaddr change */
	struct rv_pmp_range { uint64_t lo, hi; uint8_t cfg; } pmp_range[RV_PMP_COUNT];
	int nr_pmp_ranges;
	/* as_ram_ptr() cache: [ram_lo, ram_hi) is plain RAM with no MMIO over
	 * it, at host ram_host; valid while the address space still has
	 * ram_nr_regions regions (regions are only ever added) */
	gpa_t ram_lo, ram_hi;
	uint8_t *ram_host;
	int ram_nr_regions;
	/* Fills since the last full flush, so that flushes (Linux issues tens
	 * of thousands of sfence.vma) touch only the entries in use. tlb_log
	 * holds the flat index ((set * 3 + access) * RV_TLB_SIZE + index) of
	 * the first RV_TLB_LOG fills; past that, tlb_dirty has one bit per
	 * [set][access] array filled since the flush. tlb_sp_log lists the
	 * fills from superpages (flat index, level) for sfence.vma with an
	 * address: another 4 KiB piece of the superpage holding va is cached
	 * under another tag. */
#define RV_TLB_LOG 1024
#define RV_TLB_SP_LOG 256
	uint32_t tlb_log_n, tlb_sp_n;	/* may exceed the logs' sizes */
	uint16_t tlb_dirty;
	uint16_t tlb_log[RV_TLB_LOG];
	struct rv_tlb_sp { uint16_t slot; uint8_t level; } tlb_sp_log[RV_TLB_SP_LOG];
	struct rv_tlb_entry tlb[RV_TLB_SETS][3][RV_TLB_SIZE]; /* [priv set][access] */
	struct rv_dcache *dc;
};

#define RV_NO_RESERVATION (~0ull)

int must_check rv_cpu_init(struct rv_cpu *cpu, struct vm *vm, uint64_t hartid);
void rv_cpu_destroy(struct rv_cpu *cpu);
void rv_cpu_reset(struct rv_cpu *cpu, uint64_t pc);

/* Run up to `budget` instructions (fewer at WFI, exit_request or a stop).
 * Interrupts are taken at block boundaries. Returns instructions retired. */
uint64_t rv_cpu_run(struct rv_cpu *cpu, int64_t budget);

/* Device interrupt input: irq_line set function, n = mip bit (rv_irq). */
void rv_cpu_set_irq(void *opaque, int n, int level);

/* true when an enabled interrupt is pending (ends WFI) */
bool rv_cpu_irq_pending(const struct rv_cpu *cpu);

/* ---- internal interfaces between the cpu files ---- */
/* take a trap (exception cause or interrupt | 1<<63) at cpu->pc */
void rv_trap(struct rv_cpu *cpu, uint64_t cause, uint64_t tval);
/* deliver the highest-priority enabled pending interrupt; true if taken */
bool rv_check_interrupts(struct rv_cpu *cpu);
/* CSR access; return 0 or -1 for illegal instruction */
int rv_csr_read(struct rv_cpu *cpu, unsigned csr, uint64_t *val);
int rv_csr_write(struct rv_cpu *cpu, unsigned csr, uint64_t val);
/* privilege change: flushes what depends on it */
void rv_set_priv(struct rv_cpu *cpu, int priv);
/* recompute irq_deliverable / chain_floor */
void rv_update_irq(struct rv_cpu *cpu);
/* ask the hart to leave rv_cpu_run at the next block boundary */
void rv_cpu_exit_request(struct rv_cpu *cpu);

#endif
