/* x86_boot.h - direct kernel boot for the x86-64 machine, without firmware:
 * loads a kernel into guest RAM and describes the initial vCPU state.
 *
 *  - bzImage (Linux x86 boot protocol 2.x, >= 2.06 with XLF_KERNEL_64): the
 *    protected-mode part at 1 MiB, boot_params at X86_ZERO_PAGE_ADDR with the
 *    e820 map, command line and initrd; entered at the 64-bit entry
 *    (code32_start + 0x200) in long mode with rsi = boot_params.
 *  - ELF64 with a Xen PVH note (XEN_ELFNOTE_PHYS32_ENTRY): entered in 32-bit
 *    protected mode, paging off, ebx = hvm_start_info (version 1, with the
 *    memory map and the initrd as module 0), as QEMU microvm does.
 *  - other ELF64 (x86-64): entered at e_entry in 64-bit long mode with the
 *    identity map of the first 4 GiB, rsi = boot_params (also filled in).
 * Engine-neutral: the result is a struct x86_cpu_init that the KVM engine
 * copies into kvm_regs / kvm_sregs. */
#ifndef MACHINA_MACHINE_X86_BOOT_H
#define MACHINA_MACHINE_X86_BOOT_H

#include <stddef.h>

#include "core/types.h"

struct vm;

/* one segment register, the fields of struct kvm_segment */
struct x86_seg {
	uint64_t base;
	uint32_t limit;
	uint16_t selector;
	uint8_t type, present, dpl, db, s, l, g, avl;
	uint8_t unusable;
};

struct x86_dtable {
	uint64_t base;
	uint16_t limit;
};

/* the boot CPU's state at the kernel's entry */
struct x86_cpu_init {
	uint64_t rip, rsp, rflags;
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	struct x86_seg cs, ds, es, fs, gs, ss, tr, ldt;
	struct x86_dtable gdt, idt;
	uint64_t cr0, cr3, cr4, efer;
};

enum x86_kernel_kind {
	X86_KERNEL_BZIMAGE,
	X86_KERNEL_PVH,		/* ELF64 entered through its PVH note */
	X86_KERNEL_ELF64,	/* ELF64 entered in long mode at e_entry */
};

struct x86_boot_config {
	const char *kernel;	/* path */
	const char *initrd;	/* path or NULL */
	const char *cmdline;	/* complete command line ("" when none) */
	uint64_t ram_size;	/* total RAM: low RAM up to 3 GiB, the rest at 4 GiB */
};

struct x86_boot_result {
	enum x86_kernel_kind kind;
	gpa_t kernel_start, kernel_end;	/* guest-physical range the kernel occupies */
	gpa_t initrd_start;
	uint64_t initrd_size;
	struct x86_cpu_init cpu;
};

/* low RAM [0, low) and high RAM [X86_HIGH_RAM_BASE, + high) for a RAM size */
void x86_ram_split(uint64_t ram_size, uint64_t *low, uint64_t *high);

/* Load cfg->kernel (and initrd, command line, boot structures, page tables
 * and GDT) into the VM's RAM, which must already be mapped as
 * x86_ram_split() says. On failure -errno and a message naming the problem in
 * err (missing file, not an x86-64 kernel, boot protocol too old, does not
 * fit in RAM, command line too long). */
int must_check x86_boot_load(struct vm *vm, const struct x86_boot_config *cfg,
			     struct x86_boot_result *res, char *err, size_t errlen);

/* Write the MP table (floating pointer at X86_MPTABLE_ADDR, configuration
 * table after it; the BDA's EBDA segment word at 0x40e points there, which
 * is how Linux finds a table outside the last KiB below 640 KiB): nr_cpus
 * processors with APIC ids 0..nr_cpus-1, one ISA
 * bus, the IOAPIC at X86_IOAPIC_ADDR (id nr_cpus) with 24 pins, ISA IRQs
 * 0-15 and GSIs 16-23 routed to the IOAPIC pin of the same number (edge,
 * active high, conforming), local interrupts ExtINT on LINT0 and NMI on
 * LINT1. -EINVAL for nr_cpus outside 1..X86_MAX_CPUS, -EFAULT if RAM is too
 * small. */
int must_check x86_mptable_write(struct vm *vm, int nr_cpus);

#endif
