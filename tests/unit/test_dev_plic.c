/* test_dev_plic.c - qtest-style tests of the PLIC (src/dev/plic.c): mapped
 * at the virt-board address with the board's two contexts (hart 0 M and S),
 * registers reached through as_read/as_write only, source inputs driven
 * through plic_set_irq() as a device's irq_line would, and the context
 * outputs wired to a recording fake.
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
#include "dev/plic.h"
#include "dev/uart16550.h"
#include "machine/riscv_virt.h"

#define QEMU_VIRT_PLIC 0x0c000000ull
#define PRIORITY(s) (0x000000 + 4 * (s))
#define PENDING(w) (0x001000 + 4 * (w))
#define ENABLE(c, w) (0x002000 + 0x80 * (c) + 4 * (w))
#define THRESHOLD(c) (0x200000 + 0x1000 * (c))
#define CLAIM(c) (0x200004 + 0x1000 * (c))
#define NR_CTX 2
enum { CTX_M = 0, CTX_S = 1 };

struct fix {
	struct vm vm;
	struct plic plic;
	gpa_t base;
	int level[NR_CTX];	/* -1: never driven */
	int calls[NR_CTX];
};

static void rec_irq(void *opaque, int n, int level)
{
	struct fix *f = opaque;

	assert_true(n >= 0 && n < NR_CTX);
	assert_true(level == 0 || level == 1);
	f->level[n] = level;
	f->calls[n]++;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f || vm_init(&f->vm, "plic-test"))
		return -1;
	f->base = virt_memmap[VIRT_PLIC].base;
	plic_init(&f->plic, NR_CTX);
	for (int c = 0; c < NR_CTX; c++) {
		f->plic.out[c] = (struct irq_line){ rec_irq, f, c };
		f->level[c] = -1;
	}
	if (as_add_mmio(&f->vm.as, f->base, virt_memmap[VIRT_PLIC].size, &plic_ops, &f->plic,
			"plic"))
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

static void raise_src(struct fix *f, int src, int level)
{
	/* exactly what a device's irq_line does */
	struct irq_line line = { plic_set_irq, &f->plic, src };

	irq_set(&line, level);
}

static bool pending(struct fix *f, int src)
{
	return (rd(f, PENDING(src / 32)) >> (src % 32)) & 1;
}

static void enable(struct fix *f, int ctx, int src)
{
	wr(f, ENABLE(ctx, src / 32), rd(f, ENABLE(ctx, src / 32)) | 1u << (src % 32));
}

static int line(struct fix *f, int ctx)
{
	return f->level[ctx] == 1;
}

/* ---- tests ---- */

static void test_map(void **state)
{
	assert_int_equal(virt_memmap[VIRT_PLIC].base, QEMU_VIRT_PLIC);
	assert_int_equal(virt_memmap[VIRT_PLIC].size, 0x600000);
}

static void test_priority_registers(void **state)
{
	struct fix *f = *state;

	for (int s = 0; s < PLIC_NR_SOURCES; s++)
		assert_int_equal(rd(f, PRIORITY(s)), 0);
	wr(f, PRIORITY(1), 5);
	assert_int_equal(rd(f, PRIORITY(1)), 5);
	/* three bits implemented */
	wr(f, PRIORITY(10), 0xffffffff);
	assert_int_equal(rd(f, PRIORITY(10)), 7);
	wr(f, PRIORITY(10), 0x0b);
	assert_int_equal(rd(f, PRIORITY(10)), 3);
	wr(f, PRIORITY(PLIC_NR_SOURCES - 1), 2);
	assert_int_equal(rd(f, PRIORITY(PLIC_NR_SOURCES - 1)), 2);
	/* source 0 does not exist */
	wr(f, PRIORITY(0), 7);
	assert_int_equal(rd(f, PRIORITY(0)), 0);
	/* neighbours untouched */
	assert_int_equal(rd(f, PRIORITY(2)), 0);
	assert_int_equal(rd(f, PRIORITY(9)), 0);
	assert_int_equal(rd(f, PRIORITY(11)), 0);
}

