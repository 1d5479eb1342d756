/* test_dev_htif.c - qtest-style tests of the HTIF tohost/fromhost device
 * (src/dev/htif.c). As for a riscv-tests program, RAM sits at 0x80000000
 * and the two 8-byte windows overlay it where the ELF's tohost/fromhost
 * symbols would be; everything is driven through as_read/as_write, console
 * output lands in a capture buffer and exits in the VM's stop request.
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
#include "dev/htif.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1ull << 20)
#define TOHOST (RAM_BASE + 0x1000)	/* riscv-tests' .tohost section */
#define FROMHOST (RAM_BASE + 0x1040)
#define BLOCK (RAM_BASE + 0x2000)	/* a syscall block */
#define BUF (RAM_BASE + 0x3000)

#define SYS_WRITE 64
#define CONSOLE_PUTC(c) ((1ull << 56) | (1ull << 48) | (uint8_t)(c))

struct fix {
	struct vm vm;
	struct htif htif;
	uint8_t out[256];
	size_t out_len;
	int writes;	/* chardev_write calls */
};

static void cap_write(void *opaque, const uint8_t *buf, size_t len)
{
	struct fix *f = opaque;

	assert_true(f->out_len + len <= sizeof(f->out));
	memcpy(f->out + f->out_len, buf, len);
	f->out_len += len;
	f->writes++;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f || vm_init(&f->vm, "htif-test") || vm_alloc_ram(&f->vm, RAM_BASE, RAM_SIZE))
		return -1;
	htif_init(&f->htif, &f->vm, (struct chardev){ cap_write, f });
	if (as_add_mmio(&f->vm.as, TOHOST, 8, &htif_tohost_ops, &f->htif, "htif-tohost") ||
	    as_add_mmio(&f->vm.as, FROMHOST, 8, &htif_fromhost_ops, &f->htif, "htif-fromhost"))
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

static uint64_t rd(struct fix *f, gpa_t a, unsigned size)
{
	uint64_t v = 0xdeadbeefdeadbeefull;

	assert_int_equal(as_read(&f->vm.as, a, size, &v), 0);
	return v;
}

static void wr(struct fix *f, gpa_t a, unsigned size, uint64_t v)
{
	assert_int_equal(as_write(&f->vm.as, a, size, v), 0);
}

/* a syscall block in guest RAM, written through the bus like a guest would */
static void put_block(struct fix *f, gpa_t at, uint64_t n, uint64_t a0, uint64_t a1, uint64_t a2)
{
	const uint64_t b[8] = { n, a0, a1, a2, 0, 0, 0, 0 };

	for (int i = 0; i < 8; i++)
		wr(f, at + 8 * i, 8, b[i]);
}

static void put_string(struct fix *f, gpa_t at, const char *s)
{
	for (size_t i = 0; s[i]; i++)
		wr(f, at + i, 1, (uint8_t)s[i]);
}

static void assert_running(struct fix *f)
{
	assert_int_equal(f->vm.stop_reason, VM_RUNNING);
}

/* ---- tests ---- */

static void test_console_putc(void **state)
{
	struct fix *f = *state;

	wr(f, TOHOST, 8, CONSOLE_PUTC('A'));
	assert_int_equal(f->out_len, 1);
	assert_int_equal(f->out[0], 'A');
	/* consumed: tohost cleared, the answer in fromhost */
	assert_int_equal(rd(f, TOHOST, 8), 0);
	assert_int_equal(rd(f, FROMHOST, 8), (1ull << 56) | (1ull << 48) | 0x100 | 'A');
	assert_running(f);

	/* the guest acknowledges and goes on */
	wr(f, FROMHOST, 8, 0);
	assert_int_equal(rd(f, FROMHOST, 8), 0);
	wr(f, TOHOST, 8, CONSOLE_PUTC('b'));
	wr(f, TOHOST, 8, CONSOLE_PUTC('\n'));
	wr(f, TOHOST, 8, CONSOLE_PUTC(0xff));
	assert_int_equal(f->out_len, 4);
	assert_memory_equal(f->out, "Ab\n\xff", 4);
	assert_int_equal(rd(f, TOHOST, 8), 0);
	/* only the low byte of the payload is printed */
	wr(f, TOHOST, 8, (1ull << 56) | (1ull << 48) | 0x1234);
	assert_int_equal(f->out_len, 5);
	assert_int_equal(f->out[4], 0x34);
	/* the RAM under the window was never written */
	for (int i = 0; i < 8; i++)
		assert_int_equal(f->vm.ram[0x1000 + i], 0);
}

