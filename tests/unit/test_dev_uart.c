/* test_dev_uart.c - qtest-style tests of the NS16550A UART
 * (src/dev/uart16550.c): the device is mapped into a VM's address space at
 * its virt-board address and driven through as_read/as_write only, with its
 * interrupt line wired to a recording fake and its output to a capture
 * buffer. Input arrives through uart_receive(), as from the host console.
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
#include "dev/uart16550.h"
#include "machine/riscv_virt.h"

#define QEMU_VIRT_UART0 0x10000000ull

/* register offsets (reg-shift 0, byte wide) */
enum { RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4,
       LSR = 5, MSR = 6, SCR = 7 };

#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

struct fix {
	struct vm vm;
	struct uart16550 uart;
	gpa_t base;
	/* recording interrupt line */
	int irq_level;
	int irq_calls;
	int irq_n;
	/* capture chardev */
	uint8_t out[256];
	size_t out_len;
};

static void rec_irq(void *opaque, int n, int level)
{
	struct fix *f = opaque;

	assert_true(level == 0 || level == 1);
	f->irq_n = n;
	f->irq_level = level;
	f->irq_calls++;
}

static void cap_write(void *opaque, const uint8_t *buf, size_t len)
{
	struct fix *f = opaque;

	assert_true(f->out_len + len <= sizeof(f->out));
	memcpy(f->out + f->out_len, buf, len);
	f->out_len += len;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f || vm_init(&f->vm, "uart-test"))
		return -1;
	f->base = virt_memmap[VIRT_UART0].base;
	f->irq_n = -1;
	uart_init(&f->uart, (struct irq_line){ rec_irq, f, VIRT_IRQ_UART0 },
		  (struct chardev){ cap_write, f });
	if (as_add_mmio(&f->vm.as, f->base, virt_memmap[VIRT_UART0].size, &uart_ops, &f->uart,
			"uart0"))
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

static uint8_t rd(struct fix *f, unsigned reg)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(as_read(&f->vm.as, f->base + reg, 1, &v), 0);
	assert_true(v <= 0xff);
	return (uint8_t)v;
}

static void wr(struct fix *f, unsigned reg, uint8_t v)
{
	assert_int_equal(as_write(&f->vm.as, f->base + reg, 1, v), 0);
}

static size_t rx(struct fix *f, const char *s)
{
	return uart_receive(&f->uart, (const uint8_t *)s, strlen(s));
}

/* ---- tests ---- */

static void test_map_and_reset_state(void **state)
{
	struct fix *f = *state;

	assert_int_equal(virt_memmap[VIRT_UART0].base, QEMU_VIRT_UART0);
	assert_int_equal(VIRT_IRQ_UART0, 10);
	assert_int_equal(rd(f, LSR), LSR_THRE | LSR_TEMT);
	assert_int_equal(rd(f, IIR), 0x01);	/* no interrupt, FIFOs off */
	assert_int_equal(rd(f, IER), 0);
	assert_int_equal(rd(f, LCR), 0);
	assert_int_equal(rd(f, MCR), 0);
	assert_int_equal(rd(f, MSR), 0xb0);	/* DCD, DSR, CTS */
	assert_int_equal(rd(f, SCR), 0);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(f->out_len, 0);
}

static void test_thr_goes_to_chardev(void **state)
{
	struct fix *f = *state;

	wr(f, THR, 'H');
	wr(f, THR, 'i');
	wr(f, THR, 0x00);
	wr(f, THR, 0xff);
	wr(f, THR, '\n');
	assert_int_equal(f->out_len, 5);
	assert_memory_equal(f->out, "Hi\0\xff\n", 5);
	/* transmission is instantaneous: THR and the shifter are empty again */
	assert_int_equal(rd(f, LSR), LSR_THRE | LSR_TEMT);
	/* interrupts disabled: the line never went high */
	assert_int_equal(f->irq_level, 0);
}

