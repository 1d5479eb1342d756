/* Supervisor interrupts raised by M through mip.SSIP/STIP/SEIP: visibility
 * of sip/sie under mideleg, delegation to S, enabling rules (sstatus.SIE in
 * S, always in U, never in M when delegated), non-delegated S interrupts
 * going to M, and the order of several pending ones. */
#include "priv.h"

extern char s_after_csrs[];

/* S: read sip | sie << 32 */
static uint64_t s_read_sip_sie(uint64_t x)
{
	return csr_read(sip) | csr_read(sie) << 32;
}

/* S: write sip and sie with x, read back */
static uint64_t s_write_sip_sie(uint64_t x)
{
	csr_write(sie, x);
	csr_write(sip, x);
	return csr_read(sip) | csr_read(sie) << 32;
}

/* S: open a window with SIE = 1 (the interrupt hits at s_after_csrs) */
__attribute__((noinline)) static uint64_t s_sie_window(uint64_t x)
{
	__asm__ volatile("csrsi sstatus, 2\n"
			 ".globl s_after_csrs\n s_after_csrs: nop\n nop\n nop\n nop\n"
			 "csrci sstatus, 2" ::: "memory");
	return 0;
}

static uint64_t lower_spin(uint64_t n)
{
	for (volatile uint64_t i = 0; i < n; i++)
		;
	return 0;
}

