/* interp.c - interpreter engine main loop. */
#include <time.h>

#include "core/vm.h"
#include "cpu/rv64/cpu.h"
#include "engine/interp/interp.h"

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ull),
			       .tv_nsec = (long)(ns % 1000000000ull) };

	nanosleep(&ts, NULL);
}

int interp_run(struct vm *vm, struct rv_cpu **cpus, int nr_cpus, const struct interp_hooks *hooks)
{
	while (vm->stop_reason == VM_RUNNING) {
		bool all_wfi = true;

		hooks->poll(hooks->opaque);
		for (int i = 0; i < nr_cpus; i++) {
			struct rv_cpu *cpu = cpus[i];

			if (cpu->wfi && rv_cpu_irq_pending(cpu))
				cpu->wfi = false;
			if (!cpu->wfi)
				rv_cpu_run(cpu, INTERP_SLICE);
			all_wfi &= cpu->wfi;
			cpu->exit_request = false;
			rv_update_irq(cpu);
		}
		uint64_t now = host_clock_ns();

		if (vm->deadline_ns && now >= vm->deadline_ns) {
			vm_request_stop(vm, VM_STOP_TIMEOUT, 0);
			break;
		}
		if (hooks->wait_io)
			hooks->wait_io(hooks->opaque, 0);
		/* host I/O just polled may have raised an interrupt (a disk
		 * completion, console input): then a hart is no longer idle */
		for (int i = 0; i < nr_cpus && all_wfi; i++)
			if (rv_cpu_irq_pending(cpus[i]))
				all_wfi = false;
		if (all_wfi && vm->stop_reason == VM_RUNNING) {
			/* every hart waits for an interrupt: sleep until the next
			 * event, the timeout, or at most 10 ms (host I/O) */
			uint64_t until = hooks->next_event_ns(hooks->opaque);
			uint64_t cap = now + 10000000ull;

			if (vm->deadline_ns && vm->deadline_ns < until)
				until = vm->deadline_ns;
			if (until > cap)
				until = cap;
			if (until > now) {
				if (hooks->wait_io)
					hooks->wait_io(hooks->opaque, until - now);
				else
					sleep_ns(until - now);
			}
		}
	}
	return 0;
}
