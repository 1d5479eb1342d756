/* smp: start the other vCPUs with INIT-SIPI-SIPI and count with locked
 * instructions from all of them.
 *
 * The BSP copies the real-mode trampoline (boot.S) to 0x8000 and, for each
 * AP (APIC ids 1..cpus-1, `cpus` default 2), sends through its local APIC's
 * ICR (0x300/0x310): INIT (delivery mode 101, level assert), 10 ms, then
 * STARTUP (mode 110) with vector 0x08 = page 0x8000, and a second STARTUP
 * if the AP is not up within 200 ms. The AP goes real mode -> protected
 * mode -> long mode on the BSP's page tables and GDT, gets its own TSS and
 * stacks, drops to CPL3 and prints
 *   ok smp.cpuN apic_id=N cpl=3
 * under the output lock. Then every CPU adds `smp_iters` (1000000) to two
 * shared counters, one with `lock incq`, one with a `lock cmpxchg` loop:
 *   ok smp.counter cpus=2 inc=2000000 cmpxchg=2000000 */
#include "rt/rt.h"

const char test_name[] = "smp";

static volatile uint64_t counter_inc, counter_cas;
static volatile int go;			/* 1: count, -1: give up */
static volatile unsigned finished;
static uint64_t iters;

static void count(void)
{
	for (uint64_t i = 0; i < iters; i++) {
		__asm__ volatile("lock incq %0" : "+m"(counter_inc));
		uint64_t old = counter_cas, new;
		do
			new = old + 1;
		while (!__atomic_compare_exchange_n(&counter_cas, &old, new, 0, __ATOMIC_SEQ_CST,
						    __ATOMIC_RELAXED));
	}
}

void ap_main(unsigned cpu)
{
	char name[16];

	fmt(name, sizeof(name), "smp.cpu%u", cpu);
	if ((read_cs() & 3) != 3)
		fail(name, "running at CPL%u", read_cs() & 3);
	else
		ok(name, "apic_id=%u cpl=3", lapic_id());
	uint64_t d = deadline_ms(60000);
	while (!go && !expired(d))
		cpu_relax();
	if (go > 0)
		count();
	__atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST);
}

static int start_ap(unsigned cpu)
{
	unsigned before = cpus_online;
	char name[16];

	fmt(name, sizeof(name), "smp.cpu%u", cpu);
	ap_cpu_index = cpu;
	mb();
	if (lapic_send_ipi(cpu, 0x00004500) < 0) {	/* INIT, level assert */
		fail(name, "INIT IPI still pending after 1 s (ICR 0x%x)", lapic_read(LAPIC_ICR_LO));
		return -1;
	}
	delay_ms(10);
	for (int sipi = 0; sipi < 2; sipi++) {
		if (lapic_send_ipi(cpu, 0x00004600 | (AP_TRAMP_ADDR >> 12)) < 0) {	/* STARTUP */
			fail(name, "STARTUP IPI still pending after 1 s");
			return -1;
		}
		uint64_t d = deadline_ms(sipi ? 5000 : 200);
		while (cpus_online == before && !expired(d))
			cpu_relax();
		if (cpus_online != before)
			return 0;
	}
	fail(name, "APIC id %u did not come up after INIT-SIPI-SIPI", cpu);
	return -1;
}

void test_main(void)
{
	unsigned cpus = (unsigned)param_u64("cpus", 2);
	iters = param_u64("smp_iters", 1000000);

	if (cpus < 2 || cpus > MAX_CPUS) {
		fail("smp.counter", "cpus=%u: 2..%d wanted", cpus, MAX_CPUS);
		return;
	}
	lapic_init();
	if (lapic_id() != 0) {
		fail("smp.counter", "the BSP has APIC id %u, expected 0", lapic_id());
		return;
	}
	memcpy((void *)(volatile void *)AP_TRAMP_ADDR, ap_tramp_start, ap_tramp_end - ap_tramp_start);
	unsigned started = 1;
	for (unsigned cpu = 1; cpu < cpus; cpu++)
		if (start_ap(cpu) == 0)
			started++;
	if (started != cpus) {
		go = -1;
		return;
	}
	mb();
	go = 1;
	uint64_t t0 = rdtsc();
	count();
	uint64_t d = deadline_ms(60000);
	while (finished != cpus - 1 && !expired(d))
		cpu_relax();
	uint64_t want = cpus * iters;
	if (finished != cpus - 1)
		fail("smp.counter", "only %u of %u APs finished counting within 60 s", finished, cpus - 1);
	else if (counter_inc != want || counter_cas != want)
		fail("smp.counter", "inc=%lu cmpxchg=%lu, expected %lu", (uint64_t)counter_inc,
		     (uint64_t)counter_cas, want);
	else
		ok("smp.counter", "cpus=%u inc=%lu cmpxchg=%lu tsc=%lu", cpus, (uint64_t)counter_inc,
		   (uint64_t)counter_cas, rdtsc() - t0);
}
