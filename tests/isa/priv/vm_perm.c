/* Sv39 permission rules that depend on the mode and mstatus: the U bit from
 * U and S (SUM), S never executes U pages, MXR, MPRV (M loads/stores
 * translated with MPP's privilege), and TVM. */
#include "priv.h"

#define VA_P(i) (0x40000000UL + (uint64_t)(i) * 0x1000)
#define LEAF(pa, fl) ((((uint64_t)(pa)) >> 12) << 10 | (fl))

/* VA_P(0): U RW data   VA_P(1): S RW data   VA_P(2): U X-only code
 * VA_P(3): S X-only code   VA_P(4): U RX code */
static void map_tests(uint64_t *root)
{
	uint64_t pd0 = (uint64_t)data_pages[0], pd1 = (uint64_t)data_pages[1];
	uint64_t pc = (uint64_t)data_pages[2];
	pt_map(root, VA_P(0), pd0, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D, 0);
	pt_map(root, VA_P(1), pd1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D, 0);
	pt_map(root, VA_P(2), pc, PTE_V | PTE_X | PTE_U | PTE_A, 0);
	pt_map(root, VA_P(3), pc, PTE_V | PTE_X | PTE_A, 0);
	pt_map(root, VA_P(4), pc, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A, 0);
}

/* M-mode accesses with MPRV: set `bits` in mstatus (MPRV, MPP, SUM, MXR),
 * do one access, clear them again.  No stack use in between. */
__asm__(".text\n .align 2\n"
	".globl mprv_ld\n mprv_ld:\n"
	"csrs mstatus, a0\n ld a0, 0(a1)\n csrc mstatus, a2\n ret\n"
	".globl mprv_sd\n mprv_sd:\n"
	"csrs mstatus, a0\n sd a3, 0(a1)\n csrc mstatus, a2\n ret\n");
uint64_t mprv_ld(uint64_t bits, uint64_t addr, uint64_t clear);
void mprv_sd(uint64_t bits, uint64_t addr, uint64_t clear, uint64_t val);

#define MPRV_CLEAR (MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_SUM | MSTATUS_MXR)
#define MPP(m) ((uint64_t)(m) << MPP_SHIFT)

static int m_ld(uint64_t bits, uint64_t addr, uint64_t *out)
{
	int before = tr.count;
	csr_clear(mstatus, MPRV_CLEAR);
	expect_trap(1);
	uint64_t v = mprv_ld(bits, addr, MPRV_CLEAR);
	t_expect = 0;
	csr_clear(mstatus, MPRV_CLEAR);
	if (out)
		*out = v;
	return tr.count - before;
}

static int m_sd(uint64_t bits, uint64_t addr, uint64_t val)
{
	int before = tr.count;
	csr_clear(mstatus, MPRV_CLEAR);
	expect_trap(1);
	mprv_sd(bits, addr, MPRV_CLEAR, val);
	t_expect = 0;
	csr_clear(mstatus, MPRV_CLEAR);
	return tr.count - before;
}

static uint64_t s_csr_satp(uint64_t w)
{
	expect_trap(1);
	if (w) {
		csr_write(satp, w);
		return 0;
	}
	return csr_read(satp);
}

static uint64_t lower_sfence(uint64_t x)
{
	expect_trap(1);
	__asm__ volatile("sfence.vma" ::: "memory");
	return 0;
}

