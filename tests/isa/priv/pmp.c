/* PMP without the lock bit (pmp_lock.c has L): OFF/TOR/NA4/NAPOT matching,
 * R/W/X checks for S and U (access faults 1/5/7, mtval = address), M not
 * affected (except by partial matches), lowest-numbered match wins, no
 * match in S/U fails, PMP checks of page-table walks. */
#include "priv.h"

#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_OFF 0x00
#define PMP_TOR 0x08
#define PMP_NA4 0x10
#define PMP_NAPOT 0x18

static void pmpaddr_write(int i, uint64_t v)
{
	switch (i) {
	case 0: csr_write(pmpaddr0, v); break;
	case 1: csr_write(pmpaddr1, v); break;
	case 2: csr_write(pmpaddr2, v); break;
	case 3: csr_write(pmpaddr3, v); break;
	case 4: csr_write(pmpaddr4, v); break;
	case 5: csr_write(pmpaddr5, v); break;
	case 6: csr_write(pmpaddr6, v); break;
	case 7: csr_write(pmpaddr7, v); break;
	}
}

static uint64_t pmpaddr_read(int i)
{
	switch (i) {
	case 0: return csr_read(pmpaddr0);
	case 1: return csr_read(pmpaddr1);
	case 2: return csr_read(pmpaddr2);
	case 3: return csr_read(pmpaddr3);
	case 4: return csr_read(pmpaddr4);
	case 5: return csr_read(pmpaddr5);
	case 6: return csr_read(pmpaddr6);
	default: return csr_read(pmpaddr7);
	}
}

/* entry i (0..7): set pmpaddr and its pmpcfg0 byte */
static void pmp_set(int i, uint64_t addr, uint64_t cfg)
{
	pmpaddr_write(i, addr);
	uint64_t c = csr_read(pmpcfg0);
	c &= ~(0xffULL << (8 * i));
	c |= cfg << (8 * i);
	csr_write(pmpcfg0, c);
}

static uint64_t napot(uint64_t base, uint64_t size)
{
	return (base >> 2) | ((size >> 3) - 1);
}

static uint64_t lower_nop(uint64_t x) { return 0x1234; }