static void test_enable_and_threshold_registers(void **state)
{
	struct fix *f = *state;

	for (int c = 0; c < NR_CTX; c++)
		for (int w = 0; w < PLIC_WORDS; w++)
			assert_int_equal(rd(f, ENABLE(c, w)), 0);
	wr(f, ENABLE(CTX_M, 0), 0xffffffff);
	/* bit 0 (source 0) is hardwired to 0 */
	assert_int_equal(rd(f, ENABLE(CTX_M, 0)), 0xfffffffe);
	wr(f, ENABLE(CTX_M, 2), 0x80000001);
	assert_int_equal(rd(f, ENABLE(CTX_M, 2)), 0x80000001);
	/* per context */
	assert_int_equal(rd(f, ENABLE(CTX_S, 0)), 0);
	wr(f, ENABLE(CTX_S, 1), 0x00000400);
	assert_int_equal(rd(f, ENABLE(CTX_S, 1)), 0x00000400);
	assert_int_equal(rd(f, ENABLE(CTX_M, 1)), 0);

	assert_int_equal(rd(f, THRESHOLD(CTX_M)), 0);
	wr(f, THRESHOLD(CTX_M), 4);
	assert_int_equal(rd(f, THRESHOLD(CTX_M)), 4);
	wr(f, THRESHOLD(CTX_S), 0xff);
	assert_int_equal(rd(f, THRESHOLD(CTX_S)), 7);
	assert_int_equal(rd(f, THRESHOLD(CTX_M)), 4);

	/* pending is read-only */
	wr(f, PENDING(0), 0xffffffff);
	assert_int_equal(rd(f, PENDING(0)), 0);
	assert_false(line(f, CTX_M));
}

static void test_raise_claim_complete(void **state)
{
	struct fix *f = *state;

	wr(f, PRIORITY(10), 1);
	enable(f, CTX_M, 10);
	assert_false(line(f, CTX_M));

	raise_src(f, 10, 1);
	assert_true(pending(f, 10));
	assert_true(line(f, CTX_M));
	assert_false(line(f, CTX_S));

	assert_int_equal(rd(f, CLAIM(CTX_M)), 10);
	/* claimed: no longer pending, line low, nothing more to claim */
	assert_false(pending(f, 10));
	assert_false(line(f, CTX_M));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 0);
	/* the source staying high while in service changes nothing */
	raise_src(f, 10, 1);
	assert_false(pending(f, 10));
	assert_false(line(f, CTX_M));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 0);

	/* completion with the line still high: requested again (level) */
	wr(f, CLAIM(CTX_M), 10);
	assert_true(pending(f, 10));
	assert_true(line(f, CTX_M));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 10);

	/* device serviced: the line drops before completion; no re-arm */
	raise_src(f, 10, 0);
	wr(f, CLAIM(CTX_M), 10);
	assert_false(pending(f, 10));
	assert_false(line(f, CTX_M));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 0);

	/* and a new edge of the level works again */
	raise_src(f, 10, 1);
	assert_true(line(f, CTX_M));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 10);
}

static void test_threshold_masks(void **state)
{
	struct fix *f = *state;

	wr(f, PRIORITY(3), 3);
	enable(f, CTX_M, 3);
	wr(f, THRESHOLD(CTX_M), 3);
	raise_src(f, 3, 1);
	/* pending, but priority must exceed the threshold */
	assert_true(pending(f, 3));
	assert_false(line(f, CTX_M));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 0);
	assert_true(pending(f, 3));

	wr(f, THRESHOLD(CTX_M), 2);
	assert_true(line(f, CTX_M));
	wr(f, THRESHOLD(CTX_M), 7);
	assert_false(line(f, CTX_M));
	/* raising the priority over the threshold unmasks it */
	wr(f, THRESHOLD(CTX_M), 6);
	wr(f, PRIORITY(3), 7);
	assert_true(line(f, CTX_M));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 3);
}

static void test_claim_order(void **state)
{
	struct fix *f = *state;

	wr(f, PRIORITY(5), 2);
	wr(f, PRIORITY(9), 6);
	wr(f, PRIORITY(40), 6);
	wr(f, PRIORITY(33), 4);
	wr(f, PRIORITY(70), 7);
	enable(f, CTX_M, 5);
	enable(f, CTX_M, 9);
	enable(f, CTX_M, 40);
	enable(f, CTX_M, 33);
	raise_src(f, 40, 1);
	raise_src(f, 33, 1);
	raise_src(f, 5, 1);
	raise_src(f, 9, 1);
	raise_src(f, 70, 1);	/* highest priority but not enabled */

	assert_int_equal(rd(f, PENDING(0)), (1u << 5) | (1u << 9));
	assert_int_equal(rd(f, PENDING(1)), (1u << (33 - 32)) | (1u << (40 - 32)));
	assert_int_equal(rd(f, PENDING(2)), 1u << (70 - 64));

	/* highest priority first; a tie goes to the lowest id */
	assert_int_equal(rd(f, CLAIM(CTX_M)), 9);
	assert_int_equal(rd(f, CLAIM(CTX_M)), 40);
	assert_int_equal(rd(f, CLAIM(CTX_M)), 33);
	assert_true(line(f, CTX_M));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 5);
	assert_false(line(f, CTX_M));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 0);
	assert_true(pending(f, 70));

	/* completing one of them (still high) makes it claimable again */
	wr(f, CLAIM(CTX_M), 33);
	assert_true(line(f, CTX_M));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 33);
	assert_int_equal(rd(f, CLAIM(CTX_M)), 0);
}

