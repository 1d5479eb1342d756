/* feq/flt/fle (quiet vs signalling comparisons, signed zeros) and fclass
 * (every one of the ten classes) in both formats. */
#include "fp_test.h"
	.text
	.globl main
main:
	T_XS2(1, 1, 0, S_ONE, S_ONE, feq.s a0, f1, f2)
	T_XS2(2, 0, 0, S_ONE, S_TWO, feq.s a0, f1, f2)
	T_XS2(3, 1, 0, S_PZERO, S_NZERO, feq.s a0, f1, f2)	/* +0 == -0 */
	T_XS2(4, 0, 0, S_NZERO, S_PZERO, flt.s a0, f1, f2)
	T_XS2(5, 1, 0, S_PZERO, S_NZERO, fle.s a0, f1, f2)
	T_XS2(6, 1, 0, S_MONE, S_ONE, flt.s a0, f1, f2)
	T_XS2(7, 0, 0, S_ONE, S_MONE, flt.s a0, f1, f2)
	T_XS2(8, 1, 0, S_TWO, S_TWO, fle.s a0, f1, f2)
	T_XS2(9, 0, 0, S_TWO, S_TWO, flt.s a0, f1, f2)
	T_XS2(10, 1, 0, S_NINF, S_PINF, flt.s a0, f1, f2)
	T_XS2(11, 1, 0, 0xbf800001, S_MONE, flt.s a0, f1, f2)
	T_XS2(12, 0, 0, S_MIN_SUB, S_PZERO, fle.s a0, f1, f2)
	T_XS2(13, 1, 0, S_PINF, S_PINF, feq.s a0, f1, f2)
	/* feq is quiet: NV only for a signalling NaN */
	T_XS2(14, 0, 0, S_QNAN, S_ONE, feq.s a0, f1, f2)
	T_XS2(15, 0, 0, S_QNAN, S_QNAN, feq.s a0, f1, f2)
	T_XS2(16, 0, NV, S_SNAN, S_ONE, feq.s a0, f1, f2)
	T_XS2(17, 0, NV, S_ONE, S_NSNAN, feq.s a0, f1, f2)
	/* flt / fle signal on any NaN */
	T_XS2(18, 0, NV, S_QNAN, S_ONE, flt.s a0, f1, f2)
	T_XS2(19, 0, NV, S_ONE, S_NQNAN, fle.s a0, f1, f2)
	T_XS2(20, 0, NV, S_SNAN, S_ONE, flt.s a0, f1, f2)
	T_XS2(21, 0, NV, S_QNAN, S_QNAN, fle.s a0, f1, f2)

	T_XD2(30, 1, 0, D_ONE, D_ONE, feq.d a0, f1, f2)
	T_XD2(31, 1, 0, D_NZERO, D_PZERO, feq.d a0, f1, f2)
	T_XD2(32, 0, 0, D_ONE, 0x3ff0000000000001, feq.d a0, f1, f2)
	T_XD2(33, 1, 0, D_MONE, D_NZERO, flt.d a0, f1, f2)
	T_XD2(34, 0, 0, D_PZERO, D_NZERO, flt.d a0, f1, f2)
	T_XD2(35, 1, 0, D_NZERO, D_PZERO, fle.d a0, f1, f2)
	T_XD2(36, 0, 0, D_PINF, D_MAX, fle.d a0, f1, f2)
	T_XD2(37, 1, 0, D_NINF, 0xffefffffffffffff, flt.d a0, f1, f2)
	T_XD2(38, 1, 0, 0x8000000000000001, D_MIN_SUB, flt.d a0, f1, f2)
	T_XD2(39, 0, 0, D_QNAN_P, D_QNAN_P, feq.d a0, f1, f2)
	T_XD2(40, 0, NV, D_SNAN, D_SNAN, feq.d a0, f1, f2)
	T_XD2(41, 0, NV, D_ONE, D_QNAN, flt.d a0, f1, f2)
	T_XD2(42, 0, NV, D_NSNAN, D_ONE, fle.d a0, f1, f2)
	/* the destination is written (with 0) even when NV is raised */
	TEST_NUM(43)
	li a0, 5
	LI_D(f1, D_QNAN)
	flt.d a0, f1, f1
	CHECK_X(a0, 0)
	CLR_FLAGS

	/* fclass.s: one bit per class */
	T_XS1(50, 1 << 0, 0, S_NINF, fclass.s a0, f1)
	T_XS1(51, 1 << 1, 0, S_MONE, fclass.s a0, f1)
	T_XS1(52, 1 << 1, 0, 0x80800000, fclass.s a0, f1)	/* -min normal */
	T_XS1(53, 1 << 2, 0, 0x807fffff, fclass.s a0, f1)	/* -subnormal */
	T_XS1(54, 1 << 2, 0, 0x80000001, fclass.s a0, f1)
	T_XS1(55, 1 << 3, 0, S_NZERO, fclass.s a0, f1)
	T_XS1(56, 1 << 4, 0, S_PZERO, fclass.s a0, f1)
	T_XS1(57, 1 << 5, 0, S_MIN_SUB, fclass.s a0, f1)
	T_XS1(58, 1 << 5, 0, S_MAX_SUB, fclass.s a0, f1)
	T_XS1(59, 1 << 6, 0, S_MIN_N, fclass.s a0, f1)
	T_XS1(60, 1 << 6, 0, S_MAX, fclass.s a0, f1)
	T_XS1(61, 1 << 7, 0, S_PINF, fclass.s a0, f1)
	T_XS1(62, 1 << 8, 0, S_SNAN, fclass.s a0, f1)		/* no NV from fclass */
	T_XS1(63, 1 << 8, 0, S_NSNAN, fclass.s a0, f1)
	T_XS1(64, 1 << 8, 0, 0x7fbfffff, fclass.s a0, f1)
	T_XS1(65, 1 << 9, 0, S_QNAN, fclass.s a0, f1)
	T_XS1(66, 1 << 9, 0, S_NQNAN, fclass.s a0, f1)
	T_XS1(67, 1 << 9, 0, 0x7fffffff, fclass.s a0, f1)
	/* fclass.d */
	T_XD1(70, 1 << 0, 0, D_NINF, fclass.d a0, f1)
	T_XD1(71, 1 << 1, 0, D_MONE, fclass.d a0, f1)
	T_XD1(72, 1 << 2, 0, 0x800fffffffffffff, fclass.d a0, f1)
	T_XD1(73, 1 << 3, 0, D_NZERO, fclass.d a0, f1)
	T_XD1(74, 1 << 4, 0, D_PZERO, fclass.d a0, f1)
	T_XD1(75, 1 << 5, 0, D_MIN_SUB, fclass.d a0, f1)
	T_XD1(76, 1 << 6, 0, D_MIN_N, fclass.d a0, f1)
	T_XD1(77, 1 << 6, 0, D_MAX, fclass.d a0, f1)
	T_XD1(78, 1 << 7, 0, D_PINF, fclass.d a0, f1)
	T_XD1(79, 1 << 8, 0, D_SNAN, fclass.d a0, f1)
	T_XD1(80, 1 << 8, 0, 0x7ff7ffffffffffff, fclass.d a0, f1)
	T_XD1(81, 1 << 9, 0, D_QNAN, fclass.d a0, f1)
	T_XD1(82, 1 << 9, 0, 0xffffffffffffffff, fclass.d a0, f1)
	/* a NaN-boxed single seen by fclass.d is a (negative) NaN */
	T_XD1(83, 1 << 9, 0, BOX(S_ONE), fclass.d a0, f1)
	j pass
