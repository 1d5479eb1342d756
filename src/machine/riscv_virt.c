/* riscv_virt.c - riscv64 virt board: memory map, devices, image loading. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/interp/interp.h"
#include "loader/elf.h"
#include "machine/riscv_virt.h"

const struct virt_region_desc virt_memmap[VIRT_NR_REGIONS] = {
	[VIRT_TEST] = { 0x00100000, 0x1000, "test" },
	[VIRT_RTC] = { 0x00101000, 0x1000, "rtc" },
	[VIRT_CLINT] = { 0x02000000, CLINT_SIZE, "clint" },
	[VIRT_PLIC] = { 0x0c000000, 0x600000, "plic" },
	[VIRT_UART0] = { 0x10000000, 0x100, "uart0" },
	[VIRT_VIRTIO] = { 0x10001000, 0x8000, "virtio-mmio" },
	[VIRT_DRAM] = { 0x80000000, 0, "dram" },
};

static void virt_poll(void *opaque)
{
	struct riscv_virt *m = opaque;

	clint_update(&m->clint);
}

static uint64_t virt_next_event(void *opaque)
{
	struct riscv_virt *m = opaque;

	return clint_next_deadline_ns(&m->clint);
}

int riscv_virt_create(struct riscv_virt *m, struct vm *vm, const struct virt_config *cfg,
		      char *err, size_t errlen)
{
	struct elf_image img;
	int ret;

	memset(m, 0, sizeof(*m));
	m->vm = vm;
	vm->machine = m;
	if (cfg->ram_size < (1ull << 20) || cfg->ram_size > VIRT_MAX_RAM || (cfg->ram_size & 0xfff)) {
		snprintf(err, errlen, "memory size must be a multiple of 4 KiB between 1 MiB and 1 TiB");
		return -EINVAL;
	}
	ret = vm_alloc_ram(vm, virt_memmap[VIRT_DRAM].base, cfg->ram_size);
	if (ret) {
		snprintf(err, errlen, "cannot allocate %llu bytes of guest RAM: %s",
			 (unsigned long long)cfg->ram_size, strerror(-ret));
		return ret;
	}
	clint_init(&m->clint, vm, 1);
	ret = as_add_mmio(&vm->as, virt_memmap[VIRT_CLINT].base, virt_memmap[VIRT_CLINT].size,
			  &clint_ops, &m->clint, "clint");
	if (ret)
		goto fail_dev;

	if (!cfg->firmware) {
		snprintf(err, errlen, "no firmware given");
		return -EINVAL;
	}
	ret = elf_load(vm, cfg->firmware, &img, err, errlen);
	if (ret)
		return ret;

	if (img.has_tohost) {
		htif_init(&m->htif, vm, cfg->console_fd);
		ret = as_add_mmio(&vm->as, img.tohost, 8, &htif_tohost_ops, &m->htif, "htif-tohost");
		if (!ret && img.has_fromhost)
			ret = as_add_mmio(&vm->as, img.fromhost, 8, &htif_fromhost_ops, &m->htif,
					  "htif-fromhost");
		if (ret)
			goto fail_dev;
		m->has_htif = true;
	}

	ret = rv_cpu_init(&m->cpu, vm, 0);
	if (ret) {
		snprintf(err, errlen, "cannot create the CPU: %s", strerror(-ret));
		return ret;
	}
	m->cpu.read_time = clint_read_time;
	m->cpu.time_opaque = &m->clint;
	m->clint.msi[0] = (struct irq_line){ rv_cpu_set_irq, &m->cpu, RV_IRQ_MSI };
	m->clint.mti[0] = (struct irq_line){ rv_cpu_set_irq, &m->cpu, RV_IRQ_MTI };
	rv_cpu_reset(&m->cpu, img.entry);
	m->cpu.x[10] = 0;	/* a0: hart id */
	return 0;

fail_dev:
	snprintf(err, errlen, "cannot map devices: %s", strerror(-ret));
	return ret;
}

int riscv_virt_run(struct riscv_virt *m)
{
	struct rv_cpu *cpus[1] = { &m->cpu };
	const struct interp_hooks hooks = {
		.poll = virt_poll,
		.next_event_ns = virt_next_event,
		.opaque = m,
	};

	return interp_run(m->vm, cpus, 1, &hooks);
}

void riscv_virt_destroy(struct riscv_virt *m)
{
	rv_cpu_destroy(&m->cpu);
}