static void test_exit_pass(void **state)
{
	struct fix *f = *state;

	wr(f, TOHOST, 8, 1);
	assert_int_equal(f->vm.stop_reason, VM_STOP_POWEROFF);
	assert_int_equal(f->vm.stop_code, 0);
	assert_int_equal(rd(f, TOHOST, 8), 0);
	assert_int_equal(f->out_len, 0);
}

static void test_exit_code(void **state)
{
	struct fix *f = *state;

	wr(f, TOHOST, 8, (5 << 1) | 1);
	assert_int_equal(f->vm.stop_reason, VM_STOP_POWEROFF);
	assert_int_equal(f->vm.stop_code, 5);
}

static void test_exit_code_riscv_tests_fail(void **state)
{
	struct fix *f = *state;

	/* riscv-tests report failing test number n as (n << 1) | 1 */
	wr(f, TOHOST, 8, (1234 << 1) | 1);
	assert_int_equal(f->vm.stop_reason, VM_STOP_POWEROFF);
	assert_int_equal(f->vm.stop_code, 1234);
}

static void test_syscall_write(void **state)
{
	struct fix *f = *state;

	put_string(f, BUF, "hello, htif\n");
	put_block(f, BLOCK, SYS_WRITE, 1, BUF, 12);
	wr(f, TOHOST, 8, BLOCK);
	assert_int_equal(f->out_len, 12);
	assert_memory_equal(f->out, "hello, htif\n", 12);
	assert_int_equal(rd(f, FROMHOST, 8), 1);
	assert_int_equal(rd(f, TOHOST, 8), 0);
	/* the return value (bytes written) replaces the syscall number */
	assert_int_equal(rd(f, BLOCK, 8), 12);
	assert_int_equal(rd(f, BLOCK + 8, 8), 1);
	assert_running(f);

	/* stderr too */
	wr(f, FROMHOST, 8, 0);
	put_block(f, BLOCK + 0x100, SYS_WRITE, 2, BUF + 7, 4);
	wr(f, TOHOST, 8, BLOCK + 0x100);
	assert_int_equal(f->out_len, 16);
	assert_memory_equal(f->out + 12, "htif", 4);
	assert_int_equal(rd(f, FROMHOST, 8), 1);
	assert_int_equal(rd(f, BLOCK + 0x100, 8), 4);
}

static void test_syscall_refused(void **state)
{
	struct fix *f = *state;

	put_string(f, BUF, "nope");
	/* another fd */
	put_block(f, BLOCK, SYS_WRITE, 3, BUF, 4);
	wr(f, TOHOST, 8, BLOCK);
	assert_int_equal(f->out_len, 0);
	assert_int_equal(rd(f, BLOCK, 8), (uint64_t)-1);
	assert_int_equal(rd(f, FROMHOST, 8), 1);	/* answered all the same */
	assert_int_equal(rd(f, TOHOST, 8), 0);

	/* another syscall */
	wr(f, FROMHOST, 8, 0);
	put_block(f, BLOCK, 63 /* read */, 0, BUF, 4);
	wr(f, TOHOST, 8, BLOCK);
	assert_int_equal(f->out_len, 0);
	assert_int_equal(rd(f, BLOCK, 8), (uint64_t)-1);
	assert_int_equal(rd(f, FROMHOST, 8), 1);

	/* a zero-length write prints nothing and is still answered */
	wr(f, FROMHOST, 8, 0);
	put_block(f, BLOCK, SYS_WRITE, 1, BUF, 0);
	wr(f, TOHOST, 8, BLOCK);
	assert_int_equal(f->out_len, 0);
	assert_int_equal(rd(f, FROMHOST, 8), 1);
	assert_int_equal(rd(f, TOHOST, 8), 0);

	/* a buffer that leaves RAM */
	wr(f, FROMHOST, 8, 0);
	put_block(f, BLOCK, SYS_WRITE, 1, RAM_BASE + RAM_SIZE - 2, 4);
	wr(f, TOHOST, 8, BLOCK);
	assert_int_equal(f->out_len, 0);
	assert_int_equal(rd(f, BLOCK, 8), (uint64_t)-1);

	/* a buffer over the tohost window is not RAM either */
	put_block(f, BLOCK, SYS_WRITE, 1, TOHOST - 4, 8);
	wr(f, TOHOST, 8, BLOCK);
	assert_int_equal(f->out_len, 0);
	assert_int_equal(rd(f, BLOCK, 8), (uint64_t)-1);

	/* a block outside RAM: no answer, but the request is consumed */
	wr(f, FROMHOST, 8, 0);
	wr(f, TOHOST, 8, 0x1000);
	assert_int_equal(rd(f, TOHOST, 8), 0);
	assert_int_equal(rd(f, FROMHOST, 8), 0);
	assert_int_equal(f->out_len, 0);
	assert_running(f);
}

