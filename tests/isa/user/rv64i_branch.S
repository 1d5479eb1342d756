/* RV64I control transfer: beq/bne/blt/bge/bltu/bgeu taken and not taken
 * (forward and backward) on signed/unsigned edge values and on values that
 * differ only in the upper 32 bits; branch and jal offsets that set each
 * immediate bit; jal/jalr link values; jalr clearing bit 0 of the target;
 * jalr with rd == rs1 (target computed from the old rs1); rd = x0.
 * Assembled without RVC so only 32-bit encodings are exercised. */
#include "test.h"
#include "utest.h"

/* taken: forward to 2, then backward to 1; a fall-through fails */
#define TEST_BR_T(n, inst, v1, v2) \
	TEST_NUM(n); li a1, v1; li a2, v2; \
	inst a1, a2, 2f; j fail; \
1:	j 3f; \
2:	inst a1, a2, 1b; j fail; \
3:	CHECK(a1, v1); CHECK(a2, v2)

/* not taken, both directions */
#define TEST_BR_NT(n, inst, v1, v2) \
	TEST_NUM(n); li a1, v1; li a2, v2; \
	inst a1, a2, 1f; j 2f; \
1:	j fail; \
2:	inst a1, a2, 1b; \
	CHECK(a1, v1); CHECK(a2, v2)

#define MIN 0x8000000000000000
#define MAX 0x7fffffffffffffff

	.option norvc
	.option norelax   /* exact branch distances, no long-branch expansion */
	.text
	/* target of the far backward jal in test 96, placed before main */
jal_back_target:
	CHECK_REG(ra, a1)
	li a2, 0x96
	jr ra
	.skip 0x40000

	.globl main
main:
	/* ---- beq / bne ---- */
	TEST_BR_T(1, beq, 0, 0)
	TEST_BR_T(2, beq, 1, 1)
	TEST_BR_T(3, beq, -1, -1)
	TEST_BR_T(4, beq, MIN, MIN)
	TEST_BR_NT(5, beq, 0, 1)
	TEST_BR_NT(6, beq, 1, 0)
	TEST_BR_NT(7, beq, 0x100000000, 0)            /* differ only above bit 31 */
	TEST_BR_NT(8, beq, 0xffffffff, -1)
	TEST_BR_NT(9, beq, MIN, 0)
	TEST_BR_NT(10, bne, 0, 0)
	TEST_BR_NT(11, bne, -1, -1)
	TEST_BR_NT(12, bne, 0x123456789abcdef0, 0x123456789abcdef0)
	TEST_BR_T(13, bne, 0, 1)
	TEST_BR_T(14, bne, 0x100000000, 0)
	TEST_BR_T(15, bne, 0xffffffff, -1)
	TEST_BR_T(16, bne, MIN, 0)

	/* ---- blt / bge (signed) ---- */
	TEST_BR_T(20, blt, 0, 1)
	TEST_BR_T(21, blt, -1, 0)
	TEST_BR_T(22, blt, -2, -1)
	TEST_BR_T(23, blt, MIN, MAX)
	TEST_BR_T(24, blt, MIN, -1)
	TEST_BR_T(25, blt, 0xffffffff, 0x100000000)
	TEST_BR_T(26, blt, 0x7fffffff, 0x80000000)     /* 64-bit compare, not 32 */
	TEST_BR_NT(27, blt, 0, 0)
	TEST_BR_NT(28, blt, 1, 0)
	TEST_BR_NT(29, blt, 0, -1)
	TEST_BR_NT(30, blt, MAX, MIN)
	TEST_BR_NT(31, blt, -1, MIN)
	TEST_BR_NT(32, blt, MAX, MAX)
	TEST_BR_NT(33, blt, 0x100000000, 0xffffffff)
	TEST_BR_T(34, bge, 0, 0)
	TEST_BR_T(35, bge, 1, 0)
	TEST_BR_T(36, bge, 0, -1)
	TEST_BR_T(37, bge, MAX, MIN)
	TEST_BR_T(38, bge, -1, MIN)
	TEST_BR_T(39, bge, MIN, MIN)
	TEST_BR_T(40, bge, 0x80000000, 0x7fffffff)
	TEST_BR_NT(41, bge, 0, 1)
	TEST_BR_NT(42, bge, -1, 0)
	TEST_BR_NT(43, bge, MIN, MAX)
	TEST_BR_NT(44, bge, MIN, -1)
	TEST_BR_NT(45, bge, -2, -1)

	/* ---- bltu / bgeu (unsigned) ---- */
	TEST_BR_T(50, bltu, 0, 1)
	TEST_BR_T(51, bltu, 0, -1)
	TEST_BR_T(52, bltu, MAX, MIN)
	TEST_BR_T(53, bltu, -2, -1)
	TEST_BR_T(54, bltu, 0xffffffff, 0x100000000)
	TEST_BR_T(55, bltu, 1, 0x8000000000000001)
	TEST_BR_NT(56, bltu, 0, 0)
	TEST_BR_NT(57, bltu, 1, 0)
	TEST_BR_NT(58, bltu, -1, 0)
	TEST_BR_NT(59, bltu, MIN, MAX)
	TEST_BR_NT(60, bltu, -1, -1)
	TEST_BR_NT(61, bltu, 0x100000000, 0xffffffff)
	TEST_BR_T(62, bgeu, 0, 0)
	TEST_BR_T(63, bgeu, 1, 0)
	TEST_BR_T(64, bgeu, -1, 0)
	TEST_BR_T(65, bgeu, MIN, MAX)
	TEST_BR_T(66, bgeu, -1, -1)
	TEST_BR_T(67, bgeu, 0x100000000, 0xffffffff)
	TEST_BR_NT(68, bgeu, 0, 1)
	TEST_BR_NT(69, bgeu, 0, -1)
	TEST_BR_NT(70, bgeu, MAX, MIN)
	TEST_BR_NT(71, bgeu, -2, -1)

	/* ---- same register as both operands ---- */
	TEST_NUM(75)
	li a1, -5
	beq a1, a1, 1f
	j fail
