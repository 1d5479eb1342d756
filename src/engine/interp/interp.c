/* interp.c - interpreter engine main loop. */
#include <time.h>

#include "core/vm.h"
#include "cpu/rv64/cpu.h"
#include "engine/engine.h"
#include "engine/interp/interp.h"

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ull),
			       .tv_nsec = (long)(ns % 1000000000ull) };

	nanosleep(&ts, NULL);
}

/* pause: the run loop parks between slices, so the harts are between
 * instructions and their state is consistent */
static void interp_pause(void *priv)
{
	struct interp *ip = priv;

	pthread_mutex_lock(&ip->lock);
	ip->pause_req = true;
	for (int i = 0; i < ip->nr_cpus; i++)
		rv_cpu_exit_request(ip->cpus[i]);	/* end the slice early */
	while (ip->running && !ip->paused)
		pthread_cond_wait(&ip->cond, &ip->lock);
	pthread_mutex_unlock(&ip->lock);
}

static void interp_resume(void *priv)
{
	struct interp *ip = priv;

	pthread_mutex_lock(&ip->lock);
	ip->pause_req = false;
	pthread_cond_broadcast(&ip->cond);
	pthread_mutex_unlock(&ip->lock);
}

static const struct engine_ops interp_engine_ops = {
	.name = "interp",
	.pause = interp_pause,
	.resume = interp_resume,
};

void interp_init(struct interp *ip, struct vm *vm, struct rv_cpu **cpus, int nr_cpus,
		 const struct interp_hooks *hooks)
{
	ip->vm = vm;
	ip->cpus = cpus;
	ip->nr_cpus = nr_cpus;
	ip->hooks = *hooks;
	pthread_mutex_init(&ip->lock, NULL);
	pthread_cond_init(&ip->cond, NULL);
	ip->pause_req = ip->paused = ip->running = false;
	vm->engine = &interp_engine_ops;
	vm->engine_priv = ip;
}

void interp_destroy(struct interp *ip)
{
	if (ip->vm && ip->vm->engine_priv == ip) {
		ip->vm->engine = NULL;
		ip->vm->engine_priv = NULL;
	}
	pthread_mutex_destroy(&ip->lock);
	pthread_cond_destroy(&ip->cond);
	ip->vm = NULL;
}

/* park while a pause is requested (and the VM is not stopping) */
static void maybe_park(struct interp *ip)
{
	if (!__atomic_load_n(&ip->pause_req, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&ip->lock);
	while (ip->pause_req && !vm_stopping(ip->vm)) {
		ip->paused = true;
		pthread_cond_broadcast(&ip->cond);
		/* bounded wait: a stop request (which does not signal this
		 * condition) is noticed within 10 ms */
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 10000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&ip->cond, &ip->lock, &ts);
	}
	ip->paused = false;
	pthread_mutex_unlock(&ip->lock);
}

static void set_running(struct interp *ip, bool running)
{
	pthread_mutex_lock(&ip->lock);
	ip->running = running;
	pthread_cond_broadcast(&ip->cond);
	pthread_mutex_unlock(&ip->lock);
}

int interp_run(struct interp *ip)
{
	struct vm *vm = ip->vm;
	struct rv_cpu **cpus = ip->cpus;
	int nr_cpus = ip->nr_cpus;
	const struct interp_hooks *hooks = &ip->hooks;

	set_running(ip, true);
	while (vm->stop_reason == VM_RUNNING) {
		maybe_park(ip);
		if (vm->stop_reason != VM_RUNNING)
			break;
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
	set_running(ip, false);
	return 0;
}
