/* riscv_virt.c - riscv64 virt board: memory map, devices, boot flow. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "engine/interp/interp.h"
#include "machine/riscv_boot.h"
#include "machine/riscv_virt.h"

const struct virt_region_desc virt_memmap[VIRT_NR_REGIONS] = {
	[VIRT_MROM] = { 0x00001000, 0xf000, "mrom" },
	[VIRT_TEST] = { 0x00100000, 0x1000, "test" },
	[VIRT_RTC] = { 0x00101000, 0x1000, "rtc" },
	[VIRT_CLINT] = { 0x02000000, CLINT_SIZE, "clint" },
	[VIRT_PLIC] = { 0x0c000000, PLIC_SIZE, "plic" },
	[VIRT_UART0] = { 0x10000000, 0x100, "uart0" },
	[VIRT_VIRTIO] = { 0x10001000, 0x8000, "virtio-mmio" },
	[VIRT_DRAM] = { 0x80000000, 0, "dram" },
};

#define FDT_MAX_SIZE 0x10000		/* 64 KiB: far more than the board needs */
#define FW_DYNAMIC_INFO_OFFSET 0x40	/* in MROM, after where QEMU's reset code sits */

static void virt_poll(void *opaque)
{
	struct riscv_virt *m = opaque;

	clint_update(&m->clint);
	goldfish_rtc_poll(&m->rtc);
}

static uint64_t virt_next_event(void *opaque)
{
	struct riscv_virt *m = opaque;

	return clint_next_deadline_ns(&m->clint);
}

static void virt_wait_io(void *opaque, uint64_t timeout_ns)
{
	struct riscv_virt *m = opaque;

	evloop_poll(&m->loop, timeout_ns);
}

static size_t uart_sink_receive(void *opaque, const uint8_t *buf, size_t len)
{
	return uart_receive(opaque, buf, len);
}

static unsigned uart_sink_space(void *opaque)
{
	return uart_rx_space(opaque);
}

static int add_mmio(struct riscv_virt *m, enum virt_region r, const struct mmio_ops *ops,
		    void *opaque)
{
	return as_add_mmio(&m->vm->as, virt_memmap[r].base, virt_memmap[r].size, ops, opaque,
			   virt_memmap[r].name);
}

static int create_devices(struct riscv_virt *m, const struct virt_config *cfg)
{
	struct vm *vm = m->vm;
	int ret;

	clint_init(&m->clint, vm, 1);
	m->clint.msi[0] = (struct irq_line){ rv_cpu_set_irq, &m->cpu, RV_IRQ_MSI };
	m->clint.mti[0] = (struct irq_line){ rv_cpu_set_irq, &m->cpu, RV_IRQ_MTI };
	plic_init(&m->plic, 2);
	m->plic.out[0] = (struct irq_line){ rv_cpu_set_irq, &m->cpu, RV_IRQ_MEI };
	m->plic.out[1] = (struct irq_line){ rv_cpu_set_irq, &m->cpu, RV_IRQ_SEI };
	evloop_init(&m->loop);
	console_init(&m->console, vm, cfg->console_in_fd, cfg->console_out_fd);
	ret = evloop_add(&m->loop, console_source(&m->console));
	if (ret)
		return ret;
	uart_init(&m->uart, (struct irq_line){ plic_set_irq, &m->plic, VIRT_IRQ_UART0 },
		  console_chardev(&m->console));
	console_set_sink(&m->console, (struct console_sink){ uart_sink_receive, uart_sink_space,
							       &m->uart });
	m->test.vm = vm;
	goldfish_rtc_init(&m->rtc, (struct irq_line){ plic_set_irq, &m->plic, VIRT_IRQ_RTC });

	if ((ret = as_add_ram(&vm->as, virt_memmap[VIRT_MROM].base, sizeof(m->mrom), m->mrom,
			      "mrom")) ||
	    (ret = add_mmio(m, VIRT_CLINT, &clint_ops, &m->clint)) ||
	    (ret = add_mmio(m, VIRT_PLIC, &plic_ops, &m->plic)) ||
	    (ret = add_mmio(m, VIRT_UART0, &uart_ops, &m->uart)) ||
	    (ret = add_mmio(m, VIRT_TEST, &sifive_test_ops, &m->test)) ||
	    (ret = add_mmio(m, VIRT_RTC, &goldfish_rtc_ops, &m->rtc)))
		return ret;
	return 0;
}

