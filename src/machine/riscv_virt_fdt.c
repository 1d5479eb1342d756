/* riscv_virt_fdt.c - the virt board's flattened device tree, generated with
 * libfdt from virt_memmap (the same nodes and compatibles as QEMU's virt, so
 * OpenSBI's generic platform and Linux find every device). */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "machine/riscv_virt.h"

/* phandles */
enum { PH_CPU0_INTC = 1, PH_PLIC, PH_TEST };

#define TRY(expr) do { if ((ret = (expr)) < 0) goto fail; } while (0)

static int prop_reg(void *fdt, gpa_t base, uint64_t size)
{
	fdt64_t cells[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	return fdt_property(fdt, "reg", cells, sizeof(cells));
}

static int begin_node_at(void *fdt, const char *name, gpa_t addr)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s@%llx", name, (unsigned long long)addr);
	return fdt_begin_node(fdt, buf);
}

int riscv_virt_build_fdt(const struct riscv_virt *m, const struct virt_fdt_params *p, void *buf,
			 size_t size)
{
	const struct virt_region_desc *mm = virt_memmap;
	char path[64];
	int ret;

	TRY(fdt_create(buf, (int)size));
	TRY(fdt_finish_reservemap(buf));
	TRY(fdt_begin_node(buf, ""));
	TRY(fdt_property_cell(buf, "#address-cells", 2));
	TRY(fdt_property_cell(buf, "#size-cells", 2));
	TRY(fdt_property_string(buf, "compatible", "riscv-virtio"));
	TRY(fdt_property_string(buf, "model", "riscv-virtio,qemu"));

	/* chosen: command line, console, initrd */
	TRY(fdt_begin_node(buf, "chosen"));
	if (p->bootargs)
		TRY(fdt_property_string(buf, "bootargs", p->bootargs));
	snprintf(path, sizeof(path), "/soc/serial@%llx", (unsigned long long)mm[VIRT_UART0].base);
	TRY(fdt_property_string(buf, "stdout-path", path));
	if (p->initrd_size) {
		TRY(fdt_property_u64(buf, "linux,initrd-start", p->initrd_start));
		TRY(fdt_property_u64(buf, "linux,initrd-end", p->initrd_start + p->initrd_size));
	}
	TRY(fdt_end_node(buf));

	TRY(begin_node_at(buf, "memory", mm[VIRT_DRAM].base));
	TRY(fdt_property_string(buf, "device_type", "memory"));
	TRY(prop_reg(buf, mm[VIRT_DRAM].base, m->vm->ram_size));
	TRY(fdt_end_node(buf));

	/* one hart */
	TRY(fdt_begin_node(buf, "cpus"));
	TRY(fdt_property_cell(buf, "#address-cells", 1));
	TRY(fdt_property_cell(buf, "#size-cells", 0));
	TRY(fdt_property_cell(buf, "timebase-frequency", (uint32_t)CLINT_TIMEBASE_HZ));
	TRY(fdt_begin_node(buf, "cpu@0"));
	TRY(fdt_property_string(buf, "device_type", "cpu"));
	TRY(fdt_property_cell(buf, "reg", 0));
	TRY(fdt_property_string(buf, "status", "okay"));
	TRY(fdt_property_string(buf, "compatible", "riscv"));
	TRY(fdt_property_string(buf, "riscv,isa", "rv64imafdc_zicntr_zicsr_zifencei_zihintpause"));
	TRY(fdt_property_string(buf, "mmu-type", "riscv,sv57"));
	TRY(fdt_begin_node(buf, "interrupt-controller"));
	TRY(fdt_property_cell(buf, "#interrupt-cells", 1));
	TRY(fdt_property(buf, "interrupt-controller", NULL, 0));
	TRY(fdt_property_string(buf, "compatible", "riscv,cpu-intc"));
	TRY(fdt_property_cell(buf, "phandle", PH_CPU0_INTC));
	TRY(fdt_end_node(buf));
	TRY(fdt_end_node(buf));	/* cpu@0 */
	TRY(fdt_end_node(buf));	/* cpus */

	TRY(fdt_begin_node(buf, "soc"));
	TRY(fdt_property_cell(buf, "#address-cells", 2));
	TRY(fdt_property_cell(buf, "#size-cells", 2));
	TRY(fdt_property_string(buf, "compatible", "simple-bus"));
	TRY(fdt_property(buf, "ranges", NULL, 0));

	{
		/* CLINT: M software (3) and M timer (7) of hart 0 */
		fdt32_t ie[4] = { cpu_to_fdt32(PH_CPU0_INTC), cpu_to_fdt32(3),
				  cpu_to_fdt32(PH_CPU0_INTC), cpu_to_fdt32(7) };
		static const char compat[] = "sifive,clint0\0riscv,clint0";

		TRY(begin_node_at(buf, "clint", mm[VIRT_CLINT].base));
		TRY(fdt_property(buf, "compatible", compat, sizeof(compat)));
		TRY(prop_reg(buf, mm[VIRT_CLINT].base, mm[VIRT_CLINT].size));
		TRY(fdt_property(buf, "interrupts-extended", ie, sizeof(ie)));
		TRY(fdt_end_node(buf));
	}
	{
		/* PLIC: contexts M external (11) and S external (9) of hart 0 */
		fdt32_t ie[4] = { cpu_to_fdt32(PH_CPU0_INTC), cpu_to_fdt32(11),
				  cpu_to_fdt32(PH_CPU0_INTC), cpu_to_fdt32(9) };
		static const char compat[] = "sifive,plic-1.0.0\0riscv,plic0";

		TRY(begin_node_at(buf, "plic", mm[VIRT_PLIC].base));
		TRY(fdt_property_cell(buf, "#address-cells", 0));
		TRY(fdt_property_cell(buf, "#interrupt-cells", 1));
		TRY(fdt_property(buf, "compatible", compat, sizeof(compat)));
		TRY(fdt_property(buf, "interrupt-controller", NULL, 0));
		TRY(prop_reg(buf, mm[VIRT_PLIC].base, mm[VIRT_PLIC].size));
		TRY(fdt_property(buf, "interrupts-extended", ie, sizeof(ie)));
		TRY(fdt_property_cell(buf, "riscv,ndev", PLIC_NR_SOURCES - 1));
		TRY(fdt_property_cell(buf, "phandle", PH_PLIC));
		TRY(fdt_end_node(buf));
	}

	TRY(begin_node_at(buf, "serial", mm[VIRT_UART0].base));
	TRY(fdt_property_string(buf, "compatible", "ns16550a"));
	TRY(prop_reg(buf, mm[VIRT_UART0].base, mm[VIRT_UART0].size));
	TRY(fdt_property_cell(buf, "clock-frequency", 3686400));
	TRY(fdt_property_cell(buf, "interrupts", VIRT_IRQ_UART0));
	TRY(fdt_property_cell(buf, "interrupt-parent", PH_PLIC));
	TRY(fdt_end_node(buf));

	{
		static const char compat[] = "sifive,test1\0sifive,test0\0syscon";

		TRY(begin_node_at(buf, "test", mm[VIRT_TEST].base));
		TRY(fdt_property(buf, "compatible", compat, sizeof(compat)));
		TRY(prop_reg(buf, mm[VIRT_TEST].base, mm[VIRT_TEST].size));
		TRY(fdt_property_cell(buf, "phandle", PH_TEST));
		TRY(fdt_end_node(buf));
	}
	TRY(fdt_begin_node(buf, "poweroff"));
	TRY(fdt_property_string(buf, "compatible", "syscon-poweroff"));
	TRY(fdt_property_cell(buf, "regmap", PH_TEST));
	TRY(fdt_property_cell(buf, "offset", 0));
	TRY(fdt_property_cell(buf, "value", SIFIVE_TEST_PASS));
	TRY(fdt_end_node(buf));
	TRY(fdt_begin_node(buf, "reboot"));
	TRY(fdt_property_string(buf, "compatible", "syscon-reboot"));
	TRY(fdt_property_cell(buf, "regmap", PH_TEST));
	TRY(fdt_property_cell(buf, "offset", 0));
	TRY(fdt_property_cell(buf, "value", SIFIVE_TEST_RESET));
	TRY(fdt_end_node(buf));

	TRY(begin_node_at(buf, "rtc", mm[VIRT_RTC].base));
	TRY(fdt_property_string(buf, "compatible", "google,goldfish-rtc"));
	TRY(prop_reg(buf, mm[VIRT_RTC].base, mm[VIRT_RTC].size));
	TRY(fdt_property_cell(buf, "interrupts", VIRT_IRQ_RTC));
	TRY(fdt_property_cell(buf, "interrupt-parent", PH_PLIC));
	TRY(fdt_end_node(buf));

	/* virtio-mmio slots in use; Linux probes them in this order */
	for (int i = 0; i < m->nr_virtio; i++) {
		gpa_t base = mm[VIRT_VIRTIO].base + (gpa_t)i * VIRT_VIRTIO_STRIDE;

		TRY(begin_node_at(buf, "virtio_mmio", base));
		TRY(fdt_property_string(buf, "compatible", "virtio,mmio"));
		TRY(prop_reg(buf, base, VIRT_VIRTIO_STRIDE));
		TRY(fdt_property_cell(buf, "interrupts", VIRT_IRQ_VIRTIO0 + i));
		TRY(fdt_property_cell(buf, "interrupt-parent", PH_PLIC));
		TRY(fdt_end_node(buf));
	}

	TRY(fdt_end_node(buf));	/* soc */
	TRY(fdt_end_node(buf));	/* root */
	TRY(fdt_finish(buf));
	return 0;
fail:
	return ret == -FDT_ERR_NOSPACE ? -ENOSPC : -EINVAL;
}
