/* Mixed 16/32-bit instruction streams:
 *  - 32-bit instructions at addresses 2 mod 4 (straddling a 4-byte
 *    boundary): ALU, auipc (exact pc), jal/jalr links (pc + 4), branches
 *    from and to 2-mod-4 addresses, loads/stores;
 *  - c.jalr links pc + 2, also from a 2-mod-4 address;
 *  - a loop alternating both sizes and both alignments;
 *  - 32-bit instructions starting at page offset 0xffe (straddling a 4 KiB
 *    page boundary): addi, lui, ld, jal, a taken and a not-taken branch,
 *    both when reached by falling through and when jumped to directly;
 *    a compressed instruction at 0xffe followed by one on the next page.
 * Placement is checked at run time (pc & 3, pc & 0xfff). */
#include "test.h"
#include "utest.h"

	/* force a 32-bit encoding */
	.macro I32 insn:vararg
	.option push
	.option norvc
	\insn
	.option pop
	.endm

	/* fail unless label's address & mask == value (clobbers t0, t1, t6) */
	.macro PLACED label, mask, value
	la t0, \label
	li t1, \mask
	and t0, t0, t1
	CHECK(t0, \value)
	.endm

	.option rvc
	.option norelax
	.text
	.globl main
main:
	/* ---- straight-line mix, 32-bit ones at 2 mod 4 ---- */
	TEST_NUM(1)
	.balign 4
	c.li a0, 1
m1:	I32 addi a0, a0, 0x120          /* 2 mod 4 */
	c.slli a0, 1
	c.addi a0, 1
m2:	I32 xori a0, a0, 0x7ff          /* 2 mod 4 */
m2b:	I32 addi a0, a0, 3              /* 2 mod 4 */
	c.addi a0, -1
m2c:	I32 slli a0, a0, 4              /* 0 mod 4 */
	CHECK(a0, 0x5be0)
	PLACED m1, 3, 2
	PLACED m2, 3, 2
	PLACED m2b, 3, 2
	PLACED m2c, 3, 0

	/* ---- auipc at 2 mod 4 gives its exact pc ---- */
	TEST_NUM(2)
	.balign 4
	c.nop
m3:	I32 auipc a0, 0
	la t1, m3_addr
	ld t1, 0(t1)
	CHECK_REG(a0, t1)
	PLACED m3, 3, 2
	.balign 4
	c.nop
	I32 auipc a0, 1                 /* pc + 0x1000 */
m4:	la t1, m4_addr
	ld t1, 0(t1)
	addi t1, t1, -4
	li t2, 0x1000
	add t1, t1, t2
	CHECK_REG(a0, t1)

	/* ---- jal at 2 mod 4: link = pc + 4 (also 2 mod 4) ---- */
	TEST_NUM(3)
	.balign 4
	c.nop
	I32 jal ra, 1f
m5:	j fail
	.balign 4
	c.nop
1:	la t1, m5_addr                 /* target at 2 mod 4 */
	ld t1, 0(t1)
	CHECK_REG(ra, t1)
	PLACED m5, 3, 2
	PLACED 1b, 3, 2

	/* ---- jalr to a 32-bit instruction at 2 mod 4 ---- */
	TEST_NUM(4)
	la t0, m6
	li a0, 0
	I32 jalr ra, 0(t0)
m6r:	CHECK(a0, 0x66)
	la t1, m6r
	CHECK_REG(ra, t1)
	PLACED m6, 3, 2

	/* ---- branches at 2 mod 4, to 2 mod 4 and 0 mod 4 ---- */
	TEST_NUM(5)
	li a1, 5
	li a2, 7
	.balign 4
	c.nop
m7:	I32 blt a1, a2, m8              /* taken, 2 mod 4 -> 2 mod 4 */
	j fail
	.balign 4
	c.nop
m8:	I32 bge a1, a2, fail_far        /* not taken */
	I32 bne a1, a2, m9              /* taken, 2 mod 4 -> 0 mod 4 */
	j fail
	.balign 4
m9:	I32 beq a1, a1, 1f              /* 0 mod 4 -> 2 mod 4, backward below */
	j fail
	.balign 4
	c.nop
2:	I32 jal x0, 3f
	c.nop
1:	I32 beq a1, a1, 2b              /* backward to 2 mod 4 */
	j fail
3:	PLACED m7, 3, 2
	PLACED m8, 3, 2
	PLACED m9, 3, 0
	PLACED 2b, 3, 2

	/* ---- loads/stores at 2 mod 4 ---- */
	TEST_NUM(6)
	la s0, dbuf
	li a1, 0x1122334455667788
	.balign 4
	c.nop
	I32 sd a1, 0(s0)
	I32 ld a0, 0(s0)
	c.ld a2, 0(s0)
	I32 lw a3, 4(s0)
	CHECK_REG(a0, a1)
	CHECK_REG(a2, a1)
	CHECK(a3, 0x11223344)

	/* ---- c.jalr links pc + 2 (at 0 and at 2 mod 4) ---- */
	TEST_NUM(7)
	la t0, cfunc
	.balign 4
	c.jalr t0
m10:	la t1, m10_addr
	ld t1, 0(t1)
	CHECK_REG(ra, t1)
	PLACED m10, 3, 2
	la t0, cfunc
	.balign 4
	c.nop
	c.jalr t0
