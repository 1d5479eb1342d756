/* Shared helpers for the privileged-architecture tests (tests/isa/priv/).
 *
 * Include this from exactly one test .c file.  It provides:
 *  - CSR access macros (csr_read/csr_write/csr_set/csr_clear/csr_swap); a CSR
 *    may be named or given by number (e.g. csr_read(0x30a)).
 *  - M-mode and S-mode trap entries (m_trap_entry / s_trap_entry) that save
 *    every register in a frame and call m_trap_c / s_trap_c.  priv_init()
 *    installs m_trap_entry in mtvec and s_trap_entry in stvec.
 *  - run_in_mode(mode, fn, arg): runs fn(arg) in mode (0=U, 1=S, 3=M) by
 *    mret, and comes back to the caller (in M-mode) when fn returns: the
 *    trampoline does an `ecall` (at run_exit_ecall), which the handlers
 *    recognise by its address (the S handler passes it on to M, so ecall
 *    from S must not be delegated).  Returns fn's return value.  fn shares
 *    the caller's stack.  fn starts with MIE = 0 when mode is M, and the
 *    caller gets back mstatus.MIE = 0.
 *  - Expected traps: expect_trap(n) allows the next n traps.  The handler
 *    records each trap in `tr` (cause, tval, epc, mstatus or sstatus at
 *    entry, which handler, vector slot, running count) and
 *    resumes after the faulting instruction (or, for instruction-fetch
 *    faults, at the return address in ra, so fetch faults should be provoked
 *    with a call/jalr).  Interrupts resume at epc and are cleared at the
 *    source (msip, mtimecmp, mip.SSIP/STIP/SEIP) unless irq_keep is set.
 *    An unexpected trap prints a line and ends the run with status 0x7ff.
 *    With abort_on_trap set, the next expected trap taken by the M handler
 *    abandons the run_in_mode call, which returns ~0.
 *  - Vectored trap tables m_vec_table / s_vec_table (install with mode 1);
 *    tr.vec records the slot a trap came through (-1 for direct mode).
 *  - Sv39/48/57 page-table construction in a pool of pages, data pages.
 *  - try_access()/CHECK_FAULT/CHECK_READ/CHECK_OK: one load/store/AMO/
 *    LR/SC/fetch in a given mode, checking the trap it takes (if any).
 *  - qemu72(): true on QEMU 7.2, for the few checks where QEMU departs
 *    from the spec (see README.md).
 *
 * The helpers depend only on the ISA and the CLINT layout, and both Machina
 * and qemu-system-riscv64 -M spike must pass every test.
 */
#ifndef MACHINA_PRIV_H
#define MACHINA_PRIV_H
#include "libtest.h"

#define STR_(x) #x
#define STR(x) STR_(x)

#define csr_read(csr) ({ uint64_t __v; __asm__ volatile("csrr %0, " STR(csr) : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, val) __asm__ volatile("csrw " STR(csr) ", %0" :: "r"((uint64_t)(val)) : "memory")
#define csr_set(csr, val) __asm__ volatile("csrs " STR(csr) ", %0" :: "r"((uint64_t)(val)) : "memory")
#define csr_clear(csr, val) __asm__ volatile("csrc " STR(csr) ", %0" :: "r"((uint64_t)(val)) : "memory")
#define csr_swap(csr, val) ({ uint64_t __v; __asm__ volatile("csrrw %0, " STR(csr) ", %1" : "=r"(__v) : "r"((uint64_t)(val)) : "memory"); __v; })

/* CSR numbers */
#define CSR_MENVCFG_N   0x30a
#define CSR_MCOUNTINHIBIT_N 0x320
#define CSR_SENVCFG_N   0x10a

