/* boot.S - entry of the x86-64 test guests: the Xen PVH note, 32-bit entry,
 * long mode, the drop to CPL3, the interrupt stubs, the GDT, the page tables
 * and the real-mode trampoline for application processors.
 *
 * CPL0 runs emulated (slowly) on the PVM /dev/kvm of the development
 * machine, so everything that can be static is: the page tables and GDT are
 * assembled here, the IDT is filled in later at CPL3 (idt_fill), and the path
 * from the PVH entry to CPL3 is a few dozen instructions. */

#define SEL_KCODE32	0x08
#define SEL_KCODE64	0x10
#define SEL_KDATA	0x18
#define SEL_UDATA	0x23
#define SEL_UCODE64	0x2b
#define KSTACK_SHIFT	14		/* 16 KiB CPL0 stack per CPU */
#define USTACK_SHIFT	16		/* 64 KiB CPL3 stack per CPU */
#define MAX_CPUS	8

#define CR0_PE		0x00000001
#define CR0_NW_CD	0x60000000
#define CR0_PG		0x80000000
#define CR4_PAE		0x00000020
#define MSR_EFER	0xc0000080
#define EFER_LME	0x00000100
#define RFLAGS_IOPL3	0x00003000
#define RFLAGS_RSVD1	0x00000002

/* ---- Xen PVH note: XEN_ELFNOTE_PHYS32_ENTRY (18), a 32-bit entry address.
 * The loader enters it in 32-bit protected mode with paging off, flat
 * segments and ebx = the physical address of struct hvm_start_info. */
	.section .note.Xen, "a", @note
	.balign 4
	.long 4				/* namesz: "Xen\0" */
	.long 4				/* descsz */
	.long 18			/* type: XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.long pvh_entry
	.balign 4

	.section .text.boot, "ax"
	.code32
	.globl pvh_entry
pvh_entry:
	cli
	cld
	movl %ebx, pvh_start_info	/* read later at CPL3 (rt.c) */
	xorl %edi, %edi			/* CPU index 0: the bootstrap processor */

/* Common 32-bit path of the BSP and the APs: edi = CPU index. Loads our GDT,
 * turns on PAE, long mode and paging with the static identity map. */
entry32_common:
	lgdt gdt_ptr
	ljmp $SEL_KCODE32, $1f
1:	movl $SEL_KDATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	andl $~CR0_NW_CD, %eax		/* an AP starts with caching disabled */
	orl $(CR0_PG | CR0_PE), %eax
	movl %eax, %cr0
	ljmp $SEL_KCODE64, $entry64

/* An AP arrives here from the trampoline, in 32-bit protected mode, with
 * the real-mode DS (base 0x8000) still loaded. */
ap_entry32:
	movl $SEL_KDATA, %eax
	movl %eax, %ds
	movl ap_cpu_index, %edi
	jmp entry32_common

	.code64
entry64:
	movl $SEL_UDATA, %eax		/* DS/ES are unused in long mode; make */
	movl %eax, %ds			/* them valid at CPL3 too */
	movl %eax, %es
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movl $SEL_KDATA, %eax
	movl %eax, %ss
	movl %edi, %edi			/* zero-extend the CPU index */
	leaq 1(%rdi), %rax
	shlq $KSTACK_SHIFT, %rax
	leaq kstacks(%rax), %rsp	/* top of this CPU's CPL0 stack */
	pushq %rdi
	subq $8, %rsp			/* keep the ABI's 16-byte alignment */
	call kernel_init		/* kernel.c: TSS, ltr, lidt */
	addq $8, %rsp
	popq %rdi
	/* iretq to user_entry(cpu) at CPL3 with IOPL=3 and IF=0 */
	leaq 1(%rdi), %rax
	shlq $USTACK_SHIFT, %rax
	leaq ustacks-8(%rax), %rcx	/* as if called: rsp + 8 is 16-aligned */
	pushq $SEL_UDATA
	pushq %rcx
	pushq $(RFLAGS_IOPL3 | RFLAGS_RSVD1)
	pushq $SEL_UCODE64
	pushq $user_entry
	iretq

