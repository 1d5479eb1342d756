/* PMP lock bit: a locked entry applies to M-mode too, its pmpcfg byte and
 * pmpaddr (and, for TOR, the pmpaddr below it) ignore writes until reset.
 * Kept apart from pmp.c because locked entries stay locked. */
#include "priv.h"

#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_TOR 0x08
#define PMP_NAPOT 0x18
#define PMP_L 0x80

static uint64_t napot(uint64_t base, uint64_t size)
{
	return (base >> 2) | ((size >> 3) - 1);
}

int main(void)
{
	priv_init();
	volatile uint64_t *d1 = (volatile uint64_t *)data_pages[1];
	uint64_t pd1 = (uint64_t)d1, pc = (uint64_t)data_pages[2], pd3 = (uint64_t)data_pages[3];

	d1[0] = 0x4444;
	fill_ret_page(data_pages[2], 4096);

	/* 1: before locking, M ignores the entries */
	csr_write(pmpaddr3, napot(pd1, 4096));
	csr_write(pmpaddr4, napot(pc, 4096));
	csr_write(pmpcfg0, (uint64_t)(PMP_NAPOT | PMP_R) << 24 | (uint64_t)(PMP_NAPOT | PMP_R | PMP_W) << 32);
	CHECK_OK(1, PRV_M, ACC_SD, pd1 + 8);
	CHECK_READ(1, PRV_M, ACC_X, pc, 0x5a);

	/* 2: lock them: entry 3 (data, R) and entry 4 (code page, RW, no X) */
	csr_write(pmpcfg0, (uint64_t)(PMP_L | PMP_NAPOT | PMP_R) << 24 |
			   (uint64_t)(PMP_L | PMP_NAPOT | PMP_R | PMP_W) << 32);
	CHECK_EQ(2, csr_read(pmpcfg0), 0x9b99000000ULL);
	CHECK_READ(2, PRV_M, ACC_LD, pd1, 0x4444);
	CHECK_FAULT(2, PRV_M, ACC_SD, pd1 + 8, CAUSE_STORE_ACCESS);
	CHECK_FAULT(2, PRV_M, ACC_SW, pd1 + 0xffc, CAUSE_STORE_ACCESS);
	CHECK_FAULT(2, PRV_M, ACC_X, pc + 0x20, CAUSE_FETCH_ACCESS);
	CHECK_EQ(2, tr.epc, pc + 0x20);
	CHECK_READ(2, PRV_M, ACC_LW, pc, 0x05a00513);
	CHECK_OK(2, PRV_M, ACC_SW, pc + 0x800);
	/* S and U are bound by them as well */
	CHECK_READ(2, PRV_S, ACC_LD, pd1, 0x4444);
	CHECK_FAULT(2, PRV_S, ACC_SD, pd1, CAUSE_STORE_ACCESS);
	CHECK_FAULT(2, PRV_U, ACC_X, pc, CAUSE_FETCH_ACCESS);

	/* 3: writes to locked pmpcfg bytes and pmpaddr are ignored; the other
	 * bytes of the same pmpcfg still take writes */
	csr_write(pmpaddr3, 0);
	CHECK_EQ(3, csr_read(pmpaddr3), napot(pd1, 4096));
	csr_write(pmpcfg0, 0x1f);
	CHECK_EQ(3, csr_read(pmpcfg0), 0x9b9900001fULL);
	csr_clear(pmpcfg0, 0xffffffffffULL);
	CHECK_EQ(3, csr_read(pmpcfg0), 0x9b99000000ULL);
	csr_write(pmpcfg0, 0x9b99000000ULL | (uint64_t)(PMP_NAPOT | PMP_R | PMP_W) << 24);
	CHECK_EQ(3, csr_read(pmpcfg0), 0x9b99000000ULL);
	CHECK_FAULT(3, PRV_M, ACC_SD, pd1, CAUSE_STORE_ACCESS);

	/* 4: a locked TOR entry also locks the pmpaddr below it (whose own
	 * pmpcfg byte stays writable) */
	csr_write(pmpaddr5, pd3 >> 2);
	csr_write(pmpaddr6, (pd3 + 4096) >> 2);
	csr_set(pmpcfg0, (uint64_t)(PMP_L | PMP_TOR | PMP_R) << 48);
	CHECK_EQ(4, csr_read(pmpcfg0), 0x0089009b99000000ULL);
	csr_write(pmpaddr5, 0);
	CHECK_EQ(4, csr_read(pmpaddr5), pd3 >> 2);
	csr_write(pmpaddr6, 0);
	CHECK_EQ(4, csr_read(pmpaddr6), (pd3 + 4096) >> 2);
	csr_set(pmpcfg0, (uint64_t)(PMP_NAPOT) << 40);    /* cfg5 is not locked */
	CHECK_EQ(4, csr_read(pmpcfg0), 0x0089189b99000000ULL);
	csr_clear(pmpcfg0, 0xffULL << 40);
	CHECK_FAULT(4, PRV_M, ACC_SD, pd3 + 16, CAUSE_STORE_ACCESS);
	CHECK_READ(4, PRV_M, ACC_LD, pd3 + 16, 0);
	CHECK_OK(4, PRV_M, ACC_SD, pd3 + 4096);

	/* 5: priority still rules: an unlocked lower-numbered entry matching
	 * first decides, for S and for M (M is then unchecked), shadowing the
	 * locked entry 3 */
	csr_write(pmpaddr0, napot(pd1, 4096));
	csr_set(pmpcfg0, PMP_NAPOT | PMP_R | PMP_W);
	CHECK_OK(5, PRV_S, ACC_SD, pd1 + 16);
	CHECK_OK(5, PRV_M, ACC_SD, pd1 + 16);
	csr_clear(pmpcfg0, 0xff);
	CHECK_FAULT(5, PRV_M, ACC_SD, pd1 + 16, CAUSE_STORE_ACCESS);
	return 0;
}
