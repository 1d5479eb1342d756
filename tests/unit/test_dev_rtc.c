/* test_dev_rtc.c - qtest-style tests of the goldfish RTC
 * (src/dev/goldfish_rtc.c): mapped at the virt-board address, registers
 * reached through as_read/as_write only, interrupt line wired to a
 * recording fake. The time is checked against clock_gettime(CLOCK_REALTIME)
 * readings taken around each device access.
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
#include "dev/goldfish_rtc.h"
#include "machine/riscv_virt.h"

#define QEMU_VIRT_RTC 0x00101000ull

enum { TIME_LOW = 0x00, TIME_HIGH = 0x04, ALARM_LOW = 0x08, ALARM_HIGH = 0x0c,
       IRQ_ENABLED = 0x10, CLEAR_ALARM = 0x14, ALARM_STATUS = 0x18, CLEAR_INTERRUPT = 0x1c };

#define NS 1000000000ull
#define MS 1000000ull

struct fix {
	struct vm vm;
	struct goldfish_rtc rtc;
	gpa_t base;
	int level;	/* -1: never driven */
	int calls;
	int n;
};

static void rec_irq(void *opaque, int n, int level)
{
	struct fix *f = opaque;

	assert_true(level == 0 || level == 1);
	f->level = level;
	f->n = n;
	f->calls++;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f || vm_init(&f->vm, "rtc-test"))
		return -1;
	f->base = virt_memmap[VIRT_RTC].base;
	f->level = -1;
	goldfish_rtc_init(&f->rtc, (struct irq_line){ rec_irq, f, VIRT_IRQ_RTC });
	if (as_add_mmio(&f->vm.as, f->base, virt_memmap[VIRT_RTC].size, &goldfish_rtc_ops, &f->rtc,
			"rtc"))
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

static uint32_t rd(struct fix *f, uint64_t off)
{
	uint64_t v = 0xdeadbeefdeadbeefull;

	assert_int_equal(as_read(&f->vm.as, f->base + off, 4, &v), 0);
	assert_true(v <= 0xffffffffull);
	return (uint32_t)v;
}