static void test_receive_in_order(void **state)
{
	struct fix *f = *state;

	assert_int_equal(uart_rx_space(&f->uart), UART_FIFO_SIZE);
	assert_int_equal(rx(f, "abc"), 3);
	assert_int_equal(uart_rx_space(&f->uart), UART_FIFO_SIZE - 3);
	assert_int_equal(rd(f, LSR), LSR_DR | LSR_THRE | LSR_TEMT);
	assert_int_equal(rd(f, RBR), 'a');
	assert_int_equal(rd(f, LSR) & LSR_DR, LSR_DR);
	assert_int_equal(rd(f, RBR), 'b');
	/* more input while partly drained keeps the order */
	assert_int_equal(rx(f, "de"), 2);
	assert_int_equal(rd(f, RBR), 'c');
	assert_int_equal(rd(f, RBR), 'd');
	assert_int_equal(rd(f, RBR), 'e');
	assert_int_equal(rd(f, LSR), LSR_THRE | LSR_TEMT);
	assert_int_equal(uart_rx_space(&f->uart), UART_FIFO_SIZE);
	/* reading an empty RBR is harmless and keeps DR clear */
	(void)rd(f, RBR);
	assert_int_equal(rd(f, LSR), LSR_THRE | LSR_TEMT);
	/* nothing was echoed to the output */
	assert_int_equal(f->out_len, 0);
}

static void test_fifo_16_flow_control(void **state)
{
	struct fix *f = *state;
	uint8_t in[20];

	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(0x40 + i);
	/* the FIFO holds 16 bytes; the backend keeps the rest (flow control) */
	assert_int_equal(uart_receive(&f->uart, in, sizeof(in)), UART_FIFO_SIZE);
	assert_int_equal(uart_rx_space(&f->uart), 0);
	assert_int_equal(uart_receive(&f->uart, in, 1), 0);
	/* a refused byte is not an overrun: nothing was lost */
	assert_int_equal(rd(f, LSR), LSR_DR | LSR_THRE | LSR_TEMT);
	for (unsigned i = 0; i < UART_FIFO_SIZE; i++)
		assert_int_equal(rd(f, RBR), in[i]);
	assert_int_equal(rd(f, LSR) & LSR_DR, 0);
	/* the ring wrapped correctly: take the rest */
	assert_int_equal(uart_receive(&f->uart, in + 16, 4), 4);
	for (unsigned i = 16; i < 20; i++)
		assert_int_equal(rd(f, RBR), in[i]);
	assert_int_equal(rd(f, LSR) & LSR_DR, 0);
}

static void test_fifo_overrun_sets_oe(void **state)
{
	struct fix *f = *state;

	/* in loopback THR feeds the receive FIFO, which can overrun */
	wr(f, MCR, 0x10);
	for (unsigned i = 0; i < UART_FIFO_SIZE + 1; i++)
		wr(f, THR, (uint8_t)('A' + i));
	assert_int_equal(f->out_len, 0);
	assert_int_equal(rd(f, LSR), LSR_DR | LSR_OE | LSR_THRE | LSR_TEMT);
	/* OE clears when LSR is read */
	assert_int_equal(rd(f, LSR), LSR_DR | LSR_THRE | LSR_TEMT);
	/* the overrunning byte was dropped, the FIFO contents kept */
	for (unsigned i = 0; i < UART_FIFO_SIZE; i++)
		assert_int_equal(rd(f, RBR), 'A' + i);
	assert_int_equal(rd(f, LSR), LSR_THRE | LSR_TEMT);
}

static void test_overrun_line_status_interrupt(void **state)
{
	struct fix *f = *state;

	wr(f, MCR, 0x10);
	wr(f, IER, 0x05);	/* ERBFI | ELSI */
	for (unsigned i = 0; i < UART_FIFO_SIZE + 1; i++)
		wr(f, THR, (uint8_t)i);
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, IIR), 0x06);	/* line status has top priority */
	(void)rd(f, LSR);
	assert_int_equal(rd(f, IIR), 0x04);	/* then received data */
	assert_int_equal(f->irq_level, 1);
}

static void test_erbfi_interrupt(void **state)
{
	struct fix *f = *state;

	wr(f, IER, 0x01);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(rd(f, IIR), 0x01);
	assert_int_equal(rx(f, "xy"), 2);
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(f->irq_n, VIRT_IRQ_UART0);
	assert_int_equal(rd(f, IIR), 0x04);
	/* reading IIR does not acknowledge received data */
	assert_int_equal(rd(f, IIR), 0x04);
	assert_int_equal(rd(f, RBR), 'x');
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, RBR), 'y');
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(rd(f, IIR), 0x01);

	/* data present but the interrupt disabled: line low */
	assert_int_equal(rx(f, "z"), 1);
	assert_int_equal(f->irq_level, 1);
	wr(f, IER, 0x00);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(rd(f, IIR), 0x01);
	/* enabling it with data waiting raises the line at once */
	wr(f, IER, 0x01);
	assert_int_equal(f->irq_level, 1);
}

