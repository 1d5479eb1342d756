/* x86_pc.h - the x86-64 microVM run by the KVM engine: RAM, the in-kernel
 * irqchip and PIT, COM1 (the same 16550 file as riscv virt) on port 0x3f8
 * IRQ 4, the i8042 reset line, virtio-mmio slots announced on the kernel
 * command line, an MP table for SMP; direct kernel boot (x86_boot.h).
 * The memory map is in x86_layout.h.
 *
 * Threads: one per vCPU (engine/kvm) and the caller's, which runs the I/O
 * loop (console, virtio queue notifications through ioeventfds, disk
 * completions, slirp). Device state is guarded by `lock`.
 *
 * To add a device: put it in struct x86_pc, map it into `pio` or vm->as in
 * create_devices() with its ops table, and give it an irq_line from
 * x86_pc_irq_line() for a free GSI. */
#ifndef MACHINA_MACHINE_X86_PC_H
#define MACHINA_MACHINE_X86_PC_H

#include <pthread.h>

#include "core/as.h"
#include "core/vm.h"
#include "dev/i8042.h"
#include "dev/uart16550.h"
#include "dev/virtio/virtio_mmio.h"
#include "engine/kvm/kvm.h"
#include "host/console.h"
#include "host/evloop.h"
#include "machine/board_virtio.h"
#include "machine/x86_boot.h"
#include "machine/x86_layout.h"

#define X86_NR_GSI 24
#define X86_MAX_NOTIFY (X86_VIRTIO_SLOTS * VIRTIO_MAX_QUEUES)

struct x86_pc_config {
	const char *kernel;
	const char *initrd;
	const char *append;	/* user part of the kernel command line, or NULL */
	uint64_t ram_size;
	int nr_cpus;
	int console_in_fd;	/* -1: no console input */
	int console_out_fd;
	struct board_virtio_config dev;
};

/* one queue notification: an ioeventfd on a slot's QueueNotify */
struct x86_notify {
	int fd;
	int slot;
	uint32_t queue;
};

struct x86_pc {
	struct vm *vm;
	pthread_mutex_t lock;		/* device state: vCPU exits and the I/O loop */
	bool lock_init;
	struct kvm_engine kvm;
	bool kvm_open;
	struct address_space pio;	/* I/O ports */
	struct uart16550 uart;
	struct i8042 i8042;
	struct host_console console;
	struct evloop loop;
	int nr_virtio;
	struct virtio_mmio virtio[X86_VIRTIO_SLOTS];
	struct board_virtio pv;
	int irq_fd[X86_NR_GSI];		/* irqfd per GSI, -1 until used */
	bool irq_level[X86_NR_GSI];
	int nr_notify;
	struct x86_notify notify[X86_MAX_NOTIFY];
	uint64_t low_ram, high_ram;
	pthread_t map_thread;		/* registers the RAM with KVM (x86_pc.c) */
	bool map_started;
	int map_ret;
	struct x86_boot_result boot;
	char cmdline[X86_CMDLINE_MAX];
};

/* Build the machine, in zero-filled *m (calloc), and load the kernel. On
 * failure -errno and a message in err; x86_pc_destroy() is then still
 * required. */
int must_check x86_pc_create(struct x86_pc *m, struct vm *vm, const struct x86_pc_config *cfg,
			     char *err, size_t errlen);
/* Run the vCPUs until the VM stops (power-off, reset, timeout, error). */
int x86_pc_run(struct x86_pc *m);
void x86_pc_destroy(struct x86_pc *m);

/* Build the kernel command line: the virtio-mmio devices as
 * `virtio_mmio.device=4K@ADDR:GSI` words, then the user's part. -E2BIG when it
 * does not fit in len. */
int must_check x86_pc_cmdline(char *buf, size_t len, int nr_virtio, const char *user);

#endif
