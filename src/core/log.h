/* log.h - diagnostics. Every message names its VM so that several VMs in one
 * process stay distinguishable. Guest-triggerable messages must go through a
 * struct ratelimit so a hostile guest cannot flood the host's stderr. */
#ifndef MACHINA_LOG_H
#define MACHINA_LOG_H

#include <stdint.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

struct vm;

/* at most `burst` messages, then silence until `interval_ns` has passed */
struct ratelimit {
	uint64_t window_start_ns;
	uint32_t count;
	uint32_t suppressed;
};

void vm_log(const struct vm *vm, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* like vm_log but drops messages beyond 10 per second per ratelimit */
void vm_log_ratelimited(const struct vm *vm, struct ratelimit *rl, enum log_level level,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));

uint64_t host_clock_ns(void);	/* CLOCK_MONOTONIC in ns */

#endif
