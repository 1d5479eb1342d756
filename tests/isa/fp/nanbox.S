/* NaN-boxing of binary32 values in the 64-bit f registers: a single-
 * precision operand that is not properly boxed (upper 32 bits not all
 * ones) reads as the canonical NaN; single-precision results, flw and
 * fmv.w.x box; fmv.x.w and fsw move the low 32 bits as they are. */
#include "fp_test.h"

#define NOBOX_ONE	0x000000003f800000	/* 1.0f, not boxed */
#define HALFBOX_ONE	0xfffffffe3f800000	/* one upper bit clear */
#define NOBOX_MISC	0x123456789abcdef0

	.text
	.globl main
main:
	/* control: a boxed operand is used as is */
	TEST_NUM(1)
	LI_D(f1, BOX(S_ONE))
	LI_D(f2, BOX(S_ONE))
	CLR_FLAGS
	fadd.s f3, f1, f2
	CHECK_FS(f3, S_TWO)
	/* arithmetic on unboxed inputs: canonical NaN, quiet (no NV) */
	TEST_NUM(2)
	LI_D(f1, NOBOX_ONE)
	fadd.s f3, f1, f2
	CHECK_FS(f3, S_QNAN)
	CHECK_FLAGS(0)
	TEST_NUM(3)
	LI_D(f1, HALFBOX_ONE)
	fmul.s f3, f2, f1
	CHECK_FS(f3, S_QNAN)
	CHECK_FLAGS(0)
	TEST_NUM(4)
	LI_D(f1, NOBOX_ONE)
	fsqrt.s f3, f1
	CHECK_FS(f3, S_QNAN)
	CHECK_FLAGS(0)
	TEST_NUM(5)
	LI_D(f4, NOBOX_MISC)
	fmadd.s f3, f2, f2, f4
	CHECK_FS(f3, S_QNAN)
	CHECK_FLAGS(0)
	/* min/max: the unboxed operand is a quiet NaN, so it is ignored */
	TEST_NUM(6)
	LI_D(f1, NOBOX_ONE)
	LI_S(f2, S_MONE)
	fmin.s f3, f1, f2
	CHECK_FS(f3, S_MONE)
	fmax.s f3, f2, f1
	CHECK_FS(f3, S_MONE)
	CHECK_FLAGS(0)
	/* comparisons: a quiet NaN */
	TEST_NUM(7)
	feq.s a0, f1, f1
	CHECK_X(a0, 0)
	CHECK_FLAGS(0)
	flt.s a0, f2, f1
	CHECK_X(a0, 0)
	CHECK_FLAGS(NV)
	/* fclass.s sees a quiet NaN */
	TEST_NUM(8)
	fclass.s a0, f1
	CHECK_X(a0, 1 << 9)
	/* conversions */
	TEST_NUM(9)
	fcvt.d.s f3, f1
	CHECK_FD(f3, D_QNAN)
	CHECK_FLAGS(0)
	TEST_NUM(10)
	fcvt.w.s a0, f1, rtz
	CHECK_X(a0, 0x7fffffff)
	CHECK_FLAGS(NV)
	/* sign injection reads both operands as canonical NaN when unboxed */
	TEST_NUM(11)
	LI_S(f2, S_MONE)
	fsgnj.s f3, f1, f2			/* |canonical NaN| with sign of -1 */
	CHECK_FS(f3, 0xffc00000)
	TEST_NUM(12)
	LI_S(f2, S_MONE)
	fsgnj.s f3, f2, f1			/* -1 with sign of +NaN */
	CHECK_FS(f3, S_ONE)
	TEST_NUM(13)
	fsgnjn.s f3, f1, f1
	CHECK_FS(f3, 0xffc00000)
	CHECK_FLAGS(0)

	/* transfers out move the low 32 bits regardless of boxing */
	TEST_NUM(20)
	LI_D(f1, NOBOX_MISC)
	fmv.x.w a0, f1
	CHECK_X(a0, 0xffffffff9abcdef0)	/* sign-extended */
	TEST_NUM(21)
	la s0, buf
	fsw f1, 0(s0)
	lwu a0, 0(s0)
	CHECK_X(a0, 0x9abcdef0)
	lwu a0, 4(s0)				/* only 4 bytes written */
	CHECK_X(a0, 0x55555555)
	/* transfers in box */
	TEST_NUM(22)
	li a0, 0x3f800000
	sw a0, 8(s0)
	flw f3, 8(s0)
	CHECK_FREG(f3, BOX(S_ONE))
	TEST_NUM(23)
	li a0, 0x00000000bf800000
	fmv.w.x f3, a0
	CHECK_FREG(f3, BOX(S_MONE))
	/* every single-precision result is boxed */
	TEST_NUM(24)
	li a0, 7
	fcvt.s.w f3, a0
	CHECK_FREG(f3, BOX(0x40e00000))
	TEST_NUM(25)
	LI_D(f1, D_ONE)
	fcvt.s.d f3, f1
	CHECK_FREG(f3, BOX(S_ONE))
	TEST_NUM(26)
	LI_S(f1, S_ONE)
	LI_S(f2, S_TWO)
	fsgnjn.s f3, f1, f2
	CHECK_FREG(f3, BOX(S_MONE))
	fmin.s f3, f1, f2
	CHECK_FREG(f3, BOX(S_ONE))

	/* double-precision operations see all 64 bits: a boxed single is a
	 * quiet NaN to them */
	TEST_NUM(30)
	LI_D(f1, BOX(S_ONE))
	LI_D(f2, D_ONE)
	CLR_FLAGS
	fadd.d f3, f1, f2
	CHECK_FD(f3, D_QNAN)
	CHECK_FLAGS(0)
	TEST_NUM(31)
	fsgnj.d f3, f1, f2
	CHECK_FD(f3, 0x7fffffff3f800000)
	TEST_NUM(32)
	fclass.d a0, f1
	CHECK_X(a0, 1 << 9)
	j pass

	.data
	.balign 8
buf:
	.word 0x55555555, 0x55555555, 0, 0
