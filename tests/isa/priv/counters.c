/* Counters: cycle/instret/hpmcounter3 (and time when it exists) readable in
 * M; mcounteren/scounteren gate them in S and U; mcycle/minstret are
 * writable; mcountinhibit freezes them; user counter CSRs are read-only. */
#include "priv.h"

/* read counter CSR `which` in the current mode; returns 1 if it trapped */
static volatile uint64_t rd_val;
static uint64_t rd_counter(uint64_t which)
{
	int before = tr.count;
	uint64_t v = 0;
	expect_trap(1);
	switch (which) {
	case 0: v = csr_read(cycle); break;
	case 1: v = csr_read(time); break;
	case 2: v = csr_read(instret); break;
	case 3: v = csr_read(hpmcounter3); break;
	}
	t_expect = 0;
	rd_val = v;
	return tr.count - before;
}

static const uint32_t rd_insn[4] = {
	0xc0002573,  /* csrr a0, cycle   (a0 or another register: checked by mask) */
	0xc0102573,
	0xc0202573,
	0xc0302573,
};

int main(void)
{
	priv_init();
	int before;

	/* 1: M reads cycle, instret and hpmcounter3 (which counts nothing: 0);
	 * instret advances */
	CHECK_EQ(1, rd_counter(0), 0);
	CHECK_EQ(1, rd_counter(2), 0);
	uint64_t i0 = rd_val;
	for (volatile int i = 0; i < 10; i++)
		;
	CHECK_EQ(1, rd_counter(2), 0);
	CHECK_EQ(1, rd_val > i0, 1);
	CHECK_EQ(1, rd_counter(3), 0);
	CHECK_EQ(1, rd_val, 0);
	CHECK_EQ(1, csr_read(mhpmcounter3), 0);

	/* 2: time: QEMU's spike machine has no time CSR (no rdtime source), so
	 * reading it is illegal in every mode.  Where it exists it must follow
	 * mtime. */
	uint64_t m0 = *CLINT_MTIME;
	int time_missing = rd_counter(1);
	uint64_t m1 = *CLINT_MTIME;
	if (time_missing) {
		CHECK_EQ(2, tr.cause, CAUSE_ILLEGAL);
		CHECK_EQ(2, tr.tval & 0xfffff07f, 0xc0102073);
		CHECK_EQ(2, qemu72(), 1);            /* only accepted from QEMU */
	} else {
		CHECK_EQ(2, rd_val >= m0 && rd_val <= m1, 1);
	}

	/* 3: gating: S needs the mcounteren bit, U needs mcounteren and
	 * scounteren; otherwise illegal with mtval = the instruction */
	for (int en = 0; en < 4; en++) {
		csr_write(mcounteren, en & 1 ? 0xf : 0);
		csr_write(scounteren, en & 2 ? 0xf : 0);
		for (uint64_t c = 0; c < 4; c++) {
			int s_ok = (en & 1) && !(c == 1 && time_missing);
			int u_ok = (en & 3) == 3 && !(c == 1 && time_missing);
			before = tr.count;
			CHECK_EQ(3, run_in_mode(PRV_S, rd_counter, c), !s_ok);
			if (!s_ok) {
				CHECK_EQ(3, tr.cause, CAUSE_ILLEGAL);
				CHECK_EQ(3, tr.tval & 0xfffff07f, rd_insn[c] & 0xfffff07f);
				CHECK_EQ(3, (tr.status >> MPP_SHIFT) & 3, PRV_S);
			}
			CHECK_EQ(3, run_in_mode(PRV_U, rd_counter, c), !u_ok);
			if (!u_ok) {
				CHECK_EQ(3, tr.cause, CAUSE_ILLEGAL);
				CHECK_EQ(3, (tr.status >> MPP_SHIFT) & 3, PRV_U);
			}
		}
	}
	/* the bits are separate: only CY enabled */
	csr_write(mcounteren, 1);
	csr_write(scounteren, 1);
	CHECK_EQ(3, run_in_mode(PRV_U, rd_counter, 0), 0);
	CHECK_EQ(3, run_in_mode(PRV_U, rd_counter, 2), 1);
	CHECK_EQ(3, run_in_mode(PRV_S, rd_counter, 3), 1);
	csr_write(mcounteren, 4);
	csr_write(scounteren, 4);
	CHECK_EQ(3, run_in_mode(PRV_S, rd_counter, 0), 1);
	CHECK_EQ(3, run_in_mode(PRV_U, rd_counter, 2), 0);
	csr_write(mcounteren, 0);
	csr_write(scounteren, 0);
	/* M-mode reads are never gated */
	CHECK_EQ(3, rd_counter(0), 0);
	CHECK_EQ(3, rd_counter(2), 0);

	/* 4: user counter CSRs are read-only: writing them is illegal, even
	 * in M */
	before = tr.count;
	expect_trap(1);
	__asm__ volatile("csrw cycle, zero");
	CHECK_TRAP(4, before, CAUSE_ILLEGAL, 0xc0001073, PRV_M);
	before = tr.count;
	expect_trap(1);
	__asm__ volatile("csrw instret, zero");
	CHECK_TRAP(4, before, CAUSE_ILLEGAL, 0xc0201073, PRV_M);

	/* 5: mcycle and minstret are writable; counting goes on from there */
	csr_write(minstret, 1000000);
	uint64_t v = csr_read(minstret);
	CHECK_EQ(5, v >= 1000000 && v < 1000000 + (1ULL << 40), 1);
	csr_write(mcycle, 3000000);
	v = csr_read(mcycle);
	CHECK_EQ(5, v >= 3000000 && v < 3000000 + (1ULL << 40), 1);
	v = csr_read(instret);
	CHECK_EQ(5, v >= 1000000 && v < 1000000 + (1ULL << 40), 1);

	/* 6: mcountinhibit.CY/IR freeze mcycle/minstret */
	csr_write(CSR_MCOUNTINHIBIT_N, 5);
	CHECK_EQ(6, csr_read(CSR_MCOUNTINHIBIT_N) & 7, 5);
	csr_write(mcycle, 1000);
	csr_write(minstret, 2000);
	for (volatile int i = 0; i < 20; i++)
		;
	CHECK_EQ(6, csr_read(mcycle), 1000);
	CHECK_EQ(6, csr_read(minstret), 2000);
	CHECK_EQ(6, csr_read(cycle), 1000);
	CHECK_EQ(6, csr_read(instret), 2000);
	csr_write(CSR_MCOUNTINHIBIT_N, 0);
	for (volatile int i = 0; i < 20; i++)
		;
	CHECK_EQ(6, csr_read(mcycle) > 1000, 1);
	CHECK_EQ(6, csr_read(minstret) > 2000, 1);
	/* only IR inhibited: cycle keeps counting */
	csr_write(CSR_MCOUNTINHIBIT_N, 4);
	csr_write(minstret, 50);
	v = csr_read(mcycle);
	for (volatile int i = 0; i < 20; i++)
		;
	CHECK_EQ(6, csr_read(mcycle) > v, 1);
	CHECK_EQ(6, csr_read(minstret), 50);
	csr_write(CSR_MCOUNTINHIBIT_N, 0);

	return 0;
}
