/* uart16550.h - NS16550A UART with 16-byte receive FIFO.
 *
 * Engine-neutral: eight byte-wide registers reached through uart_ops at any
 * base (MMIO on riscv virt with reg-shift 0, port 0x3f8 on x86), one
 * interrupt line, output to a struct chardev, input through uart_receive().
 * Transmission is instantaneous: THR is always empty again after a write. */
#ifndef MACHINA_DEV_UART16550_H
#define MACHINA_DEV_UART16550_H

#include "core/as.h"
#include "core/chardev.h"
#include "core/irq.h"

#define UART_FIFO_SIZE 16

struct uart16550 {
	/* guest-visible state */
	uint8_t ier, lcr, mcr, lsr_extra, scr, fcr;
	uint8_t dll, dlm;
	bool thre_pending;	/* THR-empty interrupt condition */
	uint8_t rx[UART_FIFO_SIZE];
	unsigned rx_head, rx_count;
	/* wiring */
	struct irq_line irq;
	struct chardev out;
};

extern const struct mmio_ops uart_ops;

void uart_init(struct uart16550 *u, struct irq_line irq, struct chardev out);
/* free space in the receive FIFO */
unsigned uart_rx_space(const struct uart16550 *u);
/* queue up to len received bytes; returns how many were taken */
size_t uart_receive(struct uart16550 *u, const uint8_t *buf, size_t len);

#endif
