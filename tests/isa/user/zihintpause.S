/* Zihintpause: `pause` (FENCE with pred = W, succ = 0, rs1 = rd = x0:
 * .word 0x0100000f) executes as a no-op: no trap, no register or memory
 * change, execution continues with the next instruction, also in a spin
 * loop. The other FENCE hint/reserved forms used by software are checked
 * the same way: fence with pred or succ empty, fence.tso, and FENCE with
 * non-zero rs1/rd fields (reserved; implementations ignore them). */
#include "test.h"
#include "utest.h"

#define PAUSE .word 0x0100000f

	.text
	.globl main
main:
	TEST_NUM(1)
	li a0, 0x1122334455667788
	li a1, -1
	mv a2, sp
	la s0, word
	sd a0, 0(s0)
	PAUSE
	CHECK(a0, 0x1122334455667788)
	CHECK(a1, -1)
	CHECK_REG(a2, sp)
	ld a3, 0(s0)
	CHECK_REG(a3, a0)

	/* falls through to exactly the next instruction */
	TEST_NUM(2)
	li a0, 0
	PAUSE
	addi a0, a0, 1
	PAUSE
	PAUSE
	addi a0, a0, 2
	CHECK(a0, 3)

	/* a spin loop with pause */
	TEST_NUM(3)
	li t0, 100
	li a1, 0
1:	PAUSE
	addi a1, a1, 1
	addi t0, t0, -1
	bnez t0, 1b
	CHECK(a1, 100)
	CHECK(t0, 0)

	/* other FENCE hint forms */
	TEST_NUM(4)
	li a0, 5
	li ra, 0x1234
	.word 0x0000000f                /* fence 0, 0 */
	.word 0x0f00000f                /* fence iorw, 0 */
	.word 0x00f0000f                /* fence 0, iorw */
	.word 0x8330000f                /* fence.tso */
	.word 0x0100808f                /* pause with rs1 = rd = x1: fields ignored */
	.word 0x0ff0808f                /* fence iorw, iorw with rs1 = rd = x1 */
	CHECK(a0, 5)
	CHECK(ra, 0x1234)

	j pass

	.data
	.align 3
word:	.dword 0
