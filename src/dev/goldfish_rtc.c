/* goldfish_rtc.c - Goldfish RTC. */
#include <string.h>
#include <time.h>

#include "dev/goldfish_rtc.h"

static uint64_t host_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ns(const struct goldfish_rtc *r)
{
	return host_realtime_ns() + (uint64_t)r->offset_ns;
}

void goldfish_rtc_init(struct goldfish_rtc *r, struct irq_line irq)
{
	memset(r, 0, sizeof(*r));
	r->irq = irq;
}

static void update_irq(struct goldfish_rtc *r)
{
	irq_set(&r->irq, r->irq_pending && r->irq_enabled);
}

void goldfish_rtc_poll(struct goldfish_rtc *r)
{
	if (r->alarm_armed && now_ns(r) >= r->alarm_ns) {
		r->alarm_armed = false;
		r->irq_pending = true;
		update_irq(r);
	}
}

static uint64_t rtc_read(void *opaque, uint64_t off, unsigned size)
{
	struct goldfish_rtc *r = opaque;
	uint64_t t;

	switch (off) {
	case 0x00:
		t = now_ns(r);
		r->time_high = (uint32_t)(t >> 32);
		return (uint32_t)t;
	case 0x04: return r->time_high;
	case 0x08: return (uint32_t)r->alarm_ns;
	case 0x0c: return (uint32_t)(r->alarm_ns >> 32);
	case 0x10: return r->irq_enabled;
	case 0x18: return r->alarm_armed;
	}
	return 0;
}

static void rtc_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct goldfish_rtc *r = opaque;
	uint64_t t;

	switch (off) {
	case 0x00:	/* set time: low word, keeping the high word */
		t = (now_ns(r) & ~0xffffffffull) | (uint32_t)val;
		r->offset_ns = (int64_t)(t - host_realtime_ns());
		break;
	case 0x04:
		t = (now_ns(r) & 0xffffffffull) | (val << 32);
		r->offset_ns = (int64_t)(t - host_realtime_ns());
		break;
	case 0x08:
		r->alarm_ns = (r->alarm_ns & ~0xffffffffull) | (uint32_t)val;
		r->alarm_armed = true;
		goldfish_rtc_poll(r);
		break;
	case 0x0c:
		r->alarm_ns = (r->alarm_ns & 0xffffffffull) | (val << 32);
		break;
	case 0x10:
		r->irq_enabled = val & 1;
		update_irq(r);
		break;
	case 0x14:
		r->alarm_armed = false;
		break;
	case 0x1c:
		r->irq_pending = false;
		update_irq(r);
		break;
	}
}

const struct mmio_ops goldfish_rtc_ops = {
	.read = rtc_read, .write = rtc_write,
	.valid_min = 4, .valid_max = 4, .impl_min = 4, .impl_max = 4,
};
