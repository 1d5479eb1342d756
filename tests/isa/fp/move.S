/* Sign injection, fmv between register files, FP loads/stores including
 * the compressed c.fld/c.fsd/c.fldsp/c.fsdsp. None of these look at the
 * value: no canonicalization, no flags. */
#include "fp_test.h"
	.text
	.globl main
main:
	/* sign injection, binary32 */
	T_S2(1, S_MONE, 0, S_ONE, 0xc0000000, fsgnj.s f3, f1, f2)
	T_S2(2, S_ONE, 0, S_ONE, 0xc0000000, fsgnjn.s f3, f1, f2)
	T_S2(3, S_ONE, 0, S_MONE, 0xc0000000, fsgnjx.s f3, f1, f2)
	T_S2(4, S_MONE, 0, S_MONE, S_TWO, fsgnjx.s f3, f1, f2)
	T_S2(5, 0xff800001, 0, S_SNAN, S_MONE, fsgnj.s f3, f1, f2)	/* sNaN kept */
	T_S1(6, 0xffc00123, 0, S_QNAN_P, fneg.s f3, f1)			/* fsgnjn */
	T_S1(7, S_PINF, 0, S_NINF, fabs.s f3, f1)			/* fsgnjx */
	T_S1(8, S_NSNAN, 0, S_NSNAN, fmv.s f3, f1)			/* fsgnj */
	T_S2(9, S_PZERO, 0, S_NZERO, S_QNAN, fsgnj.s f3, f1, f2)
	/* sign injection, binary64 */
	T_D2(10, D_MONE, 0, D_ONE, 0xc000000000000000, fsgnj.d f3, f1, f2)
	T_D2(11, D_ONE, 0, D_ONE, 0xc000000000000000, fsgnjn.d f3, f1, f2)
	T_D2(12, D_ONE, 0, D_MONE, D_MONE, fsgnjx.d f3, f1, f2)
	T_D2(13, 0xfff0000000000001, 0, D_SNAN, D_NINF, fsgnj.d f3, f1, f2)
	T_D1(14, 0xfff8000000000123, 0, D_QNAN_P, fneg.d f3, f1)
	T_D1(15, D_PINF, 0, D_NINF, fabs.d f3, f1)
	T_D1(16, D_NSNAN, 0, D_NSNAN, fmv.d f3, f1)
	/* same register as source and destination */
	TEST_NUM(17)
	LI_D(f5, D_ONE)
	fneg.d f5, f5
	CHECK_FD(f5, D_MONE)

	/* fmv.x.w sign-extends bit 31; fmv.w.x NaN-boxes */
	T_XS1(20, 0xffffffff80000000, 0, S_NZERO, fmv.x.w a0, f1)
	T_XS1(21, 0x7fc00000, 0, S_QNAN, fmv.x.w a0, f1)
	T_XS1(22, 0x7f800001, 0, S_SNAN, fmv.x.w a0, f1)
	T_XS1(23, 0xffffffffbf800000, 0, S_MONE, fmv.x.w a0, f1)
	TEST_NUM(24)
	li a1, 0x123456783f800000
	fmv.w.x f3, a1				/* upper bits of a1 ignored */
	CHECK_FREG(f3, 0xffffffff3f800000)
	TEST_NUM(25)
	li a1, 0x7f800001
	fmv.w.x f3, a1				/* sNaN as is */
	CHECK_FREG(f3, 0xffffffff7f800001)
	/* fmv.d.x / fmv.x.d copy all 64 bits */
	TEST_NUM(26)
	li a1, D_SNAN
	fmv.d.x f3, a1
	fmv.x.d a0, f3
	CHECK_X(a0, D_SNAN)
	TEST_NUM(27)
	li a1, 0x00000000ffffffff
	fmv.d.x f3, a1
	fmv.x.d a0, f3
	CHECK_X(a0, 0x00000000ffffffff)
	CHECK_FLAGS(0)

	/* flw NaN-boxes, fsw stores the low 32 bits */
	la s0, buf
	TEST_NUM(30)
	flw f3, 0(s0)				/* 0x7f800001 (sNaN) */
	CHECK_FREG(f3, 0xffffffff7f800001)
	TEST_NUM(31)
	flw f3, 4(s0)				/* 0x80000000 */
	CHECK_FREG(f3, 0xffffffff80000000)
	TEST_NUM(32)
	LI_S(f4, S_QNAN_P)
	fsw f4, 12(s0)
	lw a0, 12(s0)
	CHECK_X(a0, S_QNAN_P)
	lw a0, 8(s0)				/* neighbours untouched */
	CHECK_X(a0, 0x55555555)
	lw a0, 16(s0)
	CHECK_X(a0, 0x55555555)
	/* fld / fsd, with a negative offset */
	TEST_NUM(33)
	addi s1, s0, 64
	fld f3, -40(s1)				/* buf + 24 */
	CHECK_FREG(f3, D_NSNAN)
	TEST_NUM(34)
	LI_D(f4, 0x0123456789abcdef)
	fsd f4, -24(s1)				/* buf + 40 */
	ld a0, 40(s0)
	CHECK_X(a0, 0x0123456789abcdef)
	TEST_NUM(35)
	fld f3, 40(s0)
	CHECK_FD(f3, 0x0123456789abcdef)
	/* fsw/flw round trip of a binary32 whose bits look like a NaN */
	TEST_NUM(36)
	LI_S(f4, S_NSNAN)
	fsw f4, 48(s0)
	flw f5, 48(s0)
	CHECK_FS(f5, S_NSNAN)
	CHECK_FLAGS(0)

	/* compressed loads and stores (RV64C: c.fld/c.fsd, c.fldsp/c.fsdsp) */
	TEST_NUM(40)
	li a0, 0x400921fb54442d18		/* pi */
	sd a0, 64(s0)
	c.fld f8, 64(s0)
	CHECK_FD(f8, 0x400921fb54442d18)
	TEST_NUM(41)
	LI_D(f9, D_NQNAN)
	c.fsd f9, 72(s0)
	ld a0, 72(s0)
	CHECK_X(a0, D_NQNAN)
	TEST_NUM(42)
	c.fld f15, 248(s0)			/* largest offset */
	CHECK_FD(f15, 0x1122334455667788)
	TEST_NUM(43)
	addi sp, sp, -512
	li a0, 0x3333333333333333
	sd a0, 504(sp)
	c.fldsp f10, 504(sp)
	CHECK_FD(f10, 0x3333333333333333)
	TEST_NUM(44)
	LI_D(f11, D_MIN_SUB)
	c.fsdsp f11, 8(sp)
	ld a0, 8(sp)
	CHECK_X(a0, D_MIN_SUB)
	TEST_NUM(45)
	c.fldsp f31, 8(sp)			/* any f register */
	CHECK_FD(f31, D_MIN_SUB)
	addi sp, sp, 512
	CHECK_FLAGS(0)
	j pass

	.data
	.balign 8
buf:
	.word 0x7f800001, 0x80000000, 0x55555555, 0x55555555
	.word 0x55555555, 0x55555555
	.dword D_NSNAN				/* buf + 24 */
	.dword 0, 0, 0, 0, 0
	.fill 22, 8, 0
	.dword 0x1122334455667788		/* buf + 248 */
