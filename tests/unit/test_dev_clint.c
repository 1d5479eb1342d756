/* test_dev_clint.c - qtest-style tests of the CLINT (src/dev/clint.c):
 * mapped at the virt-board address and driven through as_read/as_write
 * only, with each hart's MSI and MTI lines wired to a recording fake.
 * mtime follows the host monotonic clock at 10 MHz, so the timing tests
 * bracket each device read with host_clock_ns() readings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/vm.h"
#include "dev/clint.h"
#include "machine/riscv_virt.h"

#define QEMU_VIRT_CLINT 0x02000000ull
#define MSIP(h) (0x0000 + 4 * (h))
#define MTIMECMP(h) (0x4000 + 8 * (h))
#define MTIME 0xbff8
#define NR_HARTS 2
#define NS_PER_TICK (1000000000ull / CLINT_TIMEBASE_HZ)

enum { LINE_MSI, LINE_MTI };

struct fix;

struct line_ref {
	struct fix *f;
	int kind;
};

struct fix {
	struct vm vm;
	struct clint clint;
	gpa_t base;
	int level[2][NR_HARTS];	/* [LINE_*][hart], -1 = never driven */
	int calls[2][NR_HARTS];
	struct line_ref refs[2];	/* opaque handles for the two line kinds */
};

static void rec_irq(void *opaque, int n, int level)
{
	struct line_ref *r = opaque;

	assert_true(n >= 0 && n < NR_HARTS);
	assert_true(level == 0 || level == 1);
	r->f->level[r->kind][n] = level;
	r->f->calls[r->kind][n]++;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f || vm_init(&f->vm, "clint-test"))
		return -1;
	f->base = virt_memmap[VIRT_CLINT].base;
	for (int k = 0; k < 2; k++) {
		f->refs[k] = (struct line_ref){ f, k };
		for (int h = 0; h < NR_HARTS; h++)
			f->level[k][h] = -1;
	}
	clint_init(&f->clint, &f->vm, NR_HARTS);
	for (int h = 0; h < NR_HARTS; h++) {
		f->clint.msi[h] = (struct irq_line){ rec_irq, &f->refs[LINE_MSI], h };
		f->clint.mti[h] = (struct irq_line){ rec_irq, &f->refs[LINE_MTI], h };
	}
	if (as_add_mmio(&f->vm.as, f->base, virt_memmap[VIRT_CLINT].size, &clint_ops, &f->clint,
			"clint"))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	vm_destroy(&f->vm);
	free(f);
	return 0;
}

static uint64_t rd(struct fix *f, uint64_t off, unsigned size)
{
	uint64_t v = 0xdeadbeefdeadbeefull;

	assert_int_equal(as_read(&f->vm.as, f->base + off, size, &v), 0);
	return v;
}