static struct irq_line slot_next_irq(void *opaque)
{
	return riscv_virt_next_virtio_irq(opaque);
}

static int slot_add(void *opaque, struct virtio_dev *vdev)
{
	return riscv_virt_add_virtio(opaque, vdev);
}

struct irq_line riscv_virt_next_virtio_irq(struct riscv_virt *m)
{
	return (struct irq_line){ plic_set_irq, &m->plic, VIRT_IRQ_VIRTIO0 + m->nr_virtio };
}

int riscv_virt_add_virtio(struct riscv_virt *m, struct virtio_dev *vdev)
{
	int slot = m->nr_virtio;
	int ret;

	if (slot >= VIRT_VIRTIO_SLOTS)
		return -ENOSPC;
	virtio_mmio_init(&m->virtio[slot], vdev);
	ret = as_add_mmio(&m->vm->as, virt_memmap[VIRT_VIRTIO].base + (gpa_t)slot * VIRT_VIRTIO_STRIDE,
			  VIRT_VIRTIO_STRIDE, &virtio_mmio_ops, &m->virtio[slot], vdev->ops->name);
	if (ret)
		return ret;
	m->nr_virtio++;
	return 0;
}

static bool overlaps(gpa_t a, gpa_t a_end, gpa_t b, gpa_t b_end)
{
	return a < b_end && b < a_end;
}

