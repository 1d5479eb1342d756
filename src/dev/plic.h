/* plic.h - RISC-V platform-level interrupt controller, SiFive layout as on
 * QEMU virt (RISC-V PLIC specification 1.0.0):
 *   0x000000 + 4*src        priority (0 = never; 1..7)
 *   0x001000 + 4*(src/32)   pending bits (read-only)
 *   0x002000 + 0x80*ctx     enable bits, one word per 32 sources
 *   0x200000 + 0x1000*ctx   priority threshold; +4 claim / complete
 * Context 2*hart is the hart's M-mode, 2*hart+1 its S-mode.
 * Sources are level-triggered (virt's UART, RTC and virtio devices); source
 * 0 does not exist. Inputs are IRQ-line targets: plic_set_irq(). */
#ifndef MACHINA_DEV_PLIC_H
#define MACHINA_DEV_PLIC_H

#include "core/as.h"
#include "core/irq.h"

#define PLIC_NR_SOURCES 96	/* sources 1..95, as QEMU virt */
#define PLIC_MAX_CONTEXTS 16	/* 8 harts x (M, S) */
#define PLIC_MAX_PRIORITY 7
#define PLIC_SIZE 0x600000
#define PLIC_WORDS (PLIC_NR_SOURCES / 32)

struct plic {
	int nr_contexts;
	uint32_t priority[PLIC_NR_SOURCES];
	uint32_t level[PLIC_WORDS];	/* input line levels */
	uint32_t pending[PLIC_WORDS];	/* gateway: waiting to be claimed */
	uint32_t claimed[PLIC_WORDS];	/* in service: claimed, not completed */
	uint32_t enable[PLIC_MAX_CONTEXTS][PLIC_WORDS];
	uint32_t threshold[PLIC_MAX_CONTEXTS];
	struct irq_line out[PLIC_MAX_CONTEXTS];	/* to mip.MEIP / mip.SEIP */
};

extern const struct mmio_ops plic_ops;

void plic_init(struct plic *p, int nr_contexts);
/* irq_line set function: opaque = struct plic, n = source number */
void plic_set_irq(void *opaque, int n, int level);

#endif
