/* multi_vm.c - several VMs in one process, each on its own thread, at the
 * same time: two Linux guests running different commands and two bare-metal
 * HTIF programs (one passing, one failing) on the RISC-V interpreter, and,
 * when an x86 test guest is given and /dev/kvm is usable, two x86-64 KVM
 * VMs (each with its own vCPU threads) beside them. Each VM's console goes
 * to its own file; the test checks that every console holds exactly its own
 * guest's output and that every VM stopped for its own reason. Nothing is
 * shared between the VMs but the process: the core has no writable globals.
 *
 *   multi_vm KERNEL INITRD PASS.elf FAIL.elf [X86_GUEST.elf]
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/vm.h"
#include "machine/riscv_virt.h"
#include "machine/x86_pc.h"

#define NR_GUESTS 6

struct guest {
	const char *name;
	bool x86;
	struct virt_config cfg;
	struct x86_pc_config xcfg;
	const char *expect;		/* must appear in the console */
	const char *forbid;		/* must not appear (another guest's output) */
	enum vm_stop_reason want_reason;
	int want_code;
	char path[64];
	struct vm vm;
	struct riscv_virt *m;
	int ret;
};

static void *run_guest(void *arg)
{
	struct guest *g = arg;
	char err[512];

	g->ret = -1;
	if (vm_init(&g->vm, g->name))
		return NULL;
	g->m = calloc(1, sizeof(*g->m));
	if (!g->m)
		return NULL;
	g->vm.deadline_ns = host_clock_ns() + 120ull * 1000000000ull;
	if (g->x86) {
		struct x86_pc *x = calloc(1, sizeof(*x));

		if (!x)
			return NULL;
		if (x86_pc_create(x, &g->vm, &g->xcfg, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", g->name, err);
			x86_pc_destroy(x);
			free(x);
			return NULL;
		}
		x86_pc_run(x);
		x86_pc_destroy(x);
		free(x);
		vm_destroy(&g->vm);
		g->ret = 0;
		return NULL;
	}
	if (riscv_virt_create(g->m, &g->vm, &g->cfg, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", g->name, err);
		return NULL;
	}
	riscv_virt_run(g->m);
	riscv_virt_destroy(g->m);
	vm_destroy(&g->vm);
	g->ret = 0;
	return NULL;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 20);

	if (f && buf)
		buf[fread(buf, 1, (1 << 20) - 1, f)] = 0;
	if (f)
		fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	struct guest g[NR_GUESTS] = {
		{ .name = "linux-a", .expect = "machina-guest-A-42", .forbid = "machina-guest-B",
		  .want_reason = VM_STOP_POWEROFF, .want_code = 0 },
		{ .name = "linux-b", .expect = "machina-guest-B-6", .forbid = "machina-guest-A",
		  .want_reason = VM_STOP_POWEROFF, .want_code = 0 },
		{ .name = "bare-pass", .expect = "", .forbid = "machina-guest",
		  .want_reason = VM_STOP_POWEROFF, .want_code = 0 },
		{ .name = "bare-fail", .expect = "", .forbid = "machina-guest",
		  .want_reason = VM_STOP_POWEROFF, .want_code = 0 /* set below */ },
		/* x86 guests print their command line (`verbose`) and a CRC at CPL3 */
		{ .name = "x86-a", .x86 = true, .expect = "machina-x86-A", .forbid = "machina-x86-B",
		  .want_reason = VM_STOP_POWEROFF, .want_code = 0 },
		{ .name = "x86-b", .x86 = true, .expect = "machina-x86-B", .forbid = "machina-x86-A",
		  .want_reason = VM_STOP_POWEROFF, .want_code = 0 },
	};
	pthread_t t[NR_GUESTS];
	int nr = 4, fails = 0;

	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: multi_vm KERNEL INITRD PASS.elf FAIL.elf [X86_GUEST.elf]\n");
		return 2;
	}
	if (argc == 6) {
		int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

		if (fd < 0) {
			printf("multi-vm: SKIP the x86 KVM VMs: /dev/kvm: %s\n", strerror(errno));
		} else {
			close(fd);
			nr = NR_GUESTS;
		}
	}
	for (int i = 0; i < nr; i++) {
		g[i].cfg.ram_size = 128ull << 20;
		g[i].cfg.console_in_fd = -1;
		snprintf(g[i].path, sizeof(g[i].path), "/tmp/machina-multi-%d-%d.out", (int)getpid(), i);
		g[i].cfg.console_out_fd = open(g[i].path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (g[i].cfg.console_out_fd < 0) {
			perror(g[i].path);
			return 1;
		}
	}
	g[0].cfg.kernel = g[1].cfg.kernel = argv[1];
	g[0].cfg.initrd = g[1].cfg.initrd = argv[2];
	g[0].cfg.append = "console=ttyS0 quiet -- echo machina-guest-A-$((6*7))";
	g[1].cfg.append = "console=ttyS0 quiet -- echo machina-guest-B-$((2*3)); exit 0";
	g[2].cfg.firmware = argv[3];
	g[3].cfg.firmware = argv[4];
	g[3].want_code = -1;	/* any non-zero code */
	for (int i = 4; i < nr; i++) {
		g[i].xcfg = (struct x86_pc_config){
			.kernel = argv[5], .ram_size = 64ull << 20, .nr_cpus = 1,
			.console_in_fd = -1, .console_out_fd = g[i].cfg.console_out_fd,
		};
	}
	g[4].xcfg.append = "verbose marker=machina-x86-A seed=1 mib=4";
	g[5].xcfg.append = "verbose marker=machina-x86-B seed=2 mib=4";

	for (int i = 0; i < nr; i++)
		pthread_create(&t[i], NULL, run_guest, &g[i]);
	for (int i = 0; i < nr; i++)
		pthread_join(t[i], NULL);

	for (int i = 0; i < nr; i++) {
		char *out = slurp(g[i].path);
		bool code_ok = g[i].want_code < 0 ? g[i].vm.stop_code != 0
						  : g[i].vm.stop_code == g[i].want_code;

		if (g[i].ret || g[i].vm.stop_reason != g[i].want_reason || !code_ok ||
		    !out || !strstr(out, g[i].expect) || strstr(out, g[i].forbid)) {
			fprintf(stderr, "multi-vm: FAIL %s: ret %d, stop %d code %d; console:\n%s\n",
				g[i].name, g[i].ret, g[i].vm.stop_reason, g[i].vm.stop_code,
				out ? out + (strlen(out) > 1500 ? strlen(out) - 1500 : 0) : "(none)");
			fails++;
		} else {
			printf("multi-vm: %s ok (stop %d, code %d)\n", g[i].name, g[i].vm.stop_reason,
			       g[i].vm.stop_code);
		}
		free(out);
		close(g[i].cfg.console_out_fd);
		unlink(g[i].path);
	}
	if (fails)
		printf("multi-vm: FAILED\n");
	else
		printf("multi-vm: %d VMs in one process, consoles and stops kept apart\n", nr);
	return fails ? 1 : 0;
}