/* ---- interrupt and exception stubs: one 16-byte stub per vector at
 * isr_stubs + 16 * vector. Each pushes a zero error code unless the CPU
 * pushed one (vectors 8, 10-14, 17, 21, 29, 30), then its vector. */
	.text
	.balign 16
	.globl isr_stubs
isr_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if !((vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30))
	pushq $0
	.endif
	pushq $vec
	jmp isr_common
	.set vec, vec + 1
	.endr

/* Save the caller-saved registers (struct irq_frame in rt.h), call
 * isr_dispatch(frame) in C, restore, drop vector and error code, return. */
isr_common:
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	movq %rsp, %rdi
	cld
	call isr_dispatch		/* the stack is 16-byte aligned here */
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rax
	addq $16, %rsp
	iretq

/* ---- AP trampoline: copied to AP_TRAMP_ADDR (0x8000, SIPI vector 0x08) by
 * the SMP test. The AP starts in real mode at CS:IP = 0x0800:0000; it loads
 * our GDT (32-bit base through the 0x66 prefix), enables protection and
 * jumps to ap_entry32 above, which continues like the BSP. Position
 * independent except for the absolute targets outside it. */
	.code16
	.globl ap_tramp_start, ap_tramp_end
ap_tramp_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	lgdtl ap_gdt_ptr - ap_tramp_start
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $SEL_KCODE32, $ap_entry32
	.balign 4
ap_gdt_ptr:
	.word gdt_end - gdt - 1
	.long gdt
ap_tramp_end:
	.code64

/* ---- GDT: flat kernel segments, CPL3 segments and one 16-byte TSS
 * descriptor per CPU (filled by kernel_init: the base is split in fields). */
	.data
	.balign 16
	.globl gdt, gdt_tss
gdt:
	.quad 0				/* 0x00 null */
	.quad 0x00cf9a000000ffff	/* 0x08 code, 32-bit, DPL 0 */
	.quad 0x00af9a000000ffff	/* 0x10 code, 64-bit (L), DPL 0 */
	.quad 0x00cf92000000ffff	/* 0x18 data, DPL 0 */
	.quad 0x00cff2000000ffff	/* 0x20 data, DPL 3 (selector 0x23) */
	.quad 0x00affa000000ffff	/* 0x28 code, 64-bit (L), DPL 3 (selector 0x2b) */
gdt_tss:
	.fill 2 * MAX_CPUS, 8, 0	/* 0x30 + 16 * cpu: TSS descriptors */
gdt_end:
	.balign 8
	.globl gdt_ptr
gdt_ptr:
	.word gdt_end - gdt - 1
	.quad gdt

	.globl pvh_start_info
	.balign 4
pvh_start_info:
	.long 0

/* ---- page tables: PML4[0] -> PDPT[0..3] -> 4 page directories of 512
 * 2 MiB pages, the identity map of [0, 4 GiB). Every entry is present,
 * writable and user-accessible (0x07; 0x80 = 2 MiB page), so CPL3 code
 * reaches RAM and MMIO alike. The top GiB (MMIO: virtio, IOAPIC, LAPIC)
 * is uncached (PCD | PWT = 0x18). */
	.section .data.pagetables, "aw"
	.balign 4096
	.globl pml4
pml4:
	.quad pdpt + 0x07
	.fill 511, 8, 0
pdpt:
	.quad pd + 0x0000 + 0x07
	.quad pd + 0x1000 + 0x07
	.quad pd + 0x2000 + 0x07
	.quad pd + 0x3000 + 0x07
	.fill 508, 8, 0
pd:
	.set addr, 0
	.rept 1536			/* [0, 3 GiB): RAM, write-back */
	.quad addr + 0x87
	.set addr, addr + 0x200000
	.endr
	.rept 512			/* [3 GiB, 4 GiB): MMIO, uncached */
	.quad addr + 0x9f
	.set addr, addr + 0x200000
	.endr

/* ---- stacks (not zeroed: nothing relies on their contents) */
	.bss
	.balign 4096
	.globl kstacks, ustacks
kstacks:
	.space MAX_CPUS << KSTACK_SHIFT
ustacks:
	.space MAX_CPUS << USTACK_SHIFT

	.section .note.GNU-stack, "", @progbits
