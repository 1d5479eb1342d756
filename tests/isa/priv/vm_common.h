/* Paging tests shared by vm_sv39.c, vm_sv48.c and vm_sv57.c: the same
 * checks run with 3, 4 or 5 levels.  Accesses are made from S-mode; the RAM
 * is identity mapped by a 1 GiB leaf (no U bit), test pages live at VA_P(i).
 *
 * QEMU 7.2 behaviours asserted here (see also the notes at each check):
 *  - A and D are set by the hardware walk (no fault when they are clear).
 *  - PTE bits 63-54 (N, PBMT, reserved) make a leaf fault; so do A, D or U
 *    set in a non-leaf PTE.  The RSW bits (9-8) are ignored.
 *  - A 4-byte instruction crossing into a bad page: the fault has mepc =
 *    the instruction's address and mtval = the start of the second page.
 *  - A leaf pointing at a physical hole gives access faults (1/5/7).
 */
#include "priv.h"

#define VA_P(i) (0x40000000UL + (uint64_t)(i) * 0x1000)
#define VA_2M      0x40200000UL   /* 2 MiB leaf -> 0x8000_0000 */
#define VA_2M_BAD  0x40600000UL   /* 2 MiB leaf -> 0x8000_1000 (misaligned) */
#define VA_NL      0x40400000UL   /* level-1 non-leaf whose flags get abused */
#define VA_WALKHOLE 0x40800000UL  /* level-1 non-leaf pointing at a hole */
#define VA_1G      0xc0000000UL   /* 1 GiB leaf -> 0x8000_0000 */
#define VA_1G_BAD  0x100000000UL  /* 1 GiB leaf -> 0x8020_0000 (misaligned) */
#define VA_1G_BAD0 0x140000000UL  /* 1 GiB leaf -> 0x8000_1000 (misaligned) */
#define VA_512G    0x8000000000UL /* Sv48/57: 512 GiB leaf -> 0 */
#define VA_512G_BAD 0x10000000000UL /* Sv48/57: 512 GiB leaf -> 0x8000_0000 */
#define VA_256T    (1ULL << 48)   /* Sv57: 256 TiB leaf -> 0 */
#define VA_256T_BAD (2ULL << 48)  /* Sv57: 256 TiB leaf -> 0x8000_0000 */

#define LEAF(pa, fl) ((((uint64_t)(pa)) >> 12) << 10 | (fl))

static uint64_t s_sfence_va(uint64_t va)
{
	__asm__ volatile("sfence.vma %0, zero" :: "r"(va) : "memory");
	return 0;
}

/* S: switch to satp value x, read VA_P(11), switch back */
static uint64_t s_switch_read(uint64_t x)
{
	uint64_t old = csr_swap(satp, x);
	sfence_all();
	uint64_t v = *(volatile uint64_t *)VA_P(11);
	csr_write(satp, old);
	sfence_all();
	return v;
}

