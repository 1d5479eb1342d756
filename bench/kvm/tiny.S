/* tiny.S - the start-up benchmark's guest: a Xen PVH ELF that prints one
 * line on COM1 and ends the VM at once (or, built with -DHOLD, halts with
 * interrupts off so the VMM's resident memory can be sampled). It ends
 * through the isa-debug-exit port 0xf4 (QEMU) and the i8042 reset (Machina
 * and other microVMs); each VMM ignores the other's port. Runs entirely in
 * 32-bit protected mode at CPL0: a few dozen instructions. */
	.section .note.Xen, "a"
	.p2align 2
	.long 2f - 1f, 4f - 3f, 18	/* XEN_ELFNOTE_PHYS32_ENTRY */
1:	.asciz "Xen"
2:	.p2align 2
3:	.long start32
4:	.p2align 2

	.text
	.code32
	.globl start32
start32:
	mov $msg, %esi
	mov $0x3f8, %dx
1:	lodsb
	test %al, %al
	jz 2f
	out %al, %dx
	jmp 1b
2:
#ifdef HOLD
	cli
3:	hlt
	jmp 3b
#endif
	mov $0, %eax
	out %eax, $0xf4		/* QEMU isa-debug-exit: status (0 << 1) | 1 */
	mov $0xfe, %al
	out %al, $0x64		/* i8042: pulse the reset line */
4:	hlt
	jmp 4b

	.section .rodata
msg:	.asciz "tiny: hello\n"
