/* Machine interrupts: software interrupt through CLINT msip, timer through
 * mtimecmp, WFI, masking by mstatus.MIE in M (but not in lower modes) and by
 * mie, mcause bit 63, and the order in which pending interrupts are taken. */
#include "priv.h"

extern char after_csrs[], wfi_insn[], after_wfi[], s_wfi_insn[], s_after_wfi[];

/* A timer interrupt meant to end a wfi may fire before the wfi is reached;
 * then the wfi would wait forever.  In M the interrupt can only come right
 * at the wfi (MIE is set just before it); in S it can come anywhere, so
 * s_wfi skips the wfi when timer_fired is already set, and the hook moves
 * an interrupt that hits between that test and the wfi past the wfi.  Such
 * a run checks less (early != 0) but does not hang. */
extern char s_wfi_region[];
static volatile int early;
volatile int timer_fired;
static void skip_wfi_hook(struct frame *f, uint64_t cause)
{
	uint64_t epc = csr_read(mepc);
	if (cause == (CAUSE_INTR | IRQ_MTI))
		timer_fired = 1;
	if (epc == (uint64_t)wfi_insn) {
		csr_write(mepc, (uint64_t)after_wfi);
		early++;
	}
	if (epc >= (uint64_t)s_wfi_region && epc <= (uint64_t)s_wfi_insn) {
		csr_write(mepc, (uint64_t)s_after_wfi);
		early++;
	}
}

__asm__(".text\n .align 2\n"
	".option push\n .option norvc\n"
	"s_wfi:\n"
	".globl s_wfi_region\n s_wfi_region:\n"
	"la t0, timer_fired\n lw t0, 0(t0)\n bnez t0, 1f\n"
	".globl s_wfi_insn\n s_wfi_insn: wfi\n"
	".globl s_after_wfi\n s_after_wfi: nop\n"
	"1: li a0, 0\n ret\n"
	".option pop\n");
uint64_t s_wfi(uint64_t);

/* enable MIE for a moment; the interrupt (if any) hits at after_csrs */
__attribute__((noinline)) static void mie_window(void)
{
	__asm__ volatile("csrsi mstatus, 8\n"
			 ".globl after_csrs\n after_csrs: nop\n nop\n nop\n nop\n"
			 "csrci mstatus, 8" ::: "memory");
}

static uint64_t lower_spin(uint64_t n)
{
	for (volatile uint64_t i = 0; i < n; i++)
		;
	return 0;
}

static void arm_timer(uint64_t delta)
{
	*CLINT_MTIMECMP = *CLINT_MTIME + delta;
}