1:	bne a1, a1, fail
	blt a1, a1, fail
	bltu a1, a1, fail
	bge a1, a1, 1f
	j fail
1:	bgeu a1, a1, 1f
	j fail
1:
	/* ---- x0 operands (beqz/bnez/bltz/bgez/...) ---- */
	TEST_NUM(76)
	li a1, -1
	beq x0, x0, 1f
	j fail
1:	bne a1, x0, 1f
	j fail
1:	blt a1, x0, 1f            /* bltz */
	j fail
1:	bltu x0, a1, 1f           /* bnez via unsigned */
	j fail
1:	bge x0, a1, 1f            /* blez */
	j fail
1:	bgeu a1, x0, 1f
	j fail
1:	bltu a1, x0, fail         /* nothing is unsigned-below 0 */

	/* ---- branch offsets exercising every B-immediate bit ---- */
	/* forward +0xaa8 (imm bits 3,5,7,9,11) */
	TEST_NUM(80)
	li a1, 7
	beq a1, a1, br_fwd_aa8
	j fail
	.skip 0xaa8 - 8
br_fwd_aa8:
	/* forward +0x554 (imm bits 2,4,6,8,10) */
	TEST_NUM(81)
	bne a1, x0, br_fwd_554
	j fail
	.skip 0x554 - 8
br_fwd_554:
	/* forward maximum +4092 (4-byte aligned code) */
	TEST_NUM(82)
	/* gas turns this into a long branch, so it is encoded by hand:
	 * bgeu a1, x0, .+4092 */
br_fwd_max_insn:
	.word 0x7e05fee3
	.skip 4092 - 4           /* zeros: falling through traps */
br_fwd_max:
	la t0, br_fwd_max
	la t1, br_fwd_max_insn
	sub t0, t0, t1
	CHECK(t0, 4092)
	/* backward minimum -4096 */
	TEST_NUM(83)
	j 1f
br_back_min:
	j br_back_done
	.skip 4096 - 4
1:
br_back_min_insn:
	.word 0x80b04063           /* blt x0, a1, .-4096 (by hand, see above) */
	j fail
br_back_done:
	la t0, br_back_min_insn      /* the hand encoding matches the layout */
	la t1, br_back_min
	sub t0, t0, t1
	CHECK(t0, 4096)
	/* backward -0xaa8 */
	TEST_NUM(84)
	j 1f
br_back_aa8:
	j br_back2_done
	.skip 0xaa8 - 4
1:	bltu x0, a1, br_back_aa8
	j fail
