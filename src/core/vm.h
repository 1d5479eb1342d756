/* vm.h - one virtual machine. Everything mutable about a VM hangs off its
 * struct vm; there are no writable globals, so a process may run many VMs.
 * A VM's failure (bad guest, bad device state) ends that VM only: functions
 * return -errno and the VM stops with VM_STOP_ERROR. */
#ifndef MACHINA_VM_H
#define MACHINA_VM_H

#include "core/as.h"
#include "core/log.h"
#include "core/types.h"

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
};

int must_check vm_init(struct vm *vm, const char *name);
/* allocate main RAM (anonymous, MAP_NORESERVE) and map it at base */
int must_check vm_alloc_ram(struct vm *vm, gpa_t base, uint64_t size);
void vm_destroy(struct vm *vm);
/* first stop request wins; later ones are ignored */
void vm_request_stop(struct vm *vm, enum vm_stop_reason reason, int code);

#endif