static void test_etbei_thre_interrupt(void **state)
{
	struct fix *f = *state;

	/* enabling ETBEI while THR is empty raises THRE at once */
	wr(f, IER, 0x02);
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, IIR), 0x02);
	/* that read acknowledged it */
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(rd(f, IIR), 0x01);

	/* each transmitted byte leaves THR empty: a new THRE interrupt */
	wr(f, THR, 'k');
	assert_int_equal(f->out_len, 1);
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, IIR), 0x02);
	assert_int_equal(f->irq_level, 0);

	/* with FIFOs enabled IIR carries 0xc0 */
	wr(f, FCR, 0x01);
	assert_int_equal(rd(f, IIR), 0xc1);
	wr(f, THR, 'l');
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, IIR), 0xc2);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(rd(f, IIR), 0xc1);

	/* disabling ETBEI drops a pending THRE interrupt's line */
	wr(f, THR, 'm');
	assert_int_equal(f->irq_level, 1);
	wr(f, IER, 0x00);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(rd(f, IIR), 0xc1);

	/* FIFOs off again: IIR bits 7:6 clear */
	wr(f, FCR, 0x00);
	assert_int_equal(rd(f, IIR), 0x01);
}

static void test_iir_priority_rda_over_thre(void **state)
{
	struct fix *f = *state;

	assert_int_equal(rx(f, "q"), 1);
	wr(f, IER, 0x03);	/* ERBFI | ETBEI: both conditions pending */
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, IIR), 0x04);
	/* reading IIR while it reports RDA leaves THRE pending */
	assert_int_equal(rd(f, IIR), 0x04);
	assert_int_equal(rd(f, RBR), 'q');
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, IIR), 0x02);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(rd(f, IIR), 0x01);

	/* same with FIFOs on */
	wr(f, FCR, 0x01);
	wr(f, THR, '.');
	assert_int_equal(rx(f, "r"), 1);
	assert_int_equal(rd(f, IIR), 0xc4);
	assert_int_equal(rd(f, RBR), 'r');
	assert_int_equal(rd(f, IIR), 0xc2);
	assert_int_equal(rd(f, IIR), 0xc1);
	assert_int_equal(f->irq_level, 0);
}

static void test_dlab_divisor_latch(void **state)
{
	struct fix *f = *state;

	wr(f, IER, 0x05);
	assert_int_equal(rx(f, "s"), 1);
	wr(f, LCR, 0x83);	/* DLAB, 8N1 */
	assert_int_equal(rd(f, LCR), 0x83);
	assert_int_equal(rd(f, DLL), 1);	/* reset divisor: 115200 baud */
	assert_int_equal(rd(f, DLM), 0);
	wr(f, DLL, 0x0c);
	wr(f, DLM, 0x34);
	assert_int_equal(rd(f, DLL), 0x0c);
	assert_int_equal(rd(f, DLM), 0x34);
	/* the divisor writes neither transmitted nor touched IER, and the
	 * DLL read did not consume the received byte */
	assert_int_equal(f->out_len, 0);
	assert_int_equal(rd(f, LSR) & LSR_DR, LSR_DR);

	wr(f, LCR, 0x03);
	assert_int_equal(rd(f, IER), 0x05);
	assert_int_equal(rd(f, RBR), 's');
	wr(f, THR, 't');
	assert_int_equal(f->out_len, 1);
	assert_int_equal(f->out[0], 't');
	/* the divisor survives leaving DLAB */
	wr(f, LCR, 0x80);
	assert_int_equal(rd(f, DLL), 0x0c);
	assert_int_equal(rd(f, DLM), 0x34);
}

static void test_scratch(void **state)
{
	struct fix *f = *state;

	wr(f, SCR, 0xa5);
	assert_int_equal(rd(f, SCR), 0xa5);
	wr(f, SCR, 0x5a);
	assert_int_equal(rd(f, SCR), 0x5a);
	/* independent of DLAB and of the other registers */
	wr(f, LCR, 0x80);
	assert_int_equal(rd(f, SCR), 0x5a);
	wr(f, LCR, 0x00);
	assert_int_equal(rd(f, LSR), LSR_THRE | LSR_TEMT);
	assert_int_equal(f->out_len, 0);
}

