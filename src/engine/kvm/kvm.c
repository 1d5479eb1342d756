/* kvm.c - the KVM engine: /dev/kvm, the VM, vCPU threads (see kvm.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "core/vm.h"
#include "engine/engine.h"
#include "engine/kvm/kvm.h"
#include "engine/kvm/kvm_x86.h"
#include "machine/x86_layout.h"

/* the capabilities the engine relies on, checked before anything else */
static const struct {
	int cap;
	const char *name;
} required_caps[] = {
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
	{ KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR" },
	{ KVM_CAP_SET_IDENTITY_MAP_ADDR, "KVM_CAP_SET_IDENTITY_MAP_ADDR" },
	{ KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP" },
	{ KVM_CAP_PIT2, "KVM_CAP_PIT2" },
	{ KVM_CAP_IRQFD, "KVM_CAP_IRQFD" },
	{ KVM_CAP_IOEVENTFD, "KVM_CAP_IOEVENTFD" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
	{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID" },
	{ KVM_CAP_MP_STATE, "KVM_CAP_MP_STATE" },
};

static void engine_pause(void *priv)
{
	kvm_engine_pause(priv);
}

static void engine_resume(void *priv)
{
	kvm_engine_resume(priv);
}

/* the engine interface (engine/engine.h) */
static const struct engine_ops kvm_engine_ops = {
	.name = "kvm",
	.pause = engine_pause,
	.resume = engine_resume,
};

static void kick_handler(int sig)
{
	(void)sig;	/* only there to make KVM_RUN return EINTR */
}

int kvm_engine_open(struct kvm_engine *k, struct vm *vm, struct address_space *pio,
		    pthread_mutex_t *dev_lock, char *err, size_t errlen)
{
	struct sigaction sa;
	int ret, v;

	memset(k, 0, sizeof(*k));
	k->vm = vm;
	k->pio = pio;
	k->dev_lock = dev_lock;
	k->vm_fd = -1;
	k->sys_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (k->sys_fd < 0) {
		ret = -errno;
		if (ret == -ENOENT)
			snprintf(err, errlen, "/dev/kvm does not exist: this host has no KVM (load the "
				 "kvm_intel or kvm_amd module; inside a VM, enable nested virtualization)");
		else if (ret == -EACCES || ret == -EPERM)
			snprintf(err, errlen, "no permission to open /dev/kvm: add your user to the "
				 "'kvm' group (or run as root)");
		else
			snprintf(err, errlen, "cannot open /dev/kvm: %s", strerror(-ret));
		return ret;
	}
	v = ioctl(k->sys_fd, KVM_GET_API_VERSION, 0);
	if (v != KVM_API_VERSION) {
		snprintf(err, errlen, "/dev/kvm speaks API version %d, Machina needs %d", v,
			 KVM_API_VERSION);
		ret = -ENOTSUP;
		goto fail;
	}
	for (size_t i = 0; i < sizeof(required_caps) / sizeof(required_caps[0]); i++) {
		if (ioctl(k->sys_fd, KVM_CHECK_EXTENSION, required_caps[i].cap) <= 0) {
			snprintf(err, errlen, "this KVM lacks %s, which Machina needs",
				 required_caps[i].name);
			ret = -ENOTSUP;
			goto fail;
		}
	}
	v = ioctl(k->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (v < (int)sizeof(struct kvm_run)) {
		snprintf(err, errlen, "KVM_GET_VCPU_MMAP_SIZE failed");
		ret = -ENOTSUP;
		goto fail;
	}
	k->run_size = (size_t)v;
	k->vm_fd = ioctl(k->sys_fd, KVM_CREATE_VM, 0);
	if (k->vm_fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "KVM_CREATE_VM failed: %s", strerror(-ret));
		goto fail;
	}
	if (ioctl(k->vm_fd, KVM_SET_TSS_ADDR, (unsigned long)X86_KVM_TSS_ADDR) < 0 ||
	    ioctl(k->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &(uint64_t){ X86_KVM_IDENTITY_ADDR }) < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot place KVM's TSS / identity map: %s", strerror(-ret));
		goto fail;
	}
	if (ioctl(k->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0) {
		ret = -errno;
		snprintf(err, errlen, "KVM_CREATE_IRQCHIP failed: %s", strerror(-ret));
		goto fail;
	}
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };

	if (ioctl(k->vm_fd, KVM_CREATE_PIT2, &pit) < 0) {
		ret = -errno;
		snprintf(err, errlen, "KVM_CREATE_PIT2 failed: %s", strerror(-ret));
		goto fail;
	}
	/* the kick signal: an empty handler without SA_RESTART, so a
	 * signalled vCPU thread leaves KVM_RUN with EINTR. Process-wide, but
	 * every VM installs the same handler: idempotent. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(KVM_SIG_KICK, &sa, NULL) < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot install the vCPU kick handler: %s", strerror(-ret));
		goto fail;
	}
	pthread_mutex_init(&k->state_lock, NULL);
	pthread_cond_init(&k->state_cond, NULL);
	k->state_init = true;
	vm->engine = &kvm_engine_ops;
	vm->engine_priv = k;
	return 0;
fail:
	kvm_engine_close(k);
	return ret;
}

int kvm_engine_map_ram(struct kvm_engine *k, gpa_t gpa, uint64_t size, void *host)
{
	struct kvm_userspace_memory_region r = {
		.slot = (uint32_t)k->nr_slots,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};

	if (k->nr_slots >= KVM_ENGINE_MAX_SLOTS)
		return -ENOSPC;
	if (ioctl(k->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		return -errno;
	k->nr_slots++;
	return 0;
}

int kvm_engine_create_vcpus(struct kvm_engine *k, int n, const struct x86_cpu_init *boot, char *err,
			    size_t errlen)
{
	struct kvm_cpuid2 *cpuid = NULL;
	int ret;

	if (n < 1 || n > KVM_ENGINE_MAX_VCPUS) {
		snprintf(err, errlen, "--cpus must be between 1 and %d", KVM_ENGINE_MAX_VCPUS);
		return -EINVAL;
	}
	int max = ioctl(k->sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);

	if (max > 0 && n > max) {
		snprintf(err, errlen, "this KVM allows at most %d vCPUs", max);
		return -EINVAL;
	}
	ret = kvm_x86_supported_cpuid(k->sys_fd, &cpuid);
	if (ret) {
		snprintf(err, errlen, "KVM_GET_SUPPORTED_CPUID failed: %s", strerror(-ret));
		return ret;
	}
	for (int i = 0; i < n; i++) {
		struct kvm_vcpu *v = &k->vcpu[i];

		v->kvm = k;
		v->id = i;
		v->fd = ioctl(k->vm_fd, KVM_CREATE_VCPU, (unsigned long)i);
		if (v->fd < 0) {
			ret = -errno;
			snprintf(err, errlen, "KVM_CREATE_VCPU %d failed: %s", i, strerror(-ret));
			goto out;
		}
		k->nr_vcpus = i + 1;
		v->run = mmap(NULL, k->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
		if (v->run == MAP_FAILED) {
			v->run = NULL;
			ret = -errno;
			snprintf(err, errlen, "cannot map vCPU %d's kvm_run: %s", i, strerror(-ret));
			goto out;
		}
		v->exit = (struct kvm_exit_ctx){
			.vm = k->vm, .mmio = &k->vm->as, .pio = k->pio, .vcpu_id = i,
			.run_size = k->run_size,
		};
		ret = kvm_x86_setup_vcpu(v->fd, cpuid, i, n, i == 0 ? boot : NULL, err, errlen);
		if (ret)
			goto out;
	}
	ret = 0;
out:
	free(cpuid);
	return ret;
}

int kvm_engine_irqfd(struct kvm_engine *k, int gsi, int *fd_out)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct kvm_irqfd irqfd = { .gsi = (uint32_t)gsi };

	if (fd < 0)
		return -errno;
	irqfd.fd = (uint32_t)fd;
	if (ioctl(k->vm_fd, KVM_IRQFD, &irqfd) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	*fd_out = fd;
	return 0;
}

int kvm_engine_ioeventfd(struct kvm_engine *k, gpa_t gpa, uint32_t datamatch, int *fd_out)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct kvm_ioeventfd io = {
		.datamatch = datamatch,
		.addr = gpa,
		.len = 4,
		.flags = KVM_IOEVENTFD_FLAG_DATAMATCH,
	};

	if (fd < 0)
		return -errno;
	io.fd = fd;
	if (ioctl(k->vm_fd, KVM_IOEVENTFD, &io) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	*fd_out = fd;
	return 0;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static enum kvm_vcpu_state get_state(struct kvm_vcpu *v)
{
	struct kvm_engine *k = v->kvm;
	enum kvm_vcpu_state s;

	pthread_mutex_lock(&k->state_lock);
	while (v->state == KVM_VCPU_PAUSED) {
		if (!v->parked) {
			v->parked = true;
			pthread_cond_broadcast(&k->state_cond);	/* kvm_engine_pause waits */
		}
		pthread_cond_wait(&k->state_cond, &k->state_lock);
	}
	v->parked = false;
	s = v->state;
	pthread_mutex_unlock(&k->state_lock);
	return s;
}

/* where the guest was when its VM failed: for the user's bug report */
static void log_guest_state(struct kvm_vcpu *v)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;

	if (ioctl(v->fd, KVM_GET_REGS, &regs) < 0 || ioctl(v->fd, KVM_GET_SREGS, &sregs) < 0)
		return;
	vm_log(v->kvm->vm, LOG_ERROR,
	       "vCPU %d: rip 0x%llx rsp 0x%llx rflags 0x%llx cs 0x%x (CPL %u) cr0 0x%llx cr3 0x%llx "
	       "cr4 0x%llx efer 0x%llx", v->id, regs.rip, regs.rsp, regs.rflags, sregs.cs.selector,
	       sregs.cs.dpl, sregs.cr0, sregs.cr3, sregs.cr4, sregs.efer);
}

static void *vcpu_thread(void *arg)
{
	struct kvm_vcpu *v = arg;
	struct kvm_engine *k = v->kvm;
	sigset_t set;

	/* the kick signal is for this thread; it was blocked while the
	 * thread was created so it could not hit anyone else */
	sigemptyset(&set);
	sigaddset(&set, KVM_SIG_KICK);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	for (;;) {
		int r;

		if (get_state(v) != KVM_VCPU_RUNNING || vm_stopping(k->vm))
			break;
		if (v->id == 0 && !k->first_run_realtime_ns) {
			k->first_run_cpu_ns = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
			k->first_run_realtime_ns = clock_ns(CLOCK_REALTIME);
		}
		r = ioctl(v->fd, KVM_RUN, 0);
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				__atomic_store_n(&v->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
				continue;
			}
			vm_log(k->vm, LOG_ERROR, "vCPU %d: KVM_RUN failed: %s", v->id, strerror(errno));
			vm_request_stop(k->vm, VM_STOP_ERROR, 0);
			break;
		}
		pthread_mutex_lock(k->dev_lock);
		r = kvm_handle_exit(&v->exit, v->run);
		if (k->after_exit)
			k->after_exit(k->after_exit_opaque);
		pthread_mutex_unlock(k->dev_lock);
		if (r) {
			if (k->vm->stop_reason == VM_STOP_ERROR)
				log_guest_state(v);
			break;
		}
	}
	pthread_mutex_lock(&k->state_lock);
	v->state = KVM_VCPU_STOPPED;
	pthread_cond_broadcast(&k->state_cond);
	pthread_mutex_unlock(&k->state_lock);
	return NULL;
}

