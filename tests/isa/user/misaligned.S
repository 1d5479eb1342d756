/* Misaligned regular loads and stores: lh/lhu/lw/lwu/ld and sh/sw/sd at
 * every misaligned offset within 16 bytes (many straddle an 8-byte
 * boundary) and across a 4 KiB page boundary. Machina performs these in
 * hardware, transparently, as QEMU does (QEMU 7.2 -M spike: no trap), so
 * each must produce the right value with correct sign/zero extension and
 * write exactly its bytes. No trap handler: any trap fails the test.
 * Vectors generated from a Python model, checked on QEMU. */
#include "test.h"
#include "utest.h"

/* sbuf[0..23] = ldat[0..23] */
#define RESET_SBUF \
	la t0, ldat; ld t1, 0(t0); sd t1, 0(s1); ld t1, 8(t0); sd t1, 8(s1); \
	ld t1, 16(t0); sd t1, 16(s1)

	.option norvc
	.text
	.globl main
main:
	/* ---- loads at every offset 1..15 (many cross the 8-byte boundary) ---- */
	la s0, ldat
	TEST_NUM(1); lh a0, 1(s0); CHECK(a0, 0xffffffffffffbb9e)
	TEST_NUM(2); lh a0, 3(s0); CHECK(a0, 0xfffffffffffff5d8)
	TEST_NUM(3); lh a0, 5(s0); CHECK(a0, 0x2f12)
	TEST_NUM(4); lh a0, 7(s0); CHECK(a0, 0x694c)
	TEST_NUM(5); lh a0, 9(s0); CHECK(a0, 0xffffffffffffa386)
	TEST_NUM(6); lh a0, 11(s0); CHECK(a0, 0xffffffffffffddc0)
	TEST_NUM(7); lh a0, 13(s0); CHECK(a0, 0x17fa)
	TEST_NUM(8); lh a0, 15(s0); CHECK(a0, 0x5134)
	TEST_NUM(9); lhu a0, 1(s0); CHECK(a0, 0xbb9e)
	TEST_NUM(10); lhu a0, 3(s0); CHECK(a0, 0xf5d8)
	TEST_NUM(11); lhu a0, 5(s0); CHECK(a0, 0x2f12)
	TEST_NUM(12); lhu a0, 7(s0); CHECK(a0, 0x694c)
	TEST_NUM(13); lhu a0, 9(s0); CHECK(a0, 0xa386)
	TEST_NUM(14); lhu a0, 11(s0); CHECK(a0, 0xddc0)
	TEST_NUM(15); lhu a0, 13(s0); CHECK(a0, 0x17fa)
	TEST_NUM(16); lhu a0, 15(s0); CHECK(a0, 0x5134)
	TEST_NUM(17); lw a0, 1(s0); CHECK(a0, 0xfffffffff5d8bb9e)
	TEST_NUM(18); lw a0, 2(s0); CHECK(a0, 0x12f5d8bb)
	TEST_NUM(19); lw a0, 3(s0); CHECK(a0, 0x2f12f5d8)
	TEST_NUM(20); lw a0, 5(s0); CHECK(a0, 0x694c2f12)
	TEST_NUM(21); lw a0, 6(s0); CHECK(a0, 0xffffffff86694c2f)
	TEST_NUM(22); lw a0, 7(s0); CHECK(a0, 0xffffffffa386694c)
	TEST_NUM(23); lw a0, 9(s0); CHECK(a0, 0xffffffffddc0a386)
	TEST_NUM(24); lw a0, 10(s0); CHECK(a0, 0xfffffffffaddc0a3)
	TEST_NUM(25); lw a0, 11(s0); CHECK(a0, 0x17faddc0)
	TEST_NUM(26); lw a0, 13(s0); CHECK(a0, 0x513417fa)
	TEST_NUM(27); lw a0, 14(s0); CHECK(a0, 0x6e513417)
	TEST_NUM(28); lw a0, 15(s0); CHECK(a0, 0xffffffff8b6e5134)
	TEST_NUM(29); lwu a0, 1(s0); CHECK(a0, 0xf5d8bb9e)
	TEST_NUM(30); lwu a0, 2(s0); CHECK(a0, 0x12f5d8bb)
	TEST_NUM(31); lwu a0, 3(s0); CHECK(a0, 0x2f12f5d8)
	TEST_NUM(32); lwu a0, 5(s0); CHECK(a0, 0x694c2f12)
	TEST_NUM(33); lwu a0, 6(s0); CHECK(a0, 0x86694c2f)
	TEST_NUM(34); lwu a0, 7(s0); CHECK(a0, 0xa386694c)
	TEST_NUM(35); lwu a0, 9(s0); CHECK(a0, 0xddc0a386)
	TEST_NUM(36); lwu a0, 10(s0); CHECK(a0, 0xfaddc0a3)
	TEST_NUM(37); lwu a0, 11(s0); CHECK(a0, 0x17faddc0)
	TEST_NUM(38); lwu a0, 13(s0); CHECK(a0, 0x513417fa)
	TEST_NUM(39); lwu a0, 14(s0); CHECK(a0, 0x6e513417)
	TEST_NUM(40); lwu a0, 15(s0); CHECK(a0, 0x8b6e5134)
	TEST_NUM(41); ld a0, 1(s0); CHECK(a0, 0x694c2f12f5d8bb9e)
	TEST_NUM(42); ld a0, 2(s0); CHECK(a0, 0x86694c2f12f5d8bb)
	TEST_NUM(43); ld a0, 3(s0); CHECK(a0, 0xa386694c2f12f5d8)
	TEST_NUM(44); ld a0, 4(s0); CHECK(a0, 0xc0a386694c2f12f5)
	TEST_NUM(45); ld a0, 5(s0); CHECK(a0, 0xddc0a386694c2f12)
	TEST_NUM(46); ld a0, 6(s0); CHECK(a0, 0xfaddc0a386694c2f)
	TEST_NUM(47); ld a0, 7(s0); CHECK(a0, 0x17faddc0a386694c)
	TEST_NUM(48); ld a0, 9(s0); CHECK(a0, 0x513417faddc0a386)
	TEST_NUM(49); ld a0, 10(s0); CHECK(a0, 0x6e513417faddc0a3)
	TEST_NUM(50); ld a0, 11(s0); CHECK(a0, 0x8b6e513417faddc0)
	TEST_NUM(51); ld a0, 12(s0); CHECK(a0, 0xa88b6e513417fadd)
	TEST_NUM(52); ld a0, 13(s0); CHECK(a0, 0xc5a88b6e513417fa)
	TEST_NUM(53); ld a0, 14(s0); CHECK(a0, 0xe2c5a88b6e513417)
	TEST_NUM(54); ld a0, 15(s0); CHECK(a0, 0xffe2c5a88b6e5134)

	/* ---- stores at every offset; the bytes around are untouched ---- */
	la s1, sbuf
	li s2, 0x8899aabbccddeeff
	TEST_NUM(55); RESET_SBUF; sh s2, 1(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8eeff81); ld a0, 8(s1); CHECK(a0, 0x3417faddc0a38669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lhu a0, 1(s1); CHECK(a0, 0xeeff)
	TEST_NUM(56); RESET_SBUF; sh s2, 3(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12eeffbb9e81); ld a0, 8(s1); CHECK(a0, 0x3417faddc0a38669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lhu a0, 3(s1); CHECK(a0, 0xeeff)
	TEST_NUM(57); RESET_SBUF; sh s2, 5(s1); ld a0, 0(s1); CHECK(a0, 0x4ceefff5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0x3417faddc0a38669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lhu a0, 5(s1); CHECK(a0, 0xeeff)
	TEST_NUM(58); RESET_SBUF; sh s2, 7(s1); ld a0, 0(s1); CHECK(a0, 0xff2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0x3417faddc0a386ee); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lhu a0, 7(s1); CHECK(a0, 0xeeff)
	TEST_NUM(59); RESET_SBUF; sh s2, 9(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0x3417faddc0eeff69); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lhu a0, 9(s1); CHECK(a0, 0xeeff)
	TEST_NUM(60); RESET_SBUF; sh s2, 11(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0x3417faeeffa38669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lhu a0, 11(s1); CHECK(a0, 0xeeff)
	TEST_NUM(61); RESET_SBUF; sh s2, 13(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0x34eeffddc0a38669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lhu a0, 13(s1); CHECK(a0, 0xeeff)
	TEST_NUM(62); RESET_SBUF; sh s2, 15(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0xff17faddc0a38669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6eee)
	lhu a0, 15(s1); CHECK(a0, 0xeeff)
	TEST_NUM(63); RESET_SBUF; sw s2, 1(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12ccddeeff81); ld a0, 8(s1); CHECK(a0, 0x3417faddc0a38669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lwu a0, 1(s1); CHECK(a0, 0xccddeeff)
	TEST_NUM(64); RESET_SBUF; sw s2, 2(s1); ld a0, 0(s1); CHECK(a0, 0x4c2fccddeeff9e81); ld a0, 8(s1); CHECK(a0, 0x3417faddc0a38669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lwu a0, 2(s1); CHECK(a0, 0xccddeeff)
	TEST_NUM(65); RESET_SBUF; sw s2, 3(s1); ld a0, 0(s1); CHECK(a0, 0x4cccddeeffbb9e81); ld a0, 8(s1); CHECK(a0, 0x3417faddc0a38669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lwu a0, 3(s1); CHECK(a0, 0xccddeeff)
	TEST_NUM(66); RESET_SBUF; sw s2, 5(s1); ld a0, 0(s1); CHECK(a0, 0xddeefff5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0x3417faddc0a386cc); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lwu a0, 5(s1); CHECK(a0, 0xccddeeff)
	TEST_NUM(67); RESET_SBUF; sw s2, 6(s1); ld a0, 0(s1); CHECK(a0, 0xeeff12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0x3417faddc0a3ccdd); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lwu a0, 6(s1); CHECK(a0, 0xccddeeff)
	TEST_NUM(68); RESET_SBUF; sw s2, 7(s1); ld a0, 0(s1); CHECK(a0, 0xff2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0x3417faddc0ccddee); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lwu a0, 7(s1); CHECK(a0, 0xccddeeff)
	TEST_NUM(69); RESET_SBUF; sw s2, 9(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0x3417faccddeeff69); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lwu a0, 9(s1); CHECK(a0, 0xccddeeff)
	TEST_NUM(70); RESET_SBUF; sw s2, 10(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0x3417ccddeeff8669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lwu a0, 10(s1); CHECK(a0, 0xccddeeff)
	TEST_NUM(71); RESET_SBUF; sw s2, 11(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0x34ccddeeffa38669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	lwu a0, 11(s1); CHECK(a0, 0xccddeeff)
	TEST_NUM(72); RESET_SBUF; sw s2, 13(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0xddeeffddc0a38669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6ecc)
	lwu a0, 13(s1); CHECK(a0, 0xccddeeff)
	TEST_NUM(73); RESET_SBUF; sw s2, 14(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0xeefffaddc0a38669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88bccdd)
	lwu a0, 14(s1); CHECK(a0, 0xccddeeff)
	TEST_NUM(74); RESET_SBUF; sw s2, 15(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0xff17faddc0a38669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a8ccddee)
	lwu a0, 15(s1); CHECK(a0, 0xccddeeff)
	TEST_NUM(75); RESET_SBUF; sd s2, 1(s1); ld a0, 0(s1); CHECK(a0, 0x99aabbccddeeff81); ld a0, 8(s1); CHECK(a0, 0x3417faddc0a38688); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	ld a0, 1(s1); CHECK(a0, 0x8899aabbccddeeff)
	TEST_NUM(76); RESET_SBUF; sd s2, 2(s1); ld a0, 0(s1); CHECK(a0, 0xaabbccddeeff9e81); ld a0, 8(s1); CHECK(a0, 0x3417faddc0a38899); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	ld a0, 2(s1); CHECK(a0, 0x8899aabbccddeeff)
	TEST_NUM(77); RESET_SBUF; sd s2, 3(s1); ld a0, 0(s1); CHECK(a0, 0xbbccddeeffbb9e81); ld a0, 8(s1); CHECK(a0, 0x3417faddc08899aa); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	ld a0, 3(s1); CHECK(a0, 0x8899aabbccddeeff)
	TEST_NUM(78); RESET_SBUF; sd s2, 4(s1); ld a0, 0(s1); CHECK(a0, 0xccddeeffd8bb9e81); ld a0, 8(s1); CHECK(a0, 0x3417fadd8899aabb); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	ld a0, 4(s1); CHECK(a0, 0x8899aabbccddeeff)
	TEST_NUM(79); RESET_SBUF; sd s2, 5(s1); ld a0, 0(s1); CHECK(a0, 0xddeefff5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0x3417fa8899aabbcc); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	ld a0, 5(s1); CHECK(a0, 0x8899aabbccddeeff)
	TEST_NUM(80); RESET_SBUF; sd s2, 6(s1); ld a0, 0(s1); CHECK(a0, 0xeeff12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0x34178899aabbccdd); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	ld a0, 6(s1); CHECK(a0, 0x8899aabbccddeeff)
	TEST_NUM(81); RESET_SBUF; sd s2, 7(s1); ld a0, 0(s1); CHECK(a0, 0xff2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0x348899aabbccddee); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e51)
	ld a0, 7(s1); CHECK(a0, 0x8899aabbccddeeff)
	TEST_NUM(82); RESET_SBUF; sd s2, 9(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0x99aabbccddeeff69); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b6e88)
	ld a0, 9(s1); CHECK(a0, 0x8899aabbccddeeff)
	TEST_NUM(83); RESET_SBUF; sd s2, 10(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0xaabbccddeeff8669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88b8899)
	ld a0, 10(s1); CHECK(a0, 0x8899aabbccddeeff)
	TEST_NUM(84); RESET_SBUF; sd s2, 11(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0xbbccddeeffa38669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c5a88899aa)
	ld a0, 11(s1); CHECK(a0, 0x8899aabbccddeeff)
	TEST_NUM(85); RESET_SBUF; sd s2, 12(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0xccddeeffc0a38669); ld a0, 16(s1); CHECK(a0, 0x1cffe2c58899aabb)
	ld a0, 12(s1); CHECK(a0, 0x8899aabbccddeeff)
	TEST_NUM(86); RESET_SBUF; sd s2, 13(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0xddeeffddc0a38669); ld a0, 16(s1); CHECK(a0, 0x1cffe28899aabbcc)
	ld a0, 13(s1); CHECK(a0, 0x8899aabbccddeeff)
	TEST_NUM(87); RESET_SBUF; sd s2, 14(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0xeefffaddc0a38669); ld a0, 16(s1); CHECK(a0, 0x1cff8899aabbccdd)
	ld a0, 14(s1); CHECK(a0, 0x8899aabbccddeeff)
	TEST_NUM(88); RESET_SBUF; sd s2, 15(s1); ld a0, 0(s1); CHECK(a0, 0x4c2f12f5d8bb9e81); ld a0, 8(s1); CHECK(a0, 0xff17faddc0a38669); ld a0, 16(s1); CHECK(a0, 0x1c8899aabbccddee)
	ld a0, 15(s1); CHECK(a0, 0x8899aabbccddeeff)

	/* ---- across a page boundary: pcross is 4 bytes before it ---- */
	la s3, pcross
	TEST_NUM(90)
	li t0, 0x0011223344556677
	sd t0, -4(s3)
	li t0, 0x8899aabbccddeeff
	sd t0, 4(s3)                     /* itself crosses the page */
	ld a0, 0(s3)
	CHECK(a0, 0xccddeeff00112233)
	lw a0, 2(s3)
	CHECK(a0, 0xffffffffeeff0011)
	lwu a0, 2(s3)
	CHECK(a0, 0xeeff0011)
	lh a0, 3(s3)
	CHECK(a0, 0xffffffffffffff00)
	lhu a0, 3(s3)
	CHECK(a0, 0xff00)
	ld a0, 1(s3)
	CHECK(a0, 0xbbccddeeff001122)
	TEST_NUM(91)
	li t0, 0x0102030405060708
	sd t0, 1(s3)
	sh t0, 3(s3)                     /* bytes 3,4: the second one is on the next page */
	ld a0, 0(s3)
	CHECK(a0, 0x0203040708070833)
	ld a0, -4(s3)
	CHECK(a0, 0x0807083344556677)
	lbu a0, 8(s3)
	CHECK(a0, 0x01)
	lbu a0, 9(s3)
	CHECK(a0, 0xaa)
	lbu a0, 10(s3)
	CHECK(a0, 0x99)
	TEST_NUM(92)
	li t0, 0xfedcba98
	sw t0, 1(s3)
	lwu a0, 1(s3)
	CHECK(a0, 0xfedcba98)
	lw a0, 1(s3)
	CHECK(a0, 0xfffffffffedcba98)
	ld a0, -4(s3)
	CHECK(a0, 0xdcba983344556677)

	/* ---- misaligned on the stack, as compiled code may do ---- */
	TEST_NUM(93)
	addi sp, sp, -32
	li t0, 0x1122334455667788
	sd t0, 3(sp)
	ld a0, 3(sp)
	CHECK(a0, 0x1122334455667788)
	lw a0, 5(sp)
	CHECK(a0, 0x33445566)
	addi sp, sp, 32

	j pass

	.data
	.align 4
ldat:
	.byte 0x81, 0x9e, 0xbb, 0xd8, 0xf5, 0x12, 0x2f, 0x4c
	.byte 0x69, 0x86, 0xa3, 0xc0, 0xdd, 0xfa, 0x17, 0x34
	.byte 0x51, 0x6e, 0x8b, 0xa8, 0xc5, 0xe2, 0xff, 0x1c
	.align 4
sbuf:
	.fill 24, 1, 0
	.align 12
	.fill 4092, 1, 0
pcross:                                  /* page boundary at pcross + 4 */
	.fill 16, 1, 0
