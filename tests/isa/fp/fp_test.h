/* Helpers for the F/D ISA tests (assembly side), on top of ../common/test.h.
 *
 * Conventions: f1, f2, f4 are operands, f3 the result; t0-t2 scratch,
 * t3 the collected fflags, t5/t6 used by the checks. Expected values were
 * derived by hand and each test passes under qemu-system-riscv64 -M spike.
 *
 * Check numbers stay within 1..255: the HTIF exit status is gp, and QEMU
 * passes it to exit(), which keeps only the low 8 bits.
 */
#ifndef MACHINA_ISA_FP_TEST_H
#define MACHINA_ISA_FP_TEST_H

#include "test.h"

/* fflags bits */
#define NX 0x01
#define UF 0x02
#define OF 0x04
#define DZ 0x08
#define NV 0x10

/* frm / rm encodings */
#define RNE 0
#define RTZ 1
#define RDN 2
#define RUP 3
#define RMM 4
#define DYN 7

#define MSTATUS_FS	(3 << 13)
#define MSTATUS_FS_INIT	(1 << 13)
#define MSTATUS_FS_CLEAN (2 << 13)
#define MSTATUS_FS_DIRTY (3 << 13)
#define CAUSE_ILLEGAL	2

/* binary32 constants */
#define S_ONE		0x3f800000
#define S_MONE		0xbf800000
#define S_TWO		0x40000000
#define S_THREE		0x40400000
#define S_HALF		0x3f000000
#define S_PZERO		0x00000000
#define S_NZERO		0x80000000
#define S_PINF		0x7f800000
#define S_NINF		0xff800000
#define S_QNAN		0x7fc00000
#define S_QNAN_P	0x7fc00123
#define S_NQNAN		0xffc00000
#define S_SNAN		0x7f800001
#define S_NSNAN		0xffa00000
#define S_MAX		0x7f7fffff
#define S_MIN_N		0x00800000
#define S_MAX_SUB	0x007fffff
#define S_MIN_SUB	0x00000001
#define S_2M24		0x33800000

/* binary64 constants */
#define D_ONE		0x3ff0000000000000
#define D_MONE		0xbff0000000000000
#define D_TWO		0x4000000000000000
#define D_THREE		0x4008000000000000
#define D_HALF		0x3fe0000000000000
#define D_PZERO		0x0000000000000000
#define D_NZERO		0x8000000000000000
#define D_PINF		0x7ff0000000000000
#define D_NINF		0xfff0000000000000
#define D_QNAN		0x7ff8000000000000
#define D_QNAN_P	0x7ff8000000000123
#define D_NQNAN		0xfff8000000000000
#define D_SNAN		0x7ff0000000000001
#define D_NSNAN		0xfff4000000000000
#define D_MAX		0x7fefffffffffffff
#define D_MIN_N		0x0010000000000000
#define D_MAX_SUB	0x000fffffffffffff
#define D_MIN_SUB	0x0000000000000001
#define D_2M53		0x3ca0000000000000

/* NaN-boxed binary32 as a 64-bit register image */
#define BOX(x)		(0xffffffff00000000 | (x))

/* load an f register: fmv.w.x NaN-boxes, fmv.d.x copies all 64 bits */
#define LI_S(fr, v)	li t0, v; fmv.w.x fr, t0
#define LI_D(fr, v)	li t0, v; fmv.d.x fr, t0

/* clear fflags */
#define CLR_FLAGS	csrwi fflags, 0
/* move fflags to t3 and clear them */
#define GET_FLAGS	fsflags t3, zero

/* check the whole 64-bit f register / an x register / the flags */
#define CHECK_FREG(fr, v)	fmv.x.d t5, fr; li t6, v; bne t5, t6, fail
#define CHECK_FS(fr, v)		CHECK_FREG(fr, BOX(v))
#define CHECK_FD(fr, v)		CHECK_FREG(fr, v)
#define CHECK_X(r, v)		li t6, v; bne r, t6, fail
#define CHECK_FLAGS(v)		GET_FLAGS; li t6, v; bne t3, t6, fail