int kvm_engine_start(struct kvm_engine *k)
{
	sigset_t set, old;
	int ret = 0;

	sigemptyset(&set);
	sigaddset(&set, KVM_SIG_KICK);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	for (int i = 0; i < k->nr_vcpus; i++) {
		struct kvm_vcpu *v = &k->vcpu[i];

		v->state = KVM_VCPU_RUNNING;
		ret = -pthread_create(&v->thread, NULL, vcpu_thread, v);
		if (ret) {
			v->state = KVM_VCPU_STOPPED;
			break;
		}
		v->thread_started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

void kvm_vcpu_kick(struct kvm_vcpu *v)
{
	if (!v->run)
		return;
	__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	if (v->thread_started)
		pthread_kill(v->thread, KVM_SIG_KICK);
}

void kvm_vcpu_set_state(struct kvm_vcpu *v, enum kvm_vcpu_state state)
{
	struct kvm_engine *k = v->kvm;

	pthread_mutex_lock(&k->state_lock);
	if (v->state != KVM_VCPU_STOPPED)	/* STOPPED is final */
		v->state = state;
	pthread_cond_broadcast(&k->state_cond);
	pthread_mutex_unlock(&k->state_lock);
	if (state != KVM_VCPU_RUNNING)
		kvm_vcpu_kick(v);
}

void kvm_engine_pause(struct kvm_engine *k)
{
	for (int i = 0; i < k->nr_vcpus; i++)
		if (k->vcpu[i].thread_started)
			kvm_vcpu_set_state(&k->vcpu[i], KVM_VCPU_PAUSED);
	pthread_mutex_lock(&k->state_lock);
	for (int i = 0; i < k->nr_vcpus; i++) {
		struct kvm_vcpu *v = &k->vcpu[i];

		while (v->thread_started && v->state == KVM_VCPU_PAUSED && !v->parked)
			pthread_cond_wait(&k->state_cond, &k->state_lock);
	}
	pthread_mutex_unlock(&k->state_lock);
}

void kvm_engine_resume(struct kvm_engine *k)
{
	for (int i = 0; i < k->nr_vcpus; i++)
		kvm_vcpu_set_state(&k->vcpu[i], KVM_VCPU_RUNNING);
}

void kvm_engine_stop(struct kvm_engine *k)
{
	for (int i = 0; i < k->nr_vcpus; i++)
		kvm_vcpu_set_state(&k->vcpu[i], KVM_VCPU_STOPPED);
	for (int i = 0; i < k->nr_vcpus; i++) {
		struct kvm_vcpu *v = &k->vcpu[i];

		if (v->thread_started) {
			pthread_join(v->thread, NULL);
			v->thread_started = false;
		}
	}
}

void kvm_engine_close(struct kvm_engine *k)
{
	kvm_engine_stop(k);
	for (int i = 0; i < k->nr_vcpus; i++) {
		struct kvm_vcpu *v = &k->vcpu[i];

		if (v->run)
			munmap(v->run, k->run_size);
		v->run = NULL;
		if (v->fd >= 0)
			close(v->fd);
		v->fd = -1;
	}
	k->nr_vcpus = 0;
	if (k->vm_fd >= 0)
		close(k->vm_fd);
	k->vm_fd = -1;
	if (k->sys_fd >= 0)
		close(k->sys_fd);
	k->sys_fd = -1;
	if (k->vm && k->vm->engine_priv == k) {
		k->vm->engine = NULL;
		k->vm->engine_priv = NULL;
	}
	if (k->state_init) {
		pthread_mutex_destroy(&k->state_lock);
		pthread_cond_destroy(&k->state_cond);
		k->state_init = false;
	}
}
