/* irq.h - interrupt lines as values.
 *
 * A device never knows who receives its interrupt: it holds a struct
 * irq_line and calls irq_set(). The machine wires the line: to the PLIC on
 * riscv virt, to KVM (irqfd / KVM_IRQ_LINE) on x86. Level semantics: the
 * device drives the line high while it wants service and low otherwise. */
#ifndef MACHINA_IRQ_H
#define MACHINA_IRQ_H

struct irq_line {
	void (*set)(void *opaque, int n, int level);
	void *opaque;
	int n;
};

static inline void irq_set(const struct irq_line *line, int level)
{
	if (line->set)
		line->set(line->opaque, line->n, level);
}

#endif
