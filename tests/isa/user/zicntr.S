/* Zicntr: rdcycle/rdinstret and the cycle/instret/mcycle/minstret CSRs
 * (readable in M-mode) advance; instret counts retired instructions
 * exactly; mcycle/minstret are writable (all 64 bits); rdtime.
 *
 * Exactness. QEMU without -icount derives cycle and instret from the host
 * TSC, so under tests/isa/run.sh QEMU they only increase. An emulator that
 * counts instructions shows a tiny delta between back-to-back reads; the
 * test then demands exact counts, which match QEMU -icount shift=0:
 *   back-to-back csrr instret: delta 1 (the second read sees the first);
 *   N instructions between two reads: delta N + 1;
 * and a read right after `csrw minstret, X` returns X (the spec: the
 * written value is what the next instruction sees) or X + 1 (QEMU -icount
 * counts the csrw itself after the write). "Counting" mode is detected by
 * a back-to-back delta < 16 and a 5-nop delta < 32; an emulator that
 * counts instructions but is off by one still lands in it and fails.
 *
 * time. QEMU's spike machine provides no time source to the CPU, so
 * rdtime raises illegal instruction there (mcause 2, mtval = the
 * instruction). The test accepts either that (for every rdtime form) or a
 * counter that never goes backwards and does advance. */
#include "test.h"
#include "utest.h"

	TRAP_HANDLER

	.text
	.globl main
main:
	/* ---- all the names read the counters and they increase ---- */
	TEST_NUM(1)
	rdcycle s0
	rdinstret s1
	csrr s2, mcycle
	csrr s3, minstret
	csrr s4, cycle
	csrr s5, instret
	li t0, 200
1:	addi t0, t0, -1
	bnez t0, 1b
	rdcycle a0
	rdinstret a1
	csrr a2, mcycle
	csrr a3, minstret
	csrr a4, cycle
	csrr a5, instret
	bgeu s0, a0, fail
	bgeu s1, a1, fail
	bgeu s2, a2, fail
	bgeu s3, a3, fail
	bgeu s4, a4, fail
	bgeu s5, a5, fail
	/* at least the 400 loop instructions retired */
	sub t1, a1, s1
	li t2, 400
	bltu t1, t2, fail
	sub t1, a5, s5
	bltu t1, t2, fail
	/* aliases agree in order: mcycle read before cycle is not larger */
	TEST_NUM(2)
	csrr a0, mcycle
	csrr a1, cycle
	bltu a1, a0, fail
	csrr a0, minstret
	csrr a1, instret
	bltu a1, a0, fail
	csrr a0, instret
	csrr a1, minstret
	bltu a1, a0, fail
	/* strictly increasing over many back-to-back reads */
	TEST_NUM(3)
	li t0, 50
	csrr s0, instret
	rdcycle s1
1:	csrr a0, instret
	bgeu s0, a0, fail
	mv s0, a0
	rdcycle a1
	bltu a1, s1, fail
	mv s1, a1
	addi t0, t0, -1
	bnez t0, 1b

	/* ---- exact instruction counting (see above) ---- */
	TEST_NUM(4)
	csrr s0, instret
	csrr s1, instret
	sub s2, s1, s0
	csrr s0, instret
	nop
	nop
	nop
	nop
	nop
	csrr s1, instret
	sub s3, s1, s0
	li t0, 16
	bgeu s2, t0, inexact
	li t0, 32
	bgeu s3, t0, inexact
	CHECK(s2, 1)
	CHECK(s3, 6)
	TEST_NUM(5)                     /* a loop: 1 + 2 * 10 + 1 */
	csrr s0, instret
	li t1, 10
1:	addi t1, t1, -1
	bnez t1, 1b
	csrr s1, instret
	sub a0, s1, s0
	CHECK(a0, 22)
	TEST_NUM(6)                     /* compressed and 32-bit count 1 each */
	csrr s0, minstret
	c.nop
	c.li a1, 3
	.option push
	.option norvc
	add a1, a1, a1
	.option pop
	c.addi a1, 1
	j 1f                            /* taken jump: 1 */
	nop
1:	csrr s1, minstret
	sub a0, s1, s0
	CHECK(a0, 6)
	CHECK(a1, 7)
	TEST_NUM(7)                     /* a not-taken branch and a load count */
	la t2, word
	csrr s0, instret
	beqz t2, fail
	ld t3, 0(t2)
	sd t3, 0(t2)
	csrr s1, instret
	sub a0, s1, s0
	CHECK(a0, 4)
	TEST_NUM(8)                     /* the read right after a write */
	li t0, 1000
	csrw minstret, t0
	csrr a0, minstret
	li t1, 1000
	beq a0, t1, 1f
	CHECK(a0, 1001)
1:	li t0, 0x123456789abc0000
	csrw minstret, t0
	csrr a0, instret
	li t1, 0x123456789abc0000
	beq a0, t1, 1f
	CHECK(a0, 0x123456789abc0001)
1:	csrr s0, minstret               /* and it keeps counting from there */
	nop
	csrr s1, minstret
	sub a0, s1, s0
	CHECK(a0, 2)
	j counters_written

inexact:
	/* ---- writes, checked loosely: X <= value < X + 2^32 ---- */
	TEST_NUM(9)
	li s0, 1000
	csrw minstret, s0
	csrr a0, minstret
	bltu a0, s0, fail
	sub a0, a0, s0
	srli a0, a0, 32
	bnez a0, fail
	li s0, 0x123456789abc0000
	csrw minstret, s0
	csrr a0, instret
	bltu a0, s0, fail
	sub a0, a0, s0
	srli a0, a0, 32
	bnez a0, fail

counters_written:
	TEST_NUM(10)
	li s0, 0x0fedcba987650000
	csrw mcycle, s0
	csrr a0, mcycle
	bltu a0, s0, fail
	sub a1, a0, s0
	srli a1, a1, 32
	bnez a1, fail
	rdcycle a1
	bltu a1, a0, fail
	li s0, 5000
	csrw mcycle, s0                 /* can also go down */
	csrr a0, cycle
	bltu a0, s0, fail
	sub a1, a0, s0
	srli a1, a1, 32
	bnez a1, fail
	/* still counting after the writes */
	csrr s1, minstret
	csrr s2, mcycle
	li t0, 100
1:	addi t0, t0, -1
	bnez t0, 1b
	csrr a1, minstret
	csrr a2, mcycle
	bgeu s1, a1, fail
	bgeu s2, a2, fail

	/* ---- time ---- */
	TEST_NUM(11)
	TRAP_RESET
	li a0, 0
1:	rdtime a0
	la t0, trap_info
	ld t1, TI_COUNT(t0)
	beqz t1, time_works
	/* trapped: illegal instruction with the instruction bits */
	TRAP_EXPECT(2, 0xc0102573)      /* csrrs a0, time, x0 */
	TRAP_EPC(1b)
	CHECK(a0, 0)
	TEST_NUM(12)
	TRAP_RESET
1:	csrr s1, time
	TRAP_EXPECT(2, 0xc01024f3)      /* csrrs s1, time, x0 */
	TRAP_EPC(1b)
	j pass

time_works:
	TEST_NUM(13)
	TRAP_DISARM
	mv s0, a0
	csrr s1, time
	bltu s1, s0, fail
	/* it must advance within a while (bounded: 2M polls) */
	li s2, 2000000
1:	rdtime a1
	bltu a1, s1, fail               /* never backwards */
	bne a1, s1, 2f
	addi s2, s2, -1
	bnez s2, 1b
	j fail
2:	j pass

	.data
	.align 3
word:	.dword 0
