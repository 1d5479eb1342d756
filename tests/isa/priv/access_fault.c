/* Access faults without paging: loads, stores, AMOs and fetches to physical
 * addresses with nothing behind them, from M, S and U; mtval = the address;
 * delegation of access faults to S. */
#include "priv.h"

static const uint64_t holes[] = {
	PA_HOLE,                   /* 0x4000_0000: between the CLINT and RAM */
	PA_HOLE + 0x12345678,
	0x4000000000ULL,           /* 256 GiB */
	0x00fffffffffff000ULL,     /* top of the 56-bit physical space */
};

int main(void)
{
	priv_init();
	/* AMOs fault as stores (7); QEMU 7.2 reports a load access fault (5)
	 * for an AMO to a physical hole */
	const uint64_t amo_cause = qemu72() ? CAUSE_LOAD_ACCESS : CAUSE_STORE_ACCESS;

	for (unsigned i = 0; i < sizeof holes / sizeof holes[0]; i++) {
		uint64_t a = holes[i];
		for (int m = 0; m < 4; m++) {
			if (m == 2)
				continue;
			/* 1: loads of each size */
			CHECK_FAULT(1, m, ACC_LD, a + 8, CAUSE_LOAD_ACCESS);
			CHECK_FAULT(1, m, ACC_LW, a + 4, CAUSE_LOAD_ACCESS);
			CHECK_FAULT(1, m, ACC_LB, a + 3, CAUSE_LOAD_ACCESS);
			CHECK_FAULT(1, m, ACC_LR, a + 16, CAUSE_LOAD_ACCESS);
			/* 2: stores and AMOs */
			CHECK_FAULT(2, m, ACC_SD, a + 8, CAUSE_STORE_ACCESS);
			CHECK_FAULT(2, m, ACC_SW, a + 12, CAUSE_STORE_ACCESS);
			CHECK_FAULT(2, m, ACC_AMO, a + 24, amo_cause);
			/* 3: instruction fetch: mepc = mtval = the address */
			CHECK_FAULT(3, m, ACC_X, a + 0x40, CAUSE_FETCH_ACCESS);
			CHECK_EQ(3, tr.epc, a + 0x40);
			CHECK_EQ(3, (tr.status >> MPP_SHIFT) & 3, m);
		}
	}

	/* 4: in M (bare) an address above the 56-bit physical space is an
	 * access fault too, mtval = the whole address */
	CHECK_FAULT(4, PRV_M, ACC_LD, 0xff00000000000000ULL, CAUSE_LOAD_ACCESS);
	CHECK_FAULT(4, PRV_M, ACC_SD, 0x8000000080000000ULL, CAUSE_STORE_ACCESS);

	/* 5: access faults delegated to S: scause/stval, from U and from S */
	csr_write(medeleg, (1 << CAUSE_FETCH_ACCESS) | (1 << CAUSE_LOAD_ACCESS) | (1 << CAUSE_STORE_ACCESS));
	CHECK_FAULT_AT(5, PRV_U, ACC_LD, PA_HOLE, CAUSE_LOAD_ACCESS, PRV_S);
	CHECK_EQ(5, tr.status & MSTATUS_SPP, 0);
	CHECK_FAULT_AT(5, PRV_S, ACC_SW, PA_HOLE + 4, CAUSE_STORE_ACCESS, PRV_S);
	CHECK_EQ(5, tr.status & MSTATUS_SPP, MSTATUS_SPP);
	CHECK_FAULT_AT(5, PRV_U, ACC_X, PA_HOLE + 8, CAUSE_FETCH_ACCESS, PRV_S);
	CHECK_EQ(5, tr.epc, PA_HOLE + 8);
	/* not delegated from M */
	CHECK_FAULT(5, PRV_M, ACC_LD, PA_HOLE, CAUSE_LOAD_ACCESS);
	csr_write(medeleg, 0);

	/* 6: the RAM and the CLINT answer */
	CHECK_OK(6, PRV_S, ACC_LD, 0x80000000UL);
	CHECK_OK(6, PRV_U, ACC_LW, CLINT_BASE + 0xbff8);

	return 0;
}
