/* RV64A load-reserved / store-conditional: lr.w sign-extends, lr.d;
 * a simple lr/sc pair succeeds (sc writes 0 to rd and stores exactly its
 * size); sc with no reservation, a second sc after a successful one, and an
 * sc to a different address than the lr (4 KiB away) all fail: rd = 1
 * (what QEMU writes; the spec only requires non-zero) and memory is left
 * alone; a newer lr replaces the older reservation; the .aq/.rl/.aqrl forms;
 * an lr/sc increment loop. Same-hart stores between lr and sc are not tested
 * (the spec allows either outcome). Any sc ends the reservation. */
#include "test.h"
#include "utest.h"

	.option norvc
	.text
	.globl main
main:
	la s0, lbuf
	la s1, lbuf_far

	/* ---- sc.w without any earlier lr fails ---- */
	TEST_NUM(1)
	li t0, 0x1111111122222222
	sd t0, 0(s0)
	li a1, 0x33333333
	li a0, 77
	sc.w a0, a1, (s0)
	CHECK(a0, 1)
	ld a2, 0(s0)
	CHECK(a2, 0x1111111122222222)

	/* ---- lr.w sign-extends ---- */
	TEST_NUM(2)
	li t0, 0x0000000180000001
	sd t0, 0(s0)
	lr.w a0, (s0)
	CHECK(a0, 0xffffffff80000001)
	addi t1, s0, 4
	lr.w a0, (t1)
	CHECK(a0, 1)
	li t0, 0x7fffffff
	sw t0, 0(s0)
	lr.w a0, (s0)
	CHECK(a0, 0x7fffffff)

	/* ---- lr.w / sc.w success ---- */
	TEST_NUM(3)
	li t0, 0x4444444455555555
	sd t0, 0(s0)
	lr.w a0, (s0)
	CHECK(a0, 0x55555555)
	li a1, 0xdeadbeef87654321      /* only the low word is stored */
	sc.w a2, a1, (s0)
	CHECK(a2, 0)
	ld a3, 0(s0)
	CHECK(a3, 0x4444444487654321)
	CHECK(a1, 0xdeadbeef87654321)

	/* ---- a second sc.w (reservation used up) fails ---- */
	TEST_NUM(4)
	li a1, 0x12121212
	sc.w a2, a1, (s0)
	CHECK(a2, 1)
	ld a3, 0(s0)
	CHECK(a3, 0x4444444487654321)

	/* ---- lr.w / sc.w on the high word of a doubleword ---- */
	TEST_NUM(5)
	addi t1, s0, 4
	lr.w a0, (t1)
	CHECK(a0, 0x44444444)
	li a1, 0x9999999a
	sc.w a2, a1, (t1)
	CHECK(a2, 0)
	ld a3, 0(s0)
	CHECK(a3, 0x9999999a87654321)

	/* ---- lr.d / sc.d success, then failure ---- */
	TEST_NUM(6)
	li t0, 0x0123456789abcdef
	sd t0, 8(s0)
	addi t1, s0, 8
	lr.d a0, (t1)
	CHECK(a0, 0x0123456789abcdef)
	li a1, 0xfedcba9876543210
	sc.d a2, a1, (t1)
	CHECK(a2, 0)
	ld a3, 8(s0)
	CHECK(a3, 0xfedcba9876543210)
	ld a3, 0(s0)                   /* neighbour untouched */
	CHECK(a3, 0x9999999a87654321)
	li a1, 0x1111
	sc.d a2, a1, (t1)
	CHECK(a2, 1)
	ld a3, 8(s0)
	CHECK(a3, 0xfedcba9876543210)

	/* ---- sc.d without an lr fails ---- */
	TEST_NUM(7)
	li a1, 0x2222
	sc.d a2, a1, (s1)
	CHECK(a2, 1)
	ld a3, 0(s1)
	CHECK(a3, 0x5a5a5a5a5a5a5a5a)

	/* ---- sc to a different address than the lr fails ---- */
	TEST_NUM(8)
	lr.d a0, (s0)
	li a1, 0x3333
	sc.d a2, a1, (s1)              /* s1 = s0 + 4096 */
	CHECK(a2, 1)
	ld a3, 0(s1)
	CHECK(a3, 0x5a5a5a5a5a5a5a5a)
	ld a3, 0(s0)
	CHECK(a3, 0x9999999a87654321)
	TEST_NUM(9)
	lr.w a0, (s1)
	li a1, 0x4444
	sc.w a2, a1, (s0)
	CHECK(a2, 1)
	ld a3, 0(s0)
	CHECK(a3, 0x9999999a87654321)
	lwu a3, 0(s1)
	CHECK(a3, 0x5a5a5a5a)

	/* ---- any sc, even a failing one, ends the reservation ---- */
	TEST_NUM(16)
	lr.d a0, (s0)
	li a1, 0x7777
	sc.d a2, a1, (s1)              /* fails: wrong address */
	CHECK(a2, 1)
	sc.d a2, a1, (s0)              /* fails: reservation gone */
	CHECK(a2, 1)
	ld a3, 0(s0)
	CHECK(a3, 0x9999999a87654321)

	/* ---- a newer lr replaces the reservation ---- */
	TEST_NUM(10)
	lr.d a0, (s0)
	lr.d a0, (s1)
	li a1, 0x5555
	sc.d a2, a1, (s0)              /* reservation is now on s1 */
	CHECK(a2, 1)
	ld a3, 0(s0)
	CHECK(a3, 0x9999999a87654321)
	TEST_NUM(11)
	lr.d a0, (s0)
	lr.d a0, (s1)
	li a1, 0x6666
	sc.d a2, a1, (s1)              /* ... which still succeeds */
	CHECK(a2, 0)
	ld a3, 0(s1)
	CHECK(a3, 0x6666)

	/* ---- sc.w rd == rs2 and rd == rs1 ---- */
	TEST_NUM(12)
	sw x0, 16(s0)
	addi t1, s0, 16
	lr.w a0, (t1)
	li a1, 0x77
	sc.w a1, a1, (t1)              /* rs2 read before rd is written */
	CHECK(a1, 0)
	lw a3, 16(s0)
	CHECK(a3, 0x77)
	addi a0, s0, 16
	lr.w a1, (a0)
	CHECK(a1, 0x77)
	li a1, 0x88
	sc.w a0, a1, (a0)
	CHECK(a0, 0)
	lw a3, 16(s0)
	CHECK(a3, 0x88)

	/* ---- lr into x0 still reserves; sc rd = x0 still stores ---- */
	TEST_NUM(13)
	addi t1, s0, 16
	lr.w x0, (t1)
	li a1, 0x99
	sc.w x0, a1, (t1)
	bnez x0, fail
	lw a3, 16(s0)
	CHECK(a3, 0x99)

	/* ---- ordering variants ---- */
	TEST_NUM(14)
	addi t1, s0, 24
	li t0, 100
	sd t0, 0(t1)
	lr.d.aq a0, (t1)
	addi a0, a0, 1
	sc.d.rl a2, a0, (t1)
	CHECK(a2, 0)
	lr.d.aqrl a0, (t1)
	addi a0, a0, 1
	sc.d.aqrl a2, a0, (t1)
	CHECK(a2, 0)
	lr.w.aq a0, (t1)
	addi a0, a0, 1
	sc.w.rl a2, a0, (t1)
	CHECK(a2, 0)
	lr.w.aqrl a0, (t1)
	addi a0, a0, 1
	sc.w.aqrl a2, a0, (t1)
	CHECK(a2, 0)
	lr.d.rl a0, (t1)
	addi a0, a0, 1
	sc.d.aq a2, a0, (t1)
	CHECK(a2, 0)
	lr.w.rl a0, (t1)
	addi a0, a0, 1
	sc.w.aq a2, a0, (t1)
	CHECK(a2, 0)
	lr.w a0, (t1)
	addi a0, a0, 1
	sc.w a2, a0, (t1)
	CHECK(a2, 0)
	ld a0, 0(t1)
	CHECK(a0, 107)
	sc.w.aqrl a2, a0, (t1)          /* no reservation left */
	CHECK(a2, 1)

	/* ---- the canonical lr/sc retry loop ---- */
	TEST_NUM(15)
	addi t1, s0, 32
	sd x0, 0(t1)
	li s2, 0
2:	lr.d a0, (t1)
	addi a0, a0, 5
	sc.d a2, a0, (t1)
	bnez a2, 2b
	addi s2, s2, 1
	li t0, 20
	blt s2, t0, 2b
	ld a0, 0(t1)
	CHECK(a0, 100)

	j pass

	.data
	.align 12
lbuf:
	.fill 64, 1, 0
	.align 12
lbuf_far:
	.dword 0x5a5a5a5a5a5a5a5a
	.dword 0
