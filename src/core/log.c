/* log.c - per-VM diagnostics on stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "core/log.h"
#include "core/vm.h"

uint64_t host_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void vm_vlog(const struct vm *vm, enum log_level level, const char *fmt, va_list ap)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };
	char buf[512];

	if (vm && level > vm->log_level)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	fprintf(stderr, "machina%s%s: %s: %s\n", vm && vm->name[0] ? " " : "",
		vm ? vm->name : "", names[level], buf);
}

void vm_log(const struct vm *vm, enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vm_vlog(vm, level, fmt, ap);
	va_end(ap);
}

void vm_log_ratelimited(const struct vm *vm, struct ratelimit *rl, enum log_level level,
			const char *fmt, ...)
{
	/* 10 messages per second: enough to diagnose, too few to flood */
	const uint32_t burst = 10;
	const uint64_t interval_ns = 1000000000ull;
	uint64_t now = host_clock_ns();
	va_list ap;

	if (now - rl->window_start_ns >= interval_ns) {
		if (rl->suppressed)
			vm_log(vm, LOG_WARN, "%u similar messages suppressed", rl->suppressed);
		rl->window_start_ns = now;
		rl->count = 0;
		rl->suppressed = 0;
	}
	if (rl->count >= burst) {
		rl->suppressed++;
		return;
	}
	rl->count++;
	va_start(ap, fmt);
	vm_vlog(vm, level, fmt, ap);
	va_end(ap);
}