static void test_lowered_before_claim(void **state)
{
	struct fix *f = *state;

	wr(f, PRIORITY(7), 1);
	enable(f, CTX_M, 7);
	raise_src(f, 7, 1);
	assert_true(pending(f, 7));
	assert_true(line(f, CTX_M));
	raise_src(f, 7, 0);
	assert_false(pending(f, 7));
	assert_false(line(f, CTX_M));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 0);
}

static void test_disabled_or_priority_zero_never_interrupt(void **state)
{
	struct fix *f = *state;

	/* priority 0: never, even enabled and with threshold 0 */
	enable(f, CTX_M, 12);
	enable(f, CTX_S, 12);
	raise_src(f, 12, 1);
	assert_false(line(f, CTX_M));
	assert_false(line(f, CTX_S));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 0);
	assert_int_equal(rd(f, CLAIM(CTX_S)), 0);

	/* priority set but enabled nowhere */
	wr(f, PRIORITY(13), 7);
	raise_src(f, 13, 1);
	assert_true(pending(f, 13));
	assert_false(line(f, CTX_M));
	assert_false(line(f, CTX_S));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 0);
	assert_int_equal(rd(f, CLAIM(CTX_S)), 0);
	/* completing a source that is not enabled is ignored */
	wr(f, CLAIM(CTX_M), 13);
	assert_false(line(f, CTX_M));

	/* disabling a pending source lowers the line again */
	enable(f, CTX_M, 13);
	assert_true(line(f, CTX_M));
	wr(f, ENABLE(CTX_M, 0), 0);
	assert_false(line(f, CTX_M));
	/* so does setting its priority to 0 */
	enable(f, CTX_M, 13);
	assert_true(line(f, CTX_M));
	wr(f, PRIORITY(13), 0);
	assert_false(line(f, CTX_M));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 0);

	/* source 0 and out-of-range sources are not inputs */
	wr(f, PRIORITY(1), 7);
	enable(f, CTX_M, 1);
	raise_src(f, 0, 1);
	raise_src(f, PLIC_NR_SOURCES, 1);
	raise_src(f, -1, 1);
	assert_false(line(f, CTX_M));
	assert_int_equal(rd(f, PENDING(0)), (1u << 12) | (1u << 13));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 0);
}

static void test_contexts_independent(void **state)
{
	struct fix *f = *state;

	wr(f, PRIORITY(1), 1);
	wr(f, PRIORITY(2), 1);
	enable(f, CTX_M, 1);
	enable(f, CTX_S, 2);

	raise_src(f, 2, 1);
	assert_false(line(f, CTX_M));
	assert_true(line(f, CTX_S));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 0);	/* not enabled for M */
	raise_src(f, 1, 1);
	assert_true(line(f, CTX_M));
	assert_true(line(f, CTX_S));

	assert_int_equal(rd(f, CLAIM(CTX_S)), 2);
	assert_true(line(f, CTX_M));
	assert_false(line(f, CTX_S));
	/* M cannot complete S's source (not enabled for M) */
	wr(f, CLAIM(CTX_M), 2);
	assert_false(line(f, CTX_S));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 1);
	assert_false(line(f, CTX_M));

	/* per-context thresholds */
	wr(f, CLAIM(CTX_S), 2);
	assert_true(line(f, CTX_S));
	wr(f, THRESHOLD(CTX_S), 1);
	assert_false(line(f, CTX_S));
	wr(f, CLAIM(CTX_M), 1);
	assert_true(line(f, CTX_M));

	/* a source enabled in both is claimed by one: the other loses it */
	wr(f, THRESHOLD(CTX_S), 0);
	enable(f, CTX_M, 2);
	assert_int_equal(rd(f, CLAIM(CTX_M)), 1);
	assert_int_equal(rd(f, CLAIM(CTX_S)), 2);
	assert_false(line(f, CTX_S));
	assert_false(line(f, CTX_M));
	assert_int_equal(rd(f, CLAIM(CTX_M)), 0);
}

