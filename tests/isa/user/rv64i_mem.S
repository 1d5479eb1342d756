/* RV64I loads and stores: lb/lbu/lh/lhu/lw/lwu/ld and sb/sh/sw/sd,
 * sign vs zero extension at every width, little-endian byte order, stores
 * writing only their own bytes (upper bits of rs2 ignored), offsets of
 * 0, +-1, 2047, -2048 and patterns that set every I/S-immediate bit
 * (cross-checked with a separately computed address), rd == rs1 loads,
 * loads into x0 discarded, stores of x0, and fence as a no-op.
 * All accesses here are naturally aligned (see misaligned.S).
 * Assembled without RVC. */
#include "test.h"
#include "utest.h"

	.option norvc
	.text
	.globl main
main:
	la s0, tdat

	/* ---- byte loads ---- */
	TEST_NUM(1)
	lb a0, 0(s0)
	CHECK(a0, 0xffffffffffffff87)
	lbu a0, 0(s0)
	CHECK(a0, 0x87)
	lb a0, 1(s0)
	CHECK(a0, 0xffffffffffffff96)
	lb a0, 7(s0)
	CHECK(a0, 0xfffffffffffffff0)
	lbu a0, 7(s0)
	CHECK(a0, 0xf0)
	lb a0, 15(s0)
	CHECK(a0, 0x01)
	lbu a0, 15(s0)
	CHECK(a0, 0x01)
	lb a0, 16(s0)          /* 0x7f: largest positive byte */
	CHECK(a0, 0x7f)
	lb a0, 17(s0)          /* 0x80: smallest negative byte */
	CHECK(a0, 0xffffffffffffff80)
	lbu a0, 17(s0)
	CHECK(a0, 0x80)
	lb a0, 18(s0)
	CHECK(a0, -1)
	lbu a0, 18(s0)
	CHECK(a0, 0xff)
	lb a0, 19(s0)
	CHECK(a0, 0)

	/* ---- halfword loads ---- */
	TEST_NUM(2)
	lh a0, 0(s0)
	CHECK(a0, 0xffffffffffff9687)
	lhu a0, 0(s0)
	CHECK(a0, 0x9687)
	lh a0, 2(s0)
	CHECK(a0, 0xffffffffffffb4a5)
	lhu a0, 6(s0)
	CHECK(a0, 0xf0e1)
	lh a0, 14(s0)
	CHECK(a0, 0x0123)
	lhu a0, 14(s0)
	CHECK(a0, 0x0123)
	lh a0, 20(s0)          /* 0x7fff */
	CHECK(a0, 0x7fff)
	lh a0, 22(s0)          /* 0x8000 */
	CHECK(a0, 0xffffffffffff8000)
	lhu a0, 22(s0)
	CHECK(a0, 0x8000)

	/* ---- word loads ---- */
	TEST_NUM(3)
	lw a0, 0(s0)
	CHECK(a0, 0xffffffffb4a59687)
	lwu a0, 0(s0)
	CHECK(a0, 0xb4a59687)
	lw a0, 4(s0)
	CHECK(a0, 0xfffffffff0e1d2c3)
	lwu a0, 4(s0)
	CHECK(a0, 0xf0e1d2c3)
	lw a0, 8(s0)
	CHECK(a0, 0xffffffff89abcdef)
	lw a0, 12(s0)
	CHECK(a0, 0x01234567)
	lwu a0, 12(s0)
	CHECK(a0, 0x01234567)
	lw a0, 24(s0)          /* 0x7fffffff */
	CHECK(a0, 0x7fffffff)
	lw a0, 28(s0)          /* 0x80000000 */
	CHECK(a0, 0xffffffff80000000)
	lwu a0, 28(s0)
	CHECK(a0, 0x80000000)

	/* ---- doubleword loads ---- */
	TEST_NUM(4)
	ld a0, 0(s0)
	CHECK(a0, 0xf0e1d2c3b4a59687)
	ld a0, 8(s0)
	CHECK(a0, 0x0123456789abcdef)
	ld a0, 24(s0)
	CHECK(a0, 0x800000007fffffff)

	/* ---- negative offsets ---- */
	TEST_NUM(5)
	addi s1, s0, 16
	lb a0, -16(s1)
	CHECK(a0, 0xffffffffffffff87)
	lhu a0, -2(s1)
	CHECK(a0, 0x0123)
	lw a0, -8(s1)
	CHECK(a0, 0xffffffff89abcdef)
	ld a0, -16(s1)
	CHECK(a0, 0xf0e1d2c3b4a59687)
	lbu a0, -1(s1)
	CHECK(a0, 0x01)

	/* ---- rd == rs1 ---- */
	TEST_NUM(6)
	mv a0, s0
	ld a0, 8(a0)
	CHECK(a0, 0x0123456789abcdef)
	addi a0, s0, 8
	lw a0, -8(a0)
	CHECK(a0, 0xffffffffb4a59687)
	mv a0, s0
	lbu a0, 7(a0)
	CHECK(a0, 0xf0)
	/* a loaded pointer */
	la a0, ptr
	ld a0, 0(a0)
	ld a0, 0(a0)
	CHECK(a0, 0xf0e1d2c3b4a59687)

	/* ---- loads into x0 are discarded (the load still happens) ---- */
	TEST_NUM(7)
	ld x0, 0(s0)
	lw x0, 0(s0)
	lbu x0, 0(s0)
	bnez x0, fail
	mv a0, x0
	CHECK(a0, 0)

	/* ---- stores write exactly their bytes ---- */
	la s1, wbuf
	li s2, 0x1122334455667788
	li s3, 0xa1b2c3d4e5f60718      /* value stored: only low bytes count */

	TEST_NUM(8)    /* sb */
	sd s2, 0(s1)
	sd s2, 8(s1)
	sb s3, 0(s1)
	ld a0, 0(s1)
	CHECK(a0, 0x1122334455667718)
	sb s3, 7(s1)
	ld a0, 0(s1)
	CHECK(a0, 0x1822334455667718)
	sb s3, 3(s1)
	ld a0, 0(s1)
	CHECK(a0, 0x1822334418667718)
	ld a0, 8(s1)                   /* neighbour untouched */
	CHECK(a0, 0x1122334455667788)
	li a1, -1
	sb a1, 9(s1)
	lbu a0, 9(s1)
	CHECK(a0, 0xff)
	lb a0, 9(s1)
	CHECK(a0, -1)
	ld a0, 8(s1)
	CHECK(a0, 0x112233445566ff88)

	TEST_NUM(9)    /* sh */
	sd s2, 0(s1)
	sd s2, 8(s1)
	sh s3, 0(s1)
	ld a0, 0(s1)
	CHECK(a0, 0x1122334455660718)
	sh s3, 6(s1)
	ld a0, 0(s1)
	CHECK(a0, 0x0718334455660718)
	sh s3, 10(s1)
	ld a0, 8(s1)
	CHECK(a0, 0x1122334407187788)
	lh a0, 10(s1)
	CHECK(a0, 0x0718)
	li a1, 0x8001
	sh a1, 12(s1)
	lh a0, 12(s1)
	CHECK(a0, 0xffffffffffff8001)
	lhu a0, 12(s1)
	CHECK(a0, 0x8001)
	ld a0, 8(s1)
	CHECK(a0, 0x1122800107187788)

	TEST_NUM(10)   /* sw */
	sd s2, 0(s1)
	sd s2, 8(s1)
	sw s3, 0(s1)
	ld a0, 0(s1)
	CHECK(a0, 0x11223344e5f60718)
	sw s3, 4(s1)
	ld a0, 0(s1)
	CHECK(a0, 0xe5f60718e5f60718)
	ld a0, 8(s1)
	CHECK(a0, 0x1122334455667788)
	lw a0, 4(s1)
	CHECK(a0, 0xffffffffe5f60718)
	lwu a0, 4(s1)
	CHECK(a0, 0xe5f60718)
	sw s2, 12(s1)
	ld a0, 8(s1)
	CHECK(a0, 0x5566778855667788)

	TEST_NUM(11)   /* sd */
	sd s2, 0(s1)
	sd s3, 8(s1)
	sd s2, 16(s1)
	ld a0, 8(s1)
	CHECK(a0, 0xa1b2c3d4e5f60718)
	ld a0, 0(s1)
	CHECK(a0, 0x1122334455667788)
	ld a0, 16(s1)
	CHECK(a0, 0x1122334455667788)
	/* little-endian byte order of a stored doubleword */
	lbu a0, 8(s1)
	CHECK(a0, 0x18)
	lbu a0, 9(s1)
	CHECK(a0, 0x07)
	lbu a0, 10(s1)
	CHECK(a0, 0xf6)
	lbu a0, 15(s1)
	CHECK(a0, 0xa1)
	lhu a0, 14(s1)
	CHECK(a0, 0xa1b2)
	lwu a0, 12(s1)
	CHECK(a0, 0xa1b2c3d4)

	TEST_NUM(12)   /* storing x0 */
	sd s2, 0(s1)
	sb x0, 1(s1)
	ld a0, 0(s1)
	CHECK(a0, 0x1122334455660088)
	sh x0, 2(s1)
	ld a0, 0(s1)
	CHECK(a0, 0x1122334400000088)
	sw x0, 4(s1)
	ld a0, 0(s1)
	CHECK(a0, 0x0000000000000088)
	sd x0, 0(s1)
	ld a0, 0(s1)
	CHECK(a0, 0)

	/* store and load through the same register as base and data */
	TEST_NUM(13)
	addi a1, s1, 24
	sd a1, 0(a1)
	ld a0, 24(s1)
	CHECK_REG(a0, a1)

	/* ---- large offsets and every immediate bit ----
	 * s4 = middle of a 4 KiB buffer; each access is cross-checked through
	 * an address computed with add */
	la s4, big + 2048
	TEST_NUM(14)
	li a1, 0x5a
	sb a1, 2047(s4)
	li t0, 2047
	add t0, t0, s4
	lbu a0, 0(t0)
	CHECK(a0, 0x5a)
	TEST_NUM(15)
	li a1, 0xa5
	sb a1, -2048(s4)
	li t0, -2048
	add t0, t0, s4
	lbu a0, 0(t0)
	CHECK(a0, 0xa5)
	lb a0, -2048(s4)
	CHECK(a0, 0xffffffffffffffa5)
	TEST_NUM(16)
	li a1, 0x0102030405060708
	sd a1, 0x550(s4)          /* imm bits 4,6,8,10 */
	li t0, 0x550
	add t0, t0, s4
	ld a0, 0(t0)
	CHECK_REG(a0, a1)
	ld a0, 0x550(s4)
	CHECK_REG(a0, a1)
	TEST_NUM(17)
	li a1, 0x1112131415161718
	sd a1, -0x558(s4)         /* 12-bit 0xaa8: imm bits 3,5,7,9,11 */
	li t0, -0x558
	add t0, t0, s4
	ld a0, 0(t0)
	CHECK_REG(a0, a1)
	ld a0, -0x558(s4)
	CHECK_REG(a0, a1)
	TEST_NUM(18)
	li a1, 0x77
	sb a1, 0x555(s4)          /* imm bits 0,2,4,6,8,10 */
	li t0, 0x555
	add t0, t0, s4
	lbu a0, 0(t0)
	CHECK(a0, 0x77)
	lbu a0, 0x555(s4)
	CHECK(a0, 0x77)
	TEST_NUM(19)
	li a1, 0x66
	sb a1, -0x556(s4)         /* 12-bit 0xaaa: imm bits 1,3,5,7,9,11 */
	li t0, -0x556
	add t0, t0, s4
	lbu a0, 0(t0)
	CHECK(a0, 0x66)
	lbu a0, -0x556(s4)
	CHECK(a0, 0x66)
	TEST_NUM(20)
	li a1, 0xcafe
	sh a1, 0x7fe(s4)          /* imm[4:0] = 11110, imm[11:5] = 0111111 */
	lhu a0, 0x7fe(s4)
	CHECK(a0, 0xcafe)
	li t0, 0x7fe
	add t0, t0, s4
	lhu a0, 0(t0)
	CHECK(a0, 0xcafe)
	TEST_NUM(21)
	li a1, 0x12345678
	sw a1, -0x7e0(s4)         /* imm[4:0] = 00000, imm[11:5] = 1000001 */
	lw a0, -0x7e0(s4)
	CHECK(a0, 0x12345678)
	li t0, -0x7e0
	add t0, t0, s4
	lw a0, 0(t0)
	CHECK(a0, 0x12345678)
	TEST_NUM(22)
	li a1, 0x9abcdef0
	sw a1, 0x01c(s4)          /* imm[4:0] = 11100 only */
	lwu a0, 0x01c(s4)
	CHECK(a0, 0x9abcdef0)
	lw a0, 0x01c(s4)
	CHECK(a0, 0xffffffff9abcdef0)
	li t0, 0x01c
	add t0, t0, s4
	lwu a0, 0(t0)
	CHECK(a0, 0x9abcdef0)

	/* ---- fence variants are no-ops here ---- */
	TEST_NUM(23)
	li a1, 42
	sd a1, 0(s1)
	fence
	fence rw, rw
	fence r, r
	fence w, w
	fence iorw, iorw
	fence.tso
	ld a0, 0(s1)
	CHECK(a0, 42)

	/* ---- stack-relative access ---- */
	TEST_NUM(24)
	addi sp, sp, -32
	li a1, 0x0badf00d0badf00d
	sd a1, 24(sp)
	sw a1, 8(sp)
	ld a0, 24(sp)
	CHECK_REG(a0, a1)
	lw a0, 8(sp)
	CHECK(a0, 0x0badf00d)
	addi sp, sp, 32

	j pass

	.data
	.align 4
tdat:
	.dword 0xf0e1d2c3b4a59687      /* 0 */
	.dword 0x0123456789abcdef      /* 8 */
	.byte 0x7f, 0x80, 0xff, 0x00   /* 16 */
	.half 0x7fff, 0x8000           /* 20 */
	.word 0x7fffffff, 0x80000000   /* 24 */
	.align 3
ptr:
	.dword tdat
	.align 4
wbuf:
	.fill 32, 1, 0xee
	.align 4
big:
	.fill 4096, 1, 0
