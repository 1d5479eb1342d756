/* main.c - the `machina` command. Everything below main() returns -errno;
 * only the frontend turns results into messages and exit statuses. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/vm.h"
#include "frontend/options.h"
#include "frontend/term.h"
#include "machine/riscv_virt.h"
#include "machine/x86_pc.h"

#define MACHINA_VERSION "0.2.0"

#ifndef MACHINA_IMAGE_ID
#define MACHINA_IMAGE_ID "unknown"
#endif
#ifndef MACHINA_X86_IMAGE_ID
#define MACHINA_X86_IMAGE_ID "unknown"
#endif

static void usage(FILE *out)
{
	fprintf(out,
		"usage: machina run [options]\n"
		"       machina --version | --help\n"
		"\n"
		"Run a RISC-V RV64GC 'virt' machine (QEMU's memory map) in software, or an\n"
		"x86-64 microVM through KVM (--arch x86_64).\n"
		"With no options, boots the default guest (RISC-V Linux + busybox).\n"
		"\n"
		"options for 'run':\n"
		"  --arch riscv64|x86_64\n"
		"                      riscv64 (default): the software RISC-V engine;\n"
		"                      x86_64: KVM, direct boot of a bzImage or ELF64 vmlinux\n"
		"                      (PVH entry when it has the note); the serial console is\n"
		"                      ttyS0; the guest's reboot (reboot=k) ends the VM\n"
		"  --cpus N            vCPUs (x86_64 only; default 1)\n"
		"  --kernel IMAGE      Linux Image (or RISC-V ELF / raw binary such as U-Boot),\n"
		"                      started in S-mode by the firmware\n"
		"  --initrd FILE       initial ramdisk\n"
		"  --append \"ARGS\"     kernel command line\n"
		"  --firmware FILE     M-mode firmware (default: Debian's OpenSBI fw_dynamic.bin);\n"
		"                      alone, a bare-metal RISC-V ELF that may end through HTIF\n"
		"  --memory SIZE       guest RAM, e.g. 256M or 1G (default 256M)\n"
		"  --timeout SECONDS   stop the guest after this long (exit status 4)\n"
		"  --console uart|virtio\n"
		"                      where console input goes: the 16550 UART (ttyS0,\n"
		"                      default) or a virtio-console (hvc0)\n"
		"  --disk FILE[,readonly]\n"
		"                      virtio-blk on a raw image (repeatable: vda, vdb, ...)\n"
		"  --net user[,hostfwd=tcp:HOSTADDR:HOSTPORT-:GUESTPORT][,mac=MAC]\n"
		"                      virtio-net with user-mode networking (slirp: DHCP\n"
		"                      10.0.2.15, gateway 10.0.2.2, DNS 10.0.2.3)\n"
		"  --net tap,ifname=NAME[,mac=MAC]\n"
		"                      virtio-net on a host tap device\n"
		"  --dump-dtb FILE     write the generated device tree to FILE and exit (riscv64)\n"
		"\n"
		"console: stdin/stdout (raw mode on a terminal); Ctrl-A x quits, Ctrl-A h helps.\n"
		"exit status: 0 guest passed / powered off, 1 guest reported failure,\n"
		"2 usage or input error, 3 guest reboot, 4 timeout, 5 internal error\n");
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* The default guest built by images/<arch>/build.sh (arch "riscv64" or
 * "x86_64", id the hash of its recipe, both fixed at build time): its kernel
 * and initrd paths, or -ENOENT (-ENAMETOOLONG) with a message saying how to
 * build it. */
static int default_image(const char *arch, const char *id, const char *kernel_name,
			 const char *initrd_name, char *kernel, char *initrd)
{
	const char *cache = getenv("MACHINA_CACHE");
	const char *home = getenv("HOME");
	char dir[PATH_MAX - 32];
	int n;

	if (cache && *cache)
		n = snprintf(dir, sizeof(dir), "%s/images/%s-%s", cache, arch, id);
	else
		n = snprintf(dir, sizeof(dir), "%s/.cache/machina/images/%s-%s",
			     home ? home : "/root", arch, id);
	if (n <= 0 || (size_t)n >= sizeof(dir)) {
		fprintf(stderr, "machina: cache path too long\n");
		return -ENAMETOOLONG;
	}
	snprintf(kernel, PATH_MAX, "%s/%s", dir, kernel_name);
	snprintf(initrd, PATH_MAX, "%s/%s", dir, initrd_name);
	if (!exists(kernel) || !exists(initrd)) {
		fprintf(stderr, "machina: the default %s guest is not built yet (looked in %s);\n"
			"build it with: bash images/%s/build.sh\n", arch, dir, arch);
		return -ENOENT;
	}
	return 0;
}