br_back2_done:

	/* ---- jal ---- */
	TEST_NUM(90)
	li ra, 0
	jal ra, 1f
2:	j fail
1:	la a1, 2b
	CHECK_REG(ra, a1)
	/* other link register */
	TEST_NUM(91)
	jal t1, 1f
2:	j fail
1:	la a1, 2b
	CHECK_REG(t1, a1)
	/* rd = x0: no link */
	TEST_NUM(92)
	jal x0, 1f
	j fail
1:	bnez x0, fail
	/* backward jal */
	TEST_NUM(93)
	j 2f
1:	j 3f
2:	jal t2, 1b
	j fail
3:
	/* far forward jal: offsets 0x2aaa8 and 0x55554 set every J-immediate bit
	 * from 2 to 18 between them; the far backward one (about -0x9xxxx)
	 * sets bits 19 and 20 (sign) */
	TEST_NUM(94)
	jal ra, jal_far1
jal_far1_ret:
	j fail
	.skip 0x2aaa8 - 8
jal_far1:
	la a1, jal_far1_ret
	CHECK_REG(ra, a1)
	TEST_NUM(95)
	jal ra, jal_far2
jal_far2_ret:
	j fail
	.skip 0x55554 - 8
jal_far2:
	la a1, jal_far2_ret
	CHECK_REG(ra, a1)
	TEST_NUM(96)
	la a1, jal_back_ret
	jal ra, jal_back_target     /* offset about -0x9xxxx */
jal_back_ret:
	CHECK(a2, 0x96)

	/* ---- jalr ---- */
	TEST_NUM(100)
	la t0, 1f
	jalr ra, 0(t0)
2:	j fail
1:	la a1, 2b
	CHECK_REG(ra, a1)
	/* positive and negative offsets */
	TEST_NUM(101)
	la t0, 1f
	addi t0, t0, -100
	jalr ra, 100(t0)
	j fail
1:	la t0, 1f
	addi t0, t0, 2047
	jalr x0, -2047(t0)
	j fail
1:	la t0, 1f
	addi t0, t0, -2047
	jalr x0, 2047(t0)       /* maximum positive offset */
	j fail
1:	la t0, 1f
	addi t0, t0, 2047
	addi t0, t0, 1
	jalr x0, -2048(t0)      /* minimum negative offset */
	j fail
1:
	/* target bit 0 is cleared: jump to label + 1 lands on label */
	TEST_NUM(102)
	la t0, 1f
	addi t0, t0, 1
	jalr ra, 0(t0)
2:	j fail
1:	la a1, 2b
	CHECK_REG(ra, a1)
	TEST_NUM(103)
	la t0, 1f
	jalr ra, 1(t0)          /* the +1 comes from the immediate */
	j fail
1:	TEST_NUM(104)
	la t0, 1f
	addi t0, t0, 2
	jalr x0, -1(t0)         /* (1f + 2 - 1) & ~1 = 1f */
	j fail
1:
	/* rd == rs1: the target uses the old value, then rd gets the link */
	TEST_NUM(105)
	la t0, 1f
	jalr t0, 0(t0)
2:	j fail
1:	la a1, 2b
	CHECK_REG(t0, a1)
	TEST_NUM(106)
	la ra, 1f
	jalr ra, 1(ra)          /* also odd: 1f + 1 -> 1f */
2:	j fail
1:	la a1, 2b
	CHECK_REG(ra, a1)
	/* jalr x0 does not link; a call/return pair through a function */
	TEST_NUM(107)
	li a0, 5
	call jr_func
	CHECK(a0, 10)
	la t1, jr_func
	jalr t1                 /* jalr ra, 0(t1) */
	CHECK(a0, 20)
	bnez x0, fail
	/* computed jump table */
	TEST_NUM(108)
	li s0, 0
	li s1, 0
1:	la t0, jtab
	slli t1, s1, 2
	add t0, t0, t1
	jalr x0, 0(t0)
jtab:
	j jt0
	j jt1
	j jt2
jt0:	addi s0, s0, 1
	j jtnext
jt1:	addi s0, s0, 10
	j jtnext
jt2:	addi s0, s0, 100
jtnext:	addi s1, s1, 1
	li t2, 3
	blt s1, t2, 1b
	CHECK(s0, 111)

	j pass

jr_func:
	add a0, a0, a0
	ret

