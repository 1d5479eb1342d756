/* Rounding modes: every operation class in all five modes, first with the
 * static rm field (checks 1-100), then with rm=DYN after setting frm in
 * five different ways (checks 101-200), then frm edge cases (201-). */
#include "fp_test.h"

/* five ways to set frm before a DYN operation (the fcsr write also
 * clears fflags, which the checks clear anyway) */
#define SETRM_0 fsrmi RNE
#define SETRM_1 csrwi frm, RTZ
#define SETRM_2 li t1, RDN << 5; csrw fcsr, t1
#define SETRM_3 li t1, RUP; fsrm t1
#define SETRM_4 csrwi frm, 0; csrsi frm, RMM

/* T is one of the T_xx checks from fp_test.h, OPS the operands; the
 * expected results and flags are given for RNE RTZ RDN RUP RMM */
#define R5(T, n, IN, OP, OPS, r0, q0, r1, q1, r2, q2, r3, q3, r4, q4) \
	T(n, r0, q0, IN, OP OPS, rne); \
	T(n + 1, r1, q1, IN, OP OPS, rtz); \
	T(n + 2, r2, q2, IN, OP OPS, rdn); \
	T(n + 3, r3, q3, IN, OP OPS, rup); \
	T(n + 4, r4, q4, IN, OP OPS, rmm); \
	SETRM_0; T(n + 100, r0, q0, IN, OP OPS, dyn); \
	SETRM_1; T(n + 101, r1, q1, IN, OP OPS, dyn); \
	SETRM_2; T(n + 102, r2, q2, IN, OP OPS, dyn); \
	SETRM_3; T(n + 103, r3, q3, IN, OP OPS, dyn); \
	SETRM_4; T(n + 104, r4, q4, IN, OP OPS, dyn)

#define FFF f3, f1, f2
#define FFFF f3, f1, f2, f4
#define FF f3, f1
#define XF a0, f1
#define FX f3, a1
/* operand lists as one macro argument */
#define A1(a) a
#define A2(a, b) a, b
#define A3(a, b, c) a, b, c

	.text
	.globl main