int main(void)
{
	priv_init();
	int before;
	const uint64_t S3 = MIP_SSIP | MIP_STIP | MIP_SEIP;

	*CLINT_MTIMECMP = ~0ULL;

	/* 1: nothing delegated: sip/sie read 0 and ignore writes */
	csr_write(mie, S3);
	csr_set(mip, S3);
	CHECK_EQ(1, csr_read(mip) & 0xaaa, S3);
	csr_write(mie, 0);
	CHECK_EQ(1, run_in_mode(PRV_S, s_read_sip_sie, 0), 0);
	CHECK_EQ(1, run_in_mode(PRV_S, s_write_sip_sie, ~0ULL), 0);
	CHECK_EQ(1, csr_read(mie) & 0xaaa, 0);
	CHECK_EQ(1, csr_read(mip) & 0xaaa, S3);        /* unchanged */
	CHECK_EQ(1, csr_read(sip) & 0xaaa, 0);         /* same view from M */

	/* 2: delegated: sip/sie are views of mip/mie for the delegated bits;
	 * S can write sip.SSIP but not STIP/SEIP; M bits never show */
	csr_write(mideleg, S3);
	csr_write(mie, S3);
	*CLINT_MSIP = 1;
	CHECK_EQ(2, run_in_mode(PRV_S, s_read_sip_sie, 0), S3 | S3 << 32);
	CHECK_EQ(2, csr_read(sip) & 0xaaa, S3);
	CHECK_EQ(2, csr_read(sie) & 0xaaa, S3);
	*CLINT_MSIP = 0;
	csr_write(mie, 0);
	/* from S: sip <- 0 clears only SSIP; sie <- 0 clears the S enables */
	CHECK_EQ(2, run_in_mode(PRV_S, s_write_sip_sie, 0), MIP_STIP | MIP_SEIP);
	CHECK_EQ(2, csr_read(mip) & 0xaaa, MIP_STIP | MIP_SEIP);
	csr_write(mip, 0);
	CHECK_EQ(2, run_in_mode(PRV_S, s_write_sip_sie, ~0ULL), MIP_SSIP | S3 << 32);
	CHECK_EQ(2, csr_read(mip) & 0xaaa, MIP_SSIP);
	CHECK_EQ(2, csr_read(mie) & 0xaaa, S3);        /* M enables untouched */
	csr_write(mip, 0);
	csr_write(mie, 0);
	/* partly delegated: only the SSI bits show (STI/SEI left pending here
	 * would be M interrupts taken in S, so only their enables are set) */
	csr_write(mideleg, MIP_SSIP);
	csr_write(mie, S3);
	csr_set(mip, MIP_SSIP);
	CHECK_EQ(2, run_in_mode(PRV_S, s_read_sip_sie, 0), MIP_SSIP | MIP_SSIP << 32);
	csr_set(mip, S3);
	CHECK_EQ(2, csr_read(sip) & 0xaaa, MIP_SSIP);
	csr_write(mip, 0);
	csr_write(mie, 0);

	/* 3: delegated SSI: not taken in M even with MIE = 1; not in S with
	 * SIE = 0; taken in S when SIE = 1: scause = 1<<63 | 1, stval 0, sepc
	 * = next instruction, SPP = S, SPIE = 1, SIE = 0 */
	csr_write(mideleg, S3);
	csr_write(mie, MIP_SSIP);
	csr_set(mip, MIP_SSIP);
	before = tr.count;
	csr_set(mstatus, MSTATUS_MIE);
	lower_spin(10);
	csr_clear(mstatus, MSTATUS_MIE);
	CHECK_EQ(3, tr.count, before);
	run_in_mode(PRV_S, lower_spin, 10);
	CHECK_EQ(3, tr.count, before);
	expect_trap(1);
	run_in_mode(PRV_S, s_sie_window, 0);
	CHECK_TRAP(3, before, CAUSE_INTR | IRQ_SSI, 0, PRV_S);
	CHECK_EQ(3, tr.epc, (uint64_t)s_after_csrs);
	CHECK_EQ(3, tr.status & (MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE), MSTATUS_SPP | MSTATUS_SPIE);
	CHECK_EQ(3, csr_read(mip) & MIP_SSIP, 0);      /* the S handler cleared sip.SSIP */

	/* 4: in U a delegated S interrupt is taken whatever SIE says */
	csr_set(mip, MIP_SSIP);
	before = tr.count;
	expect_trap(1);
	run_in_mode(PRV_U, lower_spin, 10);
	CHECK_TRAP(4, before, CAUSE_INTR | IRQ_SSI, 0, PRV_S);
	CHECK_EQ(4, tr.epc, (uint64_t)run_trampoline);
	CHECK_EQ(4, tr.status & (MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE), 0);

	/* 5: delegated STI and SEI (the S handler masks them in sie, since S
	 * cannot clear them); M clears the pending bits afterwards */
	csr_write(mie, MIP_STIP);
	csr_set(mip, MIP_STIP);
	before = tr.count;
	expect_trap(1);
	run_in_mode(PRV_S, s_sie_window, 0);
	CHECK_TRAP(5, before, CAUSE_INTR | IRQ_STI, 0, PRV_S);
	CHECK_EQ(5, csr_read(mie) & MIP_STIP, 0);
	csr_clear(mip, MIP_STIP);
	csr_write(mie, MIP_SEIP);
	csr_set(mip, MIP_SEIP);
	before = tr.count;
	expect_trap(1);
	run_in_mode(PRV_U, lower_spin, 10);
	CHECK_TRAP(5, before, CAUSE_INTR | IRQ_SEI, 0, PRV_S);
	csr_clear(mip, MIP_SEIP);

	/* 6: not delegated, an S interrupt is an M trap: taken in S and U
	 * whatever MIE/SIE say, and in M only with MIE = 1 */
	csr_write(mideleg, 0);
	csr_write(mie, MIP_STIP);
	csr_set(mip, MIP_STIP);
	before = tr.count;
	expect_trap(1);
	run_in_mode(PRV_S, lower_spin, 10);
	CHECK_TRAP(6, before, CAUSE_INTR | IRQ_STI, 0, PRV_M);
	CHECK_EQ(6, (tr.status >> MPP_SHIFT) & 3, PRV_S);
	CHECK_EQ(6, csr_read(mip) & MIP_STIP, 0);      /* the M handler cleared it */
	csr_write(mie, MIP_SSIP);
	csr_set(mip, MIP_SSIP);
	lower_spin(10);
	CHECK_EQ(6, tr.count - before, 1);
	expect_trap(1);
	csr_set(mstatus, MSTATUS_MIE);
	lower_spin(10);
	csr_clear(mstatus, MSTATUS_MIE);
	CHECK_EQ(6, tr.count - before, 2);
	CHECK_EQ(6, tr.cause, CAUSE_INTR | IRQ_SSI);
	CHECK_EQ(6, tr.where, PRV_M);

	/* 7: several delegated S interrupts pending in S: spec order SEI, SSI,
	 * STI; QEMU 7.2 takes the lowest number first: SSI, STI, SEI */
	csr_write(mideleg, S3);
	csr_write(mie, S3);
	csr_set(mip, S3);
	irq_n = 0;
	before = tr.count;
	expect_trap(3);
	run_in_mode(PRV_S, s_sie_window, 0);
	CHECK_EQ(7, tr.count - before, 3);
	static const uint8_t spec_order[3] = { IRQ_SEI, IRQ_SSI, IRQ_STI };
	static const uint8_t qemu_order[3] = { IRQ_SSI, IRQ_STI, IRQ_SEI };
	const uint8_t *order = qemu72() ? qemu_order : spec_order;
	for (int i = 0; i < 3; i++)
		CHECK_EQ(7, irq_log[i], order[i]);
	csr_write(mip, 0);

	/* 8: SSI vs STI alone: SSI first (spec and QEMU agree) */
	csr_write(mie, MIP_SSIP | MIP_STIP);
	csr_set(mip, MIP_SSIP | MIP_STIP);
	irq_n = 0;
	before = tr.count;
	expect_trap(2);
	run_in_mode(PRV_S, s_sie_window, 0);
	CHECK_EQ(8, tr.count - before, 2);
	CHECK_EQ(8, irq_log[0], IRQ_SSI);
	CHECK_EQ(8, irq_log[1], IRQ_STI);
	csr_write(mip, 0);

	/* 9: a pending non-delegated M interrupt beats delegated ones in S */
	csr_write(mie, MIP_SSIP | MIP_MSIP);
	csr_set(mip, MIP_SSIP);
	*CLINT_MSIP = 1;
	irq_n = 0;
	before = tr.count;
	expect_trap(2);
	run_in_mode(PRV_S, s_sie_window, 0);
	CHECK_EQ(9, tr.count - before, 2);
	CHECK_EQ(9, irq_log[0], IRQ_MSI);
	CHECK_EQ(9, irq_log[1], IRQ_SSI);

	csr_write(mip, 0);
	csr_write(mie, 0);
	csr_write(mideleg, 0);
	return 0;
}