/* mstatus */
#define MSTATUS_SIE   (1ULL << 1)
#define MSTATUS_MIE   (1ULL << 3)
#define MSTATUS_SPIE  (1ULL << 5)
#define MSTATUS_UBE   (1ULL << 6)
#define MSTATUS_MPIE  (1ULL << 7)
#define MSTATUS_SPP   (1ULL << 8)
#define MSTATUS_VS    (3ULL << 9)
#define MSTATUS_MPP   (3ULL << 11)
#define MSTATUS_FS    (3ULL << 13)
#define MSTATUS_XS    (3ULL << 15)
#define MSTATUS_MPRV  (1ULL << 17)
#define MSTATUS_SUM   (1ULL << 18)
#define MSTATUS_MXR   (1ULL << 19)
#define MSTATUS_TVM   (1ULL << 20)
#define MSTATUS_TW    (1ULL << 21)
#define MSTATUS_TSR   (1ULL << 22)
#define MSTATUS_UXL   (3ULL << 32)
#define MSTATUS_SXL   (3ULL << 34)
#define MSTATUS_SBE   (1ULL << 36)
#define MSTATUS_MBE   (1ULL << 37)
#define MSTATUS_SD    (1ULL << 63)
#define MPP_SHIFT 11

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* interrupts (bit numbers) */
#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define MIP_SSIP (1ULL << IRQ_SSI)
#define MIP_MSIP (1ULL << IRQ_MSI)
#define MIP_STIP (1ULL << IRQ_STI)
#define MIP_MTIP (1ULL << IRQ_MTI)
#define MIP_SEIP (1ULL << IRQ_SEI)
#define MIP_MEIP (1ULL << IRQ_MEI)
#define CAUSE_INTR (1ULL << 63)

/* exception causes */
#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS     1
#define CAUSE_ILLEGAL          2
#define CAUSE_BREAKPOINT       3
#define CAUSE_MISALIGNED_LOAD  4
#define CAUSE_LOAD_ACCESS      5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS     7
#define CAUSE_ECALL_U          8
#define CAUSE_ECALL_S          9
#define CAUSE_ECALL_M          11
#define CAUSE_FETCH_PAGE       12
#define CAUSE_LOAD_PAGE        13
#define CAUSE_STORE_PAGE       15

/* CLINT */
#define CLINT_BASE     0x02000000UL
#define CLINT_MSIP     ((volatile uint32_t *)(CLINT_BASE + 0x0))
#define CLINT_MTIMECMP ((volatile uint64_t *)(CLINT_BASE + 0x4000))
#define CLINT_MTIME    ((volatile uint64_t *)(CLINT_BASE + 0xbff8))

/* A physical address with nothing behind it on QEMU spike (RAM starts at
 * 0x8000_0000, CLINT at 0x0200_0000, boot ROM at 0x1000, HTIF is in RAM).
 * Machina must not map anything here either. */
#define PA_HOLE 0x40000000UL

/* ---------------------------------------------------------------------- */
/* trap frame: r[i] is register xi (r[0] unused) */
struct frame { uint64_t r[32]; };

struct trap_rec {
	uint64_t cause, tval, epc, status; /* xcause, xtval, xepc, mstatus/sstatus at entry */
	int where;                         /* PRV_M or PRV_S: which handler took it */
	int64_t vec;                       /* vectored-table slot it came through, -1 if none */
	int count;                         /* traps recorded since priv_init */
};

volatile struct trap_rec tr;
volatile int t_expect;          /* traps still allowed */
volatile int irq_keep;          /* interrupts: do not clear the source */
volatile uint64_t irq_log[16];  /* interrupt causes (low bits) in order taken */
volatile int irq_n;
volatile uint64_t exit_mpp;     /* MPP seen by the M handler at the last exit ecall */
volatile uint64_t exit_cause;   /* cause of the last exit ecall (8, 9 or 11) */
uint64_t run_saved_sp;          /* M context for run_in_mode */
volatile uint64_t resume_pc;    /* if non-zero: next expected trap resumes here */
volatile int abort_on_trap;     /* next expected trap ends run_in_mode (returns ~0) */

/* optional per-test hooks, called after recording (may edit the frame) */
void (*volatile m_hook)(struct frame *f, uint64_t cause);
void (*volatile s_hook)(struct frame *f, uint64_t cause);

