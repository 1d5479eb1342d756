/* Conversions: float -> integer at the limits (saturation, NV without NX,
 * sign-extended 32-bit results), integer -> float (rounding, sources that
 * ignore the upper register half), binary32 <-> binary64. */
#include "fp_test.h"

#define I32_MAX 0x7fffffff
#define I32_MIN 0xffffffff80000000	/* sign-extended as RV64 writes it */
#define I64_MAX 0x7fffffffffffffff
#define I64_MIN 0x8000000000000000
#define ONES    0xffffffffffffffff

	.text
	.globl main
main:
	/* fcvt.w.s / fcvt.w.d */
	T_XS1(1, I32_MIN, 0, 0xcf000000, fcvt.w.s a0, f1, rtz)		/* -2^31 */
	T_XS1(2, I32_MAX, NV, 0x4f000000, fcvt.w.s a0, f1, rtz)		/* 2^31 */
	T_XS1(3, I32_MIN, NV, 0xcf000001, fcvt.w.s a0, f1, rtz)
	T_XD1(4, I32_MAX, 0, 0x41dfffffffc00000, fcvt.w.d a0, f1, rne)	/* 2^31 - 1 */
	T_XD1(5, I32_MAX, NV, 0x41dfffffffe00000, fcvt.w.d a0, f1, rne)	/* 2^31 - .5 */
	T_XD1(6, I32_MAX, NX, 0x41dfffffffe00000, fcvt.w.d a0, f1, rtz)
	T_XD1(7, I32_MIN, NX, 0xc1e0000000100000, fcvt.w.d a0, f1, rne)	/* -2^31 - .5 */
	T_XD1(8, I32_MIN, NV, 0xc1e0000000100000, fcvt.w.d a0, f1, rdn)
	T_XD1(9, I32_MIN, NV, 0xc1e0000000100000, fcvt.w.d a0, f1, rmm)
	T_XS1(10, I32_MAX, NV, S_QNAN, fcvt.w.s a0, f1, rtz)		/* NaN -> max */
	T_XS1(11, I32_MAX, NV, S_NSNAN, fcvt.w.s a0, f1, rtz)
	T_XD1(12, I32_MAX, NV, D_PINF, fcvt.w.d a0, f1, rtz)
	T_XD1(13, I32_MIN, NV, D_NINF, fcvt.w.d a0, f1, rtz)
	T_XD1(14, I32_MIN, NV, 0xffefffffffffffff, fcvt.w.d a0, f1, rtz)
	T_XS1(15, 0, 0, S_NZERO, fcvt.w.s a0, f1, rtz)
	T_XS1(16, 1, NX, S_MIN_SUB, fcvt.w.s a0, f1, rup)
	T_XS1(17, -1, NX, 0x80000001, fcvt.w.s a0, f1, rdn)
	T_XS1(18, 2, NX, 0x3fc00000, fcvt.w.s a0, f1, rne)		/* 1.5 */
	T_XD1(19, -3, NX, 0xc004000000000000, fcvt.w.d a0, f1, rmm)	/* -2.5 */

	/* fcvt.wu: the 32-bit result is sign-extended too */
	T_XS1(30, 0xffffffff80000000, 0, 0x4f000000, fcvt.wu.s a0, f1, rtz)	/* 2^31 */
	T_XD1(31, ONES, 0, 0x41efffffffe00000, fcvt.wu.d a0, f1, rtz)		/* 2^32-1 */
	T_XS1(32, ONES, NV, 0x4f800000, fcvt.wu.s a0, f1, rtz)			/* 2^32 */
	T_XD1(33, ONES, NV, 0x41effffffff00000, fcvt.wu.d a0, f1, rne)		/* 2^32-.5 */
	T_XD1(34, ONES, NX, 0x41effffffff00000, fcvt.wu.d a0, f1, rdn)
	T_XS1(35, 0, NX, 0xbf000000, fcvt.wu.s a0, f1, rne)			/* -0.5 */
	T_XS1(36, 0, NX, 0xbf000000, fcvt.wu.s a0, f1, rtz)
	T_XS1(37, 0, NV, 0xbf000000, fcvt.wu.s a0, f1, rdn)
	T_XS1(38, 0, NV, 0xbf000000, fcvt.wu.s a0, f1, rmm)
	T_XS1(39, 0, NV, S_MONE, fcvt.wu.s a0, f1, rtz)
	T_XD1(40, 0, NV, D_NINF, fcvt.wu.d a0, f1, rtz)
	T_XD1(41, ONES, NV, D_PINF, fcvt.wu.d a0, f1, rtz)
	T_XS1(42, ONES, NV, S_QNAN, fcvt.wu.s a0, f1, rtz)
	T_XD1(43, ONES, NV, D_NQNAN, fcvt.wu.d a0, f1, rtz)
	T_XS1(44, 0, 0, S_NZERO, fcvt.wu.s a0, f1, rtz)
	T_XS1(45, 1, NX, 0x3f7fffff, fcvt.wu.s a0, f1, rne)

	/* fcvt.l */
	T_XD1(50, I64_MIN, 0, 0xc3e0000000000000, fcvt.l.d a0, f1, rtz)	/* -2^63 */
	T_XD1(51, I64_MAX, NV, 0x43e0000000000000, fcvt.l.d a0, f1, rtz)	/* 2^63 */
	T_XD1(52, 0x7ffffffffffffc00, 0, 0x43dfffffffffffff, fcvt.l.d a0, f1, rtz)
	T_XS1(53, I64_MIN, 0, 0xdf000000, fcvt.l.s a0, f1, rtz)
	T_XS1(54, I64_MAX, NV, 0x5f000000, fcvt.l.s a0, f1, rtz)
	T_XS1(55, I64_MIN, NV, 0xdf000001, fcvt.l.s a0, f1, rtz)
	T_XD1(56, I64_MAX, NV, D_QNAN, fcvt.l.d a0, f1, rtz)
	T_XD1(57, I64_MIN, NV, D_NINF, fcvt.l.d a0, f1, rtz)
	T_XS1(58, I64_MAX, NV, S_PINF, fcvt.l.s a0, f1, rtz)
	T_XS1(59, 0x80000000, 0, 0x4f000000, fcvt.l.s a0, f1, rtz)		/* 2^31 fits */
	T_XD1(60, 0x8000000000001, NX, 0x4320000000000001, fcvt.l.d a0, f1, rmm)	/* 2^51+.5 */
	T_XD1(61, 0x8000000000000, NX, 0x4320000000000001, fcvt.l.d a0, f1, rne)
	/* fcvt.lu */
	T_XD1(70, ONES, NV, 0x43f0000000000000, fcvt.lu.d a0, f1, rtz)		/* 2^64 */
	T_XD1(71, 0xfffffffffffff800, 0, 0x43efffffffffffff, fcvt.lu.d a0, f1, rtz)
	T_XS1(72, 0xffffff0000000000, 0, 0x5f7fffff, fcvt.lu.s a0, f1, rtz)
	T_XS1(73, ONES, NV, 0x5f800000, fcvt.lu.s a0, f1, rtz)
	T_XD1(74, I64_MIN, 0, 0x43e0000000000000, fcvt.lu.d a0, f1, rtz)	/* 2^63 */
	T_XD1(75, 0, NV, D_MONE, fcvt.lu.d a0, f1, rtz)
	T_XD1(76, 0, NX, 0xbfe0000000000000, fcvt.lu.d a0, f1, rup)
	T_XD1(77, 0, NV, 0xbfe0000000000000, fcvt.lu.d a0, f1, rdn)
	T_XS1(78, 0, NV, S_NINF, fcvt.lu.s a0, f1, rtz)
	T_XS1(79, ONES, NV, S_SNAN, fcvt.lu.s a0, f1, rtz)
	T_XD1(80, 0, 0, D_NZERO, fcvt.lu.d a0, f1, rtz)

	/* integer -> binary32 */
	T_SX(90, S_PZERO, 0, 0, fcvt.s.w f3, a1, rdn)			/* +0, even in RDN */
	T_SX(91, S_MONE, 0, -1, fcvt.s.w f3, a1)
	T_SX(92, 0xcf000000, 0, 0xffffffff80000000, fcvt.s.w f3, a1)	/* INT32_MIN */
	T_SX(93, 0x4f000000, NX, 0x7fffffff, fcvt.s.w f3, a1, rne)
	T_SX(94, 0x4effffff, NX, 0x7fffffff, fcvt.s.w f3, a1, rtz)
	T_SX(95, 0x4b800002, NX, 16777219, fcvt.s.w f3, a1, rne)	/* 2^24+3: tie */
	T_SX(96, 0xcb800001, NX, -16777217, fcvt.s.w f3, a1, rdn)
	T_SX(97, S_TWO, 0, 0x0000000100000002, fcvt.s.w f3, a1)	/* bits 63:32 ignored */
	T_SX(98, 0x4f800000, NX, 0xffffffff, fcvt.s.wu f3, a1, rne)
	T_SX(99, 0x4f7fffff, NX, 0xffffffff, fcvt.s.wu f3, a1, rtz)
	T_SX(100, S_ONE, 0, 0xffffffff00000001, fcvt.s.wu f3, a1)	/* bits 63:32 ignored */
	T_SX(101, 0xdf000000, 0, I64_MIN, fcvt.s.l f3, a1)
	T_SX(102, 0x5effffff, NX, I64_MAX, fcvt.s.l f3, a1, rdn)
	T_SX(103, 0x5f800000, NX, ONES, fcvt.s.lu f3, a1, rup)
	T_SX(104, S_PZERO, 0, 0, fcvt.s.lu f3, a1)
	/* integer -> binary64 */
	T_DX(110, 0x41dfffffffc00000, 0, 0x7fffffff, fcvt.d.w f3, a1)
	T_DX(111, 0xc1e0000000000000, 0, 0xffffffff80000000, fcvt.d.w f3, a1)
	T_DX(112, D_MONE, 0, 0x00000000ffffffff, fcvt.d.w f3, a1)	/* low word -1 */
	T_DX(113, 0x41efffffffe00000, 0, 0xffffffff, fcvt.d.wu f3, a1)
	T_DX(114, 0x41efffffffe00000, 0, ONES, fcvt.d.wu f3, a1)	/* bits 63:32 ignored */
	T_DX(115, 0x4340000000000000, NX, 0x20000000000001, fcvt.d.l f3, a1, rne)
	T_DX(116, 0x4340000000000001, NX, 0x20000000000001, fcvt.d.l f3, a1, rmm)
	T_DX(117, 0xc3e0000000000000, 0, I64_MIN, fcvt.d.l f3, a1)
	T_DX(118, 0x43e0000000000000, NX, I64_MAX, fcvt.d.l f3, a1, rne)
	T_DX(119, 0x43dfffffffffffff, NX, I64_MAX, fcvt.d.l f3, a1, rtz)
	T_DX(120, 0x43f0000000000000, NX, ONES, fcvt.d.lu f3, a1, rne)
	T_DX(121, 0x43efffffffffffff, NX, ONES, fcvt.d.lu f3, a1, rdn)
	T_DX(122, 0x43e0000000000000, 0, I64_MIN, fcvt.d.lu f3, a1)

	/* binary32 -> binary64: exact, NaNs canonical */
	T_S1D(130, D_ONE, 0, S_ONE, fcvt.d.s f3, f1)
	T_S1D(131, 0x36a0000000000000, 0, S_MIN_SUB, fcvt.d.s f3, f1)	/* subnormal */
	T_S1D(132, 0xb80fffffc0000000, 0, 0x807fffff, fcvt.d.s f3, f1)
	T_S1D(133, 0x47efffffe0000000, 0, S_MAX, fcvt.d.s f3, f1)
	T_S1D(134, D_NZERO, 0, S_NZERO, fcvt.d.s f3, f1)
	T_S1D(135, D_NINF, 0, S_NINF, fcvt.d.s f3, f1)
	T_S1D(136, D_QNAN, 0, S_QNAN_P, fcvt.d.s f3, f1)
	T_S1D(137, D_QNAN, NV, S_SNAN, fcvt.d.s f3, f1)
	T_S1D(138, D_QNAN, 0, S_NQNAN, fcvt.d.s f3, f1)
	/* binary64 -> binary32 */
	T_D1S(140, 0x3eaaaaab, NX, 0x3fd5555555555555, fcvt.s.d f3, f1)
	T_D1S(141, 0xbf800002, NX, 0xbff0000030000000, fcvt.s.d f3, f1, rne)
	T_D1S(142, S_PINF, OF | NX, D_MAX, fcvt.s.d f3, f1, rne)
	T_D1S(143, S_MAX, OF | NX, D_MAX, fcvt.s.d f3, f1, rtz)
	T_D1S(144, 0xff7fffff, OF | NX, 0xc7f0000000000000, fcvt.s.d f3, f1, rup)
	T_D1S(145, S_MAX, NX, 0x47efffffffffffff, fcvt.s.d f3, f1, rdn)
	T_D1S(146, S_PINF, OF | NX, 0x47efffffffffffff, fcvt.s.d f3, f1, rne)
	T_D1S(147, S_PZERO, UF | NX, D_MIN_SUB, fcvt.s.d f3, f1, rne)
	T_D1S(148, S_MIN_SUB, UF | NX, D_MIN_SUB, fcvt.s.d f3, f1, rup)
	T_D1S(149, S_MIN_SUB, UF | NX, 0x3690000000000000, fcvt.s.d f3, f1, rmm)	/* 2^-150 */
	T_D1S(150, S_MIN_SUB, 0, 0x36a0000000000000, fcvt.s.d f3, f1)		/* exact */
	T_D1S(151, S_MIN_N, NX, 0x380ffffff0000000, fcvt.s.d f3, f1, rne)	/* not tiny */
	T_D1S(152, S_MAX_SUB, UF | NX, 0x380ffffff0000000, fcvt.s.d f3, f1, rtz)
	T_D1S(153, S_MIN_N, UF | NX, 0x380fffffe0000000, fcvt.s.d f3, f1, rne)	/* tiny */
	T_D1S(154, S_QNAN, NV, D_SNAN, fcvt.s.d f3, f1)
	T_D1S(155, S_QNAN, 0, 0x7ff8000020000000, fcvt.s.d f3, f1)
	T_D1S(156, S_QNAN, 0, D_NQNAN, fcvt.s.d f3, f1)
	T_D1S(157, S_NINF, 0, D_NINF, fcvt.s.d f3, f1, rtz)
	T_D1S(158, S_NZERO, 0, D_NZERO, fcvt.s.d f3, f1)
	j pass
