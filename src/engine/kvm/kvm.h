/* kvm.h - the KVM engine: guest code runs on the host CPU through
 * /dev/kvm; Machina handles the exits (port and MMIO accesses) by calling
 * the same address-space dispatch the interpreter uses.
 *
 * Threads: one per vCPU, each with its mmap'd struct kvm_run. Device state
 * is shared by the vCPU threads and the machine's I/O loop; exits are
 * handled under the VM's device lock (struct kvm_engine.dev_lock), the I/O
 * loop takes the same lock (evloop_set_lock). Interrupts reach the guest
 * through irqfds (written with the lock held or not: an eventfd write is
 * thread-safe), queue notifications through ioeventfds that the I/O loop
 * polls, so a virtio kick costs no exit to user space.
 *
 * vCPU states (a named state machine, changed only through kvm_vcpu_set_state):
 *   RUNNING  the thread loops in KVM_RUN and handles exits
 *   PAUSED   the thread waits on the engine's condition variable
 *   STOPPED  the thread has left its loop (it ends; the VM is stopping)
 * A kick sets immediate_exit and signals only that vCPU's thread (SIGUSR1
 * with an empty handler), so KVM_RUN returns EINTR promptly wherever it is.
 */
#ifndef MACHINA_ENGINE_KVM_H
#define MACHINA_ENGINE_KVM_H

#include <pthread.h>
#include <stddef.h>

#include "core/as.h"
#include "core/types.h"

struct vm;
struct kvm_run;
struct x86_cpu_init;

#define KVM_ENGINE_MAX_VCPUS 64
#define KVM_ENGINE_MAX_SLOTS 4
#define KVM_SIG_KICK SIGUSR1

enum kvm_vcpu_state {
	KVM_VCPU_RUNNING,
	KVM_VCPU_PAUSED,
	KVM_VCPU_STOPPED,
};

/* what the exit handler needs: everything it touches, so tests can drive
 * it with a fake kvm_run and their own address spaces */
struct kvm_exit_ctx {
	struct vm *vm;
	struct address_space *mmio;	/* guest-physical space (vm->as) */
	struct address_space *pio;	/* x86 I/O ports */
	int vcpu_id;
	size_t run_size;		/* bytes of the kvm_run mapping (bounds IO data) */
	uint64_t nr_io_exits, nr_mmio_exits;	/* statistics */
	struct ratelimit rl;
};

/* Handle one exit described by run (called with the device lock held).
 * Returns 0 to re-enter the guest, 1 when the vCPU must stop (the VM's stop
 * reason is then set), -EINVAL for an exit it does not know (VM_STOP_ERROR
 * is set). Port reads nobody answers read as all ones, MMIO reads as zero;
 * unanswered writes are dropped; both are logged, rate-limited. */
int kvm_handle_exit(struct kvm_exit_ctx *ctx, struct kvm_run *run);

struct kvm_engine;

struct kvm_vcpu {
	struct kvm_engine *kvm;
	int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	bool thread_started;
	enum kvm_vcpu_state state;	/* guarded by kvm->state_lock */
	bool parked;			/* the thread waits in PAUSED (state_lock) */
	struct kvm_exit_ctx exit;
};

struct kvm_engine {
	struct vm *vm;
	int sys_fd, vm_fd;
	size_t run_size;
	int nr_vcpus;
	struct kvm_vcpu vcpu[KVM_ENGINE_MAX_VCPUS];
	int nr_slots;
	struct address_space *pio;
	pthread_mutex_t *dev_lock;	/* the VM's device lock (owned by the machine) */
	/* called after each exit handled, with dev_lock held (flush output) */
	void (*after_exit)(void *opaque);
	void *after_exit_opaque;
	pthread_mutex_t state_lock;
	pthread_cond_t state_cond;
	bool state_init;
	/* statistics for benchmarks, taken just before vCPU 0's first
	 * KVM_RUN: CLOCK_REALTIME (comparable with the launcher's clock) and
	 * the process's CPU time so far */
	uint64_t first_run_realtime_ns;
	uint64_t first_run_cpu_ns;
};

/* Open /dev/kvm, check the API version and every capability the engine
 * uses, create the VM with its in-kernel irqchip and PIT. On failure -errno
 * and the reason in err (no /dev/kvm, no permission, a missing capability). */
int must_check kvm_engine_open(struct kvm_engine *k, struct vm *vm, struct address_space *pio,
			       pthread_mutex_t *dev_lock, char *err, size_t errlen);
/* give the guest [gpa, gpa + size) backed by host (page-aligned) */
int must_check kvm_engine_map_ram(struct kvm_engine *k, gpa_t gpa, uint64_t size, void *host);
/* create vCPUs 0..n-1 with CPUID, MSRs, FPU and LAPIC set up; vCPU 0
 * starts from *boot, the others wait for INIT/SIPI (in-kernel LAPIC) */
int must_check kvm_engine_create_vcpus(struct kvm_engine *k, int n, const struct x86_cpu_init *boot,
				       char *err, size_t errlen);
/* interrupts: an irqfd that injects an edge on gsi when written */
int must_check kvm_engine_irqfd(struct kvm_engine *k, int gsi, int *fd_out);
/* queue notifications: an eventfd signalled when the guest writes datamatch
 * (4 bytes) at gpa */
int must_check kvm_engine_ioeventfd(struct kvm_engine *k, gpa_t gpa, uint32_t datamatch,
				    int *fd_out);
/* start one thread per vCPU in RUNNING state */
int must_check kvm_engine_start(struct kvm_engine *k);
void kvm_vcpu_set_state(struct kvm_vcpu *v, enum kvm_vcpu_state state);
void kvm_vcpu_kick(struct kvm_vcpu *v);
/* Pause every running vCPU and return once each one is out of guest mode
 * and parked (or stopped); resume sets them RUNNING again. From any thread
 * but a vCPU's own. */
void kvm_engine_pause(struct kvm_engine *k);
void kvm_engine_resume(struct kvm_engine *k);
/* stop every vCPU and join the threads */
void kvm_engine_stop(struct kvm_engine *k);
void kvm_engine_close(struct kvm_engine *k);

#endif