static void wr(struct fix *f, uint64_t off, unsigned size, uint64_t v)
{
	assert_int_equal(as_write(&f->vm.as, f->base + off, size, v), 0);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

/* ---- tests ---- */

static void test_map(void **state)
{
	assert_int_equal(virt_memmap[VIRT_CLINT].base, QEMU_VIRT_CLINT);
	assert_int_equal(virt_memmap[VIRT_CLINT].size, 0x10000);
}

static void test_msip(void **state)
{
	struct fix *f = *state;

	assert_int_equal(rd(f, MSIP(0), 4), 0);
	wr(f, MSIP(0), 4, 1);
	assert_int_equal(f->level[LINE_MSI][0], 1);
	assert_int_equal(rd(f, MSIP(0), 4), 1);
	/* only hart 0 was touched */
	assert_int_equal(f->level[LINE_MSI][1], -1);
	assert_int_equal(rd(f, MSIP(1), 4), 0);
	/* the timer lines are not involved */
	assert_int_equal(f->calls[LINE_MTI][0], 0);

	wr(f, MSIP(0), 4, 0);
	assert_int_equal(f->level[LINE_MSI][0], 0);
	assert_int_equal(rd(f, MSIP(0), 4), 0);

	/* only bit 0 is implemented */
	wr(f, MSIP(0), 4, 0xfffffffe);
	assert_int_equal(f->level[LINE_MSI][0], 0);
	assert_int_equal(rd(f, MSIP(0), 4), 0);
	wr(f, MSIP(0), 4, 0xffffffff);
	assert_int_equal(f->level[LINE_MSI][0], 1);
	assert_int_equal(rd(f, MSIP(0), 4), 1);

	/* hart 1's msip is the next word and drives its own line */
	wr(f, MSIP(1), 4, 1);
	assert_int_equal(f->level[LINE_MSI][1], 1);
	assert_int_equal(f->level[LINE_MSI][0], 1);
	wr(f, MSIP(0), 4, 0);
	assert_int_equal(f->level[LINE_MSI][0], 0);
	assert_int_equal(f->level[LINE_MSI][1], 1);
	assert_int_equal(rd(f, MSIP(1), 4), 1);
}

static void test_msip_bad_sizes(void **state)
{
	struct fix *f = *state;
	uint64_t v;

	f->vm.log_level = LOG_ERROR;
	/* byte and halfword accesses are refused by the bus */
	wr(f, MSIP(0), 1, 1);
	wr(f, MSIP(0), 2, 1);
	assert_int_equal(f->calls[LINE_MSI][0], 0);
	assert_int_equal(rd(f, MSIP(0), 4), 0);
	wr(f, MSIP(0), 4, 1);
	v = 0x55;
	assert_int_equal(as_read(&f->vm.as, f->base + MSIP(0), 1, &v), 0);
	assert_int_equal(v, 0);
	/* msip of a hart that does not exist: reads 0, no line */
	wr(f, MSIP(NR_HARTS), 4, 1);
	assert_int_equal(rd(f, MSIP(NR_HARTS), 4), 0);
	assert_int_equal(rd(f, MSIP(0), 4), 1);
}

static void test_mtimecmp_64_and_halves(void **state)
{
	struct fix *f = *state;

	/* reset value: never */
	assert_int_equal(rd(f, MTIMECMP(0), 8), ~0ull);
	assert_int_equal(rd(f, MTIMECMP(0), 4), 0xffffffffull);
	assert_int_equal(rd(f, MTIMECMP(0) + 4, 4), 0xffffffffull);

	wr(f, MTIMECMP(0), 8, 0x0123456789abcdefull);
	assert_int_equal(rd(f, MTIMECMP(0), 8), 0x0123456789abcdefull);
	assert_int_equal(rd(f, MTIMECMP(0), 4), 0x89abcdefull);
	assert_int_equal(rd(f, MTIMECMP(0) + 4, 4), 0x01234567ull);

	/* 32-bit writes replace one half only */
	wr(f, MTIMECMP(0), 4, 0x11112222);
	assert_int_equal(rd(f, MTIMECMP(0), 8), 0x0123456711112222ull);
	wr(f, MTIMECMP(0) + 4, 4, 0x33334444);
	assert_int_equal(rd(f, MTIMECMP(0), 8), 0x3333444411112222ull);

	/* hart 1's comparator is separate */
	assert_int_equal(rd(f, MTIMECMP(1), 8), ~0ull);
	wr(f, MTIMECMP(1), 8, 0xfedcba9876543210ull);
	assert_int_equal(rd(f, MTIMECMP(1), 8), 0xfedcba9876543210ull);
	assert_int_equal(rd(f, MTIMECMP(0), 8), 0x3333444411112222ull);
	/* the lines follow: both comparators far in the future */
	assert_int_equal(f->level[LINE_MTI][0], 0);
	assert_int_equal(f->level[LINE_MTI][1], 0);
}

static void test_mti_level(void **state)
{
	struct fix *f = *state;
	uint64_t now;

	now = rd(f, MTIME, 8);
	wr(f, MTIMECMP(0), 8, now + 100 * CLINT_TIMEBASE_HZ);	/* 100 s away */
	assert_int_equal(f->level[LINE_MTI][0], 0);

	wr(f, MTIMECMP(0), 8, 0);
	assert_int_equal(f->level[LINE_MTI][0], 1);
	assert_int_equal(f->level[LINE_MTI][1], 0);	/* hart 1 still at ~0 */
	clint_update(&f->clint);
	assert_int_equal(f->level[LINE_MTI][0], 1);

	/* exactly now (or just passed) counts: mtime >= mtimecmp */
	now = rd(f, MTIME, 8);
	wr(f, MTIMECMP(0), 8, now);
	assert_int_equal(f->level[LINE_MTI][0], 1);

	/* moving the comparator to the future lowers the line */
	wr(f, MTIMECMP(0), 8, now + 100 * CLINT_TIMEBASE_HZ);
	assert_int_equal(f->level[LINE_MTI][0], 0);
	clint_update(&f->clint);
	assert_int_equal(f->level[LINE_MTI][0], 0);

	/* 32-bit halves, as an RV32 guest writes them */
	wr(f, MTIMECMP(0), 8, ~0ull);
	wr(f, MTIMECMP(0), 4, 0);		/* 0xffffffff_00000000: future */
	assert_int_equal(f->level[LINE_MTI][0], 0);
	wr(f, MTIMECMP(0) + 4, 4, 0);		/* 0: due */
	assert_int_equal(f->level[LINE_MTI][0], 1);
	wr(f, MTIMECMP(0) + 4, 4, 0xffffffff);	/* future again */
	assert_int_equal(f->level[LINE_MTI][0], 0);

	/* the timer fires by itself once time passes mtimecmp (polling) */
	now = rd(f, MTIME, 8);
	wr(f, MTIMECMP(0), 8, now + CLINT_TIMEBASE_HZ / 1000 * 2);	/* 2 ms */
	assert_int_equal(f->level[LINE_MTI][0], 0);
	sleep_ms(5);
	assert_int_equal(f->level[LINE_MTI][0], 0);	/* nothing polled yet */
	clint_update(&f->clint);
	assert_int_equal(f->level[LINE_MTI][0], 1);
	assert_int_equal(f->level[LINE_MTI][1], 0);
	/* the MSI lines were never touched */
	assert_int_equal(f->calls[LINE_MSI][0], 0);
}

static void test_mtime_rate(void **state)
{
	struct fix *f = *state;
	uint64_t h0, h1, h2, h3, t0, t1, d;

	h0 = host_clock_ns();
	t0 = rd(f, MTIME, 8);
	h1 = host_clock_ns();
	sleep_ms(20);
	h2 = host_clock_ns();
	t1 = rd(f, MTIME, 8);
	h3 = host_clock_ns();
	d = t1 - t0;
	/* about 200000 ticks in 20 ms ... */
	assert_true(d >= 200000 - 1);
	assert_true(d < 200000 * 10);	/* oversleeping on a loaded host: see below */
	/* ... and exactly 10 MHz against the host clock */
	assert_true(d + 1 >= (h2 - h1) / NS_PER_TICK);
	assert_true(d <= (h3 - h0) / NS_PER_TICK + 1);

	/* mtime is monotonic and its halves agree with the 64-bit value */
	t0 = rd(f, MTIME, 8);
	uint64_t lo = rd(f, MTIME, 4), hi = rd(f, MTIME + 4, 4);
	t1 = rd(f, MTIME, 8);
	assert_true(t1 >= t0);
	assert_int_equal(hi, t1 >> 32);
	assert_true(lo >= (uint32_t)t0 && lo <= (uint32_t)t1);
	/* and clint_mtime is the same clock */
	t0 = rd(f, MTIME, 8);
	t1 = clint_mtime(&f->clint);
	assert_true(t1 >= t0 && t1 - t0 < CLINT_TIMEBASE_HZ / 10);
}

static void test_mtime_write(void **state)
{
	struct fix *f = *state;
	uint64_t t;

	wr(f, MTIME, 8, 0x123456789ull);
	t = rd(f, MTIME, 8);
	assert_true(t >= 0x123456789ull);
	assert_true(t - 0x123456789ull < CLINT_TIMEBASE_HZ / 10);	/* < 100 ms */
	/* it keeps counting from there */
	sleep_ms(2);
	assert_true(rd(f, MTIME, 8) >= 0x123456789ull + 20000);

	/* setting the high half keeps the (running) low half */
	wr(f, MTIME + 4, 4, 0xabc);
	t = rd(f, MTIME, 8);
	assert_int_equal(t >> 32, 0xabc);
	/* setting the low half */
	wr(f, MTIME, 4, 0);
	t = rd(f, MTIME, 8);
	assert_int_equal(t >> 32, 0xabc);
	assert_true((uint32_t)t < CLINT_TIMEBASE_HZ / 10);

	/* going back in time */
	wr(f, MTIME, 8, 1000);
	t = rd(f, MTIME, 8);
	assert_true(t >= 1000 && t < 1000 + CLINT_TIMEBASE_HZ / 10);

	/* moving mtime past mtimecmp raises MTI, moving it back lowers it */
	wr(f, MTIMECMP(0), 8, 1ull << 40);
	assert_int_equal(f->level[LINE_MTI][0], 0);
	wr(f, MTIME, 8, (1ull << 40) + 5);
	assert_int_equal(f->level[LINE_MTI][0], 1);
	assert_int_equal(f->level[LINE_MTI][1], 0);
	wr(f, MTIME, 8, 0);
	assert_int_equal(f->level[LINE_MTI][0], 0);
	/* equality is enough: mtime == mtimecmp fires (the write and the
	 * check are nanoseconds apart, under one 100 ns tick) */
	wr(f, MTIME, 8, 1ull << 40);
	assert_int_equal(f->level[LINE_MTI][0], 1);
	wr(f, MTIME, 8, 0);
	assert_int_equal(f->level[LINE_MTI][0], 0);
	/* the time CSR reads the same clock */
	t = clint_read_time(&f->clint);
	assert_true(t < CLINT_TIMEBASE_HZ / 10);
}

static void test_next_deadline(void **state)
{
	struct fix *f = *state;
	uint64_t h0, h1, m, dl;

	/* no comparator armed */
	assert_int_equal(clint_next_deadline_ns(&f->clint), UINT64_MAX);

	/* one second from now */
	h0 = host_clock_ns();
	m = rd(f, MTIME, 8);
	h1 = host_clock_ns();
	wr(f, MTIMECMP(0), 8, m + CLINT_TIMEBASE_HZ);
	dl = clint_next_deadline_ns(&f->clint);
	assert_true(dl + NS_PER_TICK >= h0 + 1000000000ull);
	assert_true(dl <= h1 + 1000000000ull);

	/* the earliest hart wins */
	wr(f, MTIMECMP(1), 8, m + CLINT_TIMEBASE_HZ / 2);
	dl = clint_next_deadline_ns(&f->clint);
	assert_true(dl + NS_PER_TICK >= h0 + 500000000ull);
	assert_true(dl <= h1 + 500000000ull);

	/* already due: a deadline that has passed */
	wr(f, MTIMECMP(0), 8, 0);
	assert_true(clint_next_deadline_ns(&f->clint) <= host_clock_ns());

	/* far away but representable */
	wr(f, MTIMECMP(0), 8, ~0ull);
	wr(f, MTIMECMP(1), 8, m + 3600 * CLINT_TIMEBASE_HZ);
	dl = clint_next_deadline_ns(&f->clint);
	assert_true(dl + NS_PER_TICK >= h0 + 3600 * 1000000000ull);
	assert_true(dl <= h1 + 3600 * 1000000000ull);

	/* centuries away: no deadline */
	wr(f, MTIMECMP(1), 8, ~0ull - 1);
	assert_int_equal(clint_next_deadline_ns(&f->clint), UINT64_MAX);

	/* consistent after mtime is written */
	wr(f, MTIME, 8, 5000000);
	h0 = host_clock_ns();
	wr(f, MTIMECMP(0), 8, 5000000 + CLINT_TIMEBASE_HZ / 10);	/* +100 ms */
	h1 = host_clock_ns();
	dl = clint_next_deadline_ns(&f->clint);
	assert_true(dl + 100000000ull >= h0 && dl <= h1 + 100000000ull);
	assert_true(dl >= h0 + 100000000ull - 50000000ull);	/* mtime was set < 50 ms before */
}

static void test_unmapped_offsets(void **state)
{
	struct fix *f = *state;

	/* holes between the registers read 0 and ignore writes */
	assert_int_equal(rd(f, 0x3ff8, 8), 0);
	wr(f, 0x3ff8, 8, ~0ull);
	assert_int_equal(rd(f, 0x3ff8, 8), 0);
	assert_int_equal(rd(f, MTIMECMP(NR_HARTS), 8), 0);
	wr(f, MTIMECMP(NR_HARTS), 8, 0);
	assert_int_equal(rd(f, MTIMECMP(NR_HARTS), 8), 0);
	assert_int_equal(f->calls[LINE_MTI][0], 0);	/* no comparator changed */
	assert_int_equal(rd(f, 0xbff0, 8), 0);
	/* the window ends at 64 KiB */
	uint64_t v;
	assert_int_equal(as_read(&f->vm.as, f->base + CLINT_SIZE, 4, &v), -EFAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msip_bad_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mtimecmp_64_and_halves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mti_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mtime_rate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mtime_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmapped_offsets, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