main:
	/* 1 + 2^-24: tie */
	R5(T_S2, 1, A2(S_ONE, S_2M24), fadd.s, FFF,
	   S_ONE, NX, S_ONE, NX, S_ONE, NX, 0x3f800001, NX, 0x3f800001, NX)
	/* -1 - 2^-24 */
	R5(T_S2, 6, A2(S_MONE, 0xb3800000), fadd.s, FFF,
	   S_MONE, NX, S_MONE, NX, 0xbf800001, NX, S_MONE, NX, 0xbf800001, NX)
	/* 1 + 2^-53: tie */
	R5(T_D2, 11, A2(D_ONE, D_2M53), fadd.d, FFF,
	   D_ONE, NX, D_ONE, NX, D_ONE, NX, 0x3ff0000000000001, NX, 0x3ff0000000000001, NX)
	/* (1 + 2^-26)(1 + 2^-27): tie */
	R5(T_D2, 16, A2(0x3ff0000004000000, 0x3ff0000002000000), fmul.d, FFF,
	   0x3ff0000006000000, NX, 0x3ff0000006000000, NX, 0x3ff0000006000000, NX,
	   0x3ff0000006000001, NX, 0x3ff0000006000001, NX)
	/* 1/3 */
	R5(T_S2, 21, A2(S_ONE, S_THREE), fdiv.s, FFF,
	   0x3eaaaaab, NX, 0x3eaaaaaa, NX, 0x3eaaaaaa, NX, 0x3eaaaaab, NX, 0x3eaaaaab, NX)
	/* -1/3 */
	R5(T_D2, 26, A2(D_MONE, D_THREE), fdiv.d, FFF,
	   0xbfd5555555555555, NX, 0xbfd5555555555555, NX, 0xbfd5555555555556, NX,
	   0xbfd5555555555555, NX, 0xbfd5555555555555, NX)
	/* sqrt(2) */
	R5(T_D1, 31, A1(D_TWO), fsqrt.d, FF,
	   0x3ff6a09e667f3bcd, NX, 0x3ff6a09e667f3bcc, NX, 0x3ff6a09e667f3bcc, NX,
	   0x3ff6a09e667f3bcd, NX, 0x3ff6a09e667f3bcd, NX)
	R5(T_S1, 36, A1(S_TWO), fsqrt.s, FF,
	   0x3fb504f3, NX, 0x3fb504f3, NX, 0x3fb504f3, NX, 0x3fb504f4, NX, 0x3fb504f3, NX)
	/* (1 + 2^-12)^2 + 0: a tie rounded once by the fma */
	R5(T_S3, 41, A3(0x3f800800, 0x3f800800, S_PZERO), fmadd.s, FFFF,
	   0x3f801000, NX, 0x3f801000, NX, 0x3f801000, NX, 0x3f801001, NX, 0x3f801001, NX)
	/* -((1 + 2^-26)(1 + 2^-27)) - (-0): the negative tie */
	R5(T_D3, 46, A3(0x3ff0000004000000, 0x3ff0000002000000, D_NZERO), fnmadd.d, FFFF,
	   0xbff0000006000000, NX, 0xbff0000006000000, NX, 0xbff0000006000001, NX,
	   0xbff0000006000000, NX, 0xbff0000006000001, NX)
	/* fcvt.w.s 2.5 */
	R5(T_XS1, 51, A1(0x40200000), fcvt.w.s, XF,
	   2, NX, 2, NX, 2, NX, 3, NX, 3, NX)
	/* fcvt.l.d -2.5 */
	R5(T_XD1, 56, A1(0xc004000000000000), fcvt.l.d, XF,
	   -2, NX, -2, NX, -3, NX, -2, NX, -3, NX)
	/* fcvt.wu.d -0.5: rounding to -1 is out of range (NV, result 0) */
	R5(T_XD1, 61, A1(0xbfe0000000000000), fcvt.wu.d, XF,
	   0, NX, 0, NX, 0, NV, 0, NX, 0, NV)
	/* fcvt.s.w 2^24 + 1: tie */
	R5(T_SX, 66, A1(16777217), fcvt.s.w, FX,
	   0x4b800000, NX, 0x4b800000, NX, 0x4b800000, NX, 0x4b800001, NX, 0x4b800001, NX)
	/* fcvt.d.l -(2^53 + 1): tie */
	R5(T_DX, 71, A1(-9007199254740993), fcvt.d.l, FX,
	   0xc340000000000000, NX, 0xc340000000000000, NX, 0xc340000000000001, NX,
	   0xc340000000000000, NX, 0xc340000000000001, NX)
	/* fcvt.s.d 1 + 2^-24: tie */
	R5(T_D1S, 76, A1(0x3ff0000010000000), fcvt.s.d, FF,
	   S_ONE, NX, S_ONE, NX, S_ONE, NX, 0x3f800001, NX, 0x3f800001, NX)
	/* fcvt.s.lu 2^64 - 1 */
	R5(T_SX, 81, A1(-1), fcvt.s.lu, FX,
	   0x5f800000, NX, 0x5f7fffff, NX, 0x5f7fffff, NX, 0x5f800000, NX, 0x5f800000, NX)
	/* overflow: the directed modes may stop at the largest finite */
	R5(T_S2, 86, A2(S_MAX, S_TWO), fmul.s, FFF,
	   S_PINF, OF | NX, S_MAX, OF | NX, S_MAX, OF | NX, S_PINF, OF | NX, S_PINF, OF | NX)
	/* 2^-1074 * 0.5: a tie between 0 and the smallest subnormal */
	R5(T_D2, 91, A2(D_MIN_SUB, D_HALF), fmul.d, FFF,
	   D_PZERO, UF | NX, D_PZERO, UF | NX, D_PZERO, UF | NX, D_MIN_SUB, UF | NX, D_MIN_SUB, UF | NX)
	/* x - x: +0 except in RDN */
	R5(T_S2, 96, A2(S_ONE, S_ONE), fsub.s, FFF,
	   S_PZERO, 0, S_PZERO, 0, S_NZERO, 0, S_PZERO, 0, S_PZERO, 0)

	/* a change of frm takes effect at the very next instruction */
	TEST_NUM(201)
	LI_D(f1, D_ONE)
	LI_D(f2, D_THREE)
	fsrmi RUP
	fdiv.d f3, f1, f2, dyn
	fsrmi RDN
	fdiv.d f5, f1, f2, dyn
	CHECK_FD(f3, 0x3fd5555555555556)
	CHECK_FD(f5, 0x3fd5555555555555)
	/* a static rm ignores frm */
	TEST_NUM(202)
	fsrmi RUP
	fdiv.d f3, f1, f2, rtz
	CHECK_FD(f3, 0x3fd5555555555555)
	/* frm survives fflags writes and fcsr keeps it in bits 7:5 */
	TEST_NUM(203)
	fsrmi RMM
	csrwi fflags, 0x1f
	csrwi fflags, 0
	frrm a0
	CHECK_X(a0, RMM)
	csrr a0, fcsr
	CHECK_X(a0, RMM << 5)
	fsrmi RNE
	j pass