int main(void)
{
	priv_init();
	int before;

	*CLINT_MTIMECMP = ~0ULL;
	*CLINT_MSIP = 0;
	CHECK_EQ(1, csr_read(mip) & (MIP_MSIP | MIP_MTIP), 0);

	/* 1: msip = 1 sets mip.MSIP; not taken in M while MIE = 0 */
	*CLINT_MSIP = 1;
	CHECK_EQ(1, *CLINT_MSIP, 1);
	CHECK_EQ(1, csr_read(mip) & MIP_MSIP, MIP_MSIP);
	csr_write(mie, MIP_MSIP);
	lower_spin(10);
	CHECK_EQ(1, tr.count, 0);
	/* mip.MSIP is read-only */
	csr_clear(mip, MIP_MSIP);
	CHECK_EQ(1, csr_read(mip) & MIP_MSIP, MIP_MSIP);

	/* 2: with MIE = 1 it is taken: mcause = 1<<63 | 3, mtval 0, mepc = the
	 * next instruction, MPIE = 1, MIE = 0, MPP = M */
	before = tr.count;
	expect_trap(1);
	mie_window();
	CHECK_TRAP(2, before, CAUSE_INTR | IRQ_MSI, 0, PRV_M);
	CHECK_EQ(2, tr.epc, (uint64_t)after_csrs);
	CHECK_EQ(2, tr.status & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP), MSTATUS_MPIE | MSTATUS_MPP);
	CHECK_EQ(2, *CLINT_MSIP, 0);                   /* the handler cleared it */
	CHECK_EQ(2, csr_read(mip) & MIP_MSIP, 0);
	CHECK_EQ(2, csr_read(mstatus) & MSTATUS_MIE, 0);

	/* 3: masked by mie even in U */
	*CLINT_MSIP = 1;
	csr_write(mie, 0);
	before = tr.count;
	run_in_mode(PRV_U, lower_spin, 10);
	CHECK_EQ(3, tr.count, before);
	mie_window();
	CHECK_EQ(3, tr.count, before);

	/* 4: in S and U an M interrupt is taken whatever mstatus.MIE says, at
	 * the first instruction run there */
	csr_write(mie, MIP_MSIP);
	CHECK_EQ(4, csr_read(mstatus) & MSTATUS_MIE, 0);
	for (int m = 0; m < 2; m++) {
		*CLINT_MSIP = 1;
		before = tr.count;
		expect_trap(1);
		run_in_mode(m, lower_spin, 10);
		CHECK_TRAP(4, before, CAUSE_INTR | IRQ_MSI, 0, PRV_M);
		CHECK_EQ(4, tr.epc, (uint64_t)run_trampoline);
		CHECK_EQ(4, (tr.status >> MPP_SHIFT) & 3, m);
	}
	csr_write(mie, 0);

	/* 5: timer: MTIP follows mtime >= mtimecmp and is read-only */
	CHECK_EQ(5, csr_read(mip) & MIP_MTIP, 0);
	*CLINT_MTIMECMP = 0;
	CHECK_EQ(5, csr_read(mip) & MIP_MTIP, MIP_MTIP);
	csr_clear(mip, MIP_MTIP);
	CHECK_EQ(5, csr_read(mip) & MIP_MTIP, MIP_MTIP);
	*CLINT_MTIMECMP = ~0ULL;
	CHECK_EQ(5, csr_read(mip) & MIP_MTIP, 0);
	uint64_t t0 = *CLINT_MTIME;
	lower_spin(200);
	CHECK_EQ(5, *CLINT_MTIME > t0, 1);             /* mtime advances */

	/* 6: WFI with MIE = 0 and a timer armed (MTIE = 1) wakes up without a
	 * trap once MTIP is pending; also with TW = 1 (no effect in M) */
	csr_write(mie, MIP_MTIP);
	csr_set(mstatus, MSTATUS_TW);
	arm_timer(100);
	before = tr.count;
	__asm__ volatile("wfi" ::: "memory");
	while (!(csr_read(mip) & MIP_MTIP))            /* wfi may return early */
		__asm__ volatile("wfi" ::: "memory");
	CHECK_EQ(6, tr.count, before);
	CHECK_EQ(6, csr_read(mip) & MIP_MTIP, MIP_MTIP);
	CHECK_EQ(6, *CLINT_MTIME >= *CLINT_MTIMECMP, 1);
	csr_clear(mstatus, MSTATUS_TW);

	/* 7: the pending timer is taken as soon as MIE = 1; the handler moves
	 * mtimecmp away which clears MTIP */
	before = tr.count;
	expect_trap(1);
	mie_window();
	CHECK_TRAP(7, before, CAUSE_INTR | IRQ_MTI, 0, PRV_M);
	CHECK_EQ(7, tr.epc, (uint64_t)after_csrs);
	CHECK_EQ(7, csr_read(mip) & MIP_MTIP, 0);

	/* 8: WFI with MIE = 1: the timer interrupt is taken after the wfi
	 * (mepc = the next instruction) */
	m_hook = skip_wfi_hook;
	early = 0;
	timer_fired = 0;
	arm_timer(1000);
	before = tr.count;
	expect_trap(1);
	__asm__ volatile(".option push\n .option norvc\n csrsi mstatus, 8\n"
			 ".globl wfi_insn\n wfi_insn: wfi\n"
			 ".globl after_wfi\n after_wfi: csrci mstatus, 8\n .option pop" ::: "memory");
	CHECK_TRAP(8, before, CAUSE_INTR | IRQ_MTI, 0, PRV_M);
	CHECK_EQ(8, tr.epc, early ? (uint64_t)wfi_insn : (uint64_t)after_wfi);
	CHECK_EQ(8, timer_fired, 1);

	/* 9: WFI in S (TW = 0) is legal and waits; the M timer interrupt ends
	 * it and traps to M with mepc after the wfi */
	early = 0;
	timer_fired = 0;
	arm_timer(1000);
	before = tr.count;
	expect_trap(1);
	run_in_mode(PRV_S, s_wfi, 0);
	CHECK_TRAP(9, before, CAUSE_INTR | IRQ_MTI, 0, PRV_M);
	CHECK_EQ(9, (tr.status >> MPP_SHIFT) & 3, PRV_S);
	if (!early && tr.epc != (uint64_t)s_after_wfi)
		CHECK_EQ(9, timer_fired, 1);           /* it fired before s_wfi */
	else if (!early)
		CHECK_EQ(9, tr.epc, (uint64_t)s_after_wfi);
	m_hook = 0;

	/* 10: MSI and MTI both pending: MSI first, then MTI */
	csr_write(mie, MIP_MSIP | MIP_MTIP);
	*CLINT_MSIP = 1;
	*CLINT_MTIMECMP = 0;
	irq_n = 0;
	before = tr.count;
	expect_trap(2);
	mie_window();
	CHECK_EQ(10, tr.count - before, 2);
	CHECK_EQ(10, irq_n, 2);
	CHECK_EQ(10, irq_log[0], IRQ_MSI);
	CHECK_EQ(10, irq_log[1], IRQ_MTI);

	/* 11: all that can be raised here pending at once (no MEI: no PLIC),
	 * none delegated: the spec order is MSI, MTI, SEI, SSI, STI.  QEMU 7.2
	 * (without AIA) takes the lowest-numbered pending interrupt first:
	 * SSI, MSI, STI, MTI, SEI. */
	csr_write(mie, MIP_MSIP | MIP_MTIP | MIP_SEIP | MIP_SSIP | MIP_STIP);
	*CLINT_MSIP = 1;
	*CLINT_MTIMECMP = 0;
	csr_set(mip, MIP_SEIP | MIP_SSIP | MIP_STIP);
	CHECK_EQ(11, csr_read(mip) & 0xaaa, 0x2aa);
	irq_n = 0;
	before = tr.count;
	expect_trap(5);
	mie_window();
	CHECK_EQ(11, tr.count - before, 5);
	static const uint8_t spec_order[5] = { IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI };
	static const uint8_t qemu_order[5] = { IRQ_SSI, IRQ_MSI, IRQ_STI, IRQ_MTI, IRQ_SEI };
	const uint8_t *order = qemu72() ? qemu_order : spec_order;
	for (int i = 0; i < 5; i++)
		CHECK_EQ(11, irq_log[i], order[i]);
	CHECK_EQ(11, csr_read(mip) & 0xaaa, 0);

	/* 12: an M interrupt pending while in U is taken before a delegated
	 * S interrupt enabled there (M-level first, whatever the numbers) */
	csr_write(mideleg, MIP_SSIP);
	csr_write(mie, MIP_MTIP | MIP_SSIP);
	csr_set(mip, MIP_SSIP);
	*CLINT_MTIMECMP = 0;
	irq_n = 0;
	before = tr.count;
	expect_trap(2);
	run_in_mode(PRV_U, lower_spin, 10);
	CHECK_EQ(12, tr.count - before, 2);
	CHECK_EQ(12, irq_log[0], IRQ_MTI);
	CHECK_EQ(12, irq_log[1], IRQ_SSI);
	CHECK_EQ(12, tr.where, PRV_S);

	csr_write(mideleg, 0);
	csr_write(mie, 0);
	*CLINT_MTIMECMP = ~0ULL;
	return 0;
}
