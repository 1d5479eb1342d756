/* Start-up code for Machina's bare-metal ISA tests; see test.h. */
#include "test.h"

	.section .text.init, "ax"
	.globl _start
_start:
	/* zero every integer register (gp is the check number) */
	li x1, 0
	li x2, 0
	li x3, 0
	li x4, 0
	li x5, 0
	li x6, 0
	li x7, 0
	li x8, 0
	li x9, 0
	li x10, 0
	li x11, 0
	li x12, 0
	li x13, 0
	li x14, 0
	li x15, 0
	li x16, 0
	li x17, 0
	li x18, 0
	li x19, 0
	li x20, 0
	li x21, 0
	li x22, 0
	li x23, 0
	li x24, 0
	li x25, 0
	li x26, 0
	li x27, 0
	li x28, 0
	li x29, 0
	li x30, 0
	li x31, 0
	la t0, trap_vector
	csrw mtvec, t0
	/* FPU on: mstatus.FS = Initial (01) */
	li t0, (1 << 13)
	csrs mstatus, t0
	csrwi fcsr, 0
	la sp, _stack_top
	/* assembly tests jump to pass/fail themselves; C tests return 0 for pass */
	call main
	mv gp, a0
	beqz a0, pass
	j fail

	.align 2
trap_vector:
	/* jump to the test's handler if it has one */
	.weak test_trap_handler
	la t6, test_trap_handler
	beqz t6, 1f
	jr t6
1:	ori gp, gp, 0x400
	j fail

	.globl pass
pass:
	fence
	li t0, 1
	la t1, tohost
	sd t0, 0(t1)
1:	j 1b

	.globl fail
fail:
	fence
	/* QEMU keeps only the low 8 bits of the code: never let them be 0 */
	andi t0, gp, 0xff
	bnez t0, 1f
	ori gp, gp, 0xff
1:	slli t0, gp, 1
	ori t0, t0, 1
	la t1, tohost
	sd t0, 0(t1)
1:	j 1b

	.section .tohost, "aw", @progbits
	.align 6
	.globl tohost
	.type tohost, @object
tohost: .dword 0
	.size tohost, 8
	.align 6
	.globl fromhost
	.type fromhost, @object
fromhost: .dword 0
	.size fromhost, 8
