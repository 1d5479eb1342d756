/* riscv_virt.h - the riscv64 `virt` board (QEMU's memory map and interrupt
 * numbers, so firmware and kernels built for QEMU run unmodified). */
#ifndef MACHINA_MACHINE_RISCV_VIRT_H
#define MACHINA_MACHINE_RISCV_VIRT_H

#include "core/vm.h"
#include "cpu/rv64/cpu.h"
#include "dev/clint.h"
#include "dev/htif.h"

/* the board is data: one entry per device window (QEMU hw/riscv/virt.c) */
enum virt_region {
	VIRT_TEST,	/* SiFive test device: power-off / reboot */
	VIRT_RTC,	/* goldfish RTC */
	VIRT_CLINT,	/* core-local interruptor: msip, mtimecmp, mtime */
	VIRT_PLIC,	/* platform-level interrupt controller */
	VIRT_UART0,	/* NS16550A, PLIC source 10 */
	VIRT_VIRTIO,	/* 8 virtio-mmio slots of 0x1000, PLIC sources 1-8 */
	VIRT_DRAM,	/* main memory; size from --memory */
	VIRT_NR_REGIONS
};

struct virt_region_desc {
	gpa_t base;
	uint64_t size;
	const char *name;
};

extern const struct virt_region_desc virt_memmap[VIRT_NR_REGIONS];

#define VIRT_MAX_RAM (1ull << 40)

struct virt_config {
	const char *firmware;	/* ELF or raw binary loaded at DRAM base */
	uint64_t ram_size;
	int console_fd;		/* where guest console output goes */
};

struct riscv_virt {
	struct vm *vm;
	struct rv_cpu cpu;
	struct clint clint;
	struct htif htif;
	bool has_htif;
};

/* Build the board, load the images; on failure -errno and a message in err. */
int must_check riscv_virt_create(struct riscv_virt *m, struct vm *vm, const struct virt_config *cfg,
				 char *err, size_t errlen);
int riscv_virt_run(struct riscv_virt *m);
void riscv_virt_destroy(struct riscv_virt *m);

#endif
