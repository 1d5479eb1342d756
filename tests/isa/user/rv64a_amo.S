/* RV64A atomic memory operations: amoswap/amoadd/amoxor/amoand/amoor/
 * amomin/amomax/amominu/amomaxu in .w and .d, cycling through the plain,
 * .aq, .rl and .aqrl orderings. Each case checks the old value returned in
 * rd (sign-extended from 32 bits for .w, also when the word is in the high
 * half of a doubleword), the new memory value, that a .w AMO leaves the
 * other half of the doubleword alone and ignores rs2[63:32], signed vs
 * unsigned min/max on edge values, and the rd == rs2, rd == rs1 and rd == x0
 * forms (memory is still updated; rs2 is read before rd is written).
 * Vectors generated from a Python model of the spec, checked on QEMU.
 * LR/SC: rv64a_lrsc.S; misaligned AMO/LR/SC: rv64a_misaligned.S. */
#include "test.h"
#include "utest.h"

#define TEST_AMO(n, inst, off, mem, src, rdexp, memexp) \
	TEST_NUM(n); la s0, abuf; addi a0, s0, off; \
	li t0, mem; sd t0, 0(s0); li a1, src; \
	inst a2, a1, (a0); CHECK(a2, rdexp); ld a3, 0(s0); CHECK(a3, memexp); \
	CHECK(a1, src); addi t0, s0, off; CHECK_REG(a0, t0); \
	li t0, mem; sd t0, 0(s0); li a1, src; \
	inst a1, a1, (a0); CHECK(a1, rdexp); ld a3, 0(s0); CHECK(a3, memexp); \
	li t0, mem; sd t0, 0(s0); li a1, src; \
	inst x0, a1, (a0); ld a3, 0(s0); CHECK(a3, memexp); \
	li t0, mem; sd t0, 0(s0); li a1, src; \
	inst a0, a1, (a0); CHECK(a0, rdexp); ld a3, 0(s0); CHECK(a3, memexp)

	.option norvc
	.text
	.globl main
