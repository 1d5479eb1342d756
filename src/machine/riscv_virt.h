/* riscv_virt.h - the riscv64 `virt` board (QEMU's memory map and interrupt
 * numbers, so firmware and kernels built for QEMU run unmodified).
 *
 * To add a device: give it a region in virt_memmap (and a VIRT_IRQ_* number
 * if it interrupts), instantiate it in riscv_virt_create() with its ops table
 * and an irq_line to the PLIC, and describe it in riscv_virt_fdt.c. */
#ifndef MACHINA_MACHINE_RISCV_VIRT_H
#define MACHINA_MACHINE_RISCV_VIRT_H

#include "core/chardev.h"
#include "core/vm.h"
#include "cpu/rv64/cpu.h"
#include "engine/interp/interp.h"
#include "dev/clint.h"
#include "dev/goldfish_rtc.h"
#include "dev/htif.h"
#include "dev/plic.h"
#include "dev/sifive_test.h"
#include "dev/uart16550.h"
#include "dev/virtio/virtio_mmio.h"
#include "host/console.h"
#include "machine/board_virtio.h"

/* the board is data: one entry per window (QEMU hw/riscv/virt.c) */
enum virt_region {
	VIRT_MROM,	/* boot ROM: holds the fw_dynamic handoff structure */
	VIRT_TEST,	/* SiFive test device: power-off / reboot */
	VIRT_RTC,	/* goldfish RTC */
	VIRT_CLINT,	/* core-local interruptor: msip, mtimecmp, mtime */
	VIRT_PLIC,	/* platform-level interrupt controller */
	VIRT_UART0,	/* NS16550A */
	VIRT_VIRTIO,	/* VIRT_VIRTIO_SLOTS virtio-mmio slots of VIRT_VIRTIO_STRIDE */
	VIRT_DRAM,	/* main memory; size from --memory */
	VIRT_NR_REGIONS
};

/* PLIC source numbers */
enum {
	VIRT_IRQ_VIRTIO0 = 1,	/* 1..8: virtio-mmio slots */
	VIRT_IRQ_UART0 = 10,
	VIRT_IRQ_RTC = 11,
};

struct virt_region_desc {
	gpa_t base;
	uint64_t size;
	const char *name;
};

extern const struct virt_region_desc virt_memmap[VIRT_NR_REGIONS];

#define VIRT_MAX_RAM (1ull << 40)
#define VIRT_VIRTIO_SLOTS 8
#define VIRT_VIRTIO_STRIDE 0x1000
#define VIRT_KERNEL_BASE 0x80200000ull	/* default kernel load address */
#define VIRT_DEFAULT_FIRMWARE "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"

struct virt_config {
	const char *firmware;	/* NULL: the default OpenSBI (only with a kernel) */
	const char *kernel;	/* Linux Image / ELF / raw RISC-V binary, or NULL */
	const char *initrd;
	const char *append;	/* kernel command line */
	uint64_t ram_size;
	int console_in_fd;	/* -1: no console input */
	int console_out_fd;
	struct board_virtio_config dev;	/* --disk, --net, --console virtio */
};

struct riscv_virt {
	struct vm *vm;
	struct rv_cpu cpu;
	struct rv_cpu *cpus[1];		/* the harts, for the engine */
	struct interp interp;		/* the engine running them */
	bool interp_init;
	struct clint clint;
	struct plic plic;
	struct uart16550 uart;
	struct sifive_test test;
	struct goldfish_rtc rtc;
	struct htif htif;
	bool has_htif;
	struct host_console console;
	struct evloop loop;
	/* virtio-mmio slots in use, in device-tree order */
	int nr_virtio;
	struct virtio_mmio virtio[VIRT_VIRTIO_SLOTS];
	struct board_virtio pv;		/* the virtio devices in the slots */
	uint8_t mrom[0x1000];	/* backing of VIRT_MROM's first page */
	void *fdt;		/* the generated device tree */
	size_t fdt_size;
	gpa_t fdt_addr;
};

struct virt_fdt_params {
	const char *bootargs;
	gpa_t initrd_start;
	uint64_t initrd_size;
};

/* Build the board and load the images; on failure -errno and a message in
 * err (the VM is then only fit for riscv_virt_destroy). */
int must_check riscv_virt_create(struct riscv_virt *m, struct vm *vm, const struct virt_config *cfg,
				 char *err, size_t errlen);
int riscv_virt_run(struct riscv_virt *m);
void riscv_virt_destroy(struct riscv_virt *m);

/* Put a virtio device in the next free slot (MMIO window, PLIC source,
 * device-tree node); -ENOSPC when all slots are used. */
int must_check riscv_virt_add_virtio(struct riscv_virt *m, struct virtio_dev *vdev);
/* the interrupt line of the next free virtio slot */
struct irq_line riscv_virt_next_virtio_irq(struct riscv_virt *m);

/* Write the device tree for this board into buf (FDT blob). */
int must_check riscv_virt_build_fdt(const struct riscv_virt *m, const struct virt_fdt_params *p,
				    void *buf, size_t size);

#endif
