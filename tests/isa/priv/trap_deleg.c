/* Exception delegation with medeleg (delegated traps go to stvec with
 * scause/stval/sepc/SPP/SPIE, the others and everything taken in M go to
 * mtvec) and vectored mtvec/stvec. */
#include "priv.h"

static uint64_t do_ecall(uint64_t x)
{
	uint64_t pc;
	expect_trap(1);
	__asm__ volatile("auipc %0, 0\n ecall" : "=r"(pc) :: "memory");
	return pc + 4;
}

static uint64_t do_ebreak(uint64_t x)
{
	uint64_t pc;
	expect_trap(1);
	__asm__ volatile(".option push\n .option norvc\n auipc %0, 0\n ebreak\n .option pop"
			 : "=r"(pc) :: "memory");
	return pc + 4;
}

/* S: set sstatus.SIE to x, ebreak, return sstatus after the handler */
static uint64_t s_ebreak_sie(uint64_t x)
{
	csr_write(sstatus, x ? MSTATUS_SIE : 0);
	expect_trap(1);
	__asm__ volatile("ebreak" ::: "memory");
	return csr_read(sstatus);
}

static uint64_t do_illegal_csr(uint64_t x)
{
	expect_trap(1);
	return csr_read(mstatus);
}

static uint64_t s_sie_window(uint64_t n)
{
	csr_set(sstatus, MSTATUS_SIE);
	for (volatile uint64_t i = 0; i < n; i++)
		;
	csr_clear(sstatus, MSTATUS_SIE);
	return 0;
}