main:

	/* ---- amoswap.w / amoswap.d ---- */
	TEST_AMO(1, amoswap.w, 0, 0xa5a5a5a500000001, 0xfffffffe, 0x1, 0xa5a5a5a5fffffffe)
	TEST_AMO(2, amoswap.w.aq, 4, 0x80000000a5a5a5a5, 0x7fffffff, 0xffffffff80000000, 0x7fffffffa5a5a5a5)
	TEST_AMO(3, amoswap.w.rl, 0, 0xa5a5a5a57fffffff, 0x80000000, 0x7fffffff, 0xa5a5a5a580000000)
	TEST_AMO(4, amoswap.w.aqrl, 4, 0xffffffffa5a5a5a5, 0x1, 0xffffffffffffffff, 0x1a5a5a5a5)
	TEST_AMO(5, amoswap.w, 0, 0xa5a5a5a500000000, 0xffffffff, 0x0, 0xa5a5a5a5ffffffff)
	TEST_AMO(6, amoswap.w.aq, 4, 0x12345678a5a5a5a5, 0xf0f0f0f, 0x12345678, 0xf0f0f0fa5a5a5a5)
	TEST_AMO(7, amoswap.w.rl, 0, 0xa5a5a5a580000001, 0xdeadbeef80000000, 0xffffffff80000001, 0xa5a5a5a580000000)
	TEST_AMO(8, amoswap.w.aqrl, 4, 0x7fffffffa5a5a5a5, 0x100000001, 0x7fffffff, 0x1a5a5a5a5)
	TEST_AMO(9, amoswap.d, 0, 0x1, 0xfffffffffffffffe, 0x1, 0xfffffffffffffffe)
	TEST_AMO(10, amoswap.d.aq, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
	TEST_AMO(11, amoswap.d.rl, 0, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
	TEST_AMO(12, amoswap.d.aqrl, 0, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1)
	TEST_AMO(13, amoswap.d, 0, 0x0, 0xffffffffffffffff, 0x0, 0xffffffffffffffff)
	TEST_AMO(14, amoswap.d.aq, 0, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f)
	TEST_AMO(15, amoswap.d.rl, 0, 0xffffffff, 0x100000000, 0xffffffff, 0x100000000)
	TEST_AMO(16, amoswap.d.aqrl, 0, 0xffffffff00000000, 0xffffffff, 0xffffffff00000000, 0xffffffff)

	/* ---- amoadd.w / amoadd.d ---- */
	TEST_AMO(17, amoadd.w, 0, 0xa5a5a5a500000001, 0xfffffffe, 0x1, 0xa5a5a5a5ffffffff)
	TEST_AMO(18, amoadd.w.aq, 4, 0x80000000a5a5a5a5, 0x7fffffff, 0xffffffff80000000, 0xffffffffa5a5a5a5)
	TEST_AMO(19, amoadd.w.rl, 0, 0xa5a5a5a57fffffff, 0x80000000, 0x7fffffff, 0xa5a5a5a5ffffffff)
	TEST_AMO(20, amoadd.w.aqrl, 4, 0xffffffffa5a5a5a5, 0x1, 0xffffffffffffffff, 0xa5a5a5a5)
	TEST_AMO(21, amoadd.w, 0, 0xa5a5a5a500000000, 0xffffffff, 0x0, 0xa5a5a5a5ffffffff)
	TEST_AMO(22, amoadd.w.aq, 4, 0x12345678a5a5a5a5, 0xf0f0f0f, 0x12345678, 0x21436587a5a5a5a5)
	TEST_AMO(23, amoadd.w.rl, 0, 0xa5a5a5a580000001, 0xdeadbeef80000000, 0xffffffff80000001, 0xa5a5a5a500000001)
	TEST_AMO(24, amoadd.w.aqrl, 4, 0x7fffffffa5a5a5a5, 0x100000001, 0x7fffffff, 0x80000000a5a5a5a5)
	TEST_AMO(25, amoadd.d, 0, 0x1, 0xfffffffffffffffe, 0x1, 0xffffffffffffffff)
	TEST_AMO(26, amoadd.d.aq, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
	TEST_AMO(27, amoadd.d.rl, 0, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0xffffffffffffffff)
	TEST_AMO(28, amoadd.d.aqrl, 0, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x0)
	TEST_AMO(29, amoadd.d, 0, 0x0, 0xffffffffffffffff, 0x0, 0xffffffffffffffff)
	TEST_AMO(30, amoadd.d.aq, 0, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0x21436587a9cbedff)
	TEST_AMO(31, amoadd.d.rl, 0, 0xffffffff, 0x100000000, 0xffffffff, 0x1ffffffff)
	TEST_AMO(32, amoadd.d.aqrl, 0, 0xffffffff00000000, 0xffffffff, 0xffffffff00000000, 0xffffffffffffffff)

	/* ---- amoxor.w / amoxor.d ---- */
	TEST_AMO(33, amoxor.w, 0, 0xa5a5a5a500000001, 0xfffffffe, 0x1, 0xa5a5a5a5ffffffff)
	TEST_AMO(34, amoxor.w.aq, 4, 0x80000000a5a5a5a5, 0x7fffffff, 0xffffffff80000000, 0xffffffffa5a5a5a5)
	TEST_AMO(35, amoxor.w.rl, 0, 0xa5a5a5a57fffffff, 0x80000000, 0x7fffffff, 0xa5a5a5a5ffffffff)
	TEST_AMO(36, amoxor.w.aqrl, 4, 0xffffffffa5a5a5a5, 0x1, 0xffffffffffffffff, 0xfffffffea5a5a5a5)
	TEST_AMO(37, amoxor.w, 0, 0xa5a5a5a500000000, 0xffffffff, 0x0, 0xa5a5a5a5ffffffff)
	TEST_AMO(38, amoxor.w.aq, 4, 0x12345678a5a5a5a5, 0xf0f0f0f, 0x12345678, 0x1d3b5977a5a5a5a5)
	TEST_AMO(39, amoxor.w.rl, 0, 0xa5a5a5a580000001, 0xdeadbeef80000000, 0xffffffff80000001, 0xa5a5a5a500000001)
	TEST_AMO(40, amoxor.w.aqrl, 4, 0x7fffffffa5a5a5a5, 0x100000001, 0x7fffffff, 0x7ffffffea5a5a5a5)
	TEST_AMO(41, amoxor.d, 0, 0x1, 0xfffffffffffffffe, 0x1, 0xffffffffffffffff)
	TEST_AMO(42, amoxor.d.aq, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
	TEST_AMO(43, amoxor.d.rl, 0, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0xffffffffffffffff)
	TEST_AMO(44, amoxor.d.aqrl, 0, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0xfffffffffffffffe)
	TEST_AMO(45, amoxor.d, 0, 0x0, 0xffffffffffffffff, 0x0, 0xffffffffffffffff)
	TEST_AMO(46, amoxor.d.aq, 0, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0x1d3b597795b3d1ff)
	TEST_AMO(47, amoxor.d.rl, 0, 0xffffffff, 0x100000000, 0xffffffff, 0x1ffffffff)
	TEST_AMO(48, amoxor.d.aqrl, 0, 0xffffffff00000000, 0xffffffff, 0xffffffff00000000, 0xffffffffffffffff)

	/* ---- amoand.w / amoand.d ---- */
	TEST_AMO(49, amoand.w, 0, 0xa5a5a5a500000001, 0xfffffffe, 0x1, 0xa5a5a5a500000000)
	TEST_AMO(50, amoand.w.aq, 4, 0x80000000a5a5a5a5, 0x7fffffff, 0xffffffff80000000, 0xa5a5a5a5)
	TEST_AMO(51, amoand.w.rl, 0, 0xa5a5a5a57fffffff, 0x80000000, 0x7fffffff, 0xa5a5a5a500000000)
	TEST_AMO(52, amoand.w.aqrl, 4, 0xffffffffa5a5a5a5, 0x1, 0xffffffffffffffff, 0x1a5a5a5a5)
	TEST_AMO(53, amoand.w, 0, 0xa5a5a5a500000000, 0xffffffff, 0x0, 0xa5a5a5a500000000)
	TEST_AMO(54, amoand.w.aq, 4, 0x12345678a5a5a5a5, 0xf0f0f0f, 0x12345678, 0x2040608a5a5a5a5)
	TEST_AMO(55, amoand.w.rl, 0, 0xa5a5a5a580000001, 0xdeadbeef80000000, 0xffffffff80000001, 0xa5a5a5a580000000)
	TEST_AMO(56, amoand.w.aqrl, 4, 0x7fffffffa5a5a5a5, 0x100000001, 0x7fffffff, 0x1a5a5a5a5)
	TEST_AMO(57, amoand.d, 0, 0x1, 0xfffffffffffffffe, 0x1, 0x0)
	TEST_AMO(58, amoand.d.aq, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x0)
	TEST_AMO(59, amoand.d.rl, 0, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x0)
	TEST_AMO(60, amoand.d.aqrl, 0, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1)
	TEST_AMO(61, amoand.d, 0, 0x0, 0xffffffffffffffff, 0x0, 0x0)
	TEST_AMO(62, amoand.d.aq, 0, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0x20406080a0c0e00)
	TEST_AMO(63, amoand.d.rl, 0, 0xffffffff, 0x100000000, 0xffffffff, 0x0)
	TEST_AMO(64, amoand.d.aqrl, 0, 0xffffffff00000000, 0xffffffff, 0xffffffff00000000, 0x0)

	/* ---- amoor.w / amoor.d ---- */
	TEST_AMO(65, amoor.w, 0, 0xa5a5a5a500000001, 0xfffffffe, 0x1, 0xa5a5a5a5ffffffff)
	TEST_AMO(66, amoor.w.aq, 4, 0x80000000a5a5a5a5, 0x7fffffff, 0xffffffff80000000, 0xffffffffa5a5a5a5)
	TEST_AMO(67, amoor.w.rl, 0, 0xa5a5a5a57fffffff, 0x80000000, 0x7fffffff, 0xa5a5a5a5ffffffff)
	TEST_AMO(68, amoor.w.aqrl, 4, 0xffffffffa5a5a5a5, 0x1, 0xffffffffffffffff, 0xffffffffa5a5a5a5)
	TEST_AMO(69, amoor.w, 0, 0xa5a5a5a500000000, 0xffffffff, 0x0, 0xa5a5a5a5ffffffff)
	TEST_AMO(70, amoor.w.aq, 4, 0x12345678a5a5a5a5, 0xf0f0f0f, 0x12345678, 0x1f3f5f7fa5a5a5a5)
	TEST_AMO(71, amoor.w.rl, 0, 0xa5a5a5a580000001, 0xdeadbeef80000000, 0xffffffff80000001, 0xa5a5a5a580000001)
	TEST_AMO(72, amoor.w.aqrl, 4, 0x7fffffffa5a5a5a5, 0x100000001, 0x7fffffff, 0x7fffffffa5a5a5a5)
	TEST_AMO(73, amoor.d, 0, 0x1, 0xfffffffffffffffe, 0x1, 0xffffffffffffffff)
	TEST_AMO(74, amoor.d.aq, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
	TEST_AMO(75, amoor.d.rl, 0, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0xffffffffffffffff)
	TEST_AMO(76, amoor.d.aqrl, 0, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0xffffffffffffffff)
	TEST_AMO(77, amoor.d, 0, 0x0, 0xffffffffffffffff, 0x0, 0xffffffffffffffff)
	TEST_AMO(78, amoor.d.aq, 0, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0x1f3f5f7f9fbfdfff)
	TEST_AMO(79, amoor.d.rl, 0, 0xffffffff, 0x100000000, 0xffffffff, 0x1ffffffff)
	TEST_AMO(80, amoor.d.aqrl, 0, 0xffffffff00000000, 0xffffffff, 0xffffffff00000000, 0xffffffffffffffff)

	/* ---- amomin.w / amomin.d ---- */
	TEST_AMO(81, amomin.w, 0, 0xa5a5a5a500000001, 0xfffffffe, 0x1, 0xa5a5a5a5fffffffe)
	TEST_AMO(82, amomin.w.aq, 4, 0x80000000a5a5a5a5, 0x7fffffff, 0xffffffff80000000, 0x80000000a5a5a5a5)
	TEST_AMO(83, amomin.w.rl, 0, 0xa5a5a5a57fffffff, 0x80000000, 0x7fffffff, 0xa5a5a5a580000000)
	TEST_AMO(84, amomin.w.aqrl, 4, 0xffffffffa5a5a5a5, 0x1, 0xffffffffffffffff, 0xffffffffa5a5a5a5)
	TEST_AMO(85, amomin.w, 0, 0xa5a5a5a500000000, 0xffffffff, 0x0, 0xa5a5a5a5ffffffff)
	TEST_AMO(86, amomin.w.aq, 4, 0x12345678a5a5a5a5, 0xf0f0f0f, 0x12345678, 0xf0f0f0fa5a5a5a5)
	TEST_AMO(87, amomin.w.rl, 0, 0xa5a5a5a580000001, 0xdeadbeef80000000, 0xffffffff80000001, 0xa5a5a5a580000000)
	TEST_AMO(88, amomin.w.aqrl, 4, 0x7fffffffa5a5a5a5, 0x100000001, 0x7fffffff, 0x1a5a5a5a5)
	TEST_AMO(89, amomin.d, 0, 0x1, 0xfffffffffffffffe, 0x1, 0xfffffffffffffffe)
	TEST_AMO(90, amomin.d.aq, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000)
	TEST_AMO(91, amomin.d.rl, 0, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
	TEST_AMO(92, amomin.d.aqrl, 0, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0xffffffffffffffff)
	TEST_AMO(93, amomin.d, 0, 0x0, 0xffffffffffffffff, 0x0, 0xffffffffffffffff)
	TEST_AMO(94, amomin.d.aq, 0, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f)
	TEST_AMO(95, amomin.d.rl, 0, 0xffffffff, 0x100000000, 0xffffffff, 0xffffffff)
	TEST_AMO(96, amomin.d.aqrl, 0, 0xffffffff00000000, 0xffffffff, 0xffffffff00000000, 0xffffffff00000000)

	/* ---- amomax.w / amomax.d ---- */
	TEST_AMO(97, amomax.w, 0, 0xa5a5a5a500000001, 0xfffffffe, 0x1, 0xa5a5a5a500000001)
	TEST_AMO(98, amomax.w.aq, 4, 0x80000000a5a5a5a5, 0x7fffffff, 0xffffffff80000000, 0x7fffffffa5a5a5a5)
	TEST_AMO(99, amomax.w.rl, 0, 0xa5a5a5a57fffffff, 0x80000000, 0x7fffffff, 0xa5a5a5a57fffffff)
	TEST_AMO(100, amomax.w.aqrl, 4, 0xffffffffa5a5a5a5, 0x1, 0xffffffffffffffff, 0x1a5a5a5a5)
	TEST_AMO(101, amomax.w, 0, 0xa5a5a5a500000000, 0xffffffff, 0x0, 0xa5a5a5a500000000)
	TEST_AMO(102, amomax.w.aq, 4, 0x12345678a5a5a5a5, 0xf0f0f0f, 0x12345678, 0x12345678a5a5a5a5)
	TEST_AMO(103, amomax.w.rl, 0, 0xa5a5a5a580000001, 0xdeadbeef80000000, 0xffffffff80000001, 0xa5a5a5a580000001)
	TEST_AMO(104, amomax.w.aqrl, 4, 0x7fffffffa5a5a5a5, 0x100000001, 0x7fffffff, 0x7fffffffa5a5a5a5)
	TEST_AMO(105, amomax.d, 0, 0x1, 0xfffffffffffffffe, 0x1, 0x1)
	TEST_AMO(106, amomax.d.aq, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
	TEST_AMO(107, amomax.d.rl, 0, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff)
	TEST_AMO(108, amomax.d.aqrl, 0, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1)
	TEST_AMO(109, amomax.d, 0, 0x0, 0xffffffffffffffff, 0x0, 0x0)
	TEST_AMO(110, amomax.d.aq, 0, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0x123456789abcdef0)
	TEST_AMO(111, amomax.d.rl, 0, 0xffffffff, 0x100000000, 0xffffffff, 0x100000000)
	TEST_AMO(112, amomax.d.aqrl, 0, 0xffffffff00000000, 0xffffffff, 0xffffffff00000000, 0xffffffff)

	/* ---- amominu.w / amominu.d ---- */
	TEST_AMO(113, amominu.w, 0, 0xa5a5a5a500000001, 0xfffffffe, 0x1, 0xa5a5a5a500000001)
	TEST_AMO(114, amominu.w.aq, 4, 0x80000000a5a5a5a5, 0x7fffffff, 0xffffffff80000000, 0x7fffffffa5a5a5a5)
	TEST_AMO(115, amominu.w.rl, 0, 0xa5a5a5a57fffffff, 0x80000000, 0x7fffffff, 0xa5a5a5a57fffffff)
	TEST_AMO(116, amominu.w.aqrl, 4, 0xffffffffa5a5a5a5, 0x1, 0xffffffffffffffff, 0x1a5a5a5a5)
	TEST_AMO(117, amominu.w, 0, 0xa5a5a5a500000000, 0xffffffff, 0x0, 0xa5a5a5a500000000)
	TEST_AMO(118, amominu.w.aq, 4, 0x12345678a5a5a5a5, 0xf0f0f0f, 0x12345678, 0xf0f0f0fa5a5a5a5)
	TEST_AMO(119, amominu.w.rl, 0, 0xa5a5a5a580000001, 0xdeadbeef80000000, 0xffffffff80000001, 0xa5a5a5a580000000)
	TEST_AMO(120, amominu.w.aqrl, 4, 0x7fffffffa5a5a5a5, 0x100000001, 0x7fffffff, 0x1a5a5a5a5)
	TEST_AMO(121, amominu.d, 0, 0x1, 0xfffffffffffffffe, 0x1, 0x1)
	TEST_AMO(122, amominu.d.aq, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
	TEST_AMO(123, amominu.d.rl, 0, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff)
	TEST_AMO(124, amominu.d.aqrl, 0, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1)
	TEST_AMO(125, amominu.d, 0, 0x0, 0xffffffffffffffff, 0x0, 0x0)
	TEST_AMO(126, amominu.d.aq, 0, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f)
	TEST_AMO(127, amominu.d.rl, 0, 0xffffffff, 0x100000000, 0xffffffff, 0xffffffff)
	TEST_AMO(128, amominu.d.aqrl, 0, 0xffffffff00000000, 0xffffffff, 0xffffffff00000000, 0xffffffff)

	/* ---- amomaxu.w / amomaxu.d ---- */
	TEST_AMO(129, amomaxu.w, 0, 0xa5a5a5a500000001, 0xfffffffe, 0x1, 0xa5a5a5a5fffffffe)
	TEST_AMO(130, amomaxu.w.aq, 4, 0x80000000a5a5a5a5, 0x7fffffff, 0xffffffff80000000, 0x80000000a5a5a5a5)
	TEST_AMO(131, amomaxu.w.rl, 0, 0xa5a5a5a57fffffff, 0x80000000, 0x7fffffff, 0xa5a5a5a580000000)
	TEST_AMO(132, amomaxu.w.aqrl, 4, 0xffffffffa5a5a5a5, 0x1, 0xffffffffffffffff, 0xffffffffa5a5a5a5)
	TEST_AMO(133, amomaxu.w, 0, 0xa5a5a5a500000000, 0xffffffff, 0x0, 0xa5a5a5a5ffffffff)
	TEST_AMO(134, amomaxu.w.aq, 4, 0x12345678a5a5a5a5, 0xf0f0f0f, 0x12345678, 0x12345678a5a5a5a5)
	TEST_AMO(135, amomaxu.w.rl, 0, 0xa5a5a5a580000001, 0xdeadbeef80000000, 0xffffffff80000001, 0xa5a5a5a580000001)
	TEST_AMO(136, amomaxu.w.aqrl, 4, 0x7fffffffa5a5a5a5, 0x100000001, 0x7fffffff, 0x7fffffffa5a5a5a5)
	TEST_AMO(137, amomaxu.d, 0, 0x1, 0xfffffffffffffffe, 0x1, 0xfffffffffffffffe)
	TEST_AMO(138, amomaxu.d.aq, 0, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000)
	TEST_AMO(139, amomaxu.d.rl, 0, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
	TEST_AMO(140, amomaxu.d.aqrl, 0, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0xffffffffffffffff)
	TEST_AMO(141, amomaxu.d, 0, 0x0, 0xffffffffffffffff, 0x0, 0xffffffffffffffff)
	TEST_AMO(142, amomaxu.d.aq, 0, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0x123456789abcdef0)
	TEST_AMO(143, amomaxu.d.rl, 0, 0xffffffff, 0x100000000, 0xffffffff, 0x100000000)
	TEST_AMO(144, amomaxu.d.aqrl, 0, 0xffffffff00000000, 0xffffffff, 0xffffffff00000000, 0xffffffff00000000)

	/* the neighbouring doublewords were never touched */
	TEST_NUM(200)
	la s0, abuf
	ld a0, -8(s0)
	CHECK(a0, 0x5555555555555555)
	ld a0, 8(s0)
	CHECK(a0, 0x6666666666666666)

	/* an atomic counter through amoadd, with the returned values */
	TEST_NUM(201)
	la s0, abuf
	sd x0, 0(s0)
	li s1, 0
	li s2, 0
	li a1, 3
1:	amoadd.d a0, a1, (s0)
	add s2, s2, a0          /* sum of old values 0+3+...+27 */
	addi s1, s1, 1
	li t0, 10
	blt s1, t0, 1b
	ld a0, 0(s0)
	CHECK(a0, 30)
	CHECK(s2, 135)

	j pass

	.data
	.align 4
	.dword 0x5555555555555555
abuf:
	.dword 0
	.dword 0x6666666666666666