static void test_32bit_low_then_high(void **state)
{
	struct fix *f = *state;

	/* console output, as an RV32 program stores it */
	wr(f, TOHOST, 4, (uint32_t)CONSOLE_PUTC('B'));
	assert_int_equal(f->out_len, 0);		/* nothing before the high word */
	assert_int_equal(rd(f, TOHOST, 4), 'B');
	wr(f, TOHOST + 4, 4, CONSOLE_PUTC('B') >> 32);
	assert_int_equal(f->out_len, 1);
	assert_int_equal(f->out[0], 'B');
	assert_int_equal(rd(f, TOHOST, 8), 0);
	assert_int_equal(rd(f, FROMHOST, 4), 0x100 | 'B');
	assert_int_equal(rd(f, FROMHOST + 4, 4), 0x01010000);

	/* fromhost cleared by halves */
	wr(f, FROMHOST, 4, 0);
	assert_int_equal(rd(f, FROMHOST, 8), 0x0101000000000000ull);
	wr(f, FROMHOST + 4, 4, 0);
	assert_int_equal(rd(f, FROMHOST, 8), 0);

	/* a syscall block by halves */
	put_string(f, BUF, "32");
	put_block(f, BLOCK, SYS_WRITE, 1, BUF, 2);
	wr(f, TOHOST, 4, (uint32_t)BLOCK);
	assert_int_equal(f->out_len, 1);
	wr(f, TOHOST + 4, 4, 0);
	assert_int_equal(f->out_len, 3);
	assert_memory_equal(f->out + 1, "32", 2);
	assert_int_equal(rd(f, FROMHOST, 8), 1);

	/* exit with a code: acts on the high word only */
	wr(f, TOHOST, 4, (9 << 1) | 1);
	assert_running(f);
	assert_int_equal(rd(f, TOHOST, 8), (9 << 1) | 1);
	wr(f, TOHOST + 4, 4, 0);
	assert_int_equal(f->vm.stop_reason, VM_STOP_POWEROFF);
	assert_int_equal(f->vm.stop_code, 9);
	assert_int_equal(rd(f, TOHOST, 8), 0);
}

static void test_32bit_pass(void **state)
{
	struct fix *f = *state;

	wr(f, TOHOST, 4, 1);
	assert_running(f);
	wr(f, TOHOST + 4, 4, 0);
	assert_int_equal(f->vm.stop_reason, VM_STOP_POWEROFF);
	assert_int_equal(f->vm.stop_code, 0);
}

static void test_unserved_request_stays(void **state)
{
	struct fix *f = *state;
	const uint64_t getc = (1ull << 56) | (0ull << 48);	/* console input */

	wr(f, TOHOST, 8, getc);
	assert_int_equal(rd(f, TOHOST, 8), getc);
	assert_int_equal(rd(f, TOHOST, 4), 0);
	assert_int_equal(rd(f, TOHOST + 4, 4), getc >> 32);
	assert_int_equal(rd(f, FROMHOST, 8), 0);
	assert_int_equal(f->out_len, 0);
	assert_running(f);
	/* writing 0 is not a request */
	wr(f, TOHOST, 8, 0);
	assert_int_equal(rd(f, TOHOST, 8), 0);
	assert_int_equal(f->out_len, 0);
	assert_running(f);
}

static void test_bad_sizes(void **state)
{
	struct fix *f = *state;
	uint64_t v;

	f->vm.log_level = LOG_ERROR;
	/* byte and halfword stores to tohost are refused */
	wr(f, TOHOST, 1, 1);
	wr(f, TOHOST, 2, 1);
	assert_running(f);
	assert_int_equal(rd(f, TOHOST, 8), 0);
	v = 7;
	assert_int_equal(as_read(&f->vm.as, TOHOST, 1, &v), 0);
	assert_int_equal(v, 0);
	/* an access running off the end of the window faults */
	assert_int_equal(as_write(&f->vm.as, TOHOST + 4, 8, 1), -EFAULT);
	assert_running(f);
	assert_int_equal(rd(f, TOHOST, 8), 0);
	/* the window is 8 bytes: the next word is RAM again */
	wr(f, TOHOST + 8, 8, 1);
	assert_running(f);
	assert_int_equal(f->vm.ram[0x1008], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_console_putc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_pass, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_code_riscv_tests_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syscall_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syscall_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_32bit_low_then_high, setup, teardown),
		cmocka_unit_test_setup_teardown(test_32bit_pass, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unserved_request_stays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_sizes, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
