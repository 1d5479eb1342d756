/* Fused multiply-add: fmadd/fmsub/fnmsub/fnmadd in both formats: one
 * rounding, signs of exact zeros, inf*0 (NV even with a quiet-NaN addend),
 * inf - inf, NaNs, overflow and underflow, and rounding modes. */
#include "fp_test.h"
	.text
	.globl main
main:
	/* 2*3 +- 1 */
	T_S3(1, 0x40e00000, 0, S_TWO, S_THREE, S_ONE, fmadd.s f3, f1, f2, f4)	/* 7 */
	T_S3(2, 0x40a00000, 0, S_TWO, S_THREE, S_ONE, fmsub.s f3, f1, f2, f4)	/* 5 */
	T_S3(3, 0xc0a00000, 0, S_TWO, S_THREE, S_ONE, fnmsub.s f3, f1, f2, f4)	/* -5 */
	T_S3(4, 0xc0e00000, 0, S_TWO, S_THREE, S_ONE, fnmadd.s f3, f1, f2, f4)	/* -7 */
	T_D3(5, 0x401c000000000000, 0, D_TWO, D_THREE, D_ONE, fmadd.d f3, f1, f2, f4)
	T_D3(6, 0x4014000000000000, 0, D_TWO, D_THREE, D_ONE, fmsub.d f3, f1, f2, f4)
	T_D3(7, 0xc014000000000000, 0, D_TWO, D_THREE, D_ONE, fnmsub.d f3, f1, f2, f4)
	T_D3(8, 0xc01c000000000000, 0, D_TWO, D_THREE, D_ONE, fnmadd.d f3, f1, f2, f4)

	/* one rounding: (1 + 2^-12)^2 - (1 + 2^-11) = 2^-24 exactly (a
	 * separately rounded product would give 0) */
	T_S3(10, S_2M24, 0, 0x3f800800, 0x3f800800, 0xbf801000, fmadd.s f3, f1, f2, f4)
	T_S3(11, S_2M24, 0, 0x3f800800, 0x3f800800, 0x3f801000, fmsub.s f3, f1, f2, f4)
	T_S3(12, 0xb3800000, 0, 0x3f800800, 0x3f800800, 0x3f801000, fnmsub.s f3, f1, f2, f4)
	T_S3(13, 0xb3800000, 0, 0x3f800800, 0x3f800800, 0xbf801000, fnmadd.s f3, f1, f2, f4)
	/* (1 + 2^-26)(1 + 2^-27) - (1 + 2^-26 + 2^-27) = 2^-53 */
	T_D3(14, D_2M53, 0, 0x3ff0000004000000, 0x3ff0000002000000, 0xbff0000006000000, fmadd.d f3, f1, f2, f4)
	T_D3(15, 0xbca0000000000000, 0, 0x3ff0000004000000, 0x3ff0000002000000, 0x3ff0000006000000, fnmsub.d f3, f1, f2, f4)
	/* product tie + 2^-60: just past the tie, so RNE rounds up */
	T_D3(16, 0x3ff0000006000001, NX, 0x3ff0000004000000, 0x3ff0000002000000, 0x3c30000000000000, fmadd.d f3, f1, f2, f4)
	/* product tie + 0 in each mode */
	T_S3(17, 0x3f801000, NX, 0x3f800800, 0x3f800800, S_PZERO, fmadd.s f3, f1, f2, f4, rne)
	T_S3(18, 0x3f801001, NX, 0x3f800800, 0x3f800800, S_PZERO, fmadd.s f3, f1, f2, f4, rmm)
	T_S3(19, 0x3f801001, NX, 0x3f800800, 0x3f800800, S_PZERO, fmadd.s f3, f1, f2, f4, rup)
	T_S3(20, 0x3f801000, NX, 0x3f800800, 0x3f800800, S_PZERO, fmadd.s f3, f1, f2, f4, rtz)
	T_D3(21, 0xbff0000006000001, NX, 0x3ff0000004000000, 0x3ff0000002000000, D_NZERO, fnmadd.d f3, f1, f2, f4, rdn)
	T_D3(22, 0xbff0000006000000, NX, 0x3ff0000004000000, 0x3ff0000002000000, D_NZERO, fnmadd.d f3, f1, f2, f4, rup)

	/* exact zero results: +0, but -0 in RDN */
	T_S3(30, S_PZERO, 0, S_ONE, S_ONE, S_MONE, fmadd.s f3, f1, f2, f4)
	T_S3(31, S_NZERO, 0, S_ONE, S_ONE, S_MONE, fmadd.s f3, f1, f2, f4, rdn)
	T_D3(32, D_PZERO, 0, D_ONE, D_ONE, D_MONE, fnmadd.d f3, f1, f2, f4)	/* -1 + 1 */
	T_D3(33, D_NZERO, 0, D_ONE, D_ONE, D_MONE, fnmadd.d f3, f1, f2, f4, rdn)
	T_S3(34, S_PZERO, 0, S_ONE, S_ONE, S_ONE, fnmsub.s f3, f1, f2, f4)	/* -1 + 1 */
	T_D3(35, D_PZERO, 0, D_ONE, D_ONE, D_ONE, fmsub.d f3, f1, f2, f4)
	T_D3(36, D_PZERO, 0, D_PZERO, D_ONE, D_NZERO, fmadd.d f3, f1, f2, f4)	/* +0 + -0 */
	T_D3(37, D_NZERO, 0, D_PZERO, D_ONE, D_NZERO, fmadd.d f3, f1, f2, f4, rdn)
	T_S3(38, S_NZERO, 0, S_NZERO, S_ONE, S_NZERO, fmadd.s f3, f1, f2, f4)	/* -0 + -0 */
	T_S3(39, S_NZERO, 0, S_PZERO, S_ONE, S_PZERO, fnmadd.s f3, f1, f2, f4)	/* -0 - +0 */
	T_S3(40, S_PZERO, 0, S_PZERO, S_ONE, S_PZERO, fnmsub.s f3, f1, f2, f4)	/* -0 + +0 */
	T_D3(41, D_MIN_SUB, 0, D_PZERO, D_MAX, D_MIN_SUB, fmadd.d f3, f1, f2, f4) /* 0 + c = c */

	/* invalid: inf * 0 (also with a quiet NaN addend), inf - inf */
	T_S3(50, S_QNAN, NV, S_PINF, S_PZERO, S_ONE, fmadd.s f3, f1, f2, f4)
	T_S3(51, S_QNAN, NV, S_PINF, S_PZERO, S_QNAN, fmadd.s f3, f1, f2, f4)
	T_D3(52, D_QNAN, NV, D_PZERO, D_NINF, D_QNAN_P, fnmadd.d f3, f1, f2, f4)
	T_D3(53, D_QNAN, NV, D_NZERO, D_PINF, D_NQNAN, fmsub.d f3, f1, f2, f4)
	T_S3(54, S_QNAN, NV, S_PINF, S_ONE, S_NINF, fmadd.s f3, f1, f2, f4)
	T_D3(55, D_QNAN, NV, D_PINF, D_ONE, D_PINF, fmsub.d f3, f1, f2, f4)
	T_D3(56, D_QNAN, NV, D_PINF, D_ONE, D_NINF, fnmadd.d f3, f1, f2, f4)
	T_S3(57, S_QNAN, NV, S_PINF, S_ONE, S_PINF, fnmsub.s f3, f1, f2, f4)
	T_S3(58, S_NINF, 0, S_PINF, S_ONE, S_NINF, fnmsub.s f3, f1, f2, f4)	/* -inf + -inf */
	T_D3(59, D_PINF, 0, D_ONE, D_TWO, D_PINF, fmadd.d f3, f1, f2, f4)
	/* NaN operands: canonical result, NV only for signalling ones */
	T_S3(60, S_QNAN, 0, S_QNAN_P, S_ONE, S_ONE, fmadd.s f3, f1, f2, f4)
	T_S3(61, S_QNAN, NV, S_ONE, S_ONE, S_SNAN, fmadd.s f3, f1, f2, f4)
	T_D3(62, D_QNAN, NV, D_SNAN, D_PINF, D_PZERO, fmadd.d f3, f1, f2, f4)
	T_D3(63, D_QNAN, 0, D_ONE, D_NQNAN, D_ONE, fnmadd.d f3, f1, f2, f4)
	T_D3(64, D_QNAN, NV, D_QNAN, D_ONE, D_NSNAN, fnmsub.d f3, f1, f2, f4)
	/* overflow and underflow */
	T_S3(70, S_PINF, OF | NX, S_MAX, S_TWO, S_MONE, fmadd.s f3, f1, f2, f4)
	T_S3(71, S_MAX, OF | NX, S_MAX, S_TWO, S_MONE, fmadd.s f3, f1, f2, f4, rtz)
	T_S3(72, S_NINF, OF | NX, S_MAX, S_TWO, S_ONE, fnmadd.s f3, f1, f2, f4)
	T_D3(73, 0x0007ffffffffffff, 0, D_MIN_N, D_HALF, 0x8000000000000001, fmadd.d f3, f1, f2, f4)
	T_S3(74, S_PZERO, UF | NX, S_MIN_SUB, S_HALF, S_PZERO, fmadd.s f3, f1, f2, f4)
	T_S3(75, S_MIN_SUB, UF | NX, S_MIN_SUB, S_HALF, S_PZERO, fmadd.s f3, f1, f2, f4, rmm)
	/* tininess after rounding: (1 - 2^-54) 2^-1022 rounds to 2^-1022 */
	T_D3(76, D_MIN_N, NX, 0x3feffffffc000000, 0x0010000002000000, D_PZERO, fmadd.d f3, f1, f2, f4)
	T_D3(77, D_MAX_SUB, UF | NX, 0x3feffffffc000000, 0x0010000002000000, D_PZERO, fmadd.d f3, f1, f2, f4, rdn)
	j pass
