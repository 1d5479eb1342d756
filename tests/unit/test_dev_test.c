/* test_dev_test.c - qtest-style tests of the SiFive test finisher
 * (src/dev/sifive_test.c): mapped at the virt-board address and written
 * through as_write only; the effect is the VM's stop request.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/vm.h"
#include "dev/sifive_test.h"
#include "machine/riscv_virt.h"

#define QEMU_VIRT_TEST 0x00100000ull

struct fix {
	struct vm vm;
	struct sifive_test test;
	gpa_t base;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f || vm_init(&f->vm, "test-dev"))
		return -1;
	f->base = virt_memmap[VIRT_TEST].base;
	f->test.vm = &f->vm;
	if (as_add_mmio(&f->vm.as, f->base, virt_memmap[VIRT_TEST].size, &sifive_test_ops, &f->test,
			"test"))
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

static void wr(struct fix *f, uint64_t off, unsigned size, uint64_t v)
{
	assert_int_equal(as_write(&f->vm.as, f->base + off, size, v), 0);
}

static void assert_running(struct fix *f)
{
	assert_int_equal(f->vm.stop_reason, VM_RUNNING);
	assert_int_equal(f->vm.stop_code, 0);
}

/* ---- tests ---- */

static void test_map(void **state)
{
	assert_int_equal(virt_memmap[VIRT_TEST].base, QEMU_VIRT_TEST);
}

static void test_pass(void **state)
{
	struct fix *f = *state;

	assert_running(f);
	wr(f, 0, 4, 0x5555);
	assert_int_equal(f->vm.stop_reason, VM_STOP_POWEROFF);
	assert_int_equal(f->vm.stop_code, 0);
}

static void test_fail_with_code(void **state)
{
	struct fix *f = *state;

	wr(f, 0, 4, 0x3333 | (7 << 16));
	assert_int_equal(f->vm.stop_reason, VM_STOP_POWEROFF);
	assert_int_equal(f->vm.stop_code, 7);
}

static void test_fail_code_range(void **state)
{
	struct fix *f = *state;

	/* the code is the full upper halfword */
	wr(f, 0, 4, 0x3333 | (0xabcdu << 16));
	assert_int_equal(f->vm.stop_reason, VM_STOP_POWEROFF);
	assert_int_equal(f->vm.stop_code, 0xabcd);
}

static void test_fail_code_zero_is_failure(void **state)
{
	struct fix *f = *state;

	wr(f, 0, 4, 0x3333);
	assert_int_equal(f->vm.stop_reason, VM_STOP_POWEROFF);
	assert_int_not_equal(f->vm.stop_code, 0);
}

static void test_reset(void **state)
{
	struct fix *f = *state;

	wr(f, 0, 4, 0x7777);
	assert_int_equal(f->vm.stop_reason, VM_STOP_REBOOT);
}

static void test_first_request_wins(void **state)
{
	struct fix *f = *state;

	wr(f, 0, 4, 0x3333 | (3 << 16));
	wr(f, 0, 4, 0x5555);
	wr(f, 0, 4, 0x7777);
	assert_int_equal(f->vm.stop_reason, VM_STOP_POWEROFF);
	assert_int_equal(f->vm.stop_code, 3);
}

static void test_halfword_write(void **state)
{
	struct fix *f = *state;

	/* a 16-bit store of the command word is accepted */
	wr(f, 0, 2, 0x5555);
	assert_int_equal(f->vm.stop_reason, VM_STOP_POWEROFF);
	assert_int_equal(f->vm.stop_code, 0);
}

static void test_other_values_ignored(void **state)
{
	struct fix *f = *state;
	static const uint32_t junk[] = { 0, 1, 0x5554, 0x5556, 0x3334, 0x7776, 0x55550000,
					 0x33330000, 0x77770000, 0xffffffff, 0x1234 };

	f->vm.log_level = LOG_ERROR;
	for (unsigned i = 0; i < ARRAY_SIZE(junk); i++) {
		wr(f, 0, 4, junk[i]);
		assert_running(f);
	}
	/* other offsets, and the upper halfword alone */
	wr(f, 4, 4, 0x5555);
	wr(f, 0x100, 4, 0x7777);
	wr(f, 0xffc, 4, 0x3333 | (1 << 16));
	wr(f, 2, 2, 0x5555);
	assert_running(f);
	/* refused sizes */
	wr(f, 0, 1, 0x55);
	wr(f, 0, 8, 0x5555);
	assert_running(f);
	/* still works */
	wr(f, 0, 4, 0x7777);
	assert_int_equal(f->vm.stop_reason, VM_STOP_REBOOT);
}

static void test_reads_zero(void **state)
{
	struct fix *f = *state;
	uint64_t v;

	for (uint64_t off = 0; off < 0x1000; off += 0x3fc) {
		v = 0xdead;
		assert_int_equal(as_read(&f->vm.as, f->base + off, 4, &v), 0);
		assert_int_equal(v, 0);
	}
	v = 0xdead;
	assert_int_equal(as_read(&f->vm.as, f->base, 2, &v), 0);
	assert_int_equal(v, 0);
	/* reading has no effect */
	assert_running(f);
	wr(f, 0, 4, 0x5555);
	assert_int_equal(as_read(&f->vm.as, f->base, 4, &v), 0);
	assert_int_equal(v, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pass, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_with_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_code_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_code_zero_is_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_request_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_halfword_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_values_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reads_zero, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
