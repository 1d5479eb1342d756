/* plic.c - platform-level interrupt controller. */
#include <string.h>

#include "dev/plic.h"

#define PRIORITY_BASE 0x0
#define PENDING_BASE 0x1000
#define ENABLE_BASE 0x2000
#define ENABLE_STRIDE 0x80
#define CONTEXT_BASE 0x200000
#define CONTEXT_STRIDE 0x1000

void plic_init(struct plic *p, int nr_contexts)
{
	memset(p, 0, sizeof(*p));
	p->nr_contexts = nr_contexts > PLIC_MAX_CONTEXTS ? PLIC_MAX_CONTEXTS : nr_contexts;
}

static bool bit(const uint32_t *words, int n)
{
	return (words[n / 32] >> (n % 32)) & 1;
}

static void set_bit(uint32_t *words, int n, bool v)
{
	if (v)
		words[n / 32] |= 1u << (n % 32);
	else
		words[n / 32] &= ~(1u << (n % 32));
}

/* highest-priority pending, enabled source above the threshold (ties: the
 * lowest id); 0 when none */
static int best_source(const struct plic *p, int ctx)
{
	uint32_t best_prio = p->threshold[ctx];
	int best = 0;

	for (int w = 0; w < PLIC_WORDS; w++) {
		uint32_t cand = p->pending[w] & p->enable[ctx][w] & ~p->claimed[w];

		while (cand) {
			int n = w * 32 + __builtin_ctz(cand);

			cand &= cand - 1;
			if (p->priority[n] > best_prio) {
				best_prio = p->priority[n];
				best = n;
			}
		}
	}
	return best;
}

static void update(struct plic *p)
{
	for (int ctx = 0; ctx < p->nr_contexts; ctx++)
		irq_set(&p->out[ctx], best_source(p, ctx) != 0);
}

void plic_set_irq(void *opaque, int n, int level)
{
	struct plic *p = opaque;

	if (n <= 0 || n >= PLIC_NR_SOURCES)
		return;
	set_bit(p->level, n, level);
	/* the gateway forwards a request while the line is high and the
	 * source is not in service */
	if (level && !bit(p->claimed, n))
		set_bit(p->pending, n, true);
	else if (!level)
		set_bit(p->pending, n, false);
	update(p);
}

static uint32_t claim(struct plic *p, int ctx)
{
	int n = best_source(p, ctx);

	if (n) {
		set_bit(p->pending, n, false);
		set_bit(p->claimed, n, true);
		update(p);
	}
	return (uint32_t)n;
}

static void complete(struct plic *p, int ctx, uint32_t n)
{
	/* completions for sources not enabled for the context are ignored */
	if (n == 0 || n >= PLIC_NR_SOURCES || !bit(p->enable[ctx], (int)n))
		return;
	set_bit(p->claimed, (int)n, false);
	if (bit(p->level, (int)n))
		set_bit(p->pending, (int)n, true);
	update(p);
}

static uint64_t plic_read(void *opaque, uint64_t off, unsigned size)
{
	struct plic *p = opaque;

	if (off < PENDING_BASE) {
		uint64_t n = off / 4;

		return n < PLIC_NR_SOURCES ? p->priority[n] : 0;
	}
	if (off < ENABLE_BASE) {
		uint64_t w = (off - PENDING_BASE) / 4;

		return w < PLIC_WORDS ? p->pending[w] : 0;
	}
	if (off < CONTEXT_BASE) {
		uint64_t ctx = (off - ENABLE_BASE) / ENABLE_STRIDE;
		uint64_t w = ((off - ENABLE_BASE) % ENABLE_STRIDE) / 4;

		return ctx < (uint64_t)p->nr_contexts && w < PLIC_WORDS ? p->enable[ctx][w] : 0;
	}
	uint64_t ctx = (off - CONTEXT_BASE) / CONTEXT_STRIDE;
	uint64_t reg = (off - CONTEXT_BASE) % CONTEXT_STRIDE;

	if (ctx >= (uint64_t)p->nr_contexts)
		return 0;
	if (reg == 0)
		return p->threshold[ctx];
	if (reg == 4)
		return claim(p, (int)ctx);
	return 0;
}

static void plic_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct plic *p = opaque;

	if (off < PENDING_BASE) {
		uint64_t n = off / 4;

		if (n > 0 && n < PLIC_NR_SOURCES) {
			p->priority[n] = (uint32_t)val & PLIC_MAX_PRIORITY;
			update(p);
		}
		return;
	}
	if (off < ENABLE_BASE)
		return;	/* pending is read-only */
	if (off < CONTEXT_BASE) {
		uint64_t ctx = (off - ENABLE_BASE) / ENABLE_STRIDE;
		uint64_t w = ((off - ENABLE_BASE) % ENABLE_STRIDE) / 4;

		if (ctx < (uint64_t)p->nr_contexts && w < PLIC_WORDS) {
			/* source 0 does not exist */
			p->enable[ctx][w] = (uint32_t)val & (w == 0 ? ~1u : ~0u);
			update(p);
		}
		return;
	}
	uint64_t ctx = (off - CONTEXT_BASE) / CONTEXT_STRIDE;
	uint64_t reg = (off - CONTEXT_BASE) % CONTEXT_STRIDE;

	if (ctx >= (uint64_t)p->nr_contexts)
		return;
	if (reg == 0) {
		p->threshold[ctx] = (uint32_t)val & PLIC_MAX_PRIORITY;
		update(p);
	} else if (reg == 4) {
		complete(p, (int)ctx, (uint32_t)val);
	}
}

const struct mmio_ops plic_ops = {
	.read = plic_read, .write = plic_write,
	.valid_min = 4, .valid_max = 4, .impl_min = 4, .impl_max = 4,
};
