/* clint.c - core-local interruptor: software and timer interrupts. */
#include "core/log.h"
#include "dev/clint.h"
#include "dev/reg64.h"

#define CLINT_MSIP 0x0000
#define CLINT_MTIMECMP 0x4000
#define CLINT_MTIME 0xbff8

void clint_init(struct clint *c, struct vm *vm, int nr_harts)
{
	c->vm = vm;
	c->nr_harts = nr_harts > CLINT_MAX_HARTS ? CLINT_MAX_HARTS : nr_harts;
	c->start_ns = host_clock_ns();
	c->mtime_base = 0;
	for (int i = 0; i < CLINT_MAX_HARTS; i++) {
		c->mtimecmp[i] = ~0ull;
		c->msip[i] = 0;
	}
}

uint64_t clint_mtime(const struct clint *c)
{
	uint64_t ns = host_clock_ns() - c->start_ns;

	return c->mtime_base + ns / (1000000000ull / CLINT_TIMEBASE_HZ);
}

uint64_t clint_read_time(void *opaque)
{
	return clint_mtime(opaque);
}

void clint_update(struct clint *c)
{
	uint64_t now = clint_mtime(c);

	for (int i = 0; i < c->nr_harts; i++)
		irq_set(&c->mti[i], now >= c->mtimecmp[i]);
}

uint64_t clint_next_deadline_ns(const struct clint *c)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < c->nr_harts; i++) {
		uint64_t cmp = c->mtimecmp[i];
		uint64_t ticks, ns;

		if (cmp == ~0ull)
			continue;
		if (cmp <= c->mtime_base)
			return c->start_ns;
		ticks = cmp - c->mtime_base;
		if (ticks > UINT64_MAX / 200)
			continue;	/* centuries away */
		ns = c->start_ns + ticks * (1000000000ull / CLINT_TIMEBASE_HZ);
		if (ns < best)
			best = ns;
	}
	return best;
}

static uint64_t clint_read(void *opaque, uint64_t off, unsigned size)
{
	struct clint *c = opaque;

	if (off < CLINT_MSIP + 4ull * c->nr_harts)
		return size == 4 && !(off & 3) ? c->msip[off / 4] : 0;
	if (off >= CLINT_MTIMECMP && off < CLINT_MTIMECMP + 8ull * c->nr_harts)
		return reg64_read(c->mtimecmp[(off - CLINT_MTIMECMP) / 8], off, size);
	if (off >= CLINT_MTIME && off < CLINT_MTIME + 8)
		return reg64_read(clint_mtime(c), off, size);
	return 0;
}

static void clint_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct clint *c = opaque;

	if (off < CLINT_MSIP + 4ull * c->nr_harts) {
		if (size == 4 && !(off & 3)) {
			c->msip[off / 4] = val & 1;
			irq_set(&c->msi[off / 4], val & 1);
		}
		return;
	}
	if (off >= CLINT_MTIMECMP && off < CLINT_MTIMECMP + 8ull * c->nr_harts) {
		uint64_t *cmp = &c->mtimecmp[(off - CLINT_MTIMECMP) / 8];

		*cmp = reg64_write(*cmp, off, val, size);
		clint_update(c);
		return;
	}
	if (off >= CLINT_MTIME && off < CLINT_MTIME + 8) {
		uint64_t now = reg64_write(clint_mtime(c), off, val, size);

		c->start_ns = host_clock_ns();
		c->mtime_base = now;
		clint_update(c);
	}
}

const struct mmio_ops clint_ops = {
	.read = clint_read,
	.write = clint_write,
	.valid_min = 4, .valid_max = 8,
	.impl_min = 4, .impl_max = 8,
};