int main(void)
{
	priv_init();
	volatile uint64_t *d0 = (volatile uint64_t *)data_pages[0];
	volatile uint64_t *d1 = (volatile uint64_t *)data_pages[1];
	uint8_t *code = data_pages[2];
	uint64_t pd0 = (uint64_t)d0, pd1 = (uint64_t)d1, pc = (uint64_t)code;
	int before;

	d0[0] = 0x1111;
	d0[1] = 0x2222;
	d0[2] = 0x3333;
	d1[0] = 0x4444;
	fill_ret_page(code, 4096);

	/* 1: the registers: pmpcfg0/2 and pmpaddr0-7 hold what is written;
	 * odd pmpcfg CSRs do not exist on RV64 */
	csr_write(pmpcfg0, 0x1f1c1b1918100f09ULL);
	CHECK_EQ(1, csr_read(pmpcfg0), 0x1f1c1b1918100f09ULL);
	csr_write(pmpcfg0, 0);
	CHECK_EQ(1, csr_read(pmpcfg0), 0);
	for (int i = 0; i < 8; i++) {
		pmpaddr_write(i, 0x20001234 + i);
		CHECK_EQ(1, pmpaddr_read(i), 0x20001234 + i);
		pmpaddr_write(i, 0);
	}
	CHECK_EQ(1, csr_read(pmpcfg2) >> 56, PMP_NAPOT | PMP_R | PMP_W | PMP_X);
	before = tr.count;
	expect_trap(1);
	__asm__ volatile("csrr t0, pmpcfg1" ::: "t0");
	CHECK_TRAP(1, before, CAUSE_ILLEGAL, 0x3a1022f3, PRV_M);
	before = tr.count;
	expect_trap(1);
	__asm__ volatile("csrr t0, pmpcfg3" ::: "t0");
	CHECK_TRAP(1, before, CAUSE_ILLEGAL, 0x3a3022f3, PRV_M);

	/* 2: NA4 (4 bytes) with no permissions */
	pmp_set(0, (pd0 + 8) >> 2, PMP_NA4);
	CHECK_FAULT(2, PRV_S, ACC_LW, pd0 + 8, CAUSE_LOAD_ACCESS);
	CHECK_FAULT(2, PRV_U, ACC_LW, pd0 + 8, CAUSE_LOAD_ACCESS);
	CHECK_FAULT(2, PRV_S, ACC_SW, pd0 + 8, CAUSE_STORE_ACCESS);
	CHECK_FAULT(2, PRV_S, ACC_LB, pd0 + 11, CAUSE_LOAD_ACCESS);
	CHECK_READ(2, PRV_S, ACC_LW, pd0 + 12, 0);
	CHECK_READ(2, PRV_S, ACC_LW, pd0 + 4, 0);
	CHECK_READ(2, PRV_S, ACC_LD, pd0, 0x1111);
	/* an access that only partly overlaps the lowest matching entry fails,
	 * even though entry 15 would allow all of it */
	CHECK_FAULT(2, PRV_S, ACC_LD, pd0 + 8, CAUSE_LOAD_ACCESS);
	pmp_set(0, (pd0 + 12) >> 2, PMP_NA4);
	CHECK_FAULT(2, PRV_S, ACC_LD, pd0 + 8, CAUSE_LOAD_ACCESS);
	CHECK_FAULT(2, PRV_U, ACC_SD, pd0 + 8, CAUSE_STORE_ACCESS);
	/* M is not checked by unlocked entries it fully matches, but a partial
	 * match fails in M too ("irrespective of the L, R, W and X bits") */
	CHECK_READ(2, PRV_M, ACC_LW, pd0 + 12, 0);
	CHECK_OK(2, PRV_M, ACC_SW, pd0 + 12);
	CHECK_FAULT(2, PRV_M, ACC_LD, pd0 + 8, CAUSE_LOAD_ACCESS);
	CHECK_FAULT(2, PRV_M, ACC_SD, pd0 + 8, CAUSE_STORE_ACCESS);
	pmp_set(0, 0, PMP_OFF);
	d0[1] = 0x2222;
	/* NA4 R only */
	pmp_set(0, (pd0 + 8) >> 2, PMP_NA4 | PMP_R);
	CHECK_READ(2, PRV_S, ACC_LW, pd0 + 8, 0x2222);
	CHECK_FAULT(2, PRV_S, ACC_SW, pd0 + 8, CAUSE_STORE_ACCESS);
	/* an 8-byte AMO on this 4-byte entry (a partial match) fails as a
	 * store/AMO access fault (7); QEMU 7.2 checks the read side of an AMO
	 * first and reports a load access fault (5) when that fails */
	CHECK_FAULT(2, PRV_S, ACC_AMO, pd0 + 8, qemu72() ? CAUSE_LOAD_ACCESS : CAUSE_STORE_ACCESS);
	pmp_set(0, 0, PMP_OFF);

	/* 3: TOR: entry 1 covers [pmpaddr0, pmpaddr1) */
	pmp_set(0, pd0 >> 2, PMP_OFF);
	pmp_set(1, (pd0 + 16) >> 2, PMP_TOR | PMP_R);
	CHECK_READ(3, PRV_S, ACC_LD, pd0 + 8, 0x2222);
	CHECK_FAULT(3, PRV_S, ACC_SD, pd0 + 8, CAUSE_STORE_ACCESS);
	CHECK_FAULT(3, PRV_U, ACC_SD, pd0, CAUSE_STORE_ACCESS);
	CHECK_FAULT(3, PRV_S, ACC_LRSC, pd0 + 8, CAUSE_STORE_ACCESS);    /* the sc */
	CHECK_FAULT(3, PRV_S, ACC_AMO, pd0 + 8, CAUSE_STORE_ACCESS);      /* R ok, W not */
	CHECK_OK(3, PRV_S, ACC_SD, pd0 + 16);                /* top is exclusive */
	CHECK_OK(3, PRV_S, ACC_SD, pd0 - 8);                 /* base is inclusive */
	d0[2] = 0x3333;
	/* TOR with pmpaddr[i-1] >= pmpaddr[i] matches nothing */
	pmp_set(0, (pd0 + 16) >> 2, PMP_OFF);
	pmp_set(1, pd0 >> 2, PMP_TOR);
	CHECK_OK(3, PRV_S, ACC_SD, pd0 + 8);
	d0[1] = 0x2222;
	/* TOR in entry 0 starts at address 0 */
	pmp_set(1, 0, PMP_OFF);
	pmp_set(0, (pd0 + 16) >> 2, PMP_TOR | PMP_R | PMP_X);
	CHECK_READ(3, PRV_S, ACC_LD, pd0 + 8, 0x2222);
	CHECK_FAULT(3, PRV_S, ACC_SD, pd0, CAUSE_STORE_ACCESS);
	CHECK_FAULT(3, PRV_S, ACC_SD, 0x80000000UL, CAUSE_STORE_ACCESS);
	CHECK_OK(3, PRV_S, ACC_SD, pd0 + 16);
	d0[2] = 0x3333;
	pmp_set(0, 0, PMP_OFF);

	/* 4: NAPOT: 4 KiB execute-only, then 8 bytes */
	pmp_set(2, napot(pc, 4096), PMP_NAPOT | PMP_X);
	CHECK_EQ(4, csr_read(pmpaddr2), (pc >> 2) | 0x1ff);
	CHECK_READ(4, PRV_S, ACC_X, pc + 0x100, 0x5a);
	CHECK_READ(4, PRV_U, ACC_X, pc + 0xff8, 0x5a);
	CHECK_FAULT(4, PRV_S, ACC_LW, pc + 0x100, CAUSE_LOAD_ACCESS);
	CHECK_FAULT(4, PRV_U, ACC_SW, pc + 0xffc, CAUSE_STORE_ACCESS);
	pmp_set(2, napot(pc, 4096), PMP_NAPOT | PMP_R);
	CHECK_FAULT(4, PRV_S, ACC_X, pc + 0x10, CAUSE_FETCH_ACCESS);
	CHECK_EQ(4, tr.epc, pc + 0x10);
	CHECK_READ(4, PRV_M, ACC_X, pc + 0x10, 0x5a);         /* M unaffected */
	pmp_set(2, napot(pd0 + 16, 8), PMP_NAPOT);
	CHECK_FAULT(4, PRV_S, ACC_LD, pd0 + 16, CAUSE_LOAD_ACCESS);
	CHECK_READ(4, PRV_S, ACC_LD, pd0 + 8, 0x2222);
	CHECK_READ(4, PRV_S, ACC_LD, pd0 + 24, 0);
	pmp_set(2, 0, PMP_OFF);

	/* 5: priority: the lowest-numbered matching entry decides */
	pmp_set(3, napot(pd1, 4096), PMP_NAPOT | PMP_R | PMP_W);
	pmp_set(5, napot(pd1, 4096), PMP_NAPOT);
	CHECK_READ(5, PRV_S, ACC_LD, pd1, 0x4444);
	pmp_set(3, napot(pd1, 4096), PMP_NAPOT);
	pmp_set(5, napot(pd1, 4096), PMP_NAPOT | PMP_R | PMP_W);
	CHECK_FAULT(5, PRV_S, ACC_LD, pd1, CAUSE_LOAD_ACCESS);
	/* a smaller entry before a larger one */
	pmp_set(3, napot(pd1 + 64, 64), PMP_NAPOT | PMP_R);
	pmp_set(5, napot(pd1, 4096), PMP_NAPOT | PMP_R | PMP_W);
	CHECK_OK(5, PRV_S, ACC_SD, pd1 + 8);
	CHECK_FAULT(5, PRV_S, ACC_SD, pd1 + 64, CAUSE_STORE_ACCESS);
	CHECK_FAULT(5, PRV_S, ACC_SD, pd1 + 120, CAUSE_STORE_ACCESS);
	CHECK_OK(5, PRV_S, ACC_SD, pd1 + 128);
	d1[0] = 0x4444;
	pmp_set(3, 0, PMP_OFF);
	pmp_set(5, 0, PMP_OFF);

	/* 6: no entry matches an S/U access -> it fails (entry 15 off, entry
	 * 6 on elsewhere): the first fetch in S faults; M is fine */
	pmp_set(6, napot(pd1, 4096), PMP_NAPOT | PMP_R | PMP_W | PMP_X);
	csr_clear(pmpcfg2, 0xffULL << 56);
	CHECK_READ(6, PRV_M, ACC_LD, pd0, 0x1111);
	before = tr.count;
	expect_trap(1);
	abort_on_trap = 1;
	CHECK_EQ(6, run_in_mode(PRV_S, lower_nop, 0), ~0ULL);
	CHECK_TRAP(6, before, CAUSE_FETCH_ACCESS, (uint64_t)run_trampoline, PRV_M);
	CHECK_EQ(6, tr.epc, (uint64_t)run_trampoline);
	CHECK_EQ(6, (tr.status >> MPP_SHIFT) & 3, PRV_S);
	/* all entries OFF: S/U still fail by the spec.  QEMU 7.2 instead
	 * refuses the mret itself (illegal instruction, from M). */
	pmp_set(6, 0, PMP_OFF);
	CHECK_EQ(6, csr_read(pmpcfg0) | csr_read(pmpcfg2), 0);
	before = tr.count;
	expect_trap(1);
	abort_on_trap = 1;
	CHECK_EQ(6, run_in_mode(PRV_U, lower_nop, 0), ~0ULL);
	CHECK_EQ(6, tr.count - before, 1);
	if (qemu72()) {
		CHECK_EQ(6, tr.cause, CAUSE_ILLEGAL);
		CHECK_EQ(6, tr.tval, 0x30200073);
		CHECK_EQ(6, (tr.status >> MPP_SHIFT) & 3, PRV_M);
	} else {
		CHECK_TRAP(6, before, CAUSE_FETCH_ACCESS, (uint64_t)run_trampoline, PRV_M);
		CHECK_EQ(6, (tr.status >> MPP_SHIFT) & 3, PRV_U);
	}
	pmp_open_all();
	CHECK_EQ(6, run_in_mode(PRV_U, lower_nop, 0), 0x1234);

	/* 7: page-table walks are checked (as S-mode reads): a walk touching
	 * a denied page-table page gives an access fault of the original
	 * access's kind, tval = the virtual address */
	uint64_t *root = pt_new_root(0);
	const uint64_t va = 0x40000000UL;
	pt_map(root, va, pd0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D, 0);
	pt_map(root, va + 0x1000, pc, PTE_V | PTE_X | PTE_A, 0);
	uint64_t leaf_table = ((*pt_slot(root, va, 1)) >> 10) << 12;
	satp_set(root);
	CHECK_READ(7, PRV_S, ACC_LD, va, 0x1111);
	pmp_set(0, napot(leaf_table, 4096), PMP_NAPOT | PMP_W | PMP_X); /* no R */
	CHECK_FAULT(7, PRV_S, ACC_LD, va + 8, CAUSE_LOAD_ACCESS);
	CHECK_FAULT(7, PRV_S, ACC_SD, va + 16, CAUSE_STORE_ACCESS);
	CHECK_FAULT(7, PRV_S, ACC_X, va + 0x1000, CAUSE_FETCH_ACCESS);
	CHECK_EQ(7, tr.epc, va + 0x1000);
	/* the data page itself is checked after translation, with the
	 * physical address but tval = the virtual address */
	pmp_set(0, napot(pd0, 4096), PMP_NAPOT | PMP_R);
	CHECK_READ(7, PRV_S, ACC_LD, va + 8, 0x2222);
	CHECK_FAULT(7, PRV_S, ACC_SD, va + 24, CAUSE_STORE_ACCESS);
	/* denying the root page: S cannot even fetch its first instruction */
	pmp_set(0, napot((uint64_t)root, 4096), PMP_NAPOT);
	before = tr.count;
	expect_trap(1);
	abort_on_trap = 1;
	CHECK_EQ(7, run_in_mode(PRV_S, lower_nop, 0), ~0ULL);
	CHECK_TRAP(7, before, CAUSE_FETCH_ACCESS, (uint64_t)run_trampoline, PRV_M);
	/* a page fault found first is still a page fault: the walk for an
	 * unmapped address stops before any denied table */
	pmp_set(0, 0, PMP_OFF);
	csr_write(satp, 0);
	sfence_all();

	return 0;
}