m11:	la t1, m11_addr
	ld t1, 0(t1)
	CHECK_REG(ra, t1)
	PLACED m11, 3, 0

	/* ---- a loop mixing both sizes at both alignments ---- */
	TEST_NUM(8)
	li a0, 0
	li a1, 0
	li a2, 50
	.balign 4
1:	c.addi a0, 3
	I32 addi a1, a1, 1              /* 2 mod 4 */
	c.slli a0, 1
	I32 xori a0, a0, 1              /* 0 mod 4 */
	c.srli a0, 1
	I32 blt a1, a2, 1b              /* 2 mod 4 */
	CHECK(a1, 50)
	CHECK(a0, 150)

	/* ---- page-straddling 32-bit instructions ---- */
	TEST_NUM(10)                      /* addi at 0xffe, fall-through */
	li a0, 0
	call pg1_entry
	CHECK(a0, 0x10f)
	PLACED pg1_x, 0xfff, 0xffe
	TEST_NUM(11)                      /* ... and jumped to directly */
	li a0, 0x1000
	call pg1_x
	CHECK(a0, 0x1108)

	TEST_NUM(12)                      /* lui at 0xffe */
	call pg2_entry
	CHECK(a0, 0x12345003)
	PLACED pg2_x, 0xfff, 0xffe
	li a2, 0
	call pg2_x
	CHECK(a0, 0x12345002)

	TEST_NUM(13)                      /* ld at 0xffe */
	la s0, dbuf
	li t0, 0x0f1e2d3c4b5a6978
	sd t0, 8(s0)
	call pg3_entry
	CHECK(a0, 0x0f1e2d3c4b5a6979)
	PLACED pg3_x, 0xfff, 0xffe

	TEST_NUM(14)                      /* jal at 0xffe: link = next page + 2 */
	call pg4_entry
	CHECK(a0, 0x44)
	la t1, pg4_link
	ld t1, 0(t1)
	CHECK_REG(a1, t1)
	PLACED pg4_x, 0xfff, 0xffe
	li a0, 0
	call pg4_x
	CHECK(a0, 0x40)

	TEST_NUM(15)                      /* taken branch at 0xffe */
	li a0, 0
	li a1, 1
	call pg5_entry
	CHECK(a0, 0x55)
	PLACED pg5_x, 0xfff, 0xffe
	TEST_NUM(16)                      /* not taken: next insn on the next page */
	li a0, 0
	li a1, 0
	call pg5_entry
	CHECK(a0, 0x5a)
	li a0, 0
	call pg5_x
	CHECK(a0, 0x5a)

	TEST_NUM(17)                      /* 16-bit at 0xffe, 32-bit at 0x000 */
	li a0, 0
	call pg6_entry
	CHECK(a0, 0x606)
	PLACED pg6_x, 0xfff, 0xffe

	j pass

fail_far:
	j fail

cfunc:
	ret

	.balign 4
	c.nop
m6:	I32 addi a0, x0, 0x66           /* 2 mod 4 */
	c.jr ra

	/* Each straddling instruction sits at page offset 0xffe. The bytes
	 * before each entry point are never executed. */
	.balign 4096
	.skip 0xffa
pg1_entry:                    /* 0xffa */
	c.addi a0, 3
	c.addi a0, 4
pg1_x:	I32 addi a0, a0, 0x100          /* 0xffe..0x1001 */
	c.addi a0, 8                    /* next page */
	ret

	.balign 4096
	.skip 0xffa
pg2_entry:
	c.li a2, 1
	c.nop
pg2_x:	I32 lui a0, 0x12345
	c.addi a0, 2
	c.add a0, a2
	c.jr ra

	.balign 4096
	.skip 0xffa
pg3_entry:
	c.li a0, 1
	c.nop
pg3_x:	I32 ld a1, 8(s0)
	add a0, a0, a1
	ret

	.balign 4096
	.skip 0xffa
pg4_entry:
	c.li a0, 4
	c.nop
pg4_x:	I32 jal a1, pg4_target
pg4_ret:
	c.j fail_far2
pg4_target:
	c.addi a0, 30
	c.addi a0, 30
	c.addi a0, 4
	ret
fail_far2:
	j fail

	.balign 4096
	.skip 0xffa
pg5_entry:
	c.nop
	c.nop
pg5_x:	I32 bnez a1, pg5_taken
	c.li a0, 0x1a                   /* next page: not-taken path */
	c.addi a0, 30
	c.addi a0, 30
	c.addi a0, 4
	ret
pg5_taken:
	c.li a0, 0x15
	c.addi a0, 30
	c.addi a0, 30
	c.addi a0, 4
	ret

	.balign 4096
	.skip 0xffc
pg6_entry:
	c.nop
pg6_x:	c.addi a0, 6                    /* 16-bit at 0xffe */
	I32 addi a0, a0, 0x600          /* 32-bit at 0x000 of the next page */
	ret

	.data
	.align 3
m3_addr:	.dword m3
m4_addr:	.dword m4
m5_addr:	.dword m5
m10_addr:	.dword m10
m11_addr:	.dword m11
pg4_link:	.dword pg4_ret
dbuf:	.dword 0, 0
