/* D extension arithmetic: fadd/fsub/fmul/fdiv/fsqrt/fmin/fmax.d, results
 * and fflags, canonical NaNs, signed zeros, overflow and underflow. */
#include "fp_test.h"
	.text
	.globl main
main:
	/* fadd.d / fsub.d */
	T_D2(1, D_TWO, 0, D_ONE, D_ONE, fadd.d f3, f1, f2)
	T_D2(2, 0x3ff0000000000001, 0, D_ONE, 0x3cb0000000000000, fadd.d f3, f1, f2)
	T_D2(3, D_ONE, NX, D_ONE, D_2M53, fadd.d f3, f1, f2)		/* tie to even */
	T_D2(4, 0xbff0000000000002, NX, 0xbff0000000000001, 0xbca0000000000000, fadd.d f3, f1, f2)
	T_D2(5, D_ONE, NX, D_ONE, 0x3c90000000000000, fsub.d f3, f1, f2)	/* 1 - 2^-54 */
	T_D2(6, D_PZERO, 0, D_ONE, D_MONE, fadd.d f3, f1, f2)
	T_D2(7, D_NZERO, 0, D_ONE, D_MONE, fadd.d f3, f1, f2, rdn)
	T_D2(8, D_NZERO, 0, D_NZERO, D_PZERO, fsub.d f3, f1, f2)
	T_D2(9, D_MIN_N, 0, D_MAX_SUB, D_MIN_SUB, fadd.d f3, f1, f2)
	T_D2(10, 0x8000000000000005, 0, D_NZERO, 0x8000000000000005, fadd.d f3, f1, f2)
	T_D2(11, D_NINF, 0, D_ONE, D_PINF, fsub.d f3, f1, f2)
	T_D2(12, D_QNAN, NV, D_PINF, D_PINF, fsub.d f3, f1, f2)
	T_D2(13, D_QNAN, 0, D_QNAN_P, D_ONE, fsub.d f3, f1, f2)
	T_D2(14, D_QNAN, NV, D_NSNAN, D_QNAN, fadd.d f3, f1, f2)
	T_D2(15, D_QNAN, NV, 0x7ff7ffffffffffff, D_ONE, fadd.d f3, f1, f2)
	T_D2(16, D_PINF, OF | NX, D_MAX, D_MAX, fadd.d f3, f1, f2)
	T_D2(17, D_MAX, OF | NX, D_MAX, D_MAX, fadd.d f3, f1, f2, rtz)
	T_D2(18, 0xffefffffffffffff, OF | NX, 0xffefffffffffffff, D_MAX, fsub.d f3, f1, f2, rup)
	T_D2(19, 0x3ff0000000000001, NX, D_ONE, D_MIN_SUB, fadd.d f3, f1, f2, rup)
	T_D2(20, 0x3cb0000000000000, 0, 0x3ff0000000000001, D_ONE, fsub.d f3, f1, f2)

	/* fmul.d */
	T_D2(30, 0xc018000000000000, 0, D_TWO, 0xc008000000000000, fmul.d f3, f1, f2)
	T_D2(31, 0x3ff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000, fmul.d f3, f1, f2)
	T_D2(32, 0x3ff0000006000001, NX, 0x3ff0000004000000, 0x3ff0000002000000, fmul.d f3, f1, f2, rmm)
	T_D2(33, D_PZERO, 0, D_NZERO, D_MONE, fmul.d f3, f1, f2)
	T_D2(34, D_QNAN, NV, D_NZERO, D_NINF, fmul.d f3, f1, f2)
	T_D2(35, D_QNAN, NV, D_SNAN, D_PZERO, fmul.d f3, f1, f2)
	T_D2(36, D_NZERO, UF | NX, 0x8000000000000001, D_HALF, fmul.d f3, f1, f2)
	T_D2(37, 0x8000000000000001, UF | NX, 0x8000000000000001, D_HALF, fmul.d f3, f1, f2, rdn)
	T_D2(38, 0x0008000000000000, 0, D_MIN_N, D_HALF, fmul.d f3, f1, f2)	/* exact */
	T_D2(39, D_MIN_N, UF | NX, 0x3fefffffffffffff, D_MIN_N, fmul.d f3, f1, f2)
	/* (1 - 2^-27)((1 + 2^-27) 2^-1022) = (1 - 2^-54) 2^-1022: not tiny
	 * after rounding to 53 bits in RNE, tiny in RTZ */
	T_D2(40, D_MIN_N, NX, 0x3feffffffc000000, 0x0010000002000000, fmul.d f3, f1, f2)
	T_D2(41, D_MAX_SUB, UF | NX, 0x3feffffffc000000, 0x0010000002000000, fmul.d f3, f1, f2, rtz)
	T_D2(42, D_PZERO, UF | NX, D_MIN_SUB, D_MIN_SUB, fmul.d f3, f1, f2)
	T_D2(43, D_MIN_SUB, UF | NX, D_MIN_SUB, D_MIN_SUB, fmul.d f3, f1, f2, rup)

	/* fdiv.d */
	T_D2(50, 0x3fd5555555555555, NX, D_ONE, D_THREE, fdiv.d f3, f1, f2)
	T_D2(51, 0x3fd5555555555556, NX, D_ONE, D_THREE, fdiv.d f3, f1, f2, rup)
	T_D2(52, 0xbfd5555555555556, NX, D_MONE, D_THREE, fdiv.d f3, f1, f2, rdn)
	T_D2(53, D_NINF, DZ, D_MONE, D_PZERO, fdiv.d f3, f1, f2)
	T_D2(54, D_NINF, DZ, D_MIN_SUB, D_NZERO, fdiv.d f3, f1, f2)
	T_D2(55, D_QNAN, NV, D_NINF, D_PINF, fdiv.d f3, f1, f2)
	T_D2(56, D_QNAN, NV, D_PZERO, D_PZERO, fdiv.d f3, f1, f2)
	T_D2(57, D_PINF, 0, D_PINF, D_PZERO, fdiv.d f3, f1, f2)
	T_D2(58, D_NZERO, 0, D_NZERO, D_ONE, fdiv.d f3, f1, f2)
	T_D2(59, D_QNAN, NV, D_PINF, D_SNAN, fdiv.d f3, f1, f2)
	T_D2(60, D_NZERO, UF | NX, D_MIN_SUB, 0xc000000000000000, fdiv.d f3, f1, f2)
	T_D2(61, D_PINF, OF | NX, D_MAX, D_HALF, fdiv.d f3, f1, f2)

	/* fsqrt.d */
	T_D1(70, D_THREE, 0, 0x4022000000000000, fsqrt.d f3, f1)
	T_D1(71, 0x3ff6a09e667f3bcd, NX, D_TWO, fsqrt.d f3, f1)
	T_D1(72, 0x3ff6a09e667f3bcc, NX, D_TWO, fsqrt.d f3, f1, rtz)
	T_D1(73, 0x2000000000000000, 0, D_MIN_N, fsqrt.d f3, f1)
	T_D1(74, D_NZERO, 0, D_NZERO, fsqrt.d f3, f1)
	T_D1(75, D_PINF, 0, D_PINF, fsqrt.d f3, f1)
	T_D1(76, D_QNAN, NV, D_NINF, fsqrt.d f3, f1)
	T_D1(77, D_QNAN, NV, 0x8000000000000001, fsqrt.d f3, f1)
	T_D1(78, D_QNAN, 0, D_QNAN_P, fsqrt.d f3, f1)
	T_D1(79, D_QNAN, NV, D_SNAN, fsqrt.d f3, f1)

	/* fmin.d / fmax.d */
	T_D2(90, D_NINF, 0, D_NINF, D_MONE, fmin.d f3, f1, f2)
	T_D2(91, D_MONE, 0, D_NINF, D_MONE, fmax.d f3, f1, f2)
	T_D2(92, D_MIN_SUB, 0, D_MIN_SUB, D_PZERO, fmax.d f3, f1, f2)
	T_D2(93, D_NZERO, 0, D_PZERO, D_NZERO, fmin.d f3, f1, f2)
	T_D2(94, D_PZERO, 0, D_NZERO, D_PZERO, fmax.d f3, f1, f2)
	T_D2(95, D_ONE, 0, D_ONE, D_QNAN, fmin.d f3, f1, f2)
	T_D2(96, D_NZERO, 0, D_NQNAN, D_NZERO, fmax.d f3, f1, f2)
	T_D2(97, D_MONE, NV, D_MONE, D_SNAN, fmin.d f3, f1, f2)
	T_D2(98, D_PINF, NV, D_NSNAN, D_PINF, fmax.d f3, f1, f2)
	T_D2(99, D_QNAN, 0, D_QNAN_P, D_NQNAN, fmin.d f3, f1, f2)
	T_D2(100, D_QNAN, NV, D_QNAN, D_SNAN, fmax.d f3, f1, f2)
	j pass
