/* vm.h - one virtual machine. Everything mutable about a VM hangs off its
 * struct vm; there are no writable globals, so a process may run many VMs.
 * A VM's failure (bad guest, bad device state) ends that VM only: functions
 * return -errno and the VM stops with VM_STOP_ERROR. */
#ifndef MACHINA_VM_H
#define MACHINA_VM_H

#include "core/as.h"
#include "core/log.h"
#include "core/types.h"

struct engine_ops;

/* why a VM stopped running; the frontend maps these to exit statuses */
enum vm_stop_reason {
	VM_RUNNING = 0,
	VM_STOP_POWEROFF,	/* guest powered off; stop_code is its exit code (0 = success) */
	VM_STOP_REBOOT,		/* guest asked for a reset */
	VM_STOP_TIMEOUT,	/* --timeout expired */
	VM_STOP_USER,		/* user quit (console escape, signal) */
	VM_STOP_ERROR,		/* internal error or unrecoverable guest state */
};

struct vm {
	char name[32];
	enum log_level log_level;
	struct address_space as;
	uint8_t *ram;		/* main RAM backing, owned by the VM */
	gpa_t ram_base;
	uint64_t ram_size;
	enum vm_stop_reason stop_reason;
	int stop_code;
	uint64_t deadline_ns;	/* host_clock_ns() deadline for --timeout, 0 = none */
	void *machine;		/* machine-specific state (struct riscv_virt, ...) */
	/* called once, by the thread whose stop request won, so a machine
	 * running several threads (KVM vCPUs, the I/O loop) can wake them */
	void (*stop_notify)(void *opaque);
	void *stop_opaque;
	/* the engine running the CPUs (engine/engine.h), set by the machine */
	const struct engine_ops *engine;
	void *engine_priv;
};

int must_check vm_init(struct vm *vm, const char *name);
/* allocate main RAM's backing (anonymous, MAP_NORESERVE) without mapping
 * it: for machines that split it around a hole (x86: below 3 GiB and above
 * 4 GiB); they add the RAM regions themselves */
int must_check vm_alloc_ram_backing(struct vm *vm, uint64_t size);
/* allocate main RAM (anonymous, MAP_NORESERVE) and map it at base */
int must_check vm_alloc_ram(struct vm *vm, gpa_t base, uint64_t size);
void vm_destroy(struct vm *vm);
/* First stop request wins; later ones are ignored. Safe from any thread. */
void vm_request_stop(struct vm *vm, enum vm_stop_reason reason, int code);

/* Pause / resume the VM's CPUs through its engine (from a thread other
 * than the ones running them); no-ops without an engine. */
void vm_pause(struct vm *vm);
void vm_resume(struct vm *vm);

/* has a stop been requested? (any thread) */
static inline bool vm_stopping(const struct vm *vm)
{
	return __atomic_load_n(&vm->stop_reason, __ATOMIC_ACQUIRE) != VM_RUNNING;
}

#endif
