/* kvm_pause.c - the KVM engine's vCPU state machine on a real /dev/kvm:
 * a compute-bound x86 guest (tests/kvm/compute.c, working at CPL3) is
 * paused while it runs, must then be out of guest mode (its registers, read
 * from another thread, do not move), resumed, and must finish with the
 * right result; a second VM is paused and then stopped, which must end it
 * promptly. Skipped, with the reason, when /dev/kvm cannot be opened.
 *
 *   kvm_pause COMPUTE.elf
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "core/vm.h"
#include "machine/x86_pc.h"

struct run {
	struct vm vm;
	struct x86_pc *m;
	int out_fd;
	char path[64];
};

static void *run_thread(void *arg)
{
	struct run *r = arg;

	x86_pc_run(r->m);
	return NULL;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int start(struct run *r, const char *elf, const char *append, const char *tag)
{
	struct x86_pc_config cfg = {
		.kernel = elf, .append = append, .ram_size = 64ull << 20, .nr_cpus = 1,
		.console_in_fd = -1,
	};
	char err[512];

	snprintf(r->path, sizeof(r->path), "/tmp/machina-kvm-pause-%d-%s.out", (int)getpid(), tag);
	r->out_fd = open(r->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (r->out_fd < 0 || vm_init(&r->vm, tag))
		return -1;
	cfg.console_out_fd = r->out_fd;
	r->vm.deadline_ns = host_clock_ns() + 60ull * 1000000000ull;
	r->m = calloc(1, sizeof(*r->m));
	if (!r->m || x86_pc_create(r->m, &r->vm, &cfg, err, sizeof(err))) {
		fprintf(stderr, "kvm-pause: %s: %s\n", tag, r->m ? err : "out of memory");
		return -1;
	}
	return 0;
}

static void finish(struct run *r)
{
	x86_pc_destroy(r->m);
	free(r->m);
	vm_destroy(&r->vm);
	close(r->out_fd);
	unlink(r->path);
}

static int get_regs(struct run *r, struct kvm_regs *regs)
{
	return ioctl(r->m->kvm.vcpu[0].fd, KVM_GET_REGS, regs);
}

#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, "kvm-pause: FAIL: " __VA_ARGS__); \
	fprintf(stderr, "\n"); return 1; } } while (0)

static int test_pause_resume(const char *elf)
{
	struct run r;
	struct kvm_regs a, b;
	pthread_t t;
	char out[4096] = "";
	uint64_t t0;

	CHECK(start(&r, elf, "seed=3 mib=8 passes=40", "resume") == 0, "cannot create the VM");
	pthread_create(&t, NULL, run_thread, &r);
	sleep_ms(100);		/* the guest is inside its CRC loop at CPL3 */
	t0 = host_clock_ns();
	vm_pause(&r.vm);
	CHECK(host_clock_ns() - t0 < 1000000000ull, "pausing took %.0f ms",
	      (host_clock_ns() - t0) / 1e6);
	CHECK(r.m->kvm.vcpu[0].parked && r.m->kvm.vcpu[0].state == KVM_VCPU_PAUSED,
	      "vCPU 0 is not parked after kvm_engine_pause");
	/* out of KVM_RUN, so another thread may read its registers; they
	 * must not move while it is paused */
	CHECK(get_regs(&r, &a) == 0, "KVM_GET_REGS while paused: %s", strerror(errno));
	sleep_ms(100);
	CHECK(get_regs(&r, &b) == 0, "KVM_GET_REGS while paused: %s", strerror(errno));
	CHECK(a.rip == b.rip && a.rax == b.rax && a.rcx == b.rcx && a.rdx == b.rdx,
	      "the guest ran while paused (rip 0x%llx -> 0x%llx)", a.rip, b.rip);
	CHECK(!vm_stopping(&r.vm), "the VM stopped while paused");
	vm_resume(&r.vm);
	pthread_join(t, NULL);
	CHECK(pread(r.out_fd, out, sizeof(out) - 1, 0) > 0, "no console output");
	CHECK(r.vm.stop_reason == VM_STOP_POWEROFF, "stop reason %d, console:\n%s",
	      r.vm.stop_reason, out);
	CHECK(strstr(out, "ok compute crc32=0x") && strstr(out, "done"),
	      "the resumed guest did not finish its work; console:\n%s", out);
	printf("kvm-pause: paused at rip 0x%llx, resumed, guest finished: %s",
	       (unsigned long long)a.rip, strstr(out, "ok compute"));
	finish(&r);
	return 0;
}

static int test_stop_while_paused(const char *elf)
{
	struct run r;
	pthread_t t;
	uint64_t t0;

	CHECK(start(&r, elf, "seed=5 mib=8 passes=1000", "stop") == 0, "cannot create the VM");
	pthread_create(&t, NULL, run_thread, &r);
	sleep_ms(100);
	vm_pause(&r.vm);
	t0 = host_clock_ns();
	vm_request_stop(&r.vm, VM_STOP_USER, 0);
	pthread_join(t, NULL);
	CHECK(host_clock_ns() - t0 < 2000000000ull, "stopping a paused VM took %.0f ms",
	      (host_clock_ns() - t0) / 1e6);
	CHECK(r.vm.stop_reason == VM_STOP_USER, "stop reason %d", r.vm.stop_reason);
	CHECK(r.m->kvm.vcpu[0].state == KVM_VCPU_STOPPED, "vCPU 0 state %d after the stop",
	      r.m->kvm.vcpu[0].state);
	printf("kvm-pause: a paused VM stopped in %.1f ms\n", (host_clock_ns() - t0) / 1e6);
	finish(&r);
	return 0;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: kvm_pause COMPUTE.elf\n");
		return 2;
	}
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("kvm-pause: SKIP: /dev/kvm: %s\n", strerror(errno));
		return 0;
	}
	close(fd);
	if (test_pause_resume(argv[1]) || test_stop_while_paused(argv[1]))
		return 1;
	printf("kvm-pause: ok\n");
	return 0;
}
