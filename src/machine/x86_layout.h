/* x86_layout.h - the x86-64 machine's guest-physical map (a microVM in the
 * style of Firecracker and QEMU microvm: no PCI, no ACPI, no firmware).
 *
 *   0x00000000  real-mode IVT / BDA (RAM, zero but for the BDA's EBDA
 *               segment at 0x40e, which points at the MP table)
 *   0x00000500  GDT built by Machina for 64-bit and PVH entry
 *   0x00006000  PVH hvm_start_info, then its memory map and module list
 *   0x00007000  Linux boot_params ("zero page")
 *   0x00009000  PML4, PDPT (0xa000), 4 page directories (0xb000-0xefff):
 *               identity map of the first 4 GiB with 2 MiB pages
 *   0x00020000  kernel command line (X86_CMDLINE_MAX bytes)
 *   0x0009f000  EBDA: the MP table (floating pointer + configuration table;
 *               64 CPUs need 1564 bytes, more than the classic 1 KiB EBDA
 *               at 0x9fc00, so Linux finds it through the BDA pointer)
 *   0x000a0000  legacy VGA/ROM hole: RAM, but reserved in the e820 map
 *   0x00100000  kernel (protected-mode part of a bzImage, or ELF segments)
 *   ...         initrd at the top of low RAM (below initrd_addr_max)
 *   low RAM ends at min(--memory, 3 GiB); the rest of RAM starts at 4 GiB
 *   0xd0000000  virtio-mmio slot i at X86_VIRTIO_BASE + i * 0x1000, GSI 5 + i
 *   0xfec00000  IOAPIC (in-kernel)         0xfee00000  local APIC (in-kernel)
 *   0xfffbc000  KVM identity-map page, 0xfffbd000 KVM TSS (3 pages)
 * Ports: COM1 16550 at 0x3f8 on IRQ 4; i8042 at 0x60/0x64 (reset = stop).
 */
#ifndef MACHINA_MACHINE_X86_LAYOUT_H
#define MACHINA_MACHINE_X86_LAYOUT_H

#define X86_GDT_ADDR		0x500ull
#define X86_PVH_INFO_ADDR	0x6000ull
#define X86_ZERO_PAGE_ADDR	0x7000ull
#define X86_PML4_ADDR		0x9000ull
#define X86_PDPT_ADDR		0xa000ull
#define X86_PD_ADDR		0xb000ull	/* 4 pages */
#define X86_CMDLINE_ADDR	0x20000ull
#define X86_CMDLINE_MAX		0x10000ull	/* incl. the NUL */
#define X86_MPTABLE_ADDR	0x9f000ull	/* e820-reserved up to X86_EBDA_END */
#define X86_EBDA_END		0xa0000ull
#define X86_HIMEM_ADDR		0x100000ull	/* 1 MiB: where kernels load */

#define X86_LOW_RAM_MAX		0xc0000000ull	/* RAM below the MMIO hole */
#define X86_HIGH_RAM_BASE	0x100000000ull

#define X86_VIRTIO_BASE		0xd0000000ull
#define X86_VIRTIO_STRIDE	0x1000ull
#define X86_VIRTIO_SLOTS	8
#define X86_VIRTIO_GSI_BASE	5		/* slot i interrupts on GSI 5 + i */
#define X86_IOAPIC_ADDR		0xfec00000ull
#define X86_LAPIC_ADDR		0xfee00000ull
#define X86_KVM_IDENTITY_ADDR	0xfffbc000ull
#define X86_KVM_TSS_ADDR	0xfffbd000ull

#define X86_COM1_PORT		0x3f8
#define X86_COM1_GSI		4
#define X86_I8042_DATA_PORT	0x60
#define X86_I8042_CMD_PORT	0x64

#define X86_MAX_CPUS		64
#define X86_MAX_RAM		(1ull << 40)

#endif
