/* main.c - the `machina` command. Everything below main() returns -errno;
 * only this file turns results into messages and exit statuses. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/vm.h"
#include "frontend/options.h"
#include "machine/riscv_virt.h"

#define MACHINA_VERSION "0.1.0"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: machina run [options]\n"
		"       machina --version | --help\n"
		"\n"
		"Run a RISC-V RV64GC machine (QEMU 'virt' memory map) in software.\n"
		"\n"
		"options for 'run':\n"
		"  --firmware FILE     RISC-V ELF to start in M-mode at its entry; a\n"
		"                      bare-metal program ends through HTIF tohost\n"
		"  --memory SIZE       guest RAM, e.g. 256M or 1G (default 256M)\n"
		"  --timeout SECONDS   stop the guest after this long (exit status 4)\n"
		"\n"
		"exit status: 0 guest passed / powered off, 1 guest reported failure,\n"
		"2 usage or input error, 3 guest reboot, 4 timeout, 5 internal error\n");
}

static int cmd_run(int argc, char **argv)
{
	enum { OPT_FIRMWARE = 256, OPT_MEMORY, OPT_TIMEOUT, OPT_HELP };
	static const struct option opts[] = {
		{ "firmware", required_argument, NULL, OPT_FIRMWARE },
		{ "memory", required_argument, NULL, OPT_MEMORY },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct virt_config cfg = { .ram_size = 256ull << 20, .console_fd = STDOUT_FILENO };
	double timeout = 0;
	char err[512];
	struct riscv_virt *m;
	struct vm vm;
	int c, ret, status;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_FIRMWARE:
			cfg.firmware = optarg;
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
		fprintf(stderr, "machina: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (!cfg.firmware) {
		fprintf(stderr, "machina: nothing to run: give --firmware PROGRAM.elf\n");
		return EXIT_USAGE;
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
		status = EXIT_USAGE;
		goto out;
	}
	if (timeout > 0)
		vm.deadline_ns = host_clock_ns() + (uint64_t)(timeout * 1e9);
	riscv_virt_run(m);

	switch (vm.stop_reason) {
	case VM_STOP_POWEROFF:
		if (vm.stop_code) {
			fprintf(stderr, "machina: guest reported failure, code %d\n", vm.stop_code);
			status = EXIT_GUEST_FAIL;
		} else {
			status = EXIT_GUEST_OK;
		}
		break;
	case VM_STOP_REBOOT:
		status = EXIT_REBOOT;
		break;
	case VM_STOP_TIMEOUT:
		fprintf(stderr, "machina: timeout: the guest ran for %g s without finishing (hart 0 pc 0x%llx, %s-mode)\n",
			timeout, (unsigned long long)m->cpu.pc, (const char[]){ "USHM"[m->cpu.priv & 3], 0 });
		status = EXIT_TIMEOUT;
		break;
	case VM_STOP_USER:
		status = EXIT_GUEST_OK;
		break;
	default:
		fprintf(stderr, "machina: the VM stopped on an internal error\n");
		status = EXIT_INTERNAL;
		break;
	}
out:
	riscv_virt_destroy(m);
	vm_destroy(&vm);
	free(m);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
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
