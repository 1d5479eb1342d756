/* Traps and privilege changes: ecall from U/S/M, ebreak, illegal
 * instructions and their mtval, mret/sret state transitions, entering S and U
 * by mret/sret, xRET and WFI in the wrong mode, mstatus.TSR and TW. */
#include "priv.h"

/* each returns the address the trap should report in mepc */
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

static uint64_t do_cebreak(uint64_t x)
{
	uint64_t pc;
	expect_trap(1);
	__asm__ volatile("auipc %0, 0\n c.ebreak" : "=r"(pc) :: "memory");
	return pc + 4;
}

static uint64_t do_insn_mret(uint64_t x) { expect_trap(1); __asm__ volatile("mret" ::: "memory"); return 0; }
static uint64_t do_insn_sret(uint64_t x) { expect_trap(1); __asm__ volatile("sret" ::: "memory"); return 0; }
static uint64_t do_insn_wfi(uint64_t x) { expect_trap(1); __asm__ volatile("wfi" ::: "memory"); return 0; }

/* Running in M: drop to mode x by mret, then return (the run ends with an
 * ecall from mode x). */
static uint64_t mret_down(uint64_t mode)
{
	__asm__ volatile("li t0, 3 << 11\n csrc mstatus, t0\n"
			 "slli t1, %0, 11\n csrs mstatus, t1\n"
			 "la t0, 1f\n csrw mepc, t0\n mret\n1:"
			 :: "r"(mode) : "t0", "t1", "memory");
	return 7;
}

/* Running in M or S: sret to SPP = mode, then return. */
static uint64_t sret_down(uint64_t mode)
{
	__asm__ volatile("li t0, 1 << 8\n csrc sstatus, t0\n"
			 "slli t1, %0, 8\n csrs sstatus, t1\n"
			 "la t0, 1f\n csrw sepc, t0\n sret\n1:"
			 :: "r"(mode) : "t0", "t1", "memory");
	return 8;
}

/* S: sret with given sstatus; return sstatus after (still in S) */
static uint64_t sret_state(uint64_t st)
{
	uint64_t r;
	__asm__ volatile("csrw sstatus, %1\n la t0, 1f\n csrw sepc, t0\n sret\n1: csrr %0, sstatus"
			 : "=r"(r) : "r"(st) : "t0", "memory");
	return r;
}

/* M: mret to M with given mstatus; return mstatus after */
static uint64_t mret_state(uint64_t st)
{
	uint64_t r;
	__asm__ volatile("csrw mstatus, %1\n la t0, 1f\n csrw mepc, t0\n mret\n1: csrr %0, mstatus"
			 : "=r"(r) : "r"(st) : "t0", "memory");
	return r;
}

static uint64_t u_read_sstatus(uint64_t x) { expect_trap(1); return csr_read(sstatus); }