int riscv_virt_create(struct riscv_virt *m, struct vm *vm, const struct virt_config *cfg,
		      char *err, size_t errlen)
{
	const gpa_t dram = virt_memmap[VIRT_DRAM].base;
	struct boot_image fw, kernel = { 0 };
	struct virt_fdt_params fp = { .bootargs = cfg->append };
	const char *firmware = cfg->firmware;
	gpa_t ram_end, top, initrd_end = 0;
	uint64_t initrd_size = 0;
	int ret;

	m->vm = vm;
	vm->machine = m;
	if (cfg->ram_size < (16ull << 20) || cfg->ram_size > VIRT_MAX_RAM ||
	    (cfg->ram_size & 0xfff)) {
		snprintf(err, errlen, "--memory must be a multiple of 4 KiB between 16 MiB and 1 TiB");
		return -EINVAL;
	}
	ret = vm_alloc_ram(vm, dram, cfg->ram_size);
	if (ret) {
		snprintf(err, errlen, "cannot allocate %llu MiB of guest RAM: %s",
			 (unsigned long long)(cfg->ram_size >> 20), strerror(-ret));
		return ret;
	}
	ram_end = dram + cfg->ram_size;
	ret = rv_cpu_init(&m->cpu, vm, 0);
	if (ret) {
		snprintf(err, errlen, "cannot create the CPU: %s", strerror(-ret));
		return ret;
	}
	ret = create_devices(m, cfg);
	if (ret) {
		snprintf(err, errlen, "cannot map the board's devices: %s", strerror(-ret));
		return ret;
	}
	const struct board_virtio_slots slots = { slot_next_irq, slot_add, m };

	ret = board_virtio_create(&m->pv, vm, &cfg->dev, &slots, &m->loop, &m->console, err, errlen);
	if (ret)
		return ret;

	/* images: firmware at DRAM base, kernel above it */
	if (!firmware && !cfg->kernel) {
		snprintf(err, errlen, "nothing to run: give --kernel and/or --firmware");
		return -EINVAL;
	}
	if (!firmware)
		firmware = VIRT_DEFAULT_FIRMWARE;
	ret = riscv_load_firmware(vm, firmware, dram, &fw, err, errlen);
	if (ret) {
		if (ret == -ENOENT && !cfg->firmware)
			snprintf(err, errlen, "the default firmware %s is missing: apt-get install opensbi, "
				 "or give --firmware", VIRT_DEFAULT_FIRMWARE);
		return ret;
	}
	if (cfg->kernel) {
		ret = riscv_load_kernel(vm, cfg->kernel, VIRT_KERNEL_BASE, &kernel, err, errlen);
		if (ret)
			return ret;
		if (overlaps(fw.start, fw.end, kernel.start, kernel.end)) {
			snprintf(err, errlen, "the firmware (0x%llx-0x%llx) and the kernel (0x%llx-0x%llx) overlap",
				 (unsigned long long)fw.start, (unsigned long long)fw.end,
				 (unsigned long long)kernel.start, (unsigned long long)kernel.end);
			return -EINVAL;
		}
	}

	/* FDT at the top of RAM (below 3 GiB, 2 MiB aligned, as QEMU), the
	 * initrd right below it */
	m->fdt = calloc(1, FDT_MAX_SIZE);
	if (!m->fdt) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	top = ram_end < 0xc0000000ull ? ram_end : 0xc0000000ull;
	m->fdt_addr = (top - FDT_MAX_SIZE) & ~0x1fffffull;
	if (cfg->initrd) {
		ret = file_size(cfg->initrd, &initrd_size, err, errlen);
		if (ret)
			return ret;
		initrd_end = m->fdt_addr;
		fp.initrd_start = (initrd_end - initrd_size) & ~0xfffull;
		fp.initrd_size = initrd_size;
		if (initrd_size >= initrd_end - dram ||
		    fp.initrd_start < (kernel.end ? kernel.end : fw.end)) {
			snprintf(err, errlen, "the initrd '%s' (%llu MiB) does not fit in guest RAM above the "
				 "kernel: give more --memory", cfg->initrd,
				 (unsigned long long)(initrd_size >> 20));
			return -E2BIG;
		}
		ret = load_file_at(vm, cfg->initrd, fp.initrd_start, initrd_end, &initrd_size, err,
				   errlen);
		if (ret)
			return ret;
	}
	if (m->fdt_addr < (kernel.end ? kernel.end : fw.end) || m->fdt_addr < dram) {
		snprintf(err, errlen, "the images leave no room for the device tree: give more --memory");
		return -E2BIG;
	}
	ret = riscv_virt_build_fdt(m, &fp, m->fdt, FDT_MAX_SIZE);
	if (ret) {
		snprintf(err, errlen, "cannot build the device tree: %s", strerror(-ret));
		return ret;
	}
	m->fdt_size = fdt_totalsize(m->fdt);
	if (as_copy_to(&vm->as, m->fdt_addr, m->fdt, m->fdt_size)) {
		snprintf(err, errlen, "cannot place the device tree");
		return -E2BIG;
	}

	/* bare-metal programs talk HTIF through their tohost symbol */
	if (fw.has_tohost) {
		htif_init(&m->htif, vm, console_chardev(&m->console));
		ret = as_add_mmio(&vm->as, fw.tohost, 8, &htif_tohost_ops, &m->htif, "htif-tohost");
		if (!ret && fw.has_fromhost)
			ret = as_add_mmio(&vm->as, fw.fromhost, 8, &htif_fromhost_ops, &m->htif,
					  "htif-fromhost");
		if (ret) {
			snprintf(err, errlen, "cannot map HTIF: %s", strerror(-ret));
			return ret;
		}
		m->has_htif = true;
	}

	/* OpenSBI fw_dynamic handoff: next stage is the kernel in S-mode */
	struct fw_dynamic_info info = {
		.magic = FW_DYNAMIC_INFO_MAGIC,
		.version = FW_DYNAMIC_INFO_VERSION,
		.next_addr = cfg->kernel ? kernel.entry : 0,
		.next_mode = FW_DYNAMIC_NEXT_MODE_S,
		.options = 0,
		.boot_hart = 0,
	};
	memcpy(m->mrom + FW_DYNAMIC_INFO_OFFSET, &info, sizeof(info));

	m->cpu.read_time = clint_read_time;
	m->cpu.time_opaque = &m->clint;
	const struct interp_hooks hooks = {
		.poll = virt_poll,
		.next_event_ns = virt_next_event,
		.wait_io = virt_wait_io,
		.opaque = m,
	};

	m->cpus[0] = &m->cpu;
	interp_init(&m->interp, vm, m->cpus, 1, &hooks);
	m->interp_init = true;
	rv_cpu_reset(&m->cpu, fw.entry);
	m->cpu.x[10] = 0;					/* a0: hart id */
	m->cpu.x[11] = m->fdt_addr;				/* a1: device tree */
	m->cpu.x[12] = virt_memmap[VIRT_MROM].base + FW_DYNAMIC_INFO_OFFSET; /* a2 */
	return 0;
}

int riscv_virt_run(struct riscv_virt *m)
{
	int ret = interp_run(&m->interp);

	console_flush(&m->console);
	return ret;
}

void riscv_virt_destroy(struct riscv_virt *m)
{
	board_virtio_destroy(&m->pv);
	if (m->interp_init)
		interp_destroy(&m->interp);
	m->interp_init = false;
	rv_cpu_destroy(&m->cpu);
	free(m->fdt);
	m->fdt = NULL;
}
