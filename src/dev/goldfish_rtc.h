/* goldfish_rtc.h - Google Goldfish real-time clock (as QEMU virt): a 64-bit
 * nanosecond count of wall-clock time since the Unix epoch, with one alarm.
 *   0x00 TIME_LOW (reading it latches TIME_HIGH)   0x04 TIME_HIGH
 *   0x08 ALARM_LOW (writing it arms the alarm)     0x0c ALARM_HIGH
 *   0x10 IRQ_ENABLED  0x14 CLEAR_ALARM  0x18 ALARM_STATUS  0x1c CLEAR_INTERRUPT
 * The guest may set the time: an offset to the host clock is kept. */
#ifndef MACHINA_DEV_GOLDFISH_RTC_H
#define MACHINA_DEV_GOLDFISH_RTC_H

#include "core/as.h"
#include "core/irq.h"

struct goldfish_rtc {
	int64_t offset_ns;	/* guest time - host CLOCK_REALTIME */
	uint32_t time_high;	/* latched by a TIME_LOW read */
	uint64_t alarm_ns;
	bool alarm_armed;
	bool irq_enabled;
	bool irq_pending;
	struct irq_line irq;
};

extern const struct mmio_ops goldfish_rtc_ops;

void goldfish_rtc_init(struct goldfish_rtc *r, struct irq_line irq);
/* fire the alarm if its time has come */
void goldfish_rtc_poll(struct goldfish_rtc *r);

#endif