static void test_out_of_range_offsets(void **state)
{
	struct fix *f = *state;

	/* priorities past the last source */
	wr(f, PRIORITY(PLIC_NR_SOURCES), 7);
	assert_int_equal(rd(f, PRIORITY(PLIC_NR_SOURCES)), 0);
	assert_int_equal(rd(f, 0xffc), 0);
	/* pending words past the last source */
	raise_src(f, PLIC_NR_SOURCES - 1, 1);
	assert_int_equal(rd(f, PENDING(PLIC_WORDS - 1)), 1u << 31);
	assert_int_equal(rd(f, PENDING(PLIC_WORDS)), 0);
	assert_int_equal(rd(f, 0x1ffc), 0);
	/* enable words past the last source and contexts that do not exist */
	wr(f, ENABLE(CTX_M, PLIC_WORDS), 0xffffffff);
	assert_int_equal(rd(f, ENABLE(CTX_M, PLIC_WORDS)), 0);
	wr(f, ENABLE(NR_CTX, 0), 0xffffffff);
	assert_int_equal(rd(f, ENABLE(NR_CTX, 0)), 0);
	assert_int_equal(rd(f, ENABLE(CTX_S, 0)), 0);
	assert_int_equal(rd(f, 0x1ffffc), 0);
	/* context registers of missing contexts, and past claim/complete */
	wr(f, THRESHOLD(NR_CTX), 5);
	assert_int_equal(rd(f, THRESHOLD(NR_CTX)), 0);
	assert_int_equal(rd(f, CLAIM(NR_CTX)), 0);
	assert_int_equal(rd(f, THRESHOLD(CTX_M) + 8), 0);
	assert_int_equal(rd(f, THRESHOLD(CTX_M) + 0xffc), 0);
	assert_int_equal(rd(f, PLIC_SIZE - 4), 0);
	/* nothing above changed the real state */
	assert_int_equal(rd(f, THRESHOLD(CTX_M)), 0);
	assert_int_equal(rd(f, THRESHOLD(CTX_S)), 0);
	assert_int_equal(rd(f, ENABLE(CTX_M, 0)), 0);
	/* the window ends there */
	uint64_t v;
	assert_int_equal(as_read(&f->vm.as, f->base + PLIC_SIZE, 4, &v), -EFAULT);
}

static void test_bad_sizes_ignored(void **state)
{
	struct fix *f = *state;
	uint64_t v;

	f->vm.log_level = LOG_ERROR;
	wr(f, PRIORITY(4), 1);
	enable(f, CTX_M, 4);
	raise_src(f, 4, 1);
	/* 8-, 2- and 1-byte accesses are refused: no claim happens */
	v = 1;
	assert_int_equal(as_read(&f->vm.as, f->base + CLAIM(CTX_M), 8, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(as_read(&f->vm.as, f->base + CLAIM(CTX_M), 1, &v), 0);
	assert_int_equal(as_read(&f->vm.as, f->base + CLAIM(CTX_M), 2, &v), 0);
	assert_true(line(f, CTX_M));
	assert_true(pending(f, 4));
	assert_int_equal(as_write(&f->vm.as, f->base + PRIORITY(4), 1, 7), 0);
	assert_int_equal(as_write(&f->vm.as, f->base + PRIORITY(4), 8, 7), 0);
	assert_int_equal(rd(f, PRIORITY(4)), 1);
	assert_int_equal(rd(f, CLAIM(CTX_M)), 4);
}

/* the UART's interrupt through the PLIC, as the virt board wires them */
static void test_uart_through_plic(void **state)
{
	struct fix *f = *state;
	struct uart16550 uart;
	const gpa_t ub = virt_memmap[VIRT_UART0].base;
	uint64_t v;

	uart_init(&uart, (struct irq_line){ plic_set_irq, &f->plic, VIRT_IRQ_UART0 },
		  (struct chardev){ 0 });
	assert_int_equal(as_add_mmio(&f->vm.as, ub, virt_memmap[VIRT_UART0].size, &uart_ops, &uart,
				     "uart0"), 0);
	wr(f, PRIORITY(VIRT_IRQ_UART0), 1);
	enable(f, CTX_S, VIRT_IRQ_UART0);
	assert_int_equal(as_write(&f->vm.as, ub + 1, 1, 0x01), 0);	/* IER.ERBFI */
	assert_false(line(f, CTX_S));
	assert_int_equal(uart_receive(&uart, (const uint8_t *)"ab", 2), 2);
	assert_true(line(f, CTX_S));
	assert_false(line(f, CTX_M));

	/* the driver: claim, drain, complete */
	assert_int_equal(rd(f, CLAIM(CTX_S)), VIRT_IRQ_UART0);
	assert_false(line(f, CTX_S));
	assert_int_equal(as_read(&f->vm.as, ub, 1, &v), 0);
	assert_int_equal(v, 'a');
	/* completing with data left: the UART line is still high */
	wr(f, CLAIM(CTX_S), VIRT_IRQ_UART0);
	assert_true(line(f, CTX_S));
	assert_int_equal(rd(f, CLAIM(CTX_S)), VIRT_IRQ_UART0);
	assert_int_equal(as_read(&f->vm.as, ub, 1, &v), 0);
	assert_int_equal(v, 'b');
	wr(f, CLAIM(CTX_S), VIRT_IRQ_UART0);
	assert_false(line(f, CTX_S));
	assert_false(pending(f, VIRT_IRQ_UART0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enable_and_threshold_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raise_claim_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threshold_masks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lowered_before_claim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled_or_priority_zero_never_interrupt, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_contexts_independent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_range_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_sizes_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uart_through_plic, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