int main(void)
{
	priv_init();
	volatile uint64_t *d0 = (volatile uint64_t *)data_pages[0];
	volatile uint64_t *d1 = (volatile uint64_t *)data_pages[1];
	uint64_t v;
	int before;

	d0[0] = 0x1010;
	d1[0] = 0x2020;
	fill_ret_page(data_pages[2], 4096);
	uint64_t *root_s = pt_new_root(0);      /* RAM identity mapped for S */
	uint64_t *root_u = pt_new_root(PTE_U);  /* RAM identity mapped for U */
	map_tests(root_s);
	map_tests(root_u);
	satp_set(root_s);

	/* 1: S and U pages from S: U pages fault unless SUM = 1 */
	CHECK_READ(1, PRV_S, ACC_LD, VA_P(1), 0x2020);
	CHECK_FAULT(1, PRV_S, ACC_LD, VA_P(0), CAUSE_LOAD_PAGE);
	CHECK_FAULT(1, PRV_S, ACC_SD, VA_P(0) + 8, CAUSE_STORE_PAGE);
	/* an AMO faults as a store (15); QEMU 7.2 reports 13 when the page is
	 * not readable either */
	CHECK_FAULT(1, PRV_S, ACC_AMO, VA_P(0) + 8, qemu72() ? CAUSE_LOAD_PAGE : CAUSE_STORE_PAGE);
	csr_set(mstatus, MSTATUS_SUM);
	CHECK_READ(1, PRV_S, ACC_LD, VA_P(0), 0x1010);
	acc_val = 0x77;
	CHECK_OK(1, PRV_S, ACC_SD, VA_P(0) + 8);
	CHECK_EQ(1, d0[1], 0x77);
	csr_clear(mstatus, MSTATUS_SUM);

	/* 2: S never executes from a U page, SUM or not */
	CHECK_FAULT(2, PRV_S, ACC_X, VA_P(4), CAUSE_FETCH_PAGE);
	CHECK_EQ(2, tr.epc, VA_P(4));
	csr_set(mstatus, MSTATUS_SUM);
	CHECK_FAULT(2, PRV_S, ACC_X, VA_P(4) + 8, CAUSE_FETCH_PAGE);
	CHECK_FAULT(2, PRV_S, ACC_X, VA_P(2), CAUSE_FETCH_PAGE);
	csr_clear(mstatus, MSTATUS_SUM);
	CHECK_READ(2, PRV_S, ACC_X, VA_P(3), 0x5a);

	/* 3: MXR: loads from execute-only pages succeed, stores still fault;
	 * for U pages SUM is still needed */
	CHECK_FAULT(3, PRV_S, ACC_LW, VA_P(3), CAUSE_LOAD_PAGE);
	csr_set(mstatus, MSTATUS_MXR);
	CHECK_READ(3, PRV_S, ACC_LW, VA_P(3), 0x05a00513);
	CHECK_FAULT(3, PRV_S, ACC_SW, VA_P(3), CAUSE_STORE_PAGE);
	CHECK_FAULT(3, PRV_S, ACC_LW, VA_P(2), CAUSE_LOAD_PAGE);
	csr_set(mstatus, MSTATUS_SUM);
	CHECK_READ(3, PRV_S, ACC_LW, VA_P(2) + 4, 0x00008067);
	csr_clear(mstatus, MSTATUS_MXR | MSTATUS_SUM);

	/* 4: U mode (RAM mapped with U = 1): U pages only; SUM does not
	 * matter; MXR works for U too */
	satp_set(root_u);
	CHECK_READ(4, PRV_U, ACC_LD, VA_P(0), 0x1010);
	CHECK_FAULT(4, PRV_U, ACC_LD, VA_P(1), CAUSE_LOAD_PAGE);
	CHECK_FAULT(4, PRV_U, ACC_SD, VA_P(1) + 16, CAUSE_STORE_PAGE);
	CHECK_EQ(4, (tr.status >> MPP_SHIFT) & 3, PRV_U);
	csr_set(mstatus, MSTATUS_SUM);
	CHECK_FAULT(4, PRV_U, ACC_LD, VA_P(1), CAUSE_LOAD_PAGE);
	csr_clear(mstatus, MSTATUS_SUM);
	CHECK_READ(4, PRV_U, ACC_X, VA_P(4), 0x5a);
	CHECK_READ(4, PRV_U, ACC_X, VA_P(2), 0x5a);
	CHECK_FAULT(4, PRV_U, ACC_X, VA_P(3), CAUSE_FETCH_PAGE);
	CHECK_FAULT(4, PRV_U, ACC_LW, VA_P(2), CAUSE_LOAD_PAGE);
	csr_set(mstatus, MSTATUS_MXR);
	CHECK_READ(4, PRV_U, ACC_LW, VA_P(2), 0x05a00513);
	csr_clear(mstatus, MSTATUS_MXR);
	/* U fetching S code: with the S-only RAM mapping the very first
	 * instruction in U faults */
	satp_set(root_s);
	before = tr.count;
	expect_trap(1);
	abort_on_trap = 1;
	CHECK_EQ(4, run_in_mode(PRV_U, lower_sfence, 0), ~0ULL);
	CHECK_TRAP(4, before, CAUSE_FETCH_PAGE, (uint64_t)run_trampoline, PRV_M);
	CHECK_EQ(4, tr.epc, (uint64_t)run_trampoline);

	/* 5: MPRV: M-mode loads and stores are translated with MPP's privilege
	 * (and SUM/MXR); instruction fetch is not */
	CHECK_EQ(5, m_ld(MSTATUS_MPRV | MPP(PRV_S), VA_P(1), &v), 0);
	CHECK_EQ(5, v, 0x2020);
	CHECK_EQ(5, m_sd(MSTATUS_MPRV | MPP(PRV_S), VA_P(1) + 8, 0x99), 0);
	CHECK_EQ(5, d1[1], 0x99);
	CHECK_EQ(5, m_ld(MSTATUS_MPRV | MPP(PRV_S), VA_P(0), &v), 1);
	CHECK_TRAP(5, tr.count - 1, CAUSE_LOAD_PAGE, VA_P(0), PRV_M);
	CHECK_EQ(5, (tr.status >> MPP_SHIFT) & 3, PRV_M);  /* the trap came from M */
	CHECK_EQ(5, tr.status & MSTATUS_MPRV, MSTATUS_MPRV);
	CHECK_EQ(5, m_ld(MSTATUS_MPRV | MPP(PRV_S) | MSTATUS_SUM, VA_P(0), &v), 0);
	CHECK_EQ(5, v, 0x1010);
	CHECK_EQ(5, m_ld(MSTATUS_MPRV | MPP(PRV_U), VA_P(0), &v), 0);
	CHECK_EQ(5, v, 0x1010);
	CHECK_EQ(5, m_ld(MSTATUS_MPRV | MPP(PRV_U), VA_P(1), &v), 1);
	CHECK_TRAP(5, tr.count - 1, CAUSE_LOAD_PAGE, VA_P(1), PRV_M);
	CHECK_EQ(5, m_sd(MSTATUS_MPRV | MPP(PRV_U), VA_P(1), 1), 1);
	CHECK_TRAP(5, tr.count - 1, CAUSE_STORE_PAGE, VA_P(1), PRV_M);
	CHECK_EQ(5, m_ld(MSTATUS_MPRV | MPP(PRV_S), VA_P(3), &v), 1);
	CHECK_EQ(5, tr.cause, CAUSE_LOAD_PAGE);
	CHECK_EQ(5, m_ld(MSTATUS_MPRV | MPP(PRV_S) | MSTATUS_MXR, VA_P(3), &v), 0);
	CHECK_EQ(5, v & 0xffffffff, 0x05a00513);
	/* MPP = M: no translation, VA_P(1) is the physical hole 0x4000_1000 */
	CHECK_EQ(5, m_ld(MSTATUS_MPRV | MPP(PRV_M), VA_P(1), &v), 1);
	CHECK_TRAP(5, tr.count - 1, CAUSE_LOAD_ACCESS, VA_P(1), PRV_M);
	/* MPRV = 0: M is untranslated whatever MPP says */
	CHECK_EQ(5, m_ld(MPP(PRV_S), (uint64_t)&d1[0], &v), 0);
	CHECK_EQ(5, v, 0x2020);

	/* 6: TVM: satp accesses and sfence.vma in S are illegal; M unaffected */
	csr_set(mstatus, MSTATUS_TVM);
	before = tr.count;
	run_in_mode(PRV_S, s_csr_satp, 0);
	CHECK_EQ(6, tr.count - before, 1);
	CHECK_EQ(6, tr.cause, CAUSE_ILLEGAL);
	CHECK_EQ(6, tr.tval >> 20, 0x180);
	before = tr.count;
	run_in_mode(PRV_S, s_csr_satp, csr_read(satp));
	CHECK_EQ(6, tr.count - before, 1);
	CHECK_EQ(6, tr.cause, CAUSE_ILLEGAL);
	CHECK_EQ(6, tr.tval >> 20, 0x180);
	before = tr.count;
	run_in_mode(PRV_S, lower_sfence, 0);
	CHECK_TRAP(6, before, CAUSE_ILLEGAL, 0x12000073, PRV_M);
	uint64_t sv = csr_read(satp);
	csr_write(satp, sv);
	sfence_all();
	CHECK_EQ(6, csr_read(satp), sv);
	csr_clear(mstatus, MSTATUS_TVM);
	before = tr.count;
	CHECK_EQ(6, run_in_mode(PRV_S, s_csr_satp, 0), sv);
	CHECK_EQ(6, tr.count, before);
	t_expect = 0;
	run_in_mode(PRV_S, lower_sfence, 0);
	CHECK_EQ(6, tr.count, before);
	t_expect = 0;

	/* 7: U cannot touch satp or run sfence.vma */
	csr_write(satp, 0);
	sfence_all();
	before = tr.count;
	run_in_mode(PRV_U, s_csr_satp, 0);
	CHECK_EQ(7, tr.count - before, 1);
	CHECK_EQ(7, tr.cause, CAUSE_ILLEGAL);
	before = tr.count;
	run_in_mode(PRV_U, lower_sfence, 0);
	CHECK_TRAP(7, before, CAUSE_ILLEGAL, 0x12000073, PRV_M);

	return 0;
}
