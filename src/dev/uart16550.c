/* uart16550.c - NS16550A UART (registers per the TI PC16550D data sheet). */
#include <string.h>

#include "dev/uart16550.h"

enum {
	REG_RBR_THR_DLL = 0, REG_IER_DLM = 1, REG_IIR_FCR = 2, REG_LCR = 3,
	REG_MCR = 4, REG_LSR = 5, REG_MSR = 6, REG_SCR = 7,
};

#define IER_ERBFI 0x01	/* receive data available */
#define IER_ETBEI 0x02	/* transmitter holding register empty */
#define IER_ELSI 0x04	/* receiver line status */
#define IIR_NONE 0x01
#define IIR_THRE 0x02
#define IIR_RDA 0x04
#define IIR_LS 0x06
#define IIR_FIFO 0xc0
#define LCR_DLAB 0x80
#define MCR_LOOP 0x10
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

void uart_init(struct uart16550 *u, struct irq_line irq, struct chardev out)
{
	memset(u, 0, sizeof(*u));
	u->irq = irq;
	u->out = out;
	u->dll = 1;	/* 115200 baud at the usual 1.8432 MHz clock */
}

static uint8_t iir(const struct uart16550 *u)
{
	uint8_t fifo = (u->fcr & 1) ? IIR_FIFO : 0;

	if ((u->ier & IER_ELSI) && (u->lsr_extra & LSR_OE))
		return IIR_LS | fifo;
	if ((u->ier & IER_ERBFI) && u->rx_count)
		return IIR_RDA | fifo;
	if ((u->ier & IER_ETBEI) && u->thre_pending)
		return IIR_THRE | fifo;
	return IIR_NONE | fifo;
}

static void update_irq(struct uart16550 *u)
{
	irq_set(&u->irq, !(iir(u) & IIR_NONE));
}

unsigned uart_rx_space(const struct uart16550 *u)
{
	return UART_FIFO_SIZE - u->rx_count;
}

static void rx_push(struct uart16550 *u, uint8_t c)
{
	if (u->rx_count == UART_FIFO_SIZE) {
		u->lsr_extra |= LSR_OE;
		return;
	}
	u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = c;
	u->rx_count++;
}

size_t uart_receive(struct uart16550 *u, const uint8_t *buf, size_t len)
{
	size_t n = 0;

	if (u->mcr & MCR_LOOP)
		return len;	/* in loopback the line is disconnected */
	while (n < len && u->rx_count < UART_FIFO_SIZE)
		rx_push(u, buf[n++]);
	if (n)
		update_irq(u);
	return n;
}

static uint64_t uart_read(void *opaque, uint64_t off, unsigned size)
{
	struct uart16550 *u = opaque;
	uint8_t v = 0;

	switch (off) {
	case REG_RBR_THR_DLL:
		if (u->lcr & LCR_DLAB)
			return u->dll;
		if (u->rx_count) {
			v = u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
			u->rx_count--;
			update_irq(u);
		}
		return v;
	case REG_IER_DLM:
		return (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
	case REG_IIR_FCR:
		v = iir(u);
		/* reading IIR acknowledges a THRE interrupt it reports */
		if ((v & 0x0f) == IIR_THRE) {
			u->thre_pending = false;
			update_irq(u);
		}
		return v;
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		v = LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0) | u->lsr_extra;
		if (u->lsr_extra) {
			u->lsr_extra = 0;	/* error bits clear on read */
			update_irq(u);
		}
		return v;
	case REG_MSR:
		if (u->mcr & MCR_LOOP) {
			/* DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD */
			return ((u->mcr & 1) << 5) | ((u->mcr & 2) << 3) | ((u->mcr & 4) << 4) |
			       ((u->mcr & 8) << 4);
		}
		return 0xb0;	/* DCD, DSR, CTS: a modem that is always ready */
	case REG_SCR:
		return u->scr;
	}
	return 0;
}

static void uart_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct uart16550 *u = opaque;
	uint8_t v = (uint8_t)val;

	switch (off) {
	case REG_RBR_THR_DLL:
		if (u->lcr & LCR_DLAB) {
			u->dll = v;
			return;
		}
		if (u->mcr & MCR_LOOP)
			rx_push(u, v);
		else
			chardev_write(&u->out, &v, 1);
		/* sent at once: THR is empty again */
		u->thre_pending = true;
		update_irq(u);
		return;
	case REG_IER_DLM:
		if (u->lcr & LCR_DLAB) {
			u->dlm = v;
			return;
		}
		/* enabling ETBEI with THR empty raises THRE at once */
		if (!(u->ier & IER_ETBEI) && (v & IER_ETBEI))
			u->thre_pending = true;
		u->ier = v & 0x0f;
		update_irq(u);
		return;
	case REG_IIR_FCR:
		/* clearing RX, or switching FIFO mode on or off, empties the FIFO */
		if ((v & 0x02) || ((v ^ u->fcr) & 0x01)) {
			u->rx_head = u->rx_count = 0;
		}
		u->fcr = v & 0xc9;
		update_irq(u);
		return;
	case REG_LCR:
		u->lcr = v;
		return;
	case REG_MCR:
		u->mcr = v & 0x1f;
		return;
	case REG_SCR:
		u->scr = v;
		return;
	}
}

/* a 2- or 4-byte access is one access to the register at its address
 * (as QEMU), not a sweep over the neighbouring registers */
const struct mmio_ops uart_ops = {
	.read = uart_read, .write = uart_write,
	.valid_min = 1, .valid_max = 4, .impl_min = 1, .impl_max = 4,
};