/* GCC may emit calls to these even when freestanding */
void *memset(void *d, int c, size_t n)
{
	volatile uint8_t *p = d;
	while (n--)
		*p++ = (uint8_t)c;
	return d;
}
void *memcpy(void *d, const void *s, size_t n)
{
	volatile uint8_t *p = d;
	const volatile uint8_t *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

/* the top 16 bytes of each trap stack are a scratch area: [0] = the slot
 * of the vectored table the trap came through (-1: none), [8] = temp */
uint8_t m_trap_stack[4096 + 16] __attribute__((aligned(16)));
uint8_t s_trap_stack[4096 + 16] __attribute__((aligned(16)));
#define M_VEC_SLOT (*(volatile int64_t *)(m_trap_stack + 4096))
#define S_VEC_SLOT (*(volatile int64_t *)(s_trap_stack + 4096))

static inline void expect_trap(int n) { t_expect = n; __asm__ volatile("" ::: "memory"); }

static void t_halt(uint64_t code)
{
	extern volatile uint64_t tohost;
	for (;;)
		tohost = (code << 1) | 1;
}

#define SAVE_REGS \
	"sd x1, 8(sp)\n sd x3, 24(sp)\n sd x4, 32(sp)\n sd x5, 40(sp)\n" \
	"sd x6, 48(sp)\n sd x7, 56(sp)\n sd x8, 64(sp)\n sd x9, 72(sp)\n" \
	"sd x10, 80(sp)\n sd x11, 88(sp)\n sd x12, 96(sp)\n sd x13, 104(sp)\n" \
	"sd x14, 112(sp)\n sd x15, 120(sp)\n sd x16, 128(sp)\n sd x17, 136(sp)\n" \
	"sd x18, 144(sp)\n sd x19, 152(sp)\n sd x20, 160(sp)\n sd x21, 168(sp)\n" \
	"sd x22, 176(sp)\n sd x23, 184(sp)\n sd x24, 192(sp)\n sd x25, 200(sp)\n" \
	"sd x26, 208(sp)\n sd x27, 216(sp)\n sd x28, 224(sp)\n sd x29, 232(sp)\n" \
	"sd x30, 240(sp)\n sd x31, 248(sp)\n"
#define LOAD_REGS \
	"ld x1, 8(sp)\n ld x3, 24(sp)\n ld x4, 32(sp)\n ld x5, 40(sp)\n" \
	"ld x6, 48(sp)\n ld x7, 56(sp)\n ld x8, 64(sp)\n ld x9, 72(sp)\n" \
	"ld x10, 80(sp)\n ld x11, 88(sp)\n ld x12, 96(sp)\n ld x13, 104(sp)\n" \
	"ld x14, 112(sp)\n ld x15, 120(sp)\n ld x16, 128(sp)\n ld x17, 136(sp)\n" \
	"ld x18, 144(sp)\n ld x19, 152(sp)\n ld x20, 160(sp)\n ld x21, 168(sp)\n" \
	"ld x22, 176(sp)\n ld x23, 184(sp)\n ld x24, 192(sp)\n ld x25, 200(sp)\n" \
	"ld x26, 208(sp)\n ld x27, 216(sp)\n ld x28, 224(sp)\n ld x29, 232(sp)\n" \
	"ld x30, 240(sp)\n ld x31, 248(sp)\n"

__asm__(
	".text\n"
	".align 6\n"
	".globl m_trap_entry\n"
	"m_trap_entry:\n"
	"csrrw sp, mscratch, sp\n"
	"addi sp, sp, -256\n"
	SAVE_REGS
	"csrr t0, mscratch\n"
	"sd t0, 16(sp)\n"
	"mv a0, sp\n"
	"call m_trap_c\n"
	"addi t0, sp, 256\n"
	"csrw mscratch, t0\n"
	LOAD_REGS
	"ld sp, 16(sp)\n"
	"mret\n"

	/* Vectored tables: slot N records N in the scratch area and enters the
	 * common handler. */
#define VSLOT(x, n) #x "_vslot" #n ": csrrw sp, " #x "scratch, sp\n sd t0, 8(sp)\n li t0, " #n "\n" \
	" sd t0, 0(sp)\n ld t0, 8(sp)\n csrrw sp, " #x "scratch, sp\n j " #x "_trap_entry\n"
	".align 8\n"
	".globl m_vec_table\n"
	"m_vec_table:\n"
	".option push\n .option norvc\n"   /* 4-byte slots */
	"j m_vslot0\n j m_vslot1\n j m_vslot2\n j m_vslot3\n j m_vslot4\n j m_vslot5\n"
	"j m_vslot6\n j m_vslot7\n j m_vslot8\n j m_vslot9\n j m_vslot10\n j m_vslot11\n"
	".option pop\n"
	VSLOT(m, 0) VSLOT(m, 1) VSLOT(m, 2) VSLOT(m, 3) VSLOT(m, 4) VSLOT(m, 5)
	VSLOT(m, 6) VSLOT(m, 7) VSLOT(m, 8) VSLOT(m, 9) VSLOT(m, 10) VSLOT(m, 11)
	".align 8\n"
	".globl s_vec_table\n"
	"s_vec_table:\n"
	".option push\n .option norvc\n"
	"j s_vslot0\n j s_vslot1\n j s_vslot2\n j s_vslot3\n j s_vslot4\n j s_vslot5\n"
	"j s_vslot6\n j s_vslot7\n j s_vslot8\n j s_vslot9\n j s_vslot10\n j s_vslot11\n"
	".option pop\n"
	VSLOT(s, 0) VSLOT(s, 1) VSLOT(s, 2) VSLOT(s, 3) VSLOT(s, 4) VSLOT(s, 5)
	VSLOT(s, 6) VSLOT(s, 7) VSLOT(s, 8) VSLOT(s, 9) VSLOT(s, 10) VSLOT(s, 11)

	".align 6\n"
	".globl s_trap_entry\n"
	"s_trap_entry:\n"
	"csrrw sp, sscratch, sp\n"
	"addi sp, sp, -256\n"
	SAVE_REGS
	"csrr t0, sscratch\n"
	"sd t0, 16(sp)\n"
	"mv a0, sp\n"
	"call s_trap_c\n"
	"addi t0, sp, 256\n"
	"csrw sscratch, t0\n"
	LOAD_REGS
	"ld sp, 16(sp)\n"
	"sret\n"

	/* uint64_t run_in_mode(uint64_t mode, uint64_t (*fn)(uint64_t), uint64_t arg) */
	".align 2\n"
	".globl run_in_mode\n"
	"run_in_mode:\n"
	"addi sp, sp, -112\n"
	"sd ra, 0(sp)\n sd s0, 8(sp)\n sd s1, 16(sp)\n sd s2, 24(sp)\n"
	"sd s3, 32(sp)\n sd s4, 40(sp)\n sd s5, 48(sp)\n sd s6, 56(sp)\n"
	"sd s7, 64(sp)\n sd s8, 72(sp)\n sd s9, 80(sp)\n sd s10, 88(sp)\n"
	"sd s11, 96(sp)\n sd gp, 104(sp)\n"
	"la t0, run_saved_sp\n"
	"sd sp, 0(t0)\n"
	"li t0, 3 << 11\n"
	"csrc mstatus, t0\n"
	"slli t0, a0, 11\n"
	"csrs mstatus, t0\n"
	"li t0, 1 << 7\n"        /* MPIE = 0: an M-mode fn runs with MIE = 0 */
	"csrc mstatus, t0\n"
	"la t0, run_trampoline\n"
	"csrw mepc, t0\n"
	"mv a0, a2\n"
	"mv t2, a1\n"
	"mret\n"
	".globl run_trampoline\n"
	"run_trampoline:\n"
	"jalr t2\n"
	".globl run_exit_ecall\n"
	"run_exit_ecall:\n"
	"ecall\n"
	"1: j 1b\n"
	".globl run_return\n"
	"run_return:\n"
	"ld ra, 0(sp)\n ld s0, 8(sp)\n ld s1, 16(sp)\n ld s2, 24(sp)\n"
	"ld s3, 32(sp)\n ld s4, 40(sp)\n ld s5, 48(sp)\n ld s6, 56(sp)\n"
	"ld s7, 64(sp)\n ld s8, 72(sp)\n ld s9, 80(sp)\n ld s10, 88(sp)\n"
	"ld s11, 96(sp)\n ld gp, 104(sp)\n"
	"addi sp, sp, 112\n"
	"ret\n"
);

extern char m_vec_table[], s_vec_table[];
extern char m_trap_entry[], s_trap_entry[], run_trampoline[], run_exit_ecall[], run_return[];
uint64_t run_in_mode(uint64_t mode, uint64_t (*fn)(uint64_t), uint64_t arg);

static inline int insn_len_at(uint64_t pc)
{
	return (*(volatile uint16_t *)pc & 3) == 3 ? 4 : 2;
}

static int is_fetch_fault(uint64_t cause)
{
	return cause == CAUSE_MISALIGNED_FETCH || cause == CAUSE_FETCH_ACCESS ||
	       cause == CAUSE_FETCH_PAGE;
}

static void unexpected(const char *who, uint64_t cause, uint64_t epc, uint64_t tval)
{
	t_puts("unexpected trap in ");
	t_puts(who);
	t_puts(" handler: cause ");
	t_puthex(cause);
	t_puts(" epc ");
	t_puthex(epc);
	t_puts(" tval ");
	t_puthex(tval);
	t_puts("\n");
	t_halt(0x7ff);
}

static void clear_irq_source_m(uint64_t irq)
{
	switch (irq) {
	case IRQ_MSI: *CLINT_MSIP = 0; break;
	case IRQ_MTI: *CLINT_MTIMECMP = ~0ULL; break;
	case IRQ_SSI: csr_clear(mip, MIP_SSIP); break;
	case IRQ_STI: csr_clear(mip, MIP_STIP); break;
	case IRQ_SEI: csr_clear(mip, MIP_SEIP); break;
	default: csr_clear(mie, 1ULL << irq); break;
	}
}

void m_trap_c(struct frame *f)
{
	uint64_t cause = csr_read(mcause), epc = csr_read(mepc), tval = csr_read(mtval);
	uint64_t status = csr_read(mstatus);

	if ((cause == CAUSE_ECALL_U || cause == CAUSE_ECALL_S || cause == CAUSE_ECALL_M) &&
	    epc == (uint64_t)run_exit_ecall) {
		exit_mpp = (status >> MPP_SHIFT) & 3;
		exit_cause = cause;
		M_VEC_SLOT = -1;
		f->r[2] = run_saved_sp;
		csr_write(mepc, (uint64_t)run_return);
		csr_set(mstatus, MSTATUS_MPP); /* back to M ... */
		csr_clear(mstatus, MSTATUS_MPIE); /* ... with MIE = 0 */
		return;
	}
	tr.cause = cause;
	tr.tval = tval;
	tr.epc = epc;
	tr.status = status;
	tr.where = PRV_M;
	tr.vec = M_VEC_SLOT;
	M_VEC_SLOT = -1;
	tr.count++;
	if (t_expect <= 0)
		unexpected("M", cause, epc, tval);
	t_expect--;
	if (abort_on_trap) {
		abort_on_trap = 0;
		f->r[2] = run_saved_sp;
		f->r[10] = ~0ULL;
		csr_write(mepc, (uint64_t)run_return);
		csr_set(mstatus, MSTATUS_MPP);
		csr_clear(mstatus, MSTATUS_MPIE);
	} else if (cause & CAUSE_INTR) {
		uint64_t irq = cause & 63;
		if (irq_n < 16)
			irq_log[irq_n++] = irq;
		if (!irq_keep)
			clear_irq_source_m(irq);
	} else if (resume_pc) {
		csr_write(mepc, resume_pc);
		resume_pc = 0;
	} else if (is_fetch_fault(cause)) {
		csr_write(mepc, f->r[1]);
	} else {
		csr_write(mepc, epc + insn_len_at(epc));
	}
	if (m_hook)
		m_hook(f, cause);
}

void s_trap_c(struct frame *f)
{
	uint64_t cause = csr_read(scause), epc = csr_read(sepc), tval = csr_read(stval);
	uint64_t status = csr_read(sstatus);

	if ((cause == CAUSE_ECALL_U || cause == CAUSE_ECALL_S) && epc == (uint64_t)run_exit_ecall) {
		/* forward the exit to M: redo the exit ecall from S (ecall from S
		 * must not be delegated while this is used) */
		csr_write(sepc, (uint64_t)run_exit_ecall);
		csr_set(sstatus, MSTATUS_SPP);
		S_VEC_SLOT = -1;
		return;
	}
	tr.cause = cause;
	tr.tval = tval;
	tr.epc = epc;
	tr.status = status;
	tr.where = PRV_S;
	tr.vec = S_VEC_SLOT;
	S_VEC_SLOT = -1;
	tr.count++;
	if (t_expect <= 0)
		unexpected("S", cause, epc, tval);
	t_expect--;
	if (cause & CAUSE_INTR) {
		uint64_t irq = cause & 63;
		if (irq_n < 16)
			irq_log[irq_n++] = irq;
		if (!irq_keep) {
			if (irq == IRQ_SSI)
				csr_clear(sip, MIP_SSIP);
			else
				csr_clear(sie, 1ULL << irq); /* STIP/SEIP are read-only in sip */
		}
	} else if (resume_pc) {
		csr_write(sepc, resume_pc);
		resume_pc = 0;
	} else if (is_fetch_fault(cause)) {
		csr_write(sepc, f->r[1]);
	} else {
		csr_write(sepc, epc + insn_len_at(epc));
	}
	if (s_hook)
		s_hook(f, cause);
}

/* QEMU 7.2 (marchid = mimpid = 0x702xx, its version) departs from the
 * privileged spec in a few places.  Where it does, a test checks the spec
 * behaviour, or QEMU's when qemu72() is true; each use says why.  Machina
 * must not report a marchid of the form 0x702xx. */
static int qemu72(void)
{
	return csr_read(mvendorid) == 0 && (csr_read(marchid) >> 8) == 0x702;
}

/* Reset the trap bookkeeping. */
static void trap_reset(void)
{
	tr.cause = tr.tval = tr.epc = tr.status = 0;
	tr.where = -1;
	tr.vec = -1;
	tr.count = 0;
	t_expect = 0;
	irq_n = 0;
	irq_keep = 0;
	resume_pc = 0;
	abort_on_trap = 0;
	m_hook = 0;
	s_hook = 0;
}

/* Open every physical address to S and U mode through PMP entry 15
 * (NAPOT over the whole space).  Tests that exercise PMP reprogram it. */
static void pmp_open_all(void)
{
	csr_write(pmpaddr15, ~0ULL >> 10);
	csr_clear(pmpcfg2, 0xffULL << 56);
	csr_set(pmpcfg2, 0x1fULL << 56); /* NAPOT | X | W | R */
}

/* Some pages of data to map at test addresses. */
static uint8_t data_pages[8][4096] __attribute__((aligned(4096)));

static void priv_init(void)
{
	csr_write(mtvec, (uint64_t)m_trap_entry);
	csr_write(mscratch, (uint64_t)(m_trap_stack + 4096));
	csr_write(stvec, (uint64_t)s_trap_entry);
	csr_write(sscratch, (uint64_t)(s_trap_stack + 4096));
	M_VEC_SLOT = -1;
	S_VEC_SLOT = -1;
	csr_write(medeleg, 0);
	csr_write(mideleg, 0);
	csr_write(mie, 0);
	csr_write(satp, 0);
	pmp_open_all();
	trap_reset();
	/* do not rely on the loader for zeroed .bss test pages */
	for (unsigned i = 0; i < sizeof data_pages / 8; i++)
		((volatile uint64_t *)data_pages)[i] = 0;
}

/* ---------------------------------------------------------------------- */
/* paging */
#define PTE_V (1ULL << 0)
#define PTE_R (1ULL << 1)
#define PTE_W (1ULL << 2)
#define PTE_X (1ULL << 3)
#define PTE_U (1ULL << 4)
#define PTE_G (1ULL << 5)
#define PTE_A (1ULL << 6)
#define PTE_D (1ULL << 7)
#define PTE_RWX (PTE_R | PTE_W | PTE_X)
#define PTE_LEAF_ALL (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

#define SATP_MODE_SV39 8ULL
#define SATP_MODE_SV48 9ULL
#define SATP_MODE_SV57 10ULL

#ifndef PT_POOL_PAGES
#define PT_POOL_PAGES 48
#endif
static uint64_t pt_pool[PT_POOL_PAGES][512] __attribute__((aligned(4096)));
static int pt_used;

static uint64_t *pt_alloc(void)
{
	if (pt_used >= PT_POOL_PAGES) {
		t_puts("page pool exhausted\n");
		t_halt(0x7fe);
	}
	uint64_t *p = pt_pool[pt_used++];
	for (int i = 0; i < 512; i++)
		p[i] = 0;
	return p;
}

/* levels: 3 for Sv39, 4 for Sv48, 5 for Sv57 */
static int pt_levels = 3;

static uint64_t mode_for_levels(int levels) { return levels == 3 ? SATP_MODE_SV39 : levels == 4 ? SATP_MODE_SV48 : SATP_MODE_SV57; }

/* Return a pointer to the PTE for va at `level` (0 = 4 KiB leaf level),
 * creating intermediate tables as needed. */
static volatile uint64_t *pt_slot(uint64_t *root, uint64_t va, int level)
{
	uint64_t *t = root;
	for (int l = pt_levels - 1; l > level; l--) {
		uint64_t idx = (va >> (12 + 9 * l)) & 511;
		if (!(t[idx] & PTE_V)) {
			uint64_t *n = pt_alloc();
			t[idx] = (((uint64_t)n >> 12) << 10) | PTE_V;
		}
		t = (uint64_t *)(((t[idx] >> 10) << 12) & ((1ULL << 56) - 1));
	}
	return &t[(va >> (12 + 9 * level)) & 511];
}

static void pt_map(uint64_t *root, uint64_t va, uint64_t pa, uint64_t flags, int level)
{
	*pt_slot(root, va, level) = ((pa >> 12) << 10) | flags;
}

static inline void sfence_all(void) { __asm__ volatile("sfence.vma" ::: "memory"); }

static void satp_set(uint64_t *root)
{
	csr_write(satp, (mode_for_levels(pt_levels) << 60) | ((uint64_t)root >> 12));
	sfence_all();
}

/* A fresh root with the RAM identity mapped (1 GiB leaf at 0x8000_0000;
 * also for Sv48/57, as a 1 GiB leaf at level 2) with the given U flag. */
static uint64_t *pt_new_root(uint64_t uflag)
{
	uint64_t *root = pt_alloc();
	pt_map(root, 0x80000000UL, 0x80000000UL, PTE_LEAF_ALL | PTE_G | uflag, 2);
	return root;
}


/* ---------------------------------------------------------------------- */
/* tiny position-independent routines used from lower modes */
__asm__(
	".text\n"
	".align 2\n"
	".globl probe_ld\n"      /* uint64_t probe_ld(addr): ld from addr */
	"probe_ld: ld a0, 0(a0)\n ret\n"
	".globl probe_lw\n"
	"probe_lw: lw a0, 0(a0)\n ret\n"
	".globl probe_lb\n"
	"probe_lb: lbu a0, 0(a0)\n ret\n"
	".globl probe_sd\n"      /* probe_sd(addr, val) */
	"probe_sd: sd a1, 0(a0)\n ret\n"
	".globl probe_sw\n"
	"probe_sw: sw a1, 0(a0)\n ret\n"
	".globl probe_amo\n"     /* amoadd.d */
	"probe_amo: amoadd.d a0, a1, (a0)\n ret\n"
	".globl probe_lr\n"
	"probe_lr: lr.d a0, (a0)\n ret\n"
	".globl probe_sc\n"
	"probe_sc: sc.d a0, a1, (a0)\n ret\n"
	".globl probe_lrsc\n"    /* lr.d then sc.d at the same address */
	"probe_lrsc: lr.d t0, (a0)\n sc.d a0, a1, (a0)\n ret\n"
	".globl probe_call\n"    /* probe_call(addr): jalr addr */
	"probe_call: addi sp, sp, -16\n sd ra, 0(sp)\n jalr a0\n ld ra, 0(sp)\n addi sp, sp, 16\n ret\n"
);
uint64_t probe_ld(uint64_t a);
uint64_t probe_lw(uint64_t a);
uint64_t probe_lb(uint64_t a);
void probe_sd(uint64_t a, uint64_t v);
void probe_sw(uint64_t a, uint64_t v);
uint64_t probe_amo(uint64_t a, uint64_t v);
uint64_t probe_lr(uint64_t a);
uint64_t probe_sc(uint64_t a, uint64_t v);
uint64_t probe_lrsc(uint64_t a, uint64_t v);
uint64_t probe_call(uint64_t a);

/* One access of a given kind, run in a given mode.  try_access() allows one
 * trap for it and returns 1 if it trapped (details in tr), 0 if not; the
 * loaded value (or what the called code returned) goes to *out if out is
 * not null.  Stores write acc_val. */
enum { ACC_LD, ACC_LW, ACC_LB, ACC_SD, ACC_SW, ACC_AMO, ACC_LR, ACC_SC, ACC_LRSC, ACC_X };
volatile int acc_kind;
volatile uint64_t acc_val = 0xa5a5a5a5a5a5a5a5ULL;

static uint64_t lower_access(uint64_t a)
{
	switch (acc_kind) {
	case ACC_LD: return probe_ld(a);
	case ACC_LW: return probe_lw(a);
	case ACC_LB: return probe_lb(a);
	case ACC_SD: probe_sd(a, acc_val); return 0;
	case ACC_SW: probe_sw(a, acc_val); return 0;
	case ACC_AMO: return probe_amo(a, acc_val);
	case ACC_LR: return probe_lr(a);
	case ACC_SC: return probe_sc(a, acc_val);
	case ACC_LRSC: return probe_lrsc(a, acc_val);
	default: return probe_call(a);
	}
}

static int try_access(int mode, int kind, uint64_t addr, uint64_t *out)
{
	int before = tr.count;
	acc_kind = kind;
	expect_trap(1);
	uint64_t v = mode == PRV_M ? lower_access(addr) : run_in_mode(mode, lower_access, addr);
	t_expect = 0;
	if (out)
		*out = v;
	return tr.count - before;
}

/* check that an access traps with the given cause and tval = addr, taken
 * by the M handler (or S: use CHECK_FAULT_AT) */
#define CHECK_FAULT_AT(n, mode, kind, addr, c_, w_) do { \
	uint64_t __ad = (addr); \
	CHECK_EQ(n, try_access(mode, kind, __ad, 0), 1); \
	CHECK_EQ(n, tr.cause, c_); CHECK_EQ(n, tr.tval, __ad); CHECK_EQ(n, tr.where, w_); \
	} while (0)