int main(void)
{
	priv_init();
	int before;

	/* 1: ecall from U delegated: S gets scause 8, stval 0, sepc, SPP = U,
	 * SPIE = SIE (0), SIE = 0; the M trap CSRs are untouched */
	csr_write(medeleg, 1 << CAUSE_ECALL_U);
	csr_write(mcause, 0x55);
	csr_write(mtval, 0x66);
	before = tr.count;
	uint64_t epc = run_in_mode(PRV_U, do_ecall, 0);
	CHECK_TRAP(1, before, CAUSE_ECALL_U, 0, PRV_S);
	CHECK_EQ(1, tr.epc, epc);
	CHECK_EQ(1, tr.status & (MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE), 0);
	/* the exit ecall from U went to S as well, which passed it on (as an
	 * ecall from S) */
	CHECK_EQ(1, exit_cause, CAUSE_ECALL_S);

	/* 2: ecall from S is not delegated by bit 8: it goes to M */
	before = tr.count;
	csr_write(mcause, 0x55);
	epc = run_in_mode(PRV_S, do_ecall, 0);
	CHECK_TRAP(2, before, CAUSE_ECALL_S, 0, PRV_M);
	CHECK_EQ(2, tr.epc, epc);
	/* and a non-delegated exception from U goes to M */
	before = tr.count;
	epc = run_in_mode(PRV_U, do_ebreak, 0);
	CHECK_TRAP(2, before, CAUSE_BREAKPOINT, 0, PRV_M);
	CHECK_EQ(2, tr.epc, epc);
	CHECK_EQ(2, (tr.status >> MPP_SHIFT) & 3, PRV_U);

	/* 3: breakpoint delegated: from U and from S it goes to S, SPP = the
	 * mode it came from; stval 0 as for M */
	csr_write(medeleg, 1 << CAUSE_BREAKPOINT);
	before = tr.count;
	epc = run_in_mode(PRV_U, do_ebreak, 0);
	CHECK_TRAP(3, before, CAUSE_BREAKPOINT, 0, PRV_S);
	CHECK_EQ(3, tr.epc, epc);
	CHECK_EQ(3, tr.status & MSTATUS_SPP, 0);
	before = tr.count;
	epc = run_in_mode(PRV_S, do_ebreak, 0);
	CHECK_TRAP(3, before, CAUSE_BREAKPOINT, 0, PRV_S);
	CHECK_EQ(3, tr.epc, epc);
	CHECK_EQ(3, tr.status & MSTATUS_SPP, MSTATUS_SPP);
	CHECK_EQ(3, exit_cause, CAUSE_ECALL_S);

	/* 4: SIE = 1 at the trap: SPIE = 1, SIE = 0 in the handler, and sret
	 * restores SIE = 1 */
	before = tr.count;
	uint64_t st = run_in_mode(PRV_S, s_ebreak_sie, 1);
	CHECK_EQ(4, tr.count - before, 1);
	CHECK_EQ(4, tr.status & (MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE), MSTATUS_SPP | MSTATUS_SPIE);
	CHECK_EQ(4, st & (MSTATUS_SPIE | MSTATUS_SIE), MSTATUS_SPIE | MSTATUS_SIE);
	before = tr.count;
	st = run_in_mode(PRV_S, s_ebreak_sie, 0);
	CHECK_EQ(4, tr.status & (MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE), MSTATUS_SPP);
	CHECK_EQ(4, st & (MSTATUS_SPIE | MSTATUS_SIE), MSTATUS_SPIE);

	/* 5: exceptions taken in M are never delegated */
	before = tr.count;
	epc = run_in_mode(PRV_M, do_ebreak, 0);
	CHECK_TRAP(5, before, CAUSE_BREAKPOINT, 0, PRV_M);
	CHECK_EQ(5, tr.epc, epc);
	csr_write(medeleg, (1 << CAUSE_ECALL_M) | (1 << CAUSE_ILLEGAL));
	before = tr.count;
	expect_trap(1);
	__asm__ volatile("ecall" ::: "memory");
	CHECK_TRAP(5, before, CAUSE_ECALL_M, 0, PRV_M);
	before = tr.count;
	expect_trap(1);
	__asm__ volatile(".word 0xffffffff" ::: "memory");
	CHECK_TRAP(5, before, CAUSE_ILLEGAL, 0xffffffff, PRV_M);

	/* 6: delegated illegal instruction: stval = the instruction */
	csr_write(medeleg, 1 << CAUSE_ILLEGAL);
	before = tr.count;
	run_in_mode(PRV_U, do_illegal_csr, 0);
	CHECK_EQ(6, tr.count - before, 1);
	CHECK_EQ(6, tr.where, PRV_S);
	CHECK_EQ(6, tr.cause, CAUSE_ILLEGAL);
	CHECK_EQ(6, tr.tval >> 20, 0x300);
	CHECK_EQ(6, tr.tval & 0x7f, 0x73);
	run_in_mode(PRV_S, do_illegal_csr, 0);
	CHECK_EQ(6, tr.count - before, 2);
	CHECK_EQ(6, tr.where, PRV_S);
	CHECK_EQ(6, tr.cause, CAUSE_ILLEGAL);
	csr_write(medeleg, 0);

	/* 7: sedeleg/sideleg do not exist (no N extension) */
	before = tr.count;
	expect_trap(1);
	__asm__ volatile("csrr t0, 0x102" ::: "t0");
	CHECK_TRAP(7, before, CAUSE_ILLEGAL, 0x102022f3, PRV_M);
	before = tr.count;
	expect_trap(1);
	__asm__ volatile("csrr t0, 0x103" ::: "t0");
	CHECK_TRAP(7, before, CAUSE_ILLEGAL, 0x103022f3, PRV_M);

	/* 8: vectored mtvec: exceptions go to the base, interrupts to
	 * base + 4 * cause; mcause has bit 63 set for interrupts */
	*CLINT_MTIMECMP = ~0ULL;
	csr_write(mtvec, (uint64_t)m_vec_table | 1);
	before = tr.count;
	epc = run_in_mode(PRV_U, do_ebreak, 0);
	CHECK_TRAP(8, before, CAUSE_BREAKPOINT, 0, PRV_M);
	CHECK_EQ(8, tr.vec, 0);
	before = tr.count;
	expect_trap(1);
	__asm__ volatile("ecall" ::: "memory");
	CHECK_TRAP(8, before, CAUSE_ECALL_M, 0, PRV_M);
	CHECK_EQ(8, tr.vec, 0);
	*CLINT_MSIP = 1;
	csr_write(mie, MIP_MSIP);
	before = tr.count;
	expect_trap(1);
	csr_set(mstatus, MSTATUS_MIE);
	__asm__ volatile("nop\n nop\n nop\n nop" ::: "memory");
	csr_clear(mstatus, MSTATUS_MIE);
	CHECK_TRAP(8, before, CAUSE_INTR | IRQ_MSI, 0, PRV_M);
	CHECK_EQ(8, tr.vec, IRQ_MSI);
	*CLINT_MTIMECMP = 0;
	csr_write(mie, MIP_MTIP);
	before = tr.count;
	expect_trap(1);
	csr_set(mstatus, MSTATUS_MIE);
	__asm__ volatile("nop\n nop\n nop\n nop" ::: "memory");
	csr_clear(mstatus, MSTATUS_MIE);
	CHECK_TRAP(8, before, CAUSE_INTR | IRQ_MTI, 0, PRV_M);
	CHECK_EQ(8, tr.vec, IRQ_MTI);
	/* in direct mode the same interrupt goes to the base */
	csr_write(mtvec, (uint64_t)m_trap_entry);
	*CLINT_MSIP = 1;
	csr_write(mie, MIP_MSIP);
	before = tr.count;
	expect_trap(1);
	csr_set(mstatus, MSTATUS_MIE);
	__asm__ volatile("nop\n nop\n nop\n nop" ::: "memory");
	csr_clear(mstatus, MSTATUS_MIE);
	CHECK_TRAP(8, before, CAUSE_INTR | IRQ_MSI, 0, PRV_M);
	CHECK_EQ(8, tr.vec, -1);
	csr_write(mie, 0);

	/* 9: vectored stvec with delegated interrupts and exceptions */
	csr_write(stvec, (uint64_t)s_vec_table | 1);
	csr_write(mideleg, MIP_SSIP | MIP_STIP);
	csr_write(medeleg, 1 << CAUSE_BREAKPOINT);
	csr_write(mie, MIP_SSIP | MIP_STIP);
	csr_set(mip, MIP_SSIP);
	before = tr.count;
	expect_trap(1);
	run_in_mode(PRV_S, s_sie_window, 4);
	CHECK_TRAP(9, before, CAUSE_INTR | IRQ_SSI, 0, PRV_S);
	CHECK_EQ(9, tr.vec, IRQ_SSI);
	csr_set(mip, MIP_STIP);
	before = tr.count;
	expect_trap(1);
	run_in_mode(PRV_S, s_sie_window, 4);
	CHECK_TRAP(9, before, CAUSE_INTR | IRQ_STI, 0, PRV_S);
	CHECK_EQ(9, tr.vec, IRQ_STI);
	csr_clear(mip, MIP_STIP);
	before = tr.count;
	epc = run_in_mode(PRV_U, do_ebreak, 0);
	CHECK_TRAP(9, before, CAUSE_BREAKPOINT, 0, PRV_S);
	CHECK_EQ(9, tr.vec, 0);
	CHECK_EQ(9, tr.epc, epc);
	csr_write(stvec, (uint64_t)s_trap_entry);
	csr_write(mideleg, 0);
	csr_write(medeleg, 0);
	csr_write(mie, 0);

	return 0;
}
