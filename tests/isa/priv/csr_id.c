/* Machine CSRs: identification, misa, mstatus UXL/SXL, sstatus as a view of
 * mstatus, WARL behaviour of mtvec/stvec/satp, writable bits of
 * medeleg/mideleg/mie/mip, read-only CSRs. */
#include "priv.h"

#define MISA_H (1ULL << 7)
/* RV64 (MXL=2) A C D F I M S U */
#define MISA_WANT (2ULL << 62 | 1 << 0 | 1 << 2 | 1 << 3 | 1 << 5 | 1 << 8 | 1 << 12 | 1 << 18 | 1 << 20)

static uint64_t s_read_mstatus(uint64_t x)
{
	expect_trap(1);
	return csr_read(mstatus);
}

int main(void)
{
	priv_init();
	int before;

	/* 1: misa.  QEMU 7.2's rv64 CPU also has H (bit 7); Machina has no H. */
	uint64_t misa = csr_read(misa);
	CHECK_EQ(1, misa & ~MISA_H, MISA_WANT);
	/* writes are ignored (QEMU: misa is read-only) */
	csr_write(misa, misa & ~(1ULL << 2));
	CHECK_EQ(1, csr_read(misa), misa);
	csr_write(misa, 0);
	CHECK_EQ(1, csr_read(misa), misa);

	/* 2: ids are readable, hart 0 */
	CHECK_EQ(2, csr_read(mhartid), 0);
	(void)csr_read(mvendorid);
	(void)csr_read(marchid);
	(void)csr_read(mimpid);
	CHECK_EQ(2, tr.count, 0);

	/* 3: writing a read-only CSR is illegal; mtval = the instruction */
	before = tr.count;
	expect_trap(1);
	__asm__ volatile(".option push\n .option norvc\n csrw mhartid, zero\n .option pop");
	CHECK_TRAP(3, before, CAUSE_ILLEGAL, 0xf1401073, PRV_M);
	before = tr.count;
	expect_trap(1);
	__asm__ volatile("csrrsi zero, mvendorid, 1");
	CHECK_TRAP(3, before, CAUSE_ILLEGAL, 0xf110e073, PRV_M);
	/* csrrs with x0 does not write: no trap */
	before = tr.count;
	__asm__ volatile("csrrs zero, mvendorid, zero");
	CHECK_EQ(3, tr.count, before);
	/* an unimplemented CSR number is illegal (0x7c0 is custom, unused) */
	before = tr.count;
	expect_trap(1);
	__asm__ volatile("csrr t0, 0x7c0" ::: "t0");
	CHECK_TRAP(3, before, CAUSE_ILLEGAL, 0x7c0022f3, PRV_M);

	/* 4: UXL and SXL read as 2 and stay 2 across writes that leave them 0
	 * (QEMU 7.2 lets a non-zero UXL write through, so never write UXL). */
	uint64_t ms = csr_read(mstatus);
	CHECK_EQ(4, ms & (MSTATUS_UXL | MSTATUS_SXL), 0xaULL << 32);
	csr_write(mstatus, 0);
	CHECK_EQ(4, csr_read(mstatus), 0xaULL << 32);
	CHECK_EQ(4, csr_read(sstatus), 0x2ULL << 32);
	/* MBE/SBE/UBE are read-only zero (little-endian only) */
	csr_set(mstatus, MSTATUS_MBE | MSTATUS_SBE | MSTATUS_UBE);
	CHECK_EQ(4, csr_read(mstatus), 0xaULL << 32);

	/* 5: sstatus writes reach only the S fields of mstatus */
	const uint64_t s_fields = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS |
				  MSTATUS_SUM | MSTATUS_MXR;
	const uint64_t m_fields = MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV |
				  MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR;
	csr_write(mstatus, 0);
	csr_write(sstatus, ~(MSTATUS_UXL | MSTATUS_VS));
	CHECK_EQ(5, csr_read(mstatus), s_fields | MSTATUS_SD | (0xaULL << 32));
	CHECK_EQ(5, csr_read(sstatus), s_fields | MSTATUS_SD | (0x2ULL << 32));
	csr_write(mstatus, m_fields);
	CHECK_EQ(5, csr_read(mstatus), m_fields | (0xaULL << 32));
	CHECK_EQ(5, csr_read(sstatus), 0x2ULL << 32);        /* no M field shows */
	csr_write(sstatus, s_fields);
	CHECK_EQ(5, csr_read(mstatus), m_fields | s_fields | MSTATUS_SD | (0xaULL << 32));
	csr_write(sstatus, 0);
	CHECK_EQ(5, csr_read(mstatus), m_fields | (0xaULL << 32));
	csr_clear(sstatus, ~0ULL & ~(MSTATUS_UXL | MSTATUS_VS));
	CHECK_EQ(5, csr_read(mstatus), m_fields | (0xaULL << 32));
	csr_write(mstatus, MSTATUS_FS);

	/* 6: SD is read-only: it follows FS == Dirty */
	csr_write(mstatus, MSTATUS_SD);
	CHECK_EQ(6, csr_read(mstatus) & MSTATUS_SD, 0);
	csr_write(mstatus, 3ULL << 13);
	CHECK_EQ(6, csr_read(mstatus) & MSTATUS_SD, MSTATUS_SD);
	csr_write(mstatus, 2ULL << 13);
	CHECK_EQ(6, csr_read(mstatus) & MSTATUS_SD, 0);
	csr_write(mstatus, MSTATUS_FS);

	/* 7: mtvec/stvec: direct and vectored modes stick; a reserved mode
	 * (2, 3) makes QEMU ignore the whole write */
	uint64_t base = (uint64_t)m_vec_table;
	csr_write(mtvec, base | 1);
	CHECK_EQ(7, csr_read(mtvec), base | 1);
	csr_write(mtvec, base);
	CHECK_EQ(7, csr_read(mtvec), base);
	csr_write(mtvec, (uint64_t)m_trap_entry | 2);
	CHECK_EQ(7, csr_read(mtvec), base);
	csr_write(mtvec, (uint64_t)m_trap_entry | 3);
	CHECK_EQ(7, csr_read(mtvec), base);
	csr_write(mtvec, (uint64_t)m_trap_entry);
	CHECK_EQ(7, csr_read(mtvec), (uint64_t)m_trap_entry);
	base = (uint64_t)s_vec_table;
	csr_write(stvec, base | 1);
	CHECK_EQ(7, csr_read(stvec), base | 1);
	csr_write(stvec, (uint64_t)s_trap_entry | 2);
	CHECK_EQ(7, csr_read(stvec), base | 1);
	csr_write(stvec, (uint64_t)s_trap_entry);
	CHECK_EQ(7, csr_read(stvec), (uint64_t)s_trap_entry);

	/* 8: satp: Bare, Sv39, Sv48 and Sv57 are accepted; any other MODE
	 * leaves satp unchanged (the whole write is dropped); ASID has 16 bits */
	for (uint64_t m = 0; m < 16; m++) {
		uint64_t old = (8ULL << 60) | (0x1234ULL << 44) | 0x80123;
		csr_write(satp, old);
		uint64_t v = (m << 60) | (0x55ULL << 44) | 0x80456;
		csr_write(satp, v);
		int ok = m == 0 || m == 8 || m == 9 || m == 10;
		CHECK_EQ(8, csr_read(satp), ok ? v : old);
	}
	csr_write(satp, (8ULL << 60) | (0xffffULL << 44) | 0x80000);
	CHECK_EQ(8, csr_read(satp), (8ULL << 60) | (0xffffULL << 44) | 0x80000);
	csr_write(satp, 0);
	CHECK_EQ(8, csr_read(satp), 0);

	/* 9: delegation and interrupt-enable registers.  Bits that only exist
	 * with H (medeleg 10, 20-23; mideleg/mie 2, 6, 10, 12), and medeleg[11],
	 * which QEMU leaves writable, are not looked at. */
	const uint64_t medeleg_seen = 0xfffffULL & ~0xc00ULL;
	csr_write(medeleg, ~0ULL);
	CHECK_EQ(9, csr_read(medeleg) & medeleg_seen, 0xb3ff);
	csr_write(medeleg, 0);
	CHECK_EQ(9, csr_read(medeleg) & medeleg_seen, 0);
	csr_write(mideleg, ~0ULL);
	CHECK_EQ(9, csr_read(mideleg) & 0xaaa, 0x222);     /* M interrupts stay in M */
	csr_write(mideleg, 0);
	CHECK_EQ(9, csr_read(mideleg) & 0xaaa, 0);
	csr_write(mie, ~0ULL);
	CHECK_EQ(9, csr_read(mie) & 0xaaa, 0xaaa);
	csr_write(mie, 0);
	CHECK_EQ(9, csr_read(mie) & 0xaaa, 0);
	/* mip: only SSIP, STIP, SEIP are writable; MSIP/MTIP come from the
	 * CLINT (mtimecmp resets to 0 on QEMU, so move it away first) */
	*CLINT_MTIMECMP = ~0ULL;
	*CLINT_MSIP = 0;
	csr_write(mip, ~0ULL);
	CHECK_EQ(9, csr_read(mip) & 0xaaa, 0x222);
	csr_write(mip, 0);
	CHECK_EQ(9, csr_read(mip) & 0xaaa, 0);

	/* 10: scratch and trap CSRs hold what is written */
	csr_write(mscratch, 0x0123456789abcdefULL);
	CHECK_EQ(10, csr_swap(mscratch, (uint64_t)(m_trap_stack + 4096)), 0x0123456789abcdefULL);
	csr_write(sscratch, 0xfedcba9876543210ULL);
	CHECK_EQ(10, csr_swap(sscratch, (uint64_t)(s_trap_stack + 4096)), 0xfedcba9876543210ULL);
	csr_write(mepc, 0x80001234);
	CHECK_EQ(10, csr_read(mepc), 0x80001234);
	csr_write(sepc, 0x80005678);
	CHECK_EQ(10, csr_read(sepc), 0x80005678);
	csr_write(mcause, CAUSE_INTR | 7);
	CHECK_EQ(10, csr_read(mcause), CAUSE_INTR | 7);
	csr_write(scause, 13);
	CHECK_EQ(10, csr_read(scause), 13);
	csr_write(mtval, 0xdeadbeefcafeULL);
	CHECK_EQ(10, csr_read(mtval), 0xdeadbeefcafeULL);
	csr_write(stval, 0xbeefULL);
	CHECK_EQ(10, csr_read(stval), 0xbeefULL);

	/* 11: an M CSR read from S is illegal, mtval = instruction */
	before = tr.count;
	run_in_mode(PRV_S, s_read_mstatus, 0);
	CHECK_EQ(11, tr.count - before, 1);
	CHECK_EQ(11, tr.cause, CAUSE_ILLEGAL);
	CHECK_EQ(11, tr.tval >> 20, 0x300);

	return 0;
}
