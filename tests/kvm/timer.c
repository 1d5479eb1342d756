/* timer: interrupts taken while CPL3 code spins.
 *
 *  timer.lapic  the local APIC timer in periodic mode (LVT timer 0x320,
 *               divide 0x3e0 = 0xb: by 1, initial count 0x380 =
 *               `lapic_count`, default 1000000: 1 ms with the 1 GHz APIC
 *               bus of KVM and QEMU) until `ticks` (50) interrupts arrived.
 *  timer.hlt    the same timer, `hlt_ticks` (10) times waited for with
 *               `sti; hlt` at CPL0 (SVC_WAIT_IRQ): the halted vCPU must be
 *               woken by the timer interrupt. Only bounded by the host's
 *               timeout: there is nothing else to wake the CPU.
 *  timer.pit    the i8254 channel 0 in mode 2 (rate generator) at ~1 kHz
 *               through the IOAPIC until `pit_ticks` (20) arrived. ISA IRQ
 *               0 is wired to IOAPIC pin 2 on a PC (QEMU) but to pin 0 with
 *               KVM's default routing, so both pins are routed, to separate
 *               vectors, and the line reports which one fired. `pit=0`
 *               leaves the PIT out.
 * timer.lapic and timer.pit also require that every tick interrupted CPL3.
 * The counts are read after the timer is stopped, so they may exceed the
 * target (by many when the vCPU thread was descheduled and missed ticks
 * are delivered in a burst).
 *   ok timer.lapic ticks=50 from_cpl3=50 tsc_per_tick=N
 *   ok timer.hlt wakeups=10 ticks=10
 *   ok timer.pit ticks=20 from_cpl3=20 pin=2 tsc_per_tick=N */
#include "rt/rt.h"

const char test_name[] = "timer";

#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_HZ		1193182

static volatile uint64_t first_tsc, last_tsc;

static void tick(struct irq_frame *f, void *arg)
{
	uint64_t t = rdtsc();
	(void)f, (void)arg;
	if (!first_tsc)
		first_tsc = t;
	last_tsc = t;
}

/* spin at CPL3 until `want` interrupts on the vectors, or the deadline */
static uint64_t spin_for(const unsigned *vec, int nvec, uint64_t want, uint64_t timeout_ms)
{
	uint64_t d = deadline_ms(timeout_ms), n = 0;
	do {
		n = 0;
		for (int i = 0; i < nvec; i++)
			n += irq_count[vec[i]];
		cpu_relax();
	} while (n < want && !expired(d));
	return n;
}

static void lapic_timer(void)
{
	uint64_t want = param_u64("ticks", 50), count = param_u64("lapic_count", 1000000);
	const unsigned vec[] = { VEC_LAPIC_TIMER };

	first_tsc = last_tsc = 0;
	irq_register(VEC_LAPIC_TIMER, tick, 0);
	lapic_write(LAPIC_TIMER_DCR, 0xb);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, (uint32_t)count);
	spin_for(vec, 1, want, 10000);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, 0);	/* stops the timer */
	uint64_t n = irq_count[VEC_LAPIC_TIMER], cpl3 = irq_from_cpl3[VEC_LAPIC_TIMER];

	if (n < want)
		fail("timer.lapic", "%lu of %lu ticks in 10 s (initial count %lu)", n, want, count);
	else if (cpl3 != n)
		fail("timer.lapic", "only %lu of %lu ticks interrupted CPL3 code", cpl3, n);
	else
		ok("timer.lapic", "ticks=%lu from_cpl3=%lu tsc_per_tick=%lu", n, cpl3,
		   n > 1 ? (last_tsc - first_tsc) / (n - 1) : 0);
}

static void hlt_wakeup(void)
{
	uint64_t want = param_u64("hlt_ticks", 10), count = param_u64("lapic_count", 1000000);
	uint64_t before = irq_count[VEC_LAPIC_TIMER];

	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, (uint32_t)count);
	for (uint64_t i = 0; i < want; i++)
		svc(SVC_WAIT_IRQ, 0);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, 0);
	uint64_t n = irq_count[VEC_LAPIC_TIMER] - before;
	if (n < want)
		fail("timer.hlt", "%lu wakeups from hlt but only %lu timer interrupts", want, n);
	else
		ok("timer.hlt", "wakeups=%lu ticks=%lu", want, n);
}

static void pit_timer(void)
{
	uint64_t want = param_u64("pit_ticks", 20), hz = param_u64("pit_hz", 1000);
	const unsigned vec[] = { VEC_PIT_PIN0, VEC_PIT_PIN2 };
	uint32_t div = (uint32_t)(PIT_HZ / (hz ? hz : 1000));

	first_tsc = last_tsc = 0;
	irq_register(VEC_PIT_PIN0, tick, 0);
	irq_register(VEC_PIT_PIN2, tick, 0);
	if (ioapic_route(0, VEC_PIT_PIN0, 0) < 0 || ioapic_route(2, VEC_PIT_PIN2, 0) < 0) {
		fail("timer.pit", "IOAPIC has only %u pins", ioapic_entries());
		return;
	}
	outb(PIT_CMD, 0x34);		/* channel 0, lobyte/hibyte, mode 2, binary */
	outb(PIT_CH0, div & 0xff);
	outb(PIT_CH0, div >> 8);
	spin_for(vec, 2, want, 10000);
	ioapic_route(0, VEC_PIT_PIN0, 1);
	ioapic_route(2, VEC_PIT_PIN2, 1);
	outb(PIT_CMD, 0x30);		/* channel 0, mode 0: one count, then quiet */
	outb(PIT_CH0, 0xff);
	outb(PIT_CH0, 0xff);
	uint64_t n0 = irq_count[VEC_PIT_PIN0], n2 = irq_count[VEC_PIT_PIN2];
	uint64_t n = n0 + n2, cpl3 = irq_from_cpl3[VEC_PIT_PIN0] + irq_from_cpl3[VEC_PIT_PIN2];

	if (n < want)
		fail("timer.pit", "%lu of %lu ticks in 10 s (pin 0: %lu, pin 2: %lu)", n, want, n0, n2);
	else if (n0 && n2)
		fail("timer.pit", "ticks on both IOAPIC pins 0 (%lu) and 2 (%lu)", n0, n2);
	else if (cpl3 != n)
		fail("timer.pit", "only %lu of %lu ticks interrupted CPL3 code", cpl3, n);
	else
		ok("timer.pit", "ticks=%lu from_cpl3=%lu pin=%d tsc_per_tick=%lu", n, cpl3, n0 ? 0 : 2,
		   n > 1 ? (last_tsc - first_tsc) / (n - 1) : 0);
}

void test_main(void)
{
	lapic_init();
	irq_enable();
	lapic_timer();
	if (!rt_failures)	/* a dead timer would leave the CPU halted */
		hlt_wakeup();
	if (param_u64("pit", 1))
		pit_timer();
	irq_disable();
}
