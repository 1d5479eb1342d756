/* interp_pause.c - the engine interface (engine/engine.h) on the
 * interpreter: the default RISC-V Linux guest is paused mid-boot from
 * another thread (vm_pause), its hart must not retire an instruction while
 * paused, and after vm_resume it must boot on to run its command and power
 * off; a second VM is paused and then stopped, which must end it promptly.
 *
 *   interp_pause KERNEL INITRD
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/vm.h"
#include "machine/riscv_virt.h"

struct run {
	struct vm vm;
	struct riscv_virt *m;
	int out_fd;
	char path[64];
};

static void *run_thread(void *arg)
{
	struct run *r = arg;

	riscv_virt_run(r->m);
	return NULL;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, "interp-pause: FAIL: " __VA_ARGS__); \
	fprintf(stderr, "\n"); return 1; } } while (0)

static int start(struct run *r, const char *kernel, const char *initrd, const char *append,
		 const char *tag)
{
	struct virt_config cfg = {
		.kernel = kernel, .initrd = initrd, .append = append, .ram_size = 128ull << 20,
		.console_in_fd = -1,
	};
	char err[512];

	snprintf(r->path, sizeof(r->path), "/tmp/machina-interp-pause-%d-%s.out", (int)getpid(), tag);
	r->out_fd = open(r->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (r->out_fd < 0 || vm_init(&r->vm, tag))
		return -1;
	cfg.console_out_fd = r->out_fd;
	r->vm.deadline_ns = host_clock_ns() + 120ull * 1000000000ull;
	r->m = calloc(1, sizeof(*r->m));
	if (!r->m || riscv_virt_create(r->m, &r->vm, &cfg, err, sizeof(err))) {
		fprintf(stderr, "interp-pause: %s: %s\n", tag, r->m ? err : "out of memory");
		return -1;
	}
	return 0;
}

static void finish(struct run *r)
{
	riscv_virt_destroy(r->m);
	free(r->m);
	vm_destroy(&r->vm);
	close(r->out_fd);
	unlink(r->path);
}

int main(int argc, char **argv)
{
	static char out[1 << 16];
	struct run r, s;
	pthread_t t;
	uint64_t t0, pc, instret;

	if (argc != 3) {
		fprintf(stderr, "usage: interp_pause KERNEL INITRD\n");
		return 2;
	}
	CHECK(start(&r, argv[1], argv[2], "console=ttyS0 -- echo machina-resumed-$((3*7))",
		    "resume") == 0, "cannot create the VM");
	pthread_create(&t, NULL, run_thread, &r);
	sleep_ms(150);		/* OpenSBI / early Linux */
	t0 = host_clock_ns();
	vm_pause(&r.vm);
	CHECK(host_clock_ns() - t0 < 1000000000ull, "pausing took %.0f ms",
	      (host_clock_ns() - t0) / 1e6);
	CHECK(r.m->interp.paused, "the run loop is not parked after vm_pause");
	pc = r.m->cpu.pc;
	instret = r.m->cpu.instret;
	sleep_ms(100);
	CHECK(r.m->cpu.pc == pc && r.m->cpu.instret == instret,
	      "the hart ran while paused (instret %llu -> %llu)", (unsigned long long)instret,
	      (unsigned long long)r.m->cpu.instret);
	CHECK(instret > 0, "the hart had not started");
	vm_resume(&r.vm);
	pthread_join(t, NULL);
	CHECK(pread(r.out_fd, out, sizeof(out) - 1, 0) > 0, "no console output");
	CHECK(r.vm.stop_reason == VM_STOP_POWEROFF && r.vm.stop_code == 0,
	      "stop reason %d code %d", r.vm.stop_reason, r.vm.stop_code);
	CHECK(strstr(out, "machina-resumed-21"), "the resumed guest did not run its command; "
	      "console tail:\n%s", out + (strlen(out) > 1000 ? strlen(out) - 1000 : 0));
	printf("interp-pause: paused at pc 0x%llx after %llu instructions, resumed, guest finished\n",
	       (unsigned long long)pc, (unsigned long long)instret);
	finish(&r);

	CHECK(start(&s, argv[1], argv[2], "console=ttyS0 -- sleep 100", "stop") == 0,
	      "cannot create the VM");
	pthread_create(&t, NULL, run_thread, &s);
	sleep_ms(100);
	vm_pause(&s.vm);
	t0 = host_clock_ns();
	vm_request_stop(&s.vm, VM_STOP_USER, 0);
	pthread_join(t, NULL);
	CHECK(host_clock_ns() - t0 < 1000000000ull, "stopping a paused VM took %.0f ms",
	      (host_clock_ns() - t0) / 1e6);
	CHECK(s.vm.stop_reason == VM_STOP_USER, "stop reason %d", s.vm.stop_reason);
	printf("interp-pause: a paused VM stopped in %.1f ms\n", (host_clock_ns() - t0) / 1e6);
	finish(&s);
	printf("interp-pause: ok\n");
	return 0;
}