/* The exit status for how the VM stopped (README), with a message on
 * stderr for every stop but a clean one; `where` adds where the guest was
 * to the timeout message. */
static int stop_status(const struct vm *vm, double timeout, const char *where)
{
	switch (vm->stop_reason) {
	case VM_STOP_POWEROFF:
		if (vm->stop_code) {
			fprintf(stderr, "machina: guest reported failure, code %d\n", vm->stop_code);
			return EXIT_GUEST_FAIL;
		}
		return EXIT_GUEST_OK;
	case VM_STOP_REBOOT:
		fprintf(stderr, "machina: guest requested a reboot\n");
		return EXIT_REBOOT;
	case VM_STOP_TIMEOUT:
		fprintf(stderr, "machina: timeout: the guest ran for %g s without finishing%s\n",
			timeout, where);
		return EXIT_TIMEOUT;
	case VM_STOP_USER:
		return EXIT_GUEST_OK;
	default:
		fprintf(stderr, "machina: the VM stopped on an internal error\n");
		return EXIT_INTERNAL;
	}
}

/* the process's resident memory and how much of it is the guest RAM
 * mapping starting at guest_ram (from /proc/self/smaps), in KiB */
static void process_rss(const void *guest_ram, uint64_t *total, uint64_t *guest)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[256];
	bool in_guest = false;

	*total = *guest = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi, kib;

		if (sscanf(line, "%llx-%llx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			in_guest = (uintptr_t)guest_ram == lo;
		} else if (sscanf(line, "Rss: %llu kB", &kib) == 1) {
			*total += kib;
			if (in_guest)
				*guest += kib;
		}
	}
	fclose(f);
}

struct x86_run_args {
	const char *kernel, *initrd, *append;
	uint64_t ram_size;
	int nr_cpus;
	double timeout;
	const struct board_virtio_config *dev;
};

static int run_x86(const struct x86_run_args *a)
{
	struct x86_pc_config cfg = {
		.kernel = a->kernel, .initrd = a->initrd, .append = a->append,
		.ram_size = a->ram_size, .nr_cpus = a->nr_cpus,
		.console_in_fd = STDIN_FILENO, .console_out_fd = STDOUT_FILENO,
		.dev = *a->dev,
	};
	const char *stats = getenv("MACHINA_STATS");
	struct x86_pc *m;
	char err[512];
	struct vm vm;
	int ret, status;
	char kernel[PATH_MAX], initrd[PATH_MAX];

	if (!cfg.kernel) {
		/* the default x86-64 guest (--initrd alone is refused earlier) */
		if (default_image("x86_64", MACHINA_X86_IMAGE_ID, "bzImage", "initrd.cpio.gz", kernel,
				  initrd)) {
			fprintf(stderr, "machina: or give an x86_64 --kernel (a bzImage, or an ELF64 "
				"vmlinux)\n");
			return EXIT_USAGE;
		}
		cfg.kernel = kernel;
		cfg.initrd = initrd;
		if (!cfg.append)
			cfg.append = "console=ttyS0 reboot=k panic=1";
	}
	if (vm_init(&vm, "")) {
		fprintf(stderr, "machina: cannot create the VM\n");
		return EXIT_INTERNAL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		fprintf(stderr, "machina: out of memory\n");
		return EXIT_INTERNAL;
	}
	ret = x86_pc_create(m, &vm, &cfg, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "machina: %s\n", err);
		status = (ret == -ENOMEM) ? EXIT_INTERNAL : EXIT_USAGE;
		goto out;
	}
	if (a->timeout > 0)
		vm.deadline_ns = host_clock_ns() + (uint64_t)(a->timeout * 1e9);
	term_raw(STDIN_FILENO);
	x86_pc_run(m);
	term_restore();
	if (stats && *stats) {
		uint64_t rss_kib = 0, guest_kib = 0;

		process_rss(vm.ram, &rss_kib, &guest_kib);
		/* for bench/: how long the VMM took to get the guest going, and
		 * how many exits the guest's I/O cost */
		uint64_t io = 0, mmio = 0;

		for (int i = 0; i < m->kvm.nr_vcpus; i++) {
			io += m->kvm.vcpu[i].exit.nr_io_exits;
			mmio += m->kvm.vcpu[i].exit.nr_mmio_exits;
		}
		fprintf(stderr, "machina-stats: first_kvm_run_realtime_ns=%llu first_kvm_run_cpu_ms=%.3f "
			"rss_kib=%llu guest_rss_kib=%llu io_exits=%llu mmio_exits=%llu\n",
			(unsigned long long)m->kvm.first_run_realtime_ns,
			(double)m->kvm.first_run_cpu_ns / 1e6, (unsigned long long)rss_kib,
			(unsigned long long)guest_kib, (unsigned long long)io,
			(unsigned long long)mmio);
	}
	status = stop_status(&vm, a->timeout, "");