#define CHECK_FAULT(n, mode, kind, addr, c_) CHECK_FAULT_AT(n, mode, kind, addr, c_, PRV_M)
/* check that an access does not trap (and, for loads, reads want) */
#define CHECK_OK(n, mode, kind, addr) do { \
	CHECK_EQ(n, try_access(mode, kind, addr, 0), 0); } while (0)
#define CHECK_READ(n, mode, kind, addr, want) do { uint64_t __v; \
	CHECK_EQ(n, try_access(mode, kind, addr, &__v), 0); CHECK_EQ(n, __v, want); } while (0)

/* A code page image: `li a0, 0x5a; ret` repeated to fill the page, copied
 * into data pages that are then mapped executable somewhere. */
static void fill_ret_page(void *page, uint64_t n)
{
	uint32_t *p = page;
	/* addi a0, x0, 0x5a ; jalr x0, 0(ra) */
	for (uint64_t i = 0; i + 1 < n / 4; i += 2) {
		p[i] = 0x05a00513;
		p[i + 1] = 0x00008067;
	}
	__asm__ volatile("fence.i" ::: "memory");
}

/* Assertions used by the tests: on failure print the check number and the
 * line, and return the check number from the enclosing function. */
#define CHECK_EQ(n, a, b) do { uint64_t __a = (uint64_t)(a), __b = (uint64_t)(b); \
	if (__a != __b) { t_puts("FAIL check "); t_putdec(n); t_puts(" line "); \
	t_putdec(__LINE__); t_puts(": got "); t_puthex(__a); t_puts(" want "); \
	t_puthex(__b); t_puts("\n"); return (n); } } while (0)

/* check that exactly one trap was taken since `before` with the given
 * cause/tval/handler */
#define CHECK_TRAP(n, before, c, tv, wh) do { \
	CHECK_EQ(n, tr.count - (before), 1); CHECK_EQ(n, tr.cause, c); \
	CHECK_EQ(n, tr.tval, tv); CHECK_EQ(n, tr.where, wh); } while (0)

#endif