static int vm_suite(int levels)
{
	pt_levels = levels;
	const int vaw = 12 + 9 * levels;
	uint64_t *root = pt_new_root(0);
	volatile uint64_t *d0 = (volatile uint64_t *)data_pages[0];
	volatile uint64_t *d1 = (volatile uint64_t *)data_pages[1];
	uint8_t *code = data_pages[2];
	uint64_t pd0 = (uint64_t)d0, pd1 = (uint64_t)d1, pcode = (uint64_t)code;
	volatile uint64_t *pte;
	int n = 1;
	const uint64_t amo_page = qemu72() ? CAUSE_LOAD_PAGE : CAUSE_STORE_PAGE;

	d0[0] = 0x1111111111111111ULL;
	d0[1] = 0x2222222222222222ULL;
	d1[0] = 0x3333333333333333ULL;
	fill_ret_page(code, 4096);
	satp_set(root);
	CHECK_EQ(n, csr_read(satp) >> 60, mode_for_levels(levels));

	/* 1: a 4 KiB page: loads and stores go to the mapped frame */
	pt_map(root, VA_P(0), pd0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D, 0);
	sfence_all();
	CHECK_READ(1, PRV_S, ACC_LD, VA_P(0), 0x1111111111111111ULL);
	CHECK_READ(1, PRV_S, ACC_LD, VA_P(0) + 8, 0x2222222222222222ULL);
	acc_val = 0x4444;
	CHECK_OK(1, PRV_S, ACC_SD, VA_P(0) + 16);
	CHECK_EQ(1, d0[2], 0x4444);

	/* 2: A and D are set by hardware: a load sets A only, a store A and D,
	 * a fetch A; a store to a page with A = 1, D = 0 sets D */
	n = 2;
	pte = pt_slot(root, VA_P(1), 0);
	*pte = LEAF(pd0, PTE_V | PTE_R | PTE_W);
	sfence_all();
	CHECK_READ(2, PRV_S, ACC_LD, VA_P(1), 0x1111111111111111ULL);
	CHECK_EQ(2, *pte & (PTE_A | PTE_D), PTE_A);
	CHECK_OK(2, PRV_S, ACC_SD, VA_P(1) + 16);
	CHECK_EQ(2, *pte & (PTE_A | PTE_D), PTE_A | PTE_D);
	*pte = LEAF(pd0, PTE_V | PTE_R | PTE_W);
	sfence_all();
	CHECK_OK(2, PRV_S, ACC_SD, VA_P(1) + 16);
	CHECK_EQ(2, *pte & (PTE_A | PTE_D), PTE_A | PTE_D);
	*pte = LEAF(pd0, PTE_V | PTE_R | PTE_W | PTE_A);
	sfence_all();
	CHECK_OK(2, PRV_S, ACC_AMO, VA_P(1) + 16);
	CHECK_EQ(2, *pte & (PTE_A | PTE_D), PTE_A | PTE_D);
	pte = pt_slot(root, VA_P(2), 0);
	*pte = LEAF(pcode, PTE_V | PTE_X);
	sfence_all();
	CHECK_READ(2, PRV_S, ACC_X, VA_P(2), 0x5a);
	CHECK_EQ(2, *pte & (PTE_A | PTE_D), PTE_A);

	/* 3: invalid PTE (V = 0, even with other bits set): page fault of the
	 * access's kind, tval = the virtual address */
	n = 3;
	pt_map(root, VA_P(3), pd0, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D, 0);
	sfence_all();
	CHECK_FAULT(3, PRV_S, ACC_LD, VA_P(3) + 8, CAUSE_LOAD_PAGE);
	CHECK_FAULT(3, PRV_S, ACC_LB, VA_P(3) + 0x7ff, CAUSE_LOAD_PAGE);
	CHECK_FAULT(3, PRV_S, ACC_SD, VA_P(3) + 0x10, CAUSE_STORE_PAGE);
	CHECK_FAULT(3, PRV_S, ACC_SW, VA_P(3) + 0xffc, CAUSE_STORE_PAGE);
	/* AMO: store/AMO page fault by the spec; QEMU 7.2 reports a load page
	 * fault when the page is not valid */
	CHECK_FAULT(3, PRV_S, ACC_AMO, VA_P(3) + 0x18, amo_page);
	CHECK_FAULT(3, PRV_S, ACC_LR, VA_P(3) + 0x20, CAUSE_LOAD_PAGE);
	CHECK_FAULT(3, PRV_S, ACC_X, VA_P(3) + 0x30, CAUSE_FETCH_PAGE);
	CHECK_EQ(3, tr.epc, VA_P(3) + 0x30);
	CHECK_EQ(3, (tr.status >> MPP_SHIFT) & 3, PRV_S);

	/* 4: W without R is reserved: every access faults */
	n = 4;
	pt_map(root, VA_P(4), pd0, PTE_V | PTE_W | PTE_A | PTE_D, 0);
	pt_map(root, VA_P(5), pcode, PTE_V | PTE_W | PTE_X | PTE_A | PTE_D, 0);
	sfence_all();
	CHECK_FAULT(4, PRV_S, ACC_LD, VA_P(4), CAUSE_LOAD_PAGE);
	CHECK_FAULT(4, PRV_S, ACC_SD, VA_P(4), CAUSE_STORE_PAGE);
	CHECK_FAULT(4, PRV_S, ACC_X, VA_P(5), CAUSE_FETCH_PAGE);
	CHECK_FAULT(4, PRV_S, ACC_LD, VA_P(5), CAUSE_LOAD_PAGE);

	/* 5: R/W/X permissions */
	n = 5;
	pt_map(root, VA_P(6), pd0, PTE_V | PTE_R | PTE_A | PTE_D, 0);          /* R */
	pt_map(root, VA_P(7), pcode, PTE_V | PTE_X | PTE_A, 0);                /* X */
	pt_map(root, VA_P(8), pcode, PTE_V | PTE_R | PTE_X | PTE_A, 0);        /* RX */
	pt_map(root, VA_P(9), pd0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D, 0);  /* RW */
	sfence_all();
	CHECK_READ(5, PRV_S, ACC_LD, VA_P(6), 0x1111111111111111ULL);
	CHECK_FAULT(5, PRV_S, ACC_SD, VA_P(6) + 8, CAUSE_STORE_PAGE);
	CHECK_FAULT(5, PRV_S, ACC_AMO, VA_P(6) + 8, CAUSE_STORE_PAGE);
	CHECK_FAULT(5, PRV_S, ACC_LRSC, VA_P(6) + 8, CAUSE_STORE_PAGE);   /* the sc */
	CHECK_FAULT(5, PRV_S, ACC_X, VA_P(6), CAUSE_FETCH_PAGE);
	CHECK_FAULT(5, PRV_S, ACC_LD, VA_P(7), CAUSE_LOAD_PAGE);               /* MXR = 0 */
	CHECK_FAULT(5, PRV_S, ACC_SD, VA_P(7), CAUSE_STORE_PAGE);
	CHECK_READ(5, PRV_S, ACC_X, VA_P(7) + 8, 0x5a);
	CHECK_READ(5, PRV_S, ACC_LW, VA_P(8), 0x05a00513);
	CHECK_READ(5, PRV_S, ACC_X, VA_P(8), 0x5a);
	CHECK_FAULT(5, PRV_S, ACC_SW, VA_P(8), CAUSE_STORE_PAGE);
	CHECK_FAULT(5, PRV_S, ACC_X, VA_P(9) + 0x100, CAUSE_FETCH_PAGE);
	CHECK_READ(5, PRV_S, ACC_LR, VA_P(9), 0x1111111111111111ULL);

	/* 6: a PTE with V = 1 and R = W = X = 0 at the last level is not a
	 * leaf: page fault */
	n = 6;
	pt_map(root, VA_P(10), pd0, PTE_V, 0);
	sfence_all();
	CHECK_FAULT(6, PRV_S, ACC_LD, VA_P(10), CAUSE_LOAD_PAGE);
	CHECK_FAULT(6, PRV_S, ACC_SD, VA_P(10), CAUSE_STORE_PAGE);

	/* 7: reserved/unsupported PTE bits 63-54 in a leaf fault (Svnapot and
	 * Svpbmt are absent); the RSW bits 9-8 are free for software */
	n = 7;
	pte = pt_slot(root, VA_P(10), 0);
	for (int b = 54; b < 64; b++) {
		*pte = LEAF(pd0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D) | (1ULL << b);
		sfence_all();
		CHECK_FAULT(7, PRV_S, ACC_LD, VA_P(10), CAUSE_LOAD_PAGE);
		CHECK_FAULT(7, PRV_S, ACC_SD, VA_P(10), CAUSE_STORE_PAGE);
	}
	*pte = LEAF(pd0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D) | (3ULL << 8);
	sfence_all();
	CHECK_READ(7, PRV_S, ACC_LD, VA_P(10), 0x1111111111111111ULL);

	/* 8: non-leaf PTEs: A, D, U and bits 63-54 are reserved -> fault */
	n = 8;
	pt_map(root, VA_NL, pd1, PTE_V | PTE_R | PTE_A | PTE_D, 0);
	volatile uint64_t *nl = pt_slot(root, VA_NL, 1);
	const uint64_t nlv = *nl;
	sfence_all();
	CHECK_READ(8, PRV_S, ACC_LD, VA_NL, 0x3333333333333333ULL);
	static const uint64_t nl_bad[] = { PTE_A, PTE_D, PTE_U, 1ULL << 54, 1ULL << 61, 1ULL << 63 };
	for (unsigned i = 0; i < sizeof nl_bad / sizeof nl_bad[0]; i++) {
		*nl = nlv | nl_bad[i];
		sfence_all();
		CHECK_FAULT(8, PRV_S, ACC_LD, VA_NL + 8, CAUSE_LOAD_PAGE);
	}
	*nl = nlv | (1ULL << 8);          /* RSW: fine */
	sfence_all();
	CHECK_READ(8, PRV_S, ACC_LD, VA_NL, 0x3333333333333333ULL);
	*nl = nlv;

	/* 9: superpages, and misaligned superpages (page fault) */
	n = 9;
	uint64_t off = pd0 - 0x80000000UL;
	pt_map(root, VA_2M, 0x80000000UL, PTE_LEAF_ALL, 1);
	pt_map(root, VA_2M_BAD, 0x80001000UL, PTE_LEAF_ALL, 1);
	pt_map(root, VA_1G, 0x80000000UL, PTE_LEAF_ALL, 2);
	pt_map(root, VA_1G_BAD, 0x80200000UL, PTE_LEAF_ALL, 2);
	pt_map(root, VA_1G_BAD0, 0x80001000UL, PTE_LEAF_ALL, 2);
	sfence_all();
	CHECK_READ(9, PRV_S, ACC_LD, VA_2M + off, 0x1111111111111111ULL);
	acc_val = 0x5555;
	CHECK_OK(9, PRV_S, ACC_SD, VA_2M + off + 24);
	CHECK_EQ(9, d0[3], 0x5555);
	CHECK_READ(9, PRV_S, ACC_X, VA_2M + (pcode - 0x80000000UL), 0x5a);
	CHECK_FAULT(9, PRV_S, ACC_LD, VA_2M_BAD + 0x1008, CAUSE_LOAD_PAGE);
	CHECK_FAULT(9, PRV_S, ACC_SD, VA_2M_BAD, CAUSE_STORE_PAGE);
	CHECK_READ(9, PRV_S, ACC_LD, VA_1G + off + 8, 0x2222222222222222ULL);
	CHECK_FAULT(9, PRV_S, ACC_LD, VA_1G_BAD + off, CAUSE_LOAD_PAGE);
	CHECK_FAULT(9, PRV_S, ACC_X, VA_1G_BAD + (pcode - 0x80000000UL), CAUSE_FETCH_PAGE);
	CHECK_FAULT(9, PRV_S, ACC_LD, VA_1G_BAD0 + off, CAUSE_LOAD_PAGE);
	if (levels >= 4) {
		pt_map(root, VA_512G, 0, PTE_LEAF_ALL, 3);
		pt_map(root, VA_512G_BAD, 0x80000000UL, PTE_LEAF_ALL, 3);
		sfence_all();
		CHECK_READ(9, PRV_S, ACC_LD, VA_512G + pd0, 0x1111111111111111ULL);
		CHECK_READ(9, PRV_S, ACC_X, VA_512G + pcode, 0x5a);
		CHECK_FAULT(9, PRV_S, ACC_LD, VA_512G_BAD + off, CAUSE_LOAD_PAGE);
	}
	if (levels >= 5) {
		pt_map(root, VA_256T, 0, PTE_LEAF_ALL, 4);
		pt_map(root, VA_256T_BAD, 0x80000000UL, PTE_LEAF_ALL, 4);
		sfence_all();
		CHECK_READ(9, PRV_S, ACC_LD, VA_256T + pd0 + 8, 0x2222222222222222ULL);
		CHECK_FAULT(9, PRV_S, ACC_SD, VA_256T_BAD + off, CAUSE_STORE_PAGE);
	}

	/* 10: non-canonical addresses (bits above the VA width differ from
	 * bit vaw-1) fault as page faults with tval = the address; canonical
	 * upper-half addresses translate through the upper half of the root */
	n = 10;
	const uint64_t nc = 1ULL << (vaw - 1);
	CHECK_FAULT(10, PRV_S, ACC_LD, nc, CAUSE_LOAD_PAGE);
	CHECK_FAULT(10, PRV_S, ACC_SD, nc + 8, CAUSE_STORE_PAGE);
	CHECK_FAULT(10, PRV_S, ACC_X, nc + 0x10, CAUSE_FETCH_PAGE);
	CHECK_EQ(10, tr.epc, nc + 0x10);
	CHECK_FAULT(10, PRV_S, ACC_LD, 0x8000000040000000ULL, CAUSE_LOAD_PAGE);
	CHECK_FAULT(10, PRV_S, ACC_LD, (~0ULL << vaw) | VA_P(0), CAUSE_LOAD_PAGE);
	const uint64_t hi = (~0ULL << (vaw - 1)) | 0x5000;
	CHECK_FAULT(10, PRV_S, ACC_LD, hi, CAUSE_LOAD_PAGE);  /* not mapped yet */
	pt_map(root, hi, pd1, PTE_V | PTE_R | PTE_A, 0);
	sfence_all();
	CHECK_READ(10, PRV_S, ACC_LD, hi, 0x3333333333333333ULL);
	CHECK_EQ(10, (uint64_t *)pt_slot(root, hi, pt_levels - 1) - root, 256);

	/* 11: sfence.vma: after changing a PTE (and an sfence.vma for that
	 * address, from S) the new mapping is used */
	n = 11;
	pte = pt_slot(root, VA_P(11), 0);
	*pte = LEAF(pd0, PTE_V | PTE_R | PTE_A);
	sfence_all();
	CHECK_READ(11, PRV_S, ACC_LD, VA_P(11), 0x1111111111111111ULL);
	*pte = LEAF(pd1, PTE_V | PTE_R | PTE_A);
	run_in_mode(PRV_S, s_sfence_va, VA_P(11));
	CHECK_READ(11, PRV_S, ACC_LD, VA_P(11), 0x3333333333333333ULL);
	*pte = 0;
	run_in_mode(PRV_S, s_sfence_va, VA_P(11));
	CHECK_FAULT(11, PRV_S, ACC_LD, VA_P(11), CAUSE_LOAD_PAGE);
	*pte = LEAF(pd0, PTE_V | PTE_R | PTE_A);
	sfence_all();
	CHECK_READ(11, PRV_S, ACC_LD, VA_P(11), 0x1111111111111111ULL);

	/* 12: satp writes switch address spaces (from M, and from S with
	 * another ASID) */
	n = 12;
	uint64_t *root2 = pt_new_root(0);
	pt_map(root2, VA_P(11), pd1, PTE_V | PTE_R | PTE_A, 0);
	uint64_t satp1 = csr_read(satp);
	uint64_t satp2 = (mode_for_levels(levels) << 60) | (5ULL << 44) | ((uint64_t)root2 >> 12);
	csr_write(satp, satp2);
	sfence_all();
	CHECK_READ(12, PRV_S, ACC_LD, VA_P(11), 0x3333333333333333ULL);
	CHECK_FAULT(12, PRV_S, ACC_LD, VA_P(0), CAUSE_LOAD_PAGE);   /* not in root2 */
	csr_write(satp, satp1);
	sfence_all();
	CHECK_READ(12, PRV_S, ACC_LD, VA_P(11), 0x1111111111111111ULL);
	CHECK_EQ(12, run_in_mode(PRV_S, s_switch_read, satp2), 0x3333333333333333ULL);
	CHECK_EQ(12, csr_read(satp), satp1);
	CHECK_READ(12, PRV_S, ACC_LD, VA_P(11), 0x1111111111111111ULL);

	/* 13: a 4-byte instruction crossing into a page that cannot be
	 * fetched: instruction page fault, epc = the instruction, tval = the
	 * start of the second page.  With the second page executable, it runs. */
	n = 13;
	uint16_t *c1 = (uint16_t *)data_pages[3], *c2 = (uint16_t *)data_pages[4];
	fill_ret_page(c1, 4096);
	c1[2047] = 0x0513;                 /* addi a0, x0, 0x77 = 0x07700513 */
	c2[0] = 0x0770;
	c2[1] = 0x8082;                    /* c.jr ra */
	__asm__ volatile("fence.i" ::: "memory");
	pt_map(root, VA_P(12), (uint64_t)c1, PTE_V | PTE_X | PTE_A, 0);
	pte = pt_slot(root, VA_P(13), 0);
	*pte = 0;
	sfence_all();
	CHECK_READ(13, PRV_S, ACC_X, VA_P(12) + 0xff0, 0x5a);
	CHECK_EQ(13, try_access(PRV_S, ACC_X, VA_P(12) + 0xffe, 0), 1);
	CHECK_EQ(13, tr.cause, CAUSE_FETCH_PAGE);
	CHECK_EQ(13, tr.epc, VA_P(12) + 0xffe);
	CHECK_EQ(13, tr.tval, VA_P(13));
	*pte = LEAF((uint64_t)c2, PTE_V | PTE_R | PTE_A);          /* not X */
	sfence_all();
	CHECK_EQ(13, try_access(PRV_S, ACC_X, VA_P(12) + 0xffe, 0), 1);
	CHECK_EQ(13, tr.cause, CAUSE_FETCH_PAGE);
	CHECK_EQ(13, tr.epc, VA_P(12) + 0xffe);
	CHECK_EQ(13, tr.tval, VA_P(13));
	*pte = LEAF((uint64_t)c2, PTE_V | PTE_X | PTE_A);
	sfence_all();
	CHECK_READ(13, PRV_S, ACC_X, VA_P(12) + 0xffe, 0x77);

	/* 14: a leaf pointing at a physical hole: access faults (1, 5, 7) with
	 * tval = the virtual address.  An AMO there is a store/AMO access
	 * fault (7) by the spec; QEMU 7.2 reports a load access fault (5). */
	n = 14;
	pt_map(root, VA_P(14), PA_HOLE, PTE_LEAF_ALL, 0);
	sfence_all();
	CHECK_FAULT(14, PRV_S, ACC_LD, VA_P(14) + 8, CAUSE_LOAD_ACCESS);
	CHECK_FAULT(14, PRV_S, ACC_SD, VA_P(14) + 16, CAUSE_STORE_ACCESS);
	CHECK_FAULT(14, PRV_S, ACC_AMO, VA_P(14) + 24, qemu72() ? CAUSE_LOAD_ACCESS : CAUSE_STORE_ACCESS);
	CHECK_FAULT(14, PRV_S, ACC_X, VA_P(14) + 32, CAUSE_FETCH_ACCESS);
	CHECK_EQ(14, tr.epc, VA_P(14) + 32);

	/* 15: a page-table walk that reads a physical hole: by the spec an
	 * access fault of the original access's kind; QEMU 7.2 reports a page
	 * fault instead */
	n = 15;
	*pt_slot(root, VA_WALKHOLE, 1) = LEAF(PA_HOLE, PTE_V);
	sfence_all();
	int q = qemu72();
	CHECK_FAULT(15, PRV_S, ACC_LD, VA_WALKHOLE, q ? CAUSE_LOAD_PAGE : CAUSE_LOAD_ACCESS);
	CHECK_FAULT(15, PRV_S, ACC_SD, VA_WALKHOLE + 8, q ? CAUSE_STORE_PAGE : CAUSE_STORE_ACCESS);
	CHECK_FAULT(15, PRV_S, ACC_X, VA_WALKHOLE + 16, q ? CAUSE_FETCH_PAGE : CAUSE_FETCH_ACCESS);

	/* 16: page faults delegated to S: scause/stval/sepc, SPP = S */
	n = 16;
	csr_write(medeleg, (1 << CAUSE_FETCH_PAGE) | (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE));
	CHECK_FAULT_AT(16, PRV_S, ACC_LD, VA_P(3) + 8, CAUSE_LOAD_PAGE, PRV_S);
	CHECK_EQ(16, tr.status & MSTATUS_SPP, MSTATUS_SPP);
	CHECK_FAULT_AT(16, PRV_S, ACC_SD, VA_P(6), CAUSE_STORE_PAGE, PRV_S);
	CHECK_FAULT_AT(16, PRV_S, ACC_X, VA_P(3) + 4, CAUSE_FETCH_PAGE, PRV_S);
	CHECK_EQ(16, tr.epc, VA_P(3) + 4);
	/* access faults stay in M */
	CHECK_FAULT(16, PRV_S, ACC_LD, VA_P(14), CAUSE_LOAD_ACCESS);
	csr_write(medeleg, 0);

	/* 17: M-mode is not translated (MPRV = 0) */
	n = 17;
	CHECK_FAULT(17, PRV_M, ACC_LD, VA_P(0), CAUSE_LOAD_ACCESS);  /* PA 0x4000_0000 */
	CHECK_READ(17, PRV_M, ACC_LD, pd0, 0x1111111111111111ULL);

	csr_write(satp, 0);
	sfence_all();
	return 0;
}
