/* F extension arithmetic: fadd/fsub/fmul/fdiv/fsqrt/fmin/fmax.s, results
 * (NaN-boxed) and fflags, canonical NaNs, signed zeros, special operands. */
#include "fp_test.h"
	.text
	.globl main
main:
	/* fadd.s / fsub.s */
	T_S2(1, S_TWO, 0, S_ONE, S_ONE, fadd.s f3, f1, f2)
	T_S2(2, S_ONE, NX, S_ONE, S_2M24, fadd.s f3, f1, f2)		/* tie to even */
	T_S2(3, 0x3f800002, NX, 0x3f800001, S_2M24, fadd.s f3, f1, f2)	/* tie, odd lsb */
	T_S2(4, S_PZERO, 0, S_ONE, S_ONE, fsub.s f3, f1, f2)		/* x - x = +0 */
	T_S2(5, S_NZERO, 0, S_ONE, S_ONE, fsub.s f3, f1, f2, rdn)	/* ... -0 in RDN */
	T_S2(6, S_NZERO, 0, S_NZERO, S_NZERO, fadd.s f3, f1, f2)
	T_S2(7, S_PZERO, 0, S_PZERO, S_NZERO, fadd.s f3, f1, f2)
	T_S2(8, S_MAX_SUB, 0, S_MIN_N, S_MIN_SUB, fsub.s f3, f1, f2)	/* exact subnormal */
	T_S2(9, 0x34000000, 0, 0x3f800001, S_ONE, fsub.s f3, f1, f2)	/* cancellation */
	T_S2(10, S_PINF, 0, S_PINF, S_MONE, fadd.s f3, f1, f2)
	T_S2(11, S_QNAN, NV, S_PINF, S_NINF, fadd.s f3, f1, f2)		/* inf - inf */
	T_S2(12, S_QNAN, NV, S_PINF, S_PINF, fsub.s f3, f1, f2)
	T_S2(13, S_QNAN, 0, S_QNAN_P, S_ONE, fadd.s f3, f1, f2)		/* canonical */
	T_S2(14, S_QNAN, 0, S_ONE, S_NQNAN, fsub.s f3, f1, f2)
	T_S2(15, S_QNAN, NV, S_SNAN, S_ONE, fadd.s f3, f1, f2)
	T_S2(16, S_QNAN, NV, S_QNAN, S_NSNAN, fsub.s f3, f1, f2)
	T_S2(17, S_PINF, OF | NX, S_MAX, S_MAX, fadd.s f3, f1, f2)
	T_S2(18, S_MAX, NX, S_MAX, 0x72800000, fadd.s f3, f1, f2)	/* + quarter ulp */
	T_S2(19, S_PINF, OF | NX, S_MAX, 0x73000000, fadd.s f3, f1, f2)	/* + half ulp */
	T_S2(20, 0x3f7fffff, NX, S_ONE, S_MIN_SUB, fsub.s f3, f1, f2, rtz)

	/* fmul.s */
	T_S2(30, 0x41700000, 0, S_THREE, 0x40a00000, fmul.s f3, f1, f2)	/* 3 * 5 */
	T_S2(31, 0x3f801000, NX, 0x3f800800, 0x3f800800, fmul.s f3, f1, f2) /* tie */
	T_S2(32, S_NZERO, 0, S_NZERO, S_ONE, fmul.s f3, f1, f2)
	T_S2(33, S_NINF, 0, S_PINF, S_MONE, fmul.s f3, f1, f2)
	T_S2(34, S_QNAN, NV, S_PINF, S_PZERO, fmul.s f3, f1, f2)		/* inf * 0 */
	T_S2(35, S_QNAN, NV, S_ONE, S_NSNAN, fmul.s f3, f1, f2)
	T_S2(36, S_PINF, OF | NX, S_MAX, S_TWO, fmul.s f3, f1, f2)
	T_S2(37, S_MAX, OF | NX, S_MAX, S_TWO, fmul.s f3, f1, f2, rtz)
	T_S2(38, S_PZERO, UF | NX, S_MIN_SUB, S_HALF, fmul.s f3, f1, f2)	/* 2^-150 */
	T_S2(39, S_MIN_SUB, UF | NX, S_MIN_SUB, S_HALF, fmul.s f3, f1, f2, rmm)
	T_S2(40, S_MAX_SUB, 0, S_MAX_SUB, S_ONE, fmul.s f3, f1, f2)	/* exact: no UF */
	/* (1 - 2^-24) * 2^-126: tiny even after rounding, so UF */
	T_S2(41, S_MIN_N, UF | NX, 0x3f7fffff, S_MIN_N, fmul.s f3, f1, f2)
	/* (1 - 2^-25) * 2^-126: rounds to 2^-126 at 24 bits, not tiny after
	 * rounding: NX only (RISC-V detects tininess after rounding) */
	T_S2(42, S_MIN_N, NX, 0x32f80000, 0x0d042108, fmul.s f3, f1, f2)
	T_S2(43, S_MAX_SUB, UF | NX, 0x32f80000, 0x0d042108, fmul.s f3, f1, f2, rtz)

	/* fdiv.s */
	T_S2(50, S_THREE, 0, 0x41700000, 0x40a00000, fdiv.s f3, f1, f2)
	T_S2(51, 0x3eaaaaab, NX, S_ONE, S_THREE, fdiv.s f3, f1, f2)	/* 1/3 */
	T_S2(52, 0x3eaaaaaa, NX, S_ONE, S_THREE, fdiv.s f3, f1, f2, rtz)
	T_S2(53, S_PINF, DZ, S_ONE, S_PZERO, fdiv.s f3, f1, f2)
	T_S2(54, S_NINF, DZ, S_MONE, S_PZERO, fdiv.s f3, f1, f2)
	T_S2(55, S_NINF, DZ, S_ONE, S_NZERO, fdiv.s f3, f1, f2)
	T_S2(56, S_QNAN, NV, S_PZERO, S_NZERO, fdiv.s f3, f1, f2)	/* 0/0 */
	T_S2(57, S_QNAN, NV, S_NINF, S_PINF, fdiv.s f3, f1, f2)		/* inf/inf */
	T_S2(58, S_PINF, 0, S_PINF, S_PZERO, fdiv.s f3, f1, f2)		/* no DZ */
	T_S2(59, S_NZERO, 0, S_ONE, S_NINF, fdiv.s f3, f1, f2)
	T_S2(60, S_QNAN, 0, S_QNAN_P, S_PZERO, fdiv.s f3, f1, f2)	/* no DZ for NaN */
	T_S2(61, S_PINF, OF | NX, S_MAX, S_HALF, fdiv.s f3, f1, f2)
	T_S2(62, S_MAX_SUB, UF | NX, S_MIN_N, 0x3f800001, fdiv.s f3, f1, f2)

	/* fsqrt.s */
	T_S1(70, S_TWO, 0, 0x40800000, fsqrt.s f3, f1)
	T_S1(71, 0x3fb504f3, NX, S_TWO, fsqrt.s f3, f1)
	T_S1(72, 0x3fb504f4, NX, S_TWO, fsqrt.s f3, f1, rup)
	T_S1(73, 0x1a3504f3, NX, S_MIN_SUB, fsqrt.s f3, f1)
	T_S1(74, S_NZERO, 0, S_NZERO, fsqrt.s f3, f1)
	T_S1(75, S_PINF, 0, S_PINF, fsqrt.s f3, f1)
	T_S1(76, S_QNAN, NV, S_MONE, fsqrt.s f3, f1)
	T_S1(77, S_QNAN, NV, S_NINF, fsqrt.s f3, f1)
	T_S1(78, S_QNAN, NV, 0x80000001, fsqrt.s f3, f1)		/* -subnormal */
	T_S1(79, S_QNAN, NV, S_SNAN, fsqrt.s f3, f1)
	T_S1(80, S_QNAN, 0, S_NQNAN, fsqrt.s f3, f1)

	/* fmin.s / fmax.s (IEEE 754-2019 minimumNumber/maximumNumber) */
	T_S2(90, S_ONE, 0, S_ONE, S_TWO, fmin.s f3, f1, f2)
	T_S2(91, S_TWO, 0, S_ONE, S_TWO, fmax.s f3, f1, f2)
	T_S2(92, S_MONE, 0, S_PZERO, S_MONE, fmin.s f3, f1, f2)
	T_S2(93, S_NZERO, 0, S_PZERO, S_NZERO, fmin.s f3, f1, f2)	/* -0 < +0 */
	T_S2(94, S_NZERO, 0, S_NZERO, S_PZERO, fmin.s f3, f1, f2)
	T_S2(95, S_PZERO, 0, S_PZERO, S_NZERO, fmax.s f3, f1, f2)
	T_S2(96, S_PZERO, 0, S_NZERO, S_PZERO, fmax.s f3, f1, f2)
	T_S2(97, S_NINF, 0, S_NINF, S_MAX, fmin.s f3, f1, f2)
	T_S2(98, S_ONE, 0, S_QNAN_P, S_ONE, fmin.s f3, f1, f2)		/* qNaN ignored */
	T_S2(99, S_MONE, 0, S_MONE, S_NQNAN, fmax.s f3, f1, f2)
	T_S2(100, S_ONE, NV, S_SNAN, S_ONE, fmin.s f3, f1, f2)		/* sNaN: NV, */
	T_S2(101, S_TWO, NV, S_TWO, S_NSNAN, fmax.s f3, f1, f2)		/* other operand */
	T_S2(102, S_QNAN, 0, S_QNAN_P, S_NQNAN, fmin.s f3, f1, f2)	/* both NaN */
	T_S2(103, S_QNAN, NV, S_SNAN, S_QNAN_P, fmax.s f3, f1, f2)
	T_S2(104, S_QNAN, NV, S_SNAN, S_NSNAN, fmin.s f3, f1, f2)
	j pass