out:
	x86_pc_destroy(m);
	vm_destroy(&vm);
	free(m);
	return status;
}

static int cmd_run(int argc, char **argv)
{
	enum { OPT_FIRMWARE = 256, OPT_KERNEL, OPT_INITRD, OPT_APPEND, OPT_MEMORY, OPT_TIMEOUT,
	       OPT_DUMP_DTB, OPT_NET, OPT_DISK, OPT_CONSOLE, OPT_ARCH, OPT_CPUS, OPT_HELP };
	static const struct option opts[] = {
		{ "firmware", required_argument, NULL, OPT_FIRMWARE },
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "initrd", required_argument, NULL, OPT_INITRD },
		{ "append", required_argument, NULL, OPT_APPEND },
		{ "memory", required_argument, NULL, OPT_MEMORY },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "dump-dtb", required_argument, NULL, OPT_DUMP_DTB },
		{ "net", required_argument, NULL, OPT_NET },
		{ "disk", required_argument, NULL, OPT_DISK },
		{ "console", required_argument, NULL, OPT_CONSOLE },
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct virt_config cfg = {
		.ram_size = 256ull << 20,
		.console_in_fd = STDIN_FILENO,
		.console_out_fd = STDOUT_FILENO,
	};
	char kernel_path[PATH_MAX], initrd_path[PATH_MAX];
	const char *dump_dtb = NULL;
	double timeout = 0;
	char err[512];
	struct riscv_virt *m = NULL;
	struct vm vm;
	bool x86 = false;
	long nr_cpus = 0;
	int c, ret, status;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_FIRMWARE: cfg.firmware = optarg; break;
		case OPT_KERNEL: cfg.kernel = optarg; break;
		case OPT_INITRD: cfg.initrd = optarg; break;
		case OPT_APPEND: cfg.append = optarg; break;
		case OPT_DUMP_DTB: dump_dtb = optarg; break;
		case OPT_ARCH:
			if (!strcmp(optarg, "x86_64") || !strcmp(optarg, "x86-64")) {
				x86 = true;
			} else if (!strcmp(optarg, "riscv64")) {
				x86 = false;
			} else {
				fprintf(stderr, "machina: --arch %s: expected riscv64 or x86_64\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_CPUS: {
			char *end;

			errno = 0;
			nr_cpus = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || nr_cpus < 1 || nr_cpus > X86_MAX_CPUS) {
				fprintf(stderr, "machina: --cpus %s: expected a number from 1 to %d\n",
					optarg, X86_MAX_CPUS);
				return EXIT_USAGE;
			}
			break;
		}
		case OPT_CONSOLE:
			if (!strcmp(optarg, "virtio")) {
				cfg.dev.virtio_console = true;
			} else if (!strcmp(optarg, "uart")) {
				cfg.dev.virtio_console = false;
			} else {
				fprintf(stderr, "machina: --console %s: expected uart or virtio\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_DISK:
			if (board_parse_disk(optarg, &cfg.dev, err, sizeof(err))) {
				fprintf(stderr, "machina: --disk %s: %s\n", optarg, err);
				return EXIT_USAGE;
			}
			break;
		case OPT_NET:
			if (cfg.dev.nr_net >= BOARD_MAX_NICS) {
				fprintf(stderr, "machina: at most %d --net options\n", BOARD_MAX_NICS);
				return EXIT_USAGE;
			}
			if (net_parse_option(optarg, &cfg.dev.net[cfg.dev.nr_net], err, sizeof(err))) {
				fprintf(stderr, "machina: --net %s: %s\n", optarg, err);
				return EXIT_USAGE;
			}
			cfg.dev.nr_net++;
			break;
		case OPT_MEMORY:
			if (parse_size(optarg, &cfg.ram_size)) {
				fprintf(stderr, "machina: invalid memory size '%s' (examples: 256M, 1G)\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_TIMEOUT:
			if (parse_seconds(optarg, &timeout)) {
				fprintf(stderr, "machina: invalid timeout '%s' (a positive number of seconds)\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			return EXIT_GUEST_OK;
		case ':':
			fprintf(stderr, "machina: option '%s' needs an argument\n", argv[optind - 1]);
			return EXIT_USAGE;
		default:
			fprintf(stderr, "machina: unknown option '%s' (see machina --help)\n", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "machina: unexpected argument '%s' (see machina --help)\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (cfg.initrd && !cfg.kernel) {
		fprintf(stderr, "machina: --initrd needs --kernel\n");
		return EXIT_USAGE;
	}
	if (x86) {
		if (cfg.firmware || dump_dtb) {
			fprintf(stderr, "machina: --%s is for riscv64 guests (x86_64 boots the kernel "
				"directly, without firmware or device tree)\n",
				cfg.firmware ? "firmware" : "dump-dtb");
			return EXIT_USAGE;
		}
		if (cfg.dev.virtio_console) {
			fprintf(stderr, "machina: --console virtio is not available on x86_64 yet; the "
				"console is ttyS0\n");
			return EXIT_USAGE;
		}
		struct x86_run_args a = {
			.kernel = cfg.kernel, .initrd = cfg.initrd, .append = cfg.append,
			.ram_size = cfg.ram_size, .nr_cpus = nr_cpus ? (int)nr_cpus : 1,
			.timeout = timeout, .dev = &cfg.dev,
		};

		return run_x86(&a);
	}
	if (nr_cpus > 1) {
		fprintf(stderr, "machina: --cpus: the riscv64 machine has one hart for now\n");
		return EXIT_USAGE;
	}
	if (!cfg.kernel && !cfg.firmware) {
		/* the default guest */
		if (default_image("riscv64", MACHINA_IMAGE_ID, "Image", "initramfs.cpio.gz",
				  kernel_path, initrd_path)) {
			fprintf(stderr, "machina: (or: make image)\n");
			return EXIT_USAGE;
		}
		cfg.kernel = kernel_path;
		cfg.initrd = initrd_path;
		if (!cfg.append)
			cfg.append = cfg.dev.virtio_console ? "console=hvc0" : "console=ttyS0";
	}

	if (vm_init(&vm, "")) {
		fprintf(stderr, "machina: cannot create the VM\n");
		return EXIT_INTERNAL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		fprintf(stderr, "machina: out of memory\n");
		return EXIT_INTERNAL;
	}
	ret = riscv_virt_create(m, &vm, &cfg, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "machina: %s\n", err);
		status = (ret == -ENOMEM) ? EXIT_INTERNAL : EXIT_USAGE;
		goto out;
	}
	if (dump_dtb) {
		int fd = open(dump_dtb, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd < 0 || write(fd, m->fdt, m->fdt_size) != (ssize_t)m->fdt_size) {
			fprintf(stderr, "machina: cannot write '%s': %s\n", dump_dtb, strerror(errno));
			status = EXIT_USAGE;
		} else {
			status = EXIT_GUEST_OK;
		}
		if (fd >= 0)
			close(fd);
		goto out;
	}
	if (timeout > 0)
		vm.deadline_ns = host_clock_ns() + (uint64_t)(timeout * 1e9);
	term_raw(STDIN_FILENO);
	riscv_virt_run(m);
	term_restore();

	char where[64];

	snprintf(where, sizeof(where), " (hart 0 pc 0x%llx, %c-mode)",
		 (unsigned long long)m->cpu.pc, "USHM"[m->cpu.priv & 3]);
	status = stop_status(&vm, timeout, where);
out:
	riscv_virt_destroy(m);
	vm_destroy(&vm);
	free(m);
	return status;
}

int main(int argc, char **argv)
{
	/* a closed socket or pipe is an error return, not a reason to die
	 * (libslirp writes to host sockets without MSG_NOSIGNAL) */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2)
		return cmd_run(argc, argv);	/* `machina` alone: the default guest */
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("machina %s\n", MACHINA_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	fprintf(stderr, "machina: unknown command '%s' (see machina --help)\n", argv[1]);
	return EXIT_USAGE;
}
