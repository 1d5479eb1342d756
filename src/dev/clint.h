/* clint.h - SiFive-compatible core-local interruptor (QEMU virt / spike
 * layout): msip per hart at 0x0 + 4*hart, mtimecmp at 0x4000 + 8*hart,
 * mtime at 0xbff8. mtime runs at CLINT_TIMEBASE_HZ, derived from the host
 * monotonic clock, so guest time follows wall time whatever the emulation
 * speed (as QEMU does). */
#ifndef MACHINA_DEV_CLINT_H
#define MACHINA_DEV_CLINT_H

#include "core/as.h"
#include "core/irq.h"

#define CLINT_SIZE 0x10000
#define CLINT_TIMEBASE_HZ 10000000ull	/* 10 MHz, as QEMU virt: 100 ns per tick */
#define CLINT_MAX_HARTS 8

struct clint {
	struct vm *vm;
	int nr_harts;
	uint64_t start_ns;		/* host time of mtime == mtime_base */
	uint64_t mtime_base;		/* mtime value at start_ns (mtime writes move it) */
	uint64_t mtimecmp[CLINT_MAX_HARTS];
	uint32_t msip[CLINT_MAX_HARTS];
	struct irq_line msi[CLINT_MAX_HARTS];	/* to each hart's mip.MSIP */
	struct irq_line mti[CLINT_MAX_HARTS];	/* to each hart's mip.MTIP */
};

extern const struct mmio_ops clint_ops;

void clint_init(struct clint *c, struct vm *vm, int nr_harts);
uint64_t clint_mtime(const struct clint *c);
/* re-evaluate the timer lines against the current time */
void clint_update(struct clint *c);
/* host time (ns, host_clock_ns base) of the next timer interrupt, or UINT64_MAX */
uint64_t clint_next_deadline_ns(const struct clint *c);
/* time CSR source: opaque is the struct clint */
uint64_t clint_read_time(void *opaque);

#endif