static void wr(struct fix *f, uint64_t off, uint32_t v)
{
	assert_int_equal(as_write(&f->vm.as, f->base + off, 4, v), 0);
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

/* as the Linux driver reads it: TIME_LOW latches TIME_HIGH */
static uint64_t read_time(struct fix *f)
{
	uint64_t lo = rd(f, TIME_LOW);

	return (uint64_t)rd(f, TIME_HIGH) << 32 | lo;
}

/* as the Linux driver sets it: high word first */
static void set_time(struct fix *f, uint64_t t)
{
	wr(f, TIME_HIGH, (uint32_t)(t >> 32));
	wr(f, TIME_LOW, (uint32_t)t);
}

static void set_alarm(struct fix *f, uint64_t t)
{
	wr(f, ALARM_HIGH, (uint32_t)(t >> 32));
	wr(f, ALARM_LOW, (uint32_t)t);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

static bool line(struct fix *f)
{
	return f->level == 1;
}

/* ---- tests ---- */

static void test_map(void **state)
{
	assert_int_equal(virt_memmap[VIRT_RTC].base, QEMU_VIRT_RTC);
	assert_int_equal(VIRT_IRQ_RTC, 11);
}

static void test_time_is_realtime(void **state)
{
	struct fix *f = *state;
	uint64_t h0, h1, t;

	h0 = realtime_ns();
	t = read_time(f);
	h1 = realtime_ns();
	/* TIME_HIGH was latched at the TIME_LOW read; a carry from the low
	 * word between the two reads cannot tear the value */
	assert_true(t >= h0);
	assert_true(t <= h1);
	/* plausible: after 2020 */
	assert_true(t > 1577836800ull * NS);

	/* time runs */
	sleep_ms(10);
	uint64_t t2 = read_time(f);
	assert_true(t2 >= t + 10 * MS);
	assert_true(t2 - t < 10 * NS);
}

static void test_time_high_latched(void **state)
{
	struct fix *f = *state;
	uint32_t hi;

	(void)rd(f, TIME_LOW);
	hi = rd(f, TIME_HIGH);
	/* move the clock by 2^33 ns without another TIME_LOW read */
	wr(f, TIME_HIGH, hi + 2);
	assert_int_equal(rd(f, TIME_HIGH), hi);
	/* the next TIME_LOW read latches the new high word */
	(void)rd(f, TIME_LOW);
	assert_int_equal(rd(f, TIME_HIGH), hi + 2);
}

static void test_set_time(void **state)
{
	struct fix *f = *state;
	const uint64_t y2000 = 946684800ull * NS + 123456789;
	uint64_t t, h0, h1, before;

	set_time(f, y2000);
	t = read_time(f);
	assert_true(t >= y2000);
	assert_true(t - y2000 < 100 * MS);

	/* forward: an hour ahead of the host */
	h0 = realtime_ns();
	set_time(f, h0 + 3600 * NS);
	t = read_time(f);
	h1 = realtime_ns();
	assert_true(t >= h0 + 3600 * NS);
	assert_true(t <= h1 + 3600 * NS);

	/* only the low word */
	before = read_time(f);
	wr(f, TIME_LOW, 0);
	t = read_time(f);
	assert_int_equal(t >> 32, before >> 32);
	assert_true((uint32_t)t < 100 * MS);

	/* the new time keeps running */
	set_time(f, y2000);
	sleep_ms(5);
	t = read_time(f);
	assert_true(t >= y2000 + 5 * MS && t < y2000 + 5 * NS);
	/* no interrupt from any of this */
	assert_false(line(f));
}

static void test_alarm_registers(void **state)
{
	struct fix *f = *state;
	uint64_t far = realtime_ns() + 3600 * NS;

	assert_int_equal(rd(f, IRQ_ENABLED), 0);
	assert_int_equal(rd(f, ALARM_STATUS), 0);
	set_alarm(f, far);
	assert_int_equal(rd(f, ALARM_LOW), (uint32_t)far);
	assert_int_equal(rd(f, ALARM_HIGH), (uint32_t)(far >> 32));
	assert_int_equal(rd(f, ALARM_STATUS), 1);
	wr(f, IRQ_ENABLED, 1);
	assert_int_equal(rd(f, IRQ_ENABLED), 1);
	goldfish_rtc_poll(&f->rtc);
	assert_false(line(f));
	wr(f, CLEAR_ALARM, 1);
	assert_int_equal(rd(f, ALARM_STATUS), 0);
	wr(f, IRQ_ENABLED, 0);
	assert_int_equal(rd(f, IRQ_ENABLED), 0);
}

static void test_alarm_in_past_fires(void **state)
{
	struct fix *f = *state;

	wr(f, IRQ_ENABLED, 1);
	assert_false(line(f));
	set_alarm(f, read_time(f) - NS);
	goldfish_rtc_poll(&f->rtc);
	assert_true(line(f));
	assert_int_equal(f->n, VIRT_IRQ_RTC);
	/* the alarm is spent */
	assert_int_equal(rd(f, ALARM_STATUS), 0);
	/* the interrupt stays until cleared */
	goldfish_rtc_poll(&f->rtc);
	assert_true(line(f));
	wr(f, CLEAR_INTERRUPT, 1);
	assert_false(line(f));
	/* and does not come back by itself */
	goldfish_rtc_poll(&f->rtc);
	assert_false(line(f));
}

static void test_alarm_irq_enable_gates_line(void **state)
{
	struct fix *f = *state;

	/* fired while disabled: no line, but the interrupt is pending */
	set_alarm(f, read_time(f) - NS);
	goldfish_rtc_poll(&f->rtc);
	assert_false(line(f));
	assert_int_equal(rd(f, ALARM_STATUS), 0);
	wr(f, IRQ_ENABLED, 1);
	assert_true(line(f));
	wr(f, IRQ_ENABLED, 0);
	assert_false(line(f));
	wr(f, IRQ_ENABLED, 1);
	assert_true(line(f));
	wr(f, CLEAR_INTERRUPT, 1);
	assert_false(line(f));
	/* cleared: enabling again shows nothing */
	wr(f, IRQ_ENABLED, 0);
	wr(f, IRQ_ENABLED, 1);
	assert_false(line(f));
}

static void test_alarm_in_future(void **state)
{
	struct fix *f = *state;

	wr(f, IRQ_ENABLED, 1);
	set_alarm(f, read_time(f) + 30 * MS);
	goldfish_rtc_poll(&f->rtc);
	assert_false(line(f));
	assert_int_equal(rd(f, ALARM_STATUS), 1);
	sleep_ms(60);
	assert_false(line(f));	/* fires on a poll, not by itself */
	goldfish_rtc_poll(&f->rtc);
	assert_true(line(f));
	assert_int_equal(rd(f, ALARM_STATUS), 0);
	wr(f, CLEAR_INTERRUPT, 1);
	assert_false(line(f));

	/* a cancelled alarm never fires */
	set_alarm(f, read_time(f) + 10 * MS);
	wr(f, CLEAR_ALARM, 1);
	sleep_ms(30);
	goldfish_rtc_poll(&f->rtc);
	assert_false(line(f));
}

static void test_alarm_uses_guest_time(void **state)
{
	struct fix *f = *state;
	uint64_t host = realtime_ns();

	wr(f, IRQ_ENABLED, 1);
	/* the guest clock is an hour behind the host */
	set_time(f, host - 3600 * NS);
	/* past for the host, an hour ahead for the guest */
	set_alarm(f, host - NS);
	goldfish_rtc_poll(&f->rtc);
	assert_false(line(f));
	assert_int_equal(rd(f, ALARM_STATUS), 1);
	/* moving the guest clock forward past it: due */
	set_time(f, host + 3600 * NS);
	goldfish_rtc_poll(&f->rtc);
	assert_true(line(f));
}

static void test_bad_accesses(void **state)
{
	struct fix *f = *state;
	uint64_t v;

	f->vm.log_level = LOG_ERROR;
	/* byte and 8-byte accesses are refused */
	v = 1;
	assert_int_equal(as_read(&f->vm.as, f->base + TIME_LOW, 8, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(as_read(&f->vm.as, f->base + TIME_LOW, 1, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(as_write(&f->vm.as, f->base + IRQ_ENABLED, 1, 1), 0);
	assert_int_equal(as_write(&f->vm.as, f->base + IRQ_ENABLED, 8, 1), 0);
	assert_int_equal(rd(f, IRQ_ENABLED), 0);
	/* unknown registers read 0 */
	assert_int_equal(rd(f, 0x20), 0);
	assert_int_equal(rd(f, CLEAR_ALARM), 0);
	assert_int_equal(rd(f, 0xffc), 0);
	wr(f, 0x20, 0xffffffff);
	assert_false(line(f));
	uint64_t h0 = realtime_ns(), t = read_time(f);
	assert_true(t >= h0 && t - h0 < NS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_is_realtime, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_high_latched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alarm_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alarm_in_past_fires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alarm_irq_enable_gates_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alarm_in_future, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alarm_uses_guest_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_accesses, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