static void test_loopback(void **state)
{
	struct fix *f = *state;
	static const struct { uint8_t mcr, msr; } map[] = {
		{ 0x10, 0x00 },
		{ 0x11, 0x20 },	/* DTR -> DSR */
		{ 0x12, 0x10 },	/* RTS -> CTS */
		{ 0x14, 0x40 },	/* OUT1 -> RI */
		{ 0x18, 0x80 },	/* OUT2 -> DCD */
		{ 0x1f, 0xf0 },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(map); i++) {
		wr(f, MCR, map[i].mcr);
		assert_int_equal(rd(f, MCR), map[i].mcr);
		assert_int_equal(rd(f, MSR), map[i].msr);
	}
	/* THR comes back in RBR; nothing reaches the line */
	wr(f, IER, 0x01);
	wr(f, THR, 'L');
	wr(f, THR, 'b');
	assert_int_equal(f->out_len, 0);
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, LSR), LSR_DR | LSR_THRE | LSR_TEMT);
	assert_int_equal(rd(f, RBR), 'L');
	assert_int_equal(rd(f, RBR), 'b');
	assert_int_equal(f->irq_level, 0);
	/* the line input is disconnected in loopback */
	assert_int_equal(rx(f, "ignored"), 7);
	assert_int_equal(rd(f, LSR) & LSR_DR, 0);

	/* leaving loopback: output to the chardev again, modem always ready */
	wr(f, MCR, 0x0b);
	assert_int_equal(rd(f, MSR), 0xb0);
	wr(f, THR, 'o');
	assert_int_equal(f->out_len, 1);
	assert_int_equal(f->out[0], 'o');
	assert_int_equal(rd(f, LSR) & LSR_DR, 0);
	/* MCR keeps its 5 defined bits only */
	wr(f, MCR, 0xff);
	assert_int_equal(rd(f, MCR), 0x1f);
}

static void test_fcr_clear_rx(void **state)
{
	struct fix *f = *state;

	wr(f, FCR, 0x01);	/* FIFOs on */
	wr(f, IER, 0x01);
	assert_int_equal(rx(f, "hello"), 5);
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, IIR), 0xc4);
	assert_int_equal(rd(f, RBR), 'h');
	wr(f, FCR, 0x03);	/* FIFO enable + clear RX */
	assert_int_equal(rd(f, LSR), LSR_THRE | LSR_TEMT);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(rd(f, IIR), 0xc1);
	assert_int_equal(uart_rx_space(&f->uart), UART_FIFO_SIZE);
	/* the FIFO works normally afterwards */
	assert_int_equal(rx(f, "w"), 1);
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, RBR), 'w');
	/* clear-TX alone does not drop received data */
	assert_int_equal(rx(f, "v"), 1);
	wr(f, FCR, 0x05);
	assert_int_equal(rd(f, RBR), 'v');
}

static void test_bad_accesses_ignored(void **state)
{
	struct fix *f = *state;
	uint64_t v;

	f->vm.log_level = LOG_ERROR;	/* the bus logs the refused accesses */
	assert_int_equal(rx(f, "a"), 1);

	/* 8-byte accesses are outside the UART's valid sizes */
	assert_int_equal(as_write(&f->vm.as, f->base + THR, 8, 'Q'), 0);
	assert_int_equal(f->out_len, 0);
	v = 0x1234;
	assert_int_equal(as_read(&f->vm.as, f->base + RBR, 8, &v), 0);
	assert_int_equal(v, 0);
	/* misaligned accesses are refused too */
	assert_int_equal(as_write(&f->vm.as, f->base + IER, 2, 0x0f0f), 0);
	assert_int_equal(as_write(&f->vm.as, f->base + 1, 4, 0x01010101), 0);
	v = 0x1234;
	assert_int_equal(as_read(&f->vm.as, f->base + 3, 2, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(rd(f, IER), 0);
	assert_int_equal(f->irq_level, 0);
	/* nothing consumed the received byte */
	assert_int_equal(rd(f, RBR), 'a');

	/* offsets past the eight registers read 0 and ignore writes */
	wr(f, 0x08, 'X');
	wr(f, 0xff, 'Y');
	assert_int_equal(rd(f, 0x08), 0);
	assert_int_equal(rd(f, 0xff), 0);
	assert_int_equal(f->out_len, 0);
	/* and past the window there is no device at all */
	assert_int_equal(as_read(&f->vm.as, f->base + virt_memmap[VIRT_UART0].size, 1, &v), -EFAULT);

	/* the device still works */
	wr(f, THR, 'k');
	assert_int_equal(f->out_len, 1);
	assert_int_equal(f->out[0], 'k');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map_and_reset_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thr_goes_to_chardev, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receive_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_16_flow_control, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_overrun_sets_oe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overrun_line_status_interrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erbfi_interrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_etbei_thre_interrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iir_priority_rda_over_thre, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dlab_divisor_latch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scratch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loopback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fcr_clear_rx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_accesses_ignored, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