int main(void)
{
	priv_init();
	int before;
	const uint64_t xl = 0xaULL << 32;

	/* 1-3: ecall from U, S, M: cause 8, 9, 11; mtval 0; mepc = the ecall;
	 * MPP = the mode trapped from */
	static const uint64_t ecall_cause[4] = { CAUSE_ECALL_U, CAUSE_ECALL_S, 0, CAUSE_ECALL_M };
	for (int m = 0; m < 4; m++) {
		if (m == 2)
			continue;
		int n = m == 3 ? 3 : m + 1;
		before = tr.count;
		uint64_t epc = run_in_mode(m, do_ecall, 0);
		CHECK_TRAP(n, before, ecall_cause[m], 0, PRV_M);
		CHECK_EQ(n, tr.epc, epc);
		CHECK_EQ(n, (tr.status >> MPP_SHIFT) & 3, m);
		CHECK_EQ(n, tr.status & (MSTATUS_MIE | MSTATUS_MPIE), 0);
		CHECK_EQ(n, exit_cause, ecall_cause[m]);      /* the run ended in mode m */
	}

	/* 4: ebreak (32- and 16-bit) from M, S, U: cause 3, mtval 0 (QEMU
	 * writes 0 for breakpoints), mepc = the ebreak */
	for (int m = 0; m < 4; m++) {
		if (m == 2)
			continue;
		before = tr.count;
		uint64_t epc = run_in_mode(m, do_ebreak, 0);
		CHECK_TRAP(4, before, CAUSE_BREAKPOINT, 0, PRV_M);
		CHECK_EQ(4, tr.epc, epc);
		CHECK_EQ(4, (tr.status >> MPP_SHIFT) & 3, m);
		before = tr.count;
		epc = run_in_mode(m, do_cebreak, 0);
		CHECK_TRAP(4, before, CAUSE_BREAKPOINT, 0, PRV_M);
		CHECK_EQ(4, tr.epc, epc);
	}

	/* 5: illegal instructions: mtval = the instruction bits (16-bit ones
	 * zero-extended) */
	before = tr.count;
	expect_trap(1);
	__asm__ volatile(".word 0xffffffff");
	CHECK_TRAP(5, before, CAUSE_ILLEGAL, 0xffffffff, PRV_M);
	before = tr.count;
	expect_trap(1);
	__asm__ volatile(".half 0x0000");                 /* c.unimp */
	CHECK_TRAP(5, before, CAUSE_ILLEGAL, 0, PRV_M);
	before = tr.count;
	expect_trap(1);
	__asm__ volatile(".half 0x0004");                 /* c.addi4spn with imm 0: reserved */
	CHECK_TRAP(5, before, CAUSE_ILLEGAL, 0x0004, PRV_M);

	/* 6: trap entry saves MIE in MPIE and clears MIE; mret restores it */
	csr_set(mstatus, MSTATUS_MIE);                    /* mie = 0: nothing can fire */
	before = tr.count;
	expect_trap(1);
	__asm__ volatile("ecall" ::: "memory");
	CHECK_EQ(6, tr.count - before, 1);
	CHECK_EQ(6, tr.status & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP), MSTATUS_MPIE | MSTATUS_MPP);
	CHECK_EQ(6, csr_read(mstatus) & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP), MSTATUS_MIE | MSTATUS_MPIE);
	csr_clear(mstatus, MSTATUS_MIE);

	/* 7: mret (to M): MIE <- MPIE, MPIE <- 1, MPP <- U, MPRV kept */
	const uint64_t fsd = MSTATUS_FS | MSTATUS_SD;   /* FS = Dirty */
	CHECK_EQ(7, mret_state(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_FS), xl | MSTATUS_MIE | MSTATUS_MPIE | fsd);
	CHECK_EQ(7, mret_state(MSTATUS_MPP | MSTATUS_MIE | MSTATUS_FS), xl | MSTATUS_MPIE | fsd);
	CHECK_EQ(7, mret_state(MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_FS), xl | MSTATUS_MPIE | MSTATUS_MPRV | fsd);
	/* MPP = S: mret leaves MPP = U as well (checked from M after an ecall) */
	csr_write(mstatus, MSTATUS_FS);

	/* 8: mret to S and to U (observed through the mode of the final ecall).
	 * Leaving M clears MPRV (priv 1.12).  QEMU 7.2 does not: it keeps
	 * MPRV, so on QEMU expect it still set. */
	uint64_t keep_mprv = qemu72() ? MSTATUS_MPRV : 0;
	csr_set(mstatus, MSTATUS_MPRV);
	CHECK_EQ(8, run_in_mode(PRV_M, mret_down, PRV_S), 7);
	CHECK_EQ(8, exit_cause, CAUSE_ECALL_S);
	CHECK_EQ(8, csr_read(mstatus) & MSTATUS_MPRV, keep_mprv);
	csr_set(mstatus, MSTATUS_MPRV);
	CHECK_EQ(8, run_in_mode(PRV_M, mret_down, PRV_U), 7);
	CHECK_EQ(8, exit_cause, CAUSE_ECALL_U);
	CHECK_EQ(8, csr_read(mstatus) & MSTATUS_MPRV, keep_mprv);
	csr_clear(mstatus, MSTATUS_MPRV);
	/* mret from M to M with MPRV stays M */
	CHECK_EQ(8, run_in_mode(PRV_M, mret_down, PRV_M), 7);
	CHECK_EQ(8, exit_cause, CAUSE_ECALL_M);

	/* 9: sret executed in M goes to SPP (S or U); sret from S to U */
	CHECK_EQ(9, run_in_mode(PRV_M, sret_down, PRV_S), 8);
	CHECK_EQ(9, exit_cause, CAUSE_ECALL_S);
	CHECK_EQ(9, run_in_mode(PRV_M, sret_down, PRV_U), 8);
	CHECK_EQ(9, exit_cause, CAUSE_ECALL_U);
	CHECK_EQ(9, run_in_mode(PRV_S, sret_down, PRV_U), 8);
	CHECK_EQ(9, exit_cause, CAUSE_ECALL_U);
	CHECK_EQ(9, run_in_mode(PRV_S, sret_down, PRV_S), 8);
	CHECK_EQ(9, exit_cause, CAUSE_ECALL_S);
	/* sret also clears MPRV when it leaves M (QEMU 7.2 does not) */
	csr_set(mstatus, MSTATUS_MPRV);
	CHECK_EQ(9, run_in_mode(PRV_M, sret_down, PRV_S), 8);
	CHECK_EQ(9, csr_read(mstatus) & MSTATUS_MPRV, keep_mprv);
	csr_clear(mstatus, MSTATUS_MPRV);

	/* 10: sret in S: SIE <- SPIE, SPIE <- 1, SPP <- U */
	const uint64_t sxl = 0x2ULL << 32;
	CHECK_EQ(10, run_in_mode(PRV_S, sret_state, MSTATUS_SPP | MSTATUS_SPIE), sxl | MSTATUS_SIE | MSTATUS_SPIE);
	CHECK_EQ(10, run_in_mode(PRV_S, sret_state, MSTATUS_SPP | MSTATUS_SIE), sxl | MSTATUS_SPIE);
	CHECK_EQ(10, run_in_mode(PRV_S, sret_state, MSTATUS_SPP | MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SUM | MSTATUS_MXR),
		 sxl | MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SUM | MSTATUS_MXR);
	csr_write(mstatus, MSTATUS_FS);

	/* 11: xRET in a mode below its own is illegal; mtval = instruction */
	before = tr.count;
	run_in_mode(PRV_S, do_insn_mret, 0);
	CHECK_TRAP(11, before, CAUSE_ILLEGAL, 0x30200073, PRV_M);
	CHECK_EQ(11, (tr.status >> MPP_SHIFT) & 3, PRV_S);
	before = tr.count;
	run_in_mode(PRV_U, do_insn_mret, 0);
	CHECK_TRAP(11, before, CAUSE_ILLEGAL, 0x30200073, PRV_M);
	before = tr.count;
	run_in_mode(PRV_U, do_insn_sret, 0);
	CHECK_TRAP(11, before, CAUSE_ILLEGAL, 0x10200073, PRV_M);
	CHECK_EQ(11, (tr.status >> MPP_SHIFT) & 3, PRV_U);

	/* 12: TSR: sret in S is illegal; sret in M still works */
	csr_set(mstatus, MSTATUS_TSR);
	before = tr.count;
	run_in_mode(PRV_S, do_insn_sret, 0);
	CHECK_TRAP(12, before, CAUSE_ILLEGAL, 0x10200073, PRV_M);
	CHECK_EQ(12, run_in_mode(PRV_M, sret_down, PRV_S), 8);
	CHECK_EQ(12, exit_cause, CAUSE_ECALL_S);
	csr_clear(mstatus, MSTATUS_TSR);

	/* 13: wfi in U is illegal (S-mode exists); with TW=1 also in S.
	 * (wfi that waits is in irq_m.c) */
	before = tr.count;
	run_in_mode(PRV_U, do_insn_wfi, 0);
	CHECK_TRAP(13, before, CAUSE_ILLEGAL, 0x10500073, PRV_M);
	csr_set(mstatus, MSTATUS_TW);
	before = tr.count;
	run_in_mode(PRV_S, do_insn_wfi, 0);
	CHECK_TRAP(13, before, CAUSE_ILLEGAL, 0x10500073, PRV_M);
	CHECK_EQ(13, (tr.status >> MPP_SHIFT) & 3, PRV_S);
	before = tr.count;
	run_in_mode(PRV_U, do_insn_wfi, 0);
	CHECK_TRAP(13, before, CAUSE_ILLEGAL, 0x10500073, PRV_M);
	csr_clear(mstatus, MSTATUS_TW);

	/* 14: S CSRs are not accessible from U */
	before = tr.count;
	run_in_mode(PRV_U, u_read_sstatus, 0);
	CHECK_EQ(14, tr.count - before, 1);
	CHECK_EQ(14, tr.cause, CAUSE_ILLEGAL);
	CHECK_EQ(14, tr.tval >> 20, 0x100);

	return 0;
}