/* One operation on operands loaded into f1, f2 (and f4), the instruction
 * given in full as the trailing arguments (so it may carry an rm operand),
 * then result and flags are checked. Result in f3 (FP) or a0 (integer). */
#define T_S1(n, res, fl, a, ...) \
	TEST_NUM(n); LI_S(f1, a); CLR_FLAGS; __VA_ARGS__; CHECK_FS(f3, res); CHECK_FLAGS(fl)
#define T_S2(n, res, fl, a, b, ...) \
	TEST_NUM(n); LI_S(f1, a); LI_S(f2, b); CLR_FLAGS; __VA_ARGS__; CHECK_FS(f3, res); CHECK_FLAGS(fl)
#define T_S3(n, res, fl, a, b, c, ...) \
	TEST_NUM(n); LI_S(f1, a); LI_S(f2, b); LI_S(f4, c); CLR_FLAGS; __VA_ARGS__; \
	CHECK_FS(f3, res); CHECK_FLAGS(fl)
#define T_D1(n, res, fl, a, ...) \
	TEST_NUM(n); LI_D(f1, a); CLR_FLAGS; __VA_ARGS__; CHECK_FD(f3, res); CHECK_FLAGS(fl)
#define T_D2(n, res, fl, a, b, ...) \
	TEST_NUM(n); LI_D(f1, a); LI_D(f2, b); CLR_FLAGS; __VA_ARGS__; CHECK_FD(f3, res); CHECK_FLAGS(fl)
#define T_D3(n, res, fl, a, b, c, ...) \
	TEST_NUM(n); LI_D(f1, a); LI_D(f2, b); LI_D(f4, c); CLR_FLAGS; __VA_ARGS__; \
	CHECK_FD(f3, res); CHECK_FLAGS(fl)
/* binary64 operand, binary32 result (fcvt.s.d) */
#define T_D1S(n, res, fl, a, ...) \
	TEST_NUM(n); LI_D(f1, a); CLR_FLAGS; __VA_ARGS__; CHECK_FS(f3, res); CHECK_FLAGS(fl)
/* binary32 operand, binary64 result (fcvt.d.s) */
#define T_S1D(n, res, fl, a, ...) \
	TEST_NUM(n); LI_S(f1, a); CLR_FLAGS; __VA_ARGS__; CHECK_FD(f3, res); CHECK_FLAGS(fl)
/* FP operands, integer result in a0 */
#define T_XS1(n, res, fl, a, ...) \
	TEST_NUM(n); LI_S(f1, a); CLR_FLAGS; __VA_ARGS__; CHECK_X(a0, res); CHECK_FLAGS(fl)
#define T_XS2(n, res, fl, a, b, ...) \
	TEST_NUM(n); LI_S(f1, a); LI_S(f2, b); CLR_FLAGS; __VA_ARGS__; CHECK_X(a0, res); CHECK_FLAGS(fl)
#define T_XD1(n, res, fl, a, ...) \
	TEST_NUM(n); LI_D(f1, a); CLR_FLAGS; __VA_ARGS__; CHECK_X(a0, res); CHECK_FLAGS(fl)
#define T_XD2(n, res, fl, a, b, ...) \
	TEST_NUM(n); LI_D(f1, a); LI_D(f2, b); CLR_FLAGS; __VA_ARGS__; CHECK_X(a0, res); CHECK_FLAGS(fl)
/* integer operand in a1, FP result in f3 */
#define T_SX(n, res, fl, a, ...) \
	TEST_NUM(n); li a1, a; CLR_FLAGS; __VA_ARGS__; CHECK_FS(f3, res); CHECK_FLAGS(fl)
#define T_DX(n, res, fl, a, ...) \
	TEST_NUM(n); li a1, a; CLR_FLAGS; __VA_ARGS__; CHECK_FD(f3, res); CHECK_FLAGS(fl)

#endif
