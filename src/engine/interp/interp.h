/* interp.h - the interpreter engine: runs the harts of a RISC-V machine in
 * the calling thread, in slices, between which the machine's devices are
 * polled (timers) and the VM's stop conditions checked. WFI sleeps the host
 * thread until the next timer deadline instead of spinning. */
#ifndef MACHINA_ENGINE_INTERP_H
#define MACHINA_ENGINE_INTERP_H

#include <pthread.h>

#include "core/types.h"

struct vm;
struct rv_cpu;

struct interp_hooks {
	/* bring device state up to date with host time (raise timer lines) */
	void (*poll)(void *opaque);
	/* host_clock_ns() time of the next device event, or UINT64_MAX */
	uint64_t (*next_event_ns)(void *opaque);
	/* wait for host I/O for at most timeout_ns (0: just poll); optional */
	void (*wait_io)(void *opaque, uint64_t timeout_ns);
	void *opaque;
};

/* instructions per slice: bounds the latency of timers and stop requests
 * (about 0.1-1 ms of guest time at interpreter speed) */
#define INTERP_SLICE 100000

/* the engine's state for one VM */
struct interp {
	struct vm *vm;
	struct rv_cpu **cpus;
	int nr_cpus;
	struct interp_hooks hooks;
	/* pause/resume from other threads (engine/engine.h) */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool pause_req;		/* written under lock, polled between slices */
	bool paused;		/* the run loop is parked */
	bool running;		/* interp_run is active */
};

/* Set up the engine for cpus[0..nr_cpus) (the array must outlive it) and
 * register it as vm->engine. */
void interp_init(struct interp *ip, struct vm *vm, struct rv_cpu **cpus, int nr_cpus,
		 const struct interp_hooks *hooks);
/* Run until vm->stop_reason is set (by a device, or by the timeout in
 * vm->deadline_ns). Returns 0. */
int interp_run(struct interp *ip);
void interp_destroy(struct interp *ip);

#endif
