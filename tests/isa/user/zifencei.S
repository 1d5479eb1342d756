/* Zifencei: self-modifying code made visible by fence.i. Each case first
 * runs the original code (so any decode/translation cache holds it), then
 * overwrites it, executes fence.i and checks the new behaviour, several
 * times with different immediates/opcodes so a stale cache is caught:
 *   - a called function's 32-bit addi, rewritten with 8 immediates, and
 *     then with different opcodes (lui, xori, a jump);
 *   - a 16-bit c.li rewritten in place;
 *   - the instruction right after the fence.i itself;
 *   - an instruction inside a hot loop, rewritten every iteration;
 *   - a function copied into a data buffer and called there, then
 *     patched and called again. */
#include "test.h"
#include "utest.h"

/* addi rd, rs1, imm */
#define ADDI(rd, rs1) (((rs1) << 15) | ((rd) << 7) | 0x13)

	.option norelax
	.text
	.globl main
main:
	/* ---- rewrite the immediate of a called addi ---- */
	TEST_NUM(1)
	call smc_func
	CHECK(a0, 1)
	call smc_func
	CHECK(a0, 1)
	la s0, smc_insn
	la s1, imms
	li s2, 8                        /* number of immediates */
1:	lw s3, 0(s1)                    /* imm */
	slli t0, s3, 20
	li t1, ADDI(10, 0)              /* addi a0, x0, imm */
	or t0, t0, t1
	sw t0, 0(s0)
	fence.i
	call smc_func
	bne a0, s3, fail
	call smc_func                   /* and again */
	bne a0, s3, fail
	addi s1, s1, 4
	addi s2, s2, -1
	bnez s2, 1b

	/* ---- change the opcode ---- */
	TEST_NUM(2)
	li t0, 0x12345537               /* lui a0, 0x12345 */
	sw t0, 0(s0)
	fence.i
	call smc_func
	CHECK(a0, 0x12345000)
	li t0, 0xfff54513               /* xori a0, a0, -1 (a0 = not a0) */
	sw t0, 0(s0)
	fence.i
	li a0, 0x55
	call smc_func
	CHECK(a0, 0xffffffffffffffaa)
	li t0, 0x0040006f               /* j .+4: skip nothing */
	sw t0, 0(s0)
	fence.i
	li a0, 7
	call smc_func
	CHECK(a0, 7)
	li t0, 0x00100513               /* back to addi a0, x0, 1 */
	sw t0, 0(s0)
	fence.i
	call smc_func
	CHECK(a0, 1)

	/* ---- a compressed instruction ---- */
	TEST_NUM(3)
	call smc_cfunc
	CHECK(a0, 5)
	la s0, smc_cinsn
	li s2, -32
1:	andi t0, s2, 31                 /* c.li a0, imm */
	slli t0, t0, 2
	srli t1, s2, 5
	andi t1, t1, 1
	slli t1, t1, 12
	or t0, t0, t1
	li t1, 0x4501
	or t0, t0, t1
	sh t0, 0(s0)
	fence.i
	call smc_cfunc
	bne a0, s2, fail
	addi s2, s2, 9
	li t0, 32
	blt s2, t0, 1b

	/* ---- the instruction right after the fence.i ---- */
	TEST_NUM(4)
	la s0, next_insn
	la s1, imms
	li s2, 8
1:	lw s3, 0(s1)
	slli t0, s3, 20
	li t1, ADDI(11, 0)              /* addi a1, x0, imm */
	or t0, t0, t1
	li a1, 0
	sw t0, 0(s0)
	fence.i
next_insn:
	.option push
	.option norvc
	addi a1, x0, 0
	.option pop
	bne a1, s3, fail
	addi s1, s1, 4
	addi s2, s2, -1
	bnez s2, 1b

	/* ---- an instruction in a hot loop, changed every iteration ---- */
	TEST_NUM(5)
	la s0, loop_insn
	li a1, 0
	li s2, 1                        /* iteration = increment */
1:	slli t0, s2, 20
	li t1, ADDI(11, 11)             /* addi a1, a1, s2 */
	or t0, t0, t1
	sw t0, 0(s0)
	fence.i
	li t2, 3                        /* run the patched body 3 times */
2:
loop_insn:
	.option push
	.option norvc
	addi a1, a1, 0
	.option pop
	addi t2, t2, -1
	bnez t2, 2b
	addi s2, s2, 1
	li t0, 21
	blt s2, t0, 1b
	CHECK(a1, 630)                  /* 3 * (1 + ... + 20) */

	/* ---- code copied into a data buffer ---- */
	TEST_NUM(6)
	la s0, code_buf
	la s1, copy_src
	lw t0, 0(s1)
	sw t0, 0(s0)
	lw t0, 4(s1)
	sw t0, 4(s0)
	fence.i
	jalr s0
	CHECK(a0, 0x77)
	li s2, -2048
1:	slli t0, s2, 20
	li t1, ADDI(10, 0)
	or t0, t0, t1
	sw t0, 0(s0)
	fence.i
	jalr s0
	bne a0, s2, fail
	li t0, 0x3ff
	add s2, s2, t0
	li t0, 2047
	ble s2, t0, 1b

	j pass

	.align 2
smc_func:
	.option push
	.option norvc
smc_insn:
	addi a0, x0, 1
	ret
	.option pop

smc_cfunc:
smc_cinsn:
	c.li a0, 5
	ret

	.align 2
copy_src:
	.option push
	.option norvc
	addi a0, x0, 0x77
	jalr x0, 0(ra)
	.option pop

	.data
	.align 2
imms:
	.word 2, -1, 2047, -2048, 0x555, -0x556, 0, 100
	.align 3
code_buf:
	.word 0, 0
