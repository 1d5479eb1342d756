/* test_fpu.c - unit tests for src/cpu/rv64/fpu.c (RISC-V F/D semantics).
 *
 * Every expected value below was derived by hand (the comments give the
 * reasoning) and checked against the real instructions under QEMU
 * (qemu-system-riscv64, whose FPU is SoftFloat-based) with the same inputs.
 *
 * Notation in comments: ulp = unit in the last place, "tie" = exactly half
 * way between two representable values. Modes are listed RNE RTZ RDN RUP RMM.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fenv.h>
#include <stdio.h>

#include "cpu/rv64/fpu.h"

enum op {
	ADD_S, SUB_S, MUL_S, DIV_S, SQRT_S, MADD_S, MSUB_S, NMSUB_S, NMADD_S,
	MIN_S, MAX_S, EQ_S, LT_S, LE_S, CLASS_S,
	CVT_W_S, CVT_WU_S, CVT_L_S, CVT_LU_S, CVT_S_W, CVT_S_WU, CVT_S_L, CVT_S_LU,
	ADD_D = 32, SUB_D, MUL_D, DIV_D, SQRT_D, MADD_D, MSUB_D, NMSUB_D, NMADD_D,
	MIN_D, MAX_D, EQ_D, LT_D, LE_D, CLASS_D,
	CVT_W_D, CVT_WU_D, CVT_L_D, CVT_LU_D, CVT_D_W, CVT_D_WU, CVT_D_L, CVT_D_LU,
	CVT_D_S = 64, CVT_S_D,
};

static const char *const op_names[] = {
	[ADD_S] = "fadd.s", [SUB_S] = "fsub.s", [MUL_S] = "fmul.s", [DIV_S] = "fdiv.s",
	[SQRT_S] = "fsqrt.s", [MADD_S] = "fmadd.s", [MSUB_S] = "fmsub.s",
	[NMSUB_S] = "fnmsub.s", [NMADD_S] = "fnmadd.s", [MIN_S] = "fmin.s",
	[MAX_S] = "fmax.s", [EQ_S] = "feq.s", [LT_S] = "flt.s", [LE_S] = "fle.s",
	[CLASS_S] = "fclass.s", [CVT_W_S] = "fcvt.w.s", [CVT_WU_S] = "fcvt.wu.s",
	[CVT_L_S] = "fcvt.l.s", [CVT_LU_S] = "fcvt.lu.s", [CVT_S_W] = "fcvt.s.w",
	[CVT_S_WU] = "fcvt.s.wu", [CVT_S_L] = "fcvt.s.l", [CVT_S_LU] = "fcvt.s.lu",
	[ADD_D] = "fadd.d", [SUB_D] = "fsub.d", [MUL_D] = "fmul.d", [DIV_D] = "fdiv.d",
	[SQRT_D] = "fsqrt.d", [MADD_D] = "fmadd.d", [MSUB_D] = "fmsub.d",
	[NMSUB_D] = "fnmsub.d", [NMADD_D] = "fnmadd.d", [MIN_D] = "fmin.d",
	[MAX_D] = "fmax.d", [EQ_D] = "feq.d", [LT_D] = "flt.d", [LE_D] = "fle.d",
	[CLASS_D] = "fclass.d", [CVT_W_D] = "fcvt.w.d", [CVT_WU_D] = "fcvt.wu.d",
	[CVT_L_D] = "fcvt.l.d", [CVT_LU_D] = "fcvt.lu.d", [CVT_D_W] = "fcvt.d.w",
	[CVT_D_WU] = "fcvt.d.wu", [CVT_D_L] = "fcvt.d.l", [CVT_D_LU] = "fcvt.d.lu",
	[CVT_D_S] = "fcvt.d.s", [CVT_S_D] = "fcvt.s.d",
};

struct vec {
	int op;
	int rm;
	uint64_t a, b, c;
	uint64_t res;
	uint32_t flags;
	int line;
};

#define NX RV_FF_NX
#define UF RV_FF_UF
#define OF RV_FF_OF
#define DZ RV_FF_DZ
#define NV RV_FF_NV

/* one vector; unused operands are 0 */
#define V(op, rm, a, b, c, res, fl) { op, RV_RM_##rm, a, b, c, res, fl, __LINE__ }
/* the same operation in all five modes: results and flags for RNE RTZ RDN RUP RMM */
#define V5(op, a, b, c, r0, f0, r1, f1, r2, f2, r3, f3, r4, f4) \
	V(op, RNE, a, b, c, r0, f0), V(op, RTZ, a, b, c, r1, f1), V(op, RDN, a, b, c, r2, f2), \
	V(op, RUP, a, b, c, r3, f3), V(op, RMM, a, b, c, r4, f4)
/* the same result and flags in every mode */
#define VALL(op, a, b, c, r, f) V5(op, a, b, c, r, f, r, f, r, f, r, f, r, f)

/* binary32 constants */
#define S_ONE		0x3f800000u	/* 1.0 */
#define S_MONE		0xbf800000u	/* -1.0 */
#define S_TWO		0x40000000u
#define S_HALF		0x3f000000u
#define S_PZERO		0x00000000u
#define S_NZERO		0x80000000u
#define S_PINF		0x7f800000u
#define S_NINF		0xff800000u
#define S_QNAN		0x7fc00000u	/* canonical */
#define S_QNAN_P	0x7fc00001u	/* quiet, with payload */
#define S_NQNAN		0xffc00000u	/* negative quiet */
#define S_SNAN		0x7f800001u
#define S_NSNAN		0xffa00000u	/* negative signalling */
#define S_MAX		0x7f7fffffu	/* (2 - 2^-23) * 2^127 */
#define S_MIN_N		0x00800000u	/* 2^-126 */
#define S_MAX_SUB	0x007fffffu
#define S_MIN_SUB	0x00000001u	/* 2^-149 */
#define S_2M24		0x33800000u	/* 2^-24: half an ulp of 1.0 */
#define S_2M25		0x33000000u	/* 2^-25: a quarter ulp of 1.0 */

/* binary64 constants */
#define D_ONE		0x3ff0000000000000ull
#define D_MONE		0xbff0000000000000ull
#define D_TWO		0x4000000000000000ull
#define D_HALF		0x3fe0000000000000ull
#define D_PZERO		0x0000000000000000ull
#define D_NZERO		0x8000000000000000ull
#define D_PINF		0x7ff0000000000000ull
#define D_NINF		0xfff0000000000000ull
#define D_QNAN		0x7ff8000000000000ull
#define D_QNAN_P	0x7ff8000000000123ull
#define D_NQNAN		0xfff8000000000000ull
#define D_SNAN		0x7ff0000000000001ull
#define D_NSNAN		0xfff4000000000000ull
#define D_MAX		0x7fefffffffffffffull
#define D_MIN_N		0x0010000000000000ull
#define D_MAX_SUB	0x000fffffffffffffull
#define D_MIN_SUB	0x0000000000000001ull
#define D_2M53		0x3ca0000000000000ull	/* half an ulp of 1.0 */
#define D_2M54		0x3c90000000000000ull

/* Apply one vector. 32-bit float results are compared in the low 32 bits. */
static uint64_t eval(const struct vec *v, uint32_t *ff)
{
	uint32_t a = (uint32_t)v->a, b = (uint32_t)v->b, c = (uint32_t)v->c;
	int rm = v->rm;

	switch (v->op) {
	case ADD_S: return rv_f32_add(a, b, rm, ff);
	case SUB_S: return rv_f32_sub(a, b, rm, ff);
	case MUL_S: return rv_f32_mul(a, b, rm, ff);
	case DIV_S: return rv_f32_div(a, b, rm, ff);
	case SQRT_S: return rv_f32_sqrt(a, rm, ff);
	case MADD_S: return rv_f32_fma(a, b, c, 0, 0, rm, ff);
	case MSUB_S: return rv_f32_fma(a, b, c, 0, 1, rm, ff);
	case NMSUB_S: return rv_f32_fma(a, b, c, 1, 0, rm, ff);
	case NMADD_S: return rv_f32_fma(a, b, c, 1, 1, rm, ff);
	case MIN_S: return rv_f32_min(a, b, ff);
	case MAX_S: return rv_f32_max(a, b, ff);
	case EQ_S: return (uint64_t)rv_f32_eq(a, b, ff);
	case LT_S: return (uint64_t)rv_f32_lt(a, b, ff);
	case LE_S: return (uint64_t)rv_f32_le(a, b, ff);
	case CLASS_S: return rv_f32_class(a);
	case CVT_W_S: return (uint64_t)rv_f32_to_i32(a, rm, ff);
	case CVT_WU_S: return (uint64_t)rv_f32_to_u32(a, rm, ff);
	case CVT_L_S: return (uint64_t)rv_f32_to_i64(a, rm, ff);
	case CVT_LU_S: return rv_f32_to_u64(a, rm, ff);
	case CVT_S_W: return rv_i32_to_f32((int32_t)v->a, rm, ff);
	case CVT_S_WU: return rv_u32_to_f32((uint32_t)v->a, rm, ff);
	case CVT_S_L: return rv_i64_to_f32((int64_t)v->a, rm, ff);
	case CVT_S_LU: return rv_u64_to_f32(v->a, rm, ff);
	case ADD_D: return rv_f64_add(v->a, v->b, rm, ff);
	case SUB_D: return rv_f64_sub(v->a, v->b, rm, ff);
	case MUL_D: return rv_f64_mul(v->a, v->b, rm, ff);
	case DIV_D: return rv_f64_div(v->a, v->b, rm, ff);
	case SQRT_D: return rv_f64_sqrt(v->a, rm, ff);
	case MADD_D: return rv_f64_fma(v->a, v->b, v->c, 0, 0, rm, ff);
	case MSUB_D: return rv_f64_fma(v->a, v->b, v->c, 0, 1, rm, ff);
	case NMSUB_D: return rv_f64_fma(v->a, v->b, v->c, 1, 0, rm, ff);
	case NMADD_D: return rv_f64_fma(v->a, v->b, v->c, 1, 1, rm, ff);
	case MIN_D: return rv_f64_min(v->a, v->b, ff);
	case MAX_D: return rv_f64_max(v->a, v->b, ff);
	case EQ_D: return (uint64_t)rv_f64_eq(v->a, v->b, ff);
	case LT_D: return (uint64_t)rv_f64_lt(v->a, v->b, ff);
	case LE_D: return (uint64_t)rv_f64_le(v->a, v->b, ff);
	case CLASS_D: return rv_f64_class(v->a);
	case CVT_W_D: return (uint64_t)rv_f64_to_i32(v->a, rm, ff);
	case CVT_WU_D: return (uint64_t)rv_f64_to_u32(v->a, rm, ff);
	case CVT_L_D: return (uint64_t)rv_f64_to_i64(v->a, rm, ff);
	case CVT_LU_D: return rv_f64_to_u64(v->a, rm, ff);
	case CVT_D_W: return rv_i32_to_f64((int32_t)v->a, rm, ff);
	case CVT_D_WU: return rv_u32_to_f64((uint32_t)v->a, rm, ff);
	case CVT_D_L: return rv_i64_to_f64((int64_t)v->a, rm, ff);
	case CVT_D_LU: return rv_u64_to_f64(v->a, rm, ff);
	case CVT_D_S: return rv_f32_to_f64(a, ff);
	case CVT_S_D: return rv_f64_to_f32(v->a, rm, ff);
	}
	fail_msg("bad op %d", v->op);
	return 0;
}

static const char *const rm_names[] = { "rne", "rtz", "rdn", "rup", "rmm" };

/* Run a table; report every mismatch, then fail if there was one. The flags
 * word starts at 0 for each vector, so exactly the expected flags must come
 * back. */
static void run_table(const struct vec *t, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t ff = 0;
		uint64_t r = eval(&t[i], &ff);

		if (r != t[i].res || ff != t[i].flags) {
			print_error("line %d: %s rm=%s a=%#llx b=%#llx c=%#llx: got %#llx flags %#x,"
				    " want %#llx flags %#x\n", t[i].line, op_names[t[i].op],
				    rm_names[t[i].rm], (unsigned long long)t[i].a,
				    (unsigned long long)t[i].b, (unsigned long long)t[i].c,
				    (unsigned long long)r, ff, (unsigned long long)t[i].res, t[i].flags);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

#define RUN(t) run_table(t, sizeof(t) / sizeof((t)[0]))

/* ---- add / sub ------------------------------------------------------------ */

static const struct vec add_vecs[] = {
	/* exact */
	VALL(ADD_S, S_ONE, S_ONE, 0, S_TWO, 0),
	VALL(ADD_D, D_ONE, D_ONE, 0, D_TWO, 0),
	VALL(ADD_D, D_ONE, 0x3cb0000000000000ull /* 2^-52 */, 0, 0x3ff0000000000001ull, 0),
	/* 1 + 2^-24: a tie between 1 and 1+ulp; RNE keeps the even 1.0, RMM
	 * goes away from zero */
	V5(ADD_S, S_ONE, S_2M24, 0, S_ONE, NX, S_ONE, NX, S_ONE, NX, 0x3f800001, NX, 0x3f800001, NX),
	/* (1+ulp) + 2^-24: tie with an odd lsb, so RNE rounds up too */
	V5(ADD_S, 0x3f800001, S_2M24, 0, 0x3f800002, NX, 0x3f800001, NX, 0x3f800001, NX,
	   0x3f800002, NX, 0x3f800002, NX),
	/* -1 - 2^-24: the mirrored tie; RDN goes to -(1+ulp), RUP toward zero */
	V5(ADD_S, S_MONE, 0xb3800000, 0, S_MONE, NX, S_MONE, NX, 0xbf800001, NX, S_MONE, NX,
	   0xbf800001, NX),
	/* 1 + 2^-25: a quarter ulp, only RUP moves */
	V5(ADD_S, S_ONE, S_2M25, 0, S_ONE, NX, S_ONE, NX, S_ONE, NX, 0x3f800001, NX, S_ONE, NX),
	/* 1 + 3*2^-25: three quarters of an ulp: nearest modes round up */
	V5(ADD_S, S_ONE, 0x33c00000, 0, 0x3f800001, NX, S_ONE, NX, S_ONE, NX, 0x3f800001, NX,
	   0x3f800001, NX),
	/* binary64 tie 1 + 2^-53 */
	V5(ADD_D, D_ONE, D_2M53, 0, D_ONE, NX, D_ONE, NX, D_ONE, NX, 0x3ff0000000000001ull, NX,
	   0x3ff0000000000001ull, NX),
	/* -(1 + 2^-52) - 2^-53: negative tie with odd lsb */
	V5(ADD_D, 0xbff0000000000001ull, 0xbca0000000000000ull, 0, 0xbff0000000000002ull, NX,
	   0xbff0000000000001ull, NX, 0xbff0000000000002ull, NX, 0xbff0000000000001ull, NX,
	   0xbff0000000000002ull, NX),
	/* 1 - 2^-54: the result lies just below 1 (ulp there is 2^-53), a tie
	 * between 1 - 2^-53 (odd) and 1.0 */
	V5(SUB_D, D_ONE, D_2M54, 0, D_ONE, NX, 0x3fefffffffffffffull, NX, 0x3fefffffffffffffull, NX,
	   D_ONE, NX, D_ONE, NX),
	/* x - x is +0, except -0 in RDN (IEEE 754 6.3) */
	V5(SUB_S, S_ONE, S_ONE, 0, S_PZERO, 0, S_PZERO, 0, S_NZERO, 0, S_PZERO, 0, S_PZERO, 0),
	V5(ADD_D, D_ONE, D_MONE, 0, D_PZERO, 0, D_PZERO, 0, D_NZERO, 0, D_PZERO, 0, D_PZERO, 0),
	/* signed zeros: -0 + -0 = -0; +0 + -0 = +0 except RDN */
	VALL(ADD_S, S_NZERO, S_NZERO, 0, S_NZERO, 0),
	V5(ADD_S, S_PZERO, S_NZERO, 0, S_PZERO, 0, S_PZERO, 0, S_NZERO, 0, S_PZERO, 0, S_PZERO, 0),
	VALL(SUB_D, D_NZERO, D_PZERO, 0, D_NZERO, 0),
	/* x + 0 = x exactly, even subnormal x */
	VALL(ADD_S, S_MIN_SUB, S_NZERO, 0, S_MIN_SUB, 0),
	VALL(ADD_D, D_NZERO, 0x8000000000000005ull, 0, 0x8000000000000005ull, 0),
	/* subnormal arithmetic is exact: no UF without NX */
	VALL(SUB_S, S_MIN_N, S_MIN_SUB, 0, S_MAX_SUB, 0),
	VALL(ADD_D, D_MAX_SUB, D_MIN_SUB, 0, D_MIN_N, 0),
	/* infinities */
	VALL(ADD_S, S_PINF, S_MONE, 0, S_PINF, 0),
	VALL(SUB_D, D_ONE, D_PINF, 0, D_NINF, 0),
	VALL(ADD_D, D_NINF, D_NINF, 0, D_NINF, 0),
	VALL(ADD_S, S_PINF, S_NINF, 0, S_QNAN, NV),		/* inf - inf */
	VALL(SUB_D, D_PINF, D_PINF, 0, D_QNAN, NV),
	/* overflow by rounding: MAX + half an ulp (2^103) is a tie and MAX is
	 * odd, so RNE/RMM round up to 2^128 = overflow; RTZ/RDN stay finite
	 * and, the rounded result being MAX, raise only NX */
	V5(ADD_S, S_MAX, 0x73000000, 0, S_PINF, OF | NX, S_MAX, NX, S_MAX, NX, S_PINF, OF | NX,
	   S_PINF, OF | NX),
	/* MAX + a quarter ulp: only RUP overflows */
	V5(ADD_S, S_MAX, 0x72800000, 0, S_MAX, NX, S_MAX, NX, S_MAX, NX, S_PINF, OF | NX, S_MAX, NX),
	V5(ADD_D, D_MAX, D_MAX, 0, D_PINF, OF | NX, D_MAX, OF | NX, D_MAX, OF | NX, D_PINF, OF | NX,
	   D_PINF, OF | NX),
	V5(SUB_D, 0xffefffffffffffffull, D_MAX, 0, D_NINF, OF | NX, 0xffefffffffffffffull, OF | NX,
	   D_NINF, OF | NX, 0xffefffffffffffffull, OF | NX, D_NINF, OF | NX),
	/* big exponent difference: the small operand only acts as sticky */
	V5(ADD_D, D_ONE, D_MIN_SUB, 0, D_ONE, NX, D_ONE, NX, D_ONE, NX, 0x3ff0000000000001ull, NX,
	   D_ONE, NX),
	V5(SUB_S, S_ONE, S_MIN_SUB, 0, S_ONE, NX, 0x3f7fffff, NX, 0x3f7fffff, NX, S_ONE, NX, S_ONE, NX),
	/* massive cancellation is exact */
	VALL(SUB_D, 0x3ff0000000000001ull, D_ONE, 0, 0x3cb0000000000000ull, 0),
	VALL(SUB_S, 0x3f800001, S_ONE, 0, 0x34000000, 0),
};

static void test_add_sub(void **state)
{
	RUN(add_vecs);
}

/* ---- mul ------------------------------------------------------------------ */

static const struct vec mul_vecs[] = {
	VALL(MUL_S, 0x40400000, 0x40a00000, 0, 0x41700000, 0),		/* 3 * 5 = 15 */
	VALL(MUL_D, D_TWO, 0xc008000000000000ull, 0, 0xc018000000000000ull, 0),	/* 2 * -3 */
	/* (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24: a tie; 1 + 2^-11 is even */
	V5(MUL_S, 0x3f800800, 0x3f800800, 0, 0x3f801000, NX, 0x3f801000, NX, 0x3f801000, NX,
	   0x3f801001, NX, 0x3f801001, NX),
	/* (1 + 2^-23)^2 = 1 + 2^-22 + 2^-46: just above 1 + 2^-22 */
	V5(MUL_S, 0x3f800001, 0x3f800001, 0, 0x3f800002, NX, 0x3f800002, NX, 0x3f800002, NX,
	   0x3f800003, NX, 0x3f800002, NX),
	/* (1 + 2^-26)(1 + 2^-27) = 1 + 2^-26 + 2^-27 + 2^-53: a tie */
	V5(MUL_D, 0x3ff0000004000000ull, 0x3ff0000002000000ull, 0, 0x3ff0000006000000ull, NX,
	   0x3ff0000006000000ull, NX, 0x3ff0000006000000ull, NX, 0x3ff0000006000001ull, NX,
	   0x3ff0000006000001ull, NX),
	/* and negated: RDN now moves away from zero */
	V5(MUL_D, 0x3ff0000004000000ull, 0xbff0000002000000ull, 0, 0xbff0000006000000ull, NX,
	   0xbff0000006000000ull, NX, 0xbff0000006000001ull, NX, 0xbff0000006000000ull, NX,
	   0xbff0000006000001ull, NX),
	/* signs of zero products */
	VALL(MUL_S, S_NZERO, S_ONE, 0, S_NZERO, 0),
	VALL(MUL_D, D_NZERO, D_MONE, 0, D_PZERO, 0),
	VALL(MUL_S, S_PINF, S_MONE, 0, S_NINF, 0),
	VALL(MUL_S, S_PINF, S_PZERO, 0, S_QNAN, NV),		/* inf * 0 */
	VALL(MUL_D, D_NZERO, D_NINF, 0, D_QNAN, NV),
	/* overflow */
	V5(MUL_S, S_MAX, S_TWO, 0, S_PINF, OF | NX, S_MAX, OF | NX, S_MAX, OF | NX, S_PINF, OF | NX,
	   S_PINF, OF | NX),
	V5(MUL_S, 0xff7fffff, S_TWO, 0, S_NINF, OF | NX, 0xff7fffff, OF | NX, S_NINF, OF | NX,
	   0xff7fffff, OF | NX, S_NINF, OF | NX),
	/* 2^-149 * 0.5 = 2^-150: a tie between 0 and the smallest subnormal;
	 * tiny and inexact, so UF in every mode */
	V5(MUL_S, S_MIN_SUB, S_HALF, 0, S_PZERO, UF | NX, S_PZERO, UF | NX, S_PZERO, UF | NX,
	   S_MIN_SUB, UF | NX, S_MIN_SUB, UF | NX),
	V5(MUL_D, 0x8000000000000001ull, D_HALF, 0, D_NZERO, UF | NX, D_NZERO, UF | NX,
	   0x8000000000000001ull, UF | NX, D_NZERO, UF | NX, 0x8000000000000001ull, UF | NX),
	/* 2^-149 * 0.75: nearer the subnormal */
	V5(MUL_S, S_MIN_SUB, 0x3f400000, 0, S_MIN_SUB, UF | NX, S_PZERO, UF | NX, S_PZERO, UF | NX,
	   S_MIN_SUB, UF | NX, S_MIN_SUB, UF | NX),
	/* exact subnormal product: no flags */
	VALL(MUL_S, S_MAX_SUB, S_ONE, 0, S_MAX_SUB, 0),
	VALL(MUL_D, D_MIN_N, D_HALF, 0, 0x0008000000000000ull, 0),
	/* Tininess after rounding, case 1: (1 - 2^-24) * 2^-126 needs 24 bits,
	 * so rounding it to 24 bits with unbounded exponent leaves it below
	 * 2^-126: tiny. As a subnormal it is a tie (2^23 - 0.5 units of 2^-149),
	 * RNE/RMM/RUP give 2^-126 and still raise UF. */
	V5(MUL_S, 0x3f7fffff, S_MIN_N, 0, S_MIN_N, UF | NX, S_MAX_SUB, UF | NX, S_MAX_SUB, UF | NX,
	   S_MIN_N, UF | NX, S_MIN_N, UF | NX),
	V5(MUL_D, 0x3fefffffffffffffull, D_MIN_N, 0, D_MIN_N, UF | NX, D_MAX_SUB, UF | NX,
	   D_MAX_SUB, UF | NX, D_MIN_N, UF | NX, D_MIN_N, UF | NX),
	/* Case 2: (31 * 2^-30) * (1082401 * 2^-121) = (2^25 - 1) * 2^-151
	 * = (1 - 2^-25) * 2^-126. Rounded to 24 bits with unbounded exponent
	 * this is a tie that RNE/RMM/RUP round up to 2^-126: not tiny, so only
	 * NX (tininess before rounding would say UF). RTZ/RDN stay below 2^-126:
	 * tiny, UF. */
	V5(MUL_S, 0x32f80000, 0x0d042108, 0, S_MIN_N, NX, S_MAX_SUB, UF | NX, S_MAX_SUB, UF | NX,
	   S_MIN_N, NX, S_MIN_N, NX),
	/* binary64 case 2: (1 - 2^-27) * ((1 + 2^-27) * 2^-1022) = (1 - 2^-54) * 2^-1022 */
	V5(MUL_D, 0x3feffffffc000000ull, 0x0010000002000000ull, 0, D_MIN_N, NX, D_MAX_SUB, UF | NX,
	   D_MAX_SUB, UF | NX, D_MIN_N, NX, D_MIN_N, NX),
	/* negative case 2: RTZ and RUP now round toward zero and are tiny */
	V5(MUL_D, 0xbfeffffffc000000ull, 0x0010000002000000ull, 0, 0x8010000000000000ull, NX,
	   0x800fffffffffffffull, UF | NX, 0x8010000000000000ull, NX, 0x800fffffffffffffull, UF | NX,
	   0x8010000000000000ull, NX),
	/* deep underflow to zero or the smallest subnormal */
	V5(MUL_D, D_MIN_SUB, D_MIN_SUB, 0, D_PZERO, UF | NX, D_PZERO, UF | NX, D_PZERO, UF | NX,
	   D_MIN_SUB, UF | NX, D_PZERO, UF | NX),
};

static void test_mul(void **state)
{
	RUN(mul_vecs);
}

/* ---- div ------------------------------------------------------------------ */

static const struct vec div_vecs[] = {
	VALL(DIV_S, 0x41700000, 0x40a00000, 0, 0x40400000, 0),		/* 15 / 5 */
	/* 1/3 = 1.0101...b * 2^-2: binary32 keeps 23 fraction bits 0101..010,
	 * the rest (1010...) is 2/3 ulp, so nearest rounds up */
	V5(DIV_S, S_ONE, 0x40400000, 0, 0x3eaaaaab, NX, 0x3eaaaaaa, NX, 0x3eaaaaaa, NX, 0x3eaaaaab, NX,
	   0x3eaaaaab, NX),
	/* binary64 keeps 52 bits 0101..0101, the rest (0101...) is 1/3 ulp */
	V5(DIV_D, D_ONE, 0x4008000000000000ull, 0, 0x3fd5555555555555ull, NX, 0x3fd5555555555555ull, NX,
	   0x3fd5555555555555ull, NX, 0x3fd5555555555556ull, NX, 0x3fd5555555555555ull, NX),
	V5(DIV_D, D_MONE, 0x4008000000000000ull, 0, 0xbfd5555555555555ull, NX, 0xbfd5555555555555ull, NX,
	   0xbfd5555555555556ull, NX, 0xbfd5555555555555ull, NX, 0xbfd5555555555555ull, NX),
	/* 2/3 in binary32: 1.0101..b * 2^-1 */
	V5(DIV_S, S_TWO, 0x40400000, 0, 0x3f2aaaab, NX, 0x3f2aaaaa, NX, 0x3f2aaaaa, NX, 0x3f2aaaab, NX,
	   0x3f2aaaab, NX),
	/* division by zero: DZ only for a finite non-zero dividend */
	VALL(DIV_S, S_ONE, S_PZERO, 0, S_PINF, DZ),
	VALL(DIV_S, S_ONE, S_NZERO, 0, S_NINF, DZ),
	VALL(DIV_D, D_MONE, D_PZERO, 0, D_NINF, DZ),
	VALL(DIV_D, D_MIN_SUB, D_NZERO, 0, D_NINF, DZ),
	VALL(DIV_S, S_PZERO, S_PZERO, 0, S_QNAN, NV),		/* 0/0 */
	VALL(DIV_D, D_NINF, D_PINF, 0, D_QNAN, NV),		/* inf/inf */
	VALL(DIV_D, D_PINF, D_PZERO, 0, D_PINF, 0),		/* inf/0: exact inf */
	VALL(DIV_S, S_NINF, S_TWO, 0, S_NINF, 0),
	VALL(DIV_S, S_ONE, S_NINF, 0, S_NZERO, 0),
	VALL(DIV_D, D_NZERO, D_ONE, 0, D_NZERO, 0),
	/* overflow and underflow */
	V5(DIV_S, S_MAX, S_HALF, 0, S_PINF, OF | NX, S_MAX, OF | NX, S_MAX, OF | NX, S_PINF, OF | NX,
	   S_PINF, OF | NX),
	V5(DIV_D, D_MIN_SUB, 0xc000000000000000ull, 0, D_NZERO, UF | NX, D_NZERO, UF | NX,
	   0x8000000000000001ull, UF | NX, D_NZERO, UF | NX, 0x8000000000000001ull, UF | NX),
	/* 2^-126 / (1 + 2^-23) = (1 - 2^-23 + 2^-46 - ...) * 2^-126: in units
	 * of 2^-149 that is 2^23 - 1 + 2^-23 - ..., so only RUP reaches 2^-126;
	 * tiny in every mode (24-bit rounding stays below 2^-126 too) */
	V5(DIV_S, S_MIN_N, 0x3f800001, 0, S_MAX_SUB, UF | NX, S_MAX_SUB, UF | NX, S_MAX_SUB, UF | NX,
	   S_MIN_N, UF | NX, S_MAX_SUB, UF | NX),
};

static void test_div(void **state)
{
	RUN(div_vecs);
}

/* ---- sqrt ----------------------------------------------------------------- */

static const struct vec sqrt_vecs[] = {
	VALL(SQRT_S, 0x40800000, 0, 0, S_TWO, 0),			/* sqrt(4) */
	VALL(SQRT_D, 0x4022000000000000ull, 0, 0, 0x4008000000000000ull, 0),	/* sqrt(9) */
	VALL(SQRT_D, D_MIN_N, 0, 0, 0x2000000000000000ull, 0),	/* sqrt(2^-1022) = 2^-511 */
	/* sqrt(2) = 1.41421356237..; binary32 0x3fb504f3 = 1.4142135381, next
	 * 0x3fb504f4 = 1.4142136574: 0.2 ulp above the lower one */
	V5(SQRT_S, S_TWO, 0, 0, 0x3fb504f3, NX, 0x3fb504f3, NX, 0x3fb504f3, NX, 0x3fb504f4, NX,
	   0x3fb504f3, NX),
	/* binary64 0x3ff6a09e667f3bcd = 1.41421356237309514547 lies above
	 * sqrt(2) = 1.41421356237309504880, so directed-down modes take the
	 * value below */
	V5(SQRT_D, D_TWO, 0, 0, 0x3ff6a09e667f3bcdull, NX, 0x3ff6a09e667f3bccull, NX,
	   0x3ff6a09e667f3bccull, NX, 0x3ff6a09e667f3bcdull, NX, 0x3ff6a09e667f3bcdull, NX),
	/* sqrt(2^-149) = sqrt(2) * 2^-75: a normal result */
	V5(SQRT_S, S_MIN_SUB, 0, 0, 0x1a3504f3, NX, 0x1a3504f3, NX, 0x1a3504f3, NX, 0x1a3504f4, NX,
	   0x1a3504f3, NX),
	VALL(SQRT_S, S_NZERO, 0, 0, S_NZERO, 0),			/* sqrt(-0) = -0 */
	VALL(SQRT_D, D_PZERO, 0, 0, D_PZERO, 0),
	VALL(SQRT_D, D_PINF, 0, 0, D_PINF, 0),
	VALL(SQRT_S, S_MONE, 0, 0, S_QNAN, NV),
	VALL(SQRT_D, D_NINF, 0, 0, D_QNAN, NV),
	VALL(SQRT_D, 0x8000000000000001ull, 0, 0, D_QNAN, NV),	/* -subnormal */
	VALL(SQRT_S, S_SNAN, 0, 0, S_QNAN, NV),
	VALL(SQRT_S, S_NQNAN, 0, 0, S_QNAN, 0),			/* qNaN: quiet */
	VALL(SQRT_D, D_QNAN_P, 0, 0, D_QNAN, 0),
};

static void test_sqrt(void **state)
{
	RUN(sqrt_vecs);
}

/* ---- fused multiply-add --------------------------------------------------- */

static const struct vec fma_vecs[] = {
	VALL(MADD_S, S_TWO, 0x40400000, S_ONE, 0x40e00000, 0),	/* 2*3+1 = 7 */
	VALL(MSUB_S, S_TWO, 0x40400000, S_ONE, 0x40a00000, 0),	/* 2*3-1 = 5 */
	VALL(NMSUB_S, S_TWO, 0x40400000, S_ONE, 0xc0a00000, 0),	/* -(2*3)+1 = -5 */
	VALL(NMADD_S, S_TWO, 0x40400000, S_ONE, 0xc0e00000, 0),	/* -(2*3)-1 = -7 */
	VALL(MADD_D, D_TWO, 0x4008000000000000ull, D_ONE, 0x401c000000000000ull, 0),
	VALL(MSUB_D, D_TWO, 0x4008000000000000ull, D_ONE, 0x4014000000000000ull, 0),
	VALL(NMSUB_D, D_TWO, 0x4008000000000000ull, D_ONE, 0xc014000000000000ull, 0),
	VALL(NMADD_D, D_TWO, 0x4008000000000000ull, D_ONE, 0xc01c000000000000ull, 0),
	/* one rounding: (1 + 2^-12)^2 - (1 + 2^-11) = 2^-24 exactly, where a
	 * rounded product (1 + 2^-11 in RNE) would give 0 */
	VALL(MADD_S, 0x3f800800, 0x3f800800, 0xbf801000, S_2M24, 0),
	VALL(MSUB_S, 0x3f800800, 0x3f800800, 0x3f801000, S_2M24, 0),
	VALL(NMSUB_S, 0x3f800800, 0x3f800800, 0x3f801000, 0xb3800000, 0),
	VALL(NMADD_S, 0x3f800800, 0x3f800800, 0xbf801000, 0xb3800000, 0),
	/* (1 + 2^-26)(1 + 2^-27) - (1 + 2^-26 + 2^-27) = 2^-53 */
	VALL(MADD_D, 0x3ff0000004000000ull, 0x3ff0000002000000ull, 0xbff0000006000000ull, D_2M53, 0),
	VALL(NMADD_D, 0x3ff0000004000000ull, 0x3ff0000002000000ull, 0xbff0000006000000ull,
	     0xbca0000000000000ull, 0),
	/* the product's tie rounded once by the fma in each mode (c = +0) */
	V5(MADD_S, 0x3f800800, 0x3f800800, S_PZERO, 0x3f801000, NX, 0x3f801000, NX, 0x3f801000, NX,
	   0x3f801001, NX, 0x3f801001, NX),
	/* (1 + 2^-26)(1 + 2^-27) + 2^-60: just above the tie, so RNE rounds up
	 * as well (a double-rounding implementation would get RNE wrong) */
	V5(MADD_D, 0x3ff0000004000000ull, 0x3ff0000002000000ull, 0x3c30000000000000ull,
	   0x3ff0000006000001ull, NX, 0x3ff0000006000000ull, NX, 0x3ff0000006000000ull, NX,
	   0x3ff0000006000001ull, NX, 0x3ff0000006000001ull, NX),
	/* exact zero results: +0 except in RDN; fnmadd(1, 1, -1) = -1 + 1 */
	V5(MADD_S, S_ONE, S_ONE, S_MONE, S_PZERO, 0, S_PZERO, 0, S_NZERO, 0, S_PZERO, 0, S_PZERO, 0),
	V5(NMADD_D, D_ONE, D_ONE, D_MONE, D_PZERO, 0, D_PZERO, 0, D_NZERO, 0, D_PZERO, 0, D_PZERO, 0),
	V5(NMSUB_S, S_ONE, S_ONE, S_ONE, S_PZERO, 0, S_PZERO, 0, S_NZERO, 0, S_PZERO, 0, S_PZERO, 0),
	/* zero product plus zero: signs as for addition */
	V5(MADD_D, D_PZERO, D_ONE, D_NZERO, D_PZERO, 0, D_PZERO, 0, D_NZERO, 0, D_PZERO, 0, D_PZERO, 0),
	VALL(MADD_S, S_NZERO, S_ONE, S_NZERO, S_NZERO, 0),
	VALL(NMADD_S, S_PZERO, S_ONE, S_PZERO, S_NZERO, 0),	/* -(+0) - (+0) */
	/* zero product: the addend comes back exactly */
	VALL(MADD_D, D_PZERO, D_PINF - 1, D_MIN_SUB, D_MIN_SUB, 0),
	/* inf * 0 is invalid even when the addend is a quiet NaN (RISC-V) */
	VALL(MADD_S, S_PINF, S_PZERO, S_QNAN, S_QNAN, NV),
	VALL(MADD_D, D_PZERO, D_NINF, D_QNAN_P, D_QNAN, NV),
	VALL(MADD_D, D_PINF, D_PZERO, D_ONE, D_QNAN, NV),
	/* inf - inf */
	VALL(MADD_S, S_PINF, S_ONE, S_NINF, S_QNAN, NV),
	VALL(MSUB_D, D_PINF, D_ONE, D_PINF, D_QNAN, NV),
	VALL(NMADD_D, D_PINF, D_ONE, D_NINF, D_QNAN, NV),	/* -inf - (-inf) */
	VALL(NMSUB_S, S_PINF, S_ONE, S_NINF, S_NINF, 0),	/* -inf + -inf */
	VALL(MADD_S, S_ONE, S_TWO, S_NINF, S_NINF, 0),
	/* NaN operands */
	VALL(MADD_S, S_QNAN_P, S_ONE, S_ONE, S_QNAN, 0),
	VALL(MADD_S, S_ONE, S_ONE, S_SNAN, S_QNAN, NV),
	VALL(MADD_D, D_SNAN, D_PINF, D_PZERO, D_QNAN, NV),
	VALL(NMADD_D, D_ONE, D_NQNAN, D_ONE, D_QNAN, 0),
	/* overflow and underflow */
	V5(MADD_S, S_MAX, S_TWO, S_MONE, S_PINF, OF | NX, S_MAX, OF | NX, S_MAX, OF | NX,
	   S_PINF, OF | NX, S_PINF, OF | NX),
	V5(MADD_D, D_MIN_N, D_HALF, 0x8000000000000001ull, 0x0007ffffffffffffull, 0,
	   0x0007ffffffffffffull, 0, 0x0007ffffffffffffull, 0, 0x0007ffffffffffffull, 0,
	   0x0007ffffffffffffull, 0),
	/* 2^-149 * 0.5 + 0: a tie at the bottom of the subnormals */
	V5(MADD_S, S_MIN_SUB, S_HALF, S_PZERO, S_PZERO, UF | NX, S_PZERO, UF | NX, S_PZERO, UF | NX,
	   S_MIN_SUB, UF | NX, S_MIN_SUB, UF | NX),
	/* tininess after rounding in an fma: (1 - 2^-27)(1 + 2^-27) 2^-1022 + 0 */
	V5(MADD_D, 0x3feffffffc000000ull, 0x0010000002000000ull, D_PZERO, D_MIN_N, NX, D_MAX_SUB, UF | NX,
	   D_MAX_SUB, UF | NX, D_MIN_N, NX, D_MIN_N, NX),
};

static void test_fma(void **state)
{
	RUN(fma_vecs);
}

/* ---- NaN handling ---------------------------------------------------------- */

static const struct vec nan_vecs[] = {
	/* every NaN result is canonical: payload and sign are dropped */
	VALL(ADD_S, S_QNAN_P, S_ONE, 0, S_QNAN, 0),
	VALL(ADD_S, S_ONE, S_NQNAN, 0, S_QNAN, 0),
	VALL(MUL_S, S_NQNAN, S_QNAN_P, 0, S_QNAN, 0),
	VALL(SUB_D, D_QNAN_P, D_ONE, 0, D_QNAN, 0),
	VALL(DIV_D, D_ONE, D_NQNAN, 0, D_QNAN, 0),
	/* a signalling NaN operand raises NV (also next to a quiet NaN) */
	VALL(ADD_S, S_SNAN, S_ONE, 0, S_QNAN, NV),
	VALL(MUL_S, S_ONE, S_NSNAN, 0, S_QNAN, NV),
	VALL(DIV_S, S_QNAN, S_SNAN, 0, S_QNAN, NV),
	VALL(ADD_D, D_NSNAN, D_QNAN, 0, D_QNAN, NV),
	VALL(MUL_D, D_SNAN, D_PZERO, 0, D_QNAN, NV),
	VALL(DIV_D, D_PINF, D_SNAN, 0, D_QNAN, NV),
	/* the largest-payload sNaN and the smallest qNaN */
	VALL(ADD_S, 0x7fbfffff, S_ONE, 0, S_QNAN, NV),
	VALL(ADD_D, 0x7ff7ffffffffffffull, D_ONE, 0, D_QNAN, NV),
	VALL(ADD_S, 0x7fc00000, S_ONE, 0, S_QNAN, 0),
	/* conversions between formats */
	V(CVT_D_S, RNE, S_SNAN, 0, 0, D_QNAN, NV),
	V(CVT_D_S, RNE, S_QNAN_P, 0, 0, D_QNAN, 0),
	V(CVT_D_S, RNE, S_NQNAN, 0, 0, D_QNAN, 0),
	VALL(CVT_S_D, D_SNAN, 0, 0, S_QNAN, NV),
	VALL(CVT_S_D, D_NQNAN, 0, 0, S_QNAN, 0),
	/* a NaN whose payload would survive truncation to binary32 */
	VALL(CVT_S_D, 0x7ff8000020000000ull, 0, 0, S_QNAN, 0),
};

static void test_nan(void **state)
{
	RUN(nan_vecs);
}

/* ---- min / max ------------------------------------------------------------ */

static const struct vec minmax_vecs[] = {
	V(MIN_S, RNE, S_ONE, S_TWO, 0, S_ONE, 0),
	V(MAX_S, RNE, S_ONE, S_TWO, 0, S_TWO, 0),
	V(MIN_S, RNE, S_MONE, S_PZERO, 0, S_MONE, 0),
	V(MAX_D, RNE, D_NINF, D_MONE, 0, D_MONE, 0),
	V(MIN_D, RNE, D_NINF, D_MONE, 0, D_NINF, 0),
	V(MAX_D, RNE, D_MIN_SUB, D_PZERO, 0, D_MIN_SUB, 0),
	V(MIN_D, RNE, 0x8000000000000001ull, D_NZERO, 0, 0x8000000000000001ull, 0),
	/* -0 is treated as smaller than +0, in either operand order */
	V(MIN_S, RNE, S_PZERO, S_NZERO, 0, S_NZERO, 0),
	V(MIN_S, RNE, S_NZERO, S_PZERO, 0, S_NZERO, 0),
	V(MAX_S, RNE, S_PZERO, S_NZERO, 0, S_PZERO, 0),
	V(MAX_S, RNE, S_NZERO, S_PZERO, 0, S_PZERO, 0),
	V(MIN_D, RNE, D_PZERO, D_NZERO, 0, D_NZERO, 0),
	V(MAX_D, RNE, D_NZERO, D_PZERO, 0, D_PZERO, 0),
	/* one quiet NaN: the other operand, no flag */
	V(MIN_S, RNE, S_QNAN_P, S_ONE, 0, S_ONE, 0),
	V(MAX_S, RNE, S_MONE, S_NQNAN, 0, S_MONE, 0),
	V(MIN_D, RNE, D_ONE, D_QNAN, 0, D_ONE, 0),
	V(MAX_D, RNE, D_NQNAN, D_NZERO, 0, D_NZERO, 0),
	/* one signalling NaN: still the other operand (minimumNumber), but NV */
	V(MIN_S, RNE, S_SNAN, S_ONE, 0, S_ONE, NV),
	V(MAX_S, RNE, S_TWO, S_NSNAN, 0, S_TWO, NV),
	V(MIN_D, RNE, D_MONE, D_SNAN, 0, D_MONE, NV),
	V(MAX_D, RNE, D_NSNAN, D_PINF, 0, D_PINF, NV),
	/* both NaN: the canonical NaN */
	V(MIN_S, RNE, S_QNAN_P, S_NQNAN, 0, S_QNAN, 0),
	V(MAX_S, RNE, S_SNAN, S_QNAN_P, 0, S_QNAN, NV),
	V(MIN_D, RNE, D_QNAN_P, D_NQNAN, 0, D_QNAN, 0),
	V(MAX_D, RNE, D_QNAN, D_SNAN, 0, D_QNAN, NV),
	V(MIN_D, RNE, D_SNAN, D_NSNAN, 0, D_QNAN, NV),
};

static void test_minmax(void **state)
{
	RUN(minmax_vecs);
}

/* ---- comparisons ------------------------------------------------------------ */

static const struct vec cmp_vecs[] = {
	V(EQ_S, RNE, S_ONE, S_ONE, 0, 1, 0),
	V(EQ_S, RNE, S_ONE, S_TWO, 0, 0, 0),
	V(EQ_S, RNE, S_PZERO, S_NZERO, 0, 1, 0),	/* +0 == -0 */
	V(LT_S, RNE, S_NZERO, S_PZERO, 0, 0, 0),
	V(LE_S, RNE, S_PZERO, S_NZERO, 0, 1, 0),
	V(LT_S, RNE, S_MONE, S_ONE, 0, 1, 0),
	V(LT_S, RNE, S_ONE, S_MONE, 0, 0, 0),
	V(LE_S, RNE, S_TWO, S_TWO, 0, 1, 0),
	V(LT_S, RNE, S_TWO, S_TWO, 0, 0, 0),
	V(LT_S, RNE, S_NINF, S_PINF, 0, 1, 0),
	V(LT_S, RNE, 0xbf800001, S_MONE, 0, 1, 0),	/* -(1+ulp) < -1 */
	V(LE_S, RNE, S_MIN_SUB, S_PZERO, 0, 0, 0),
	/* feq is quiet: NV only for sNaN; flt/fle signal on any NaN */
	V(EQ_S, RNE, S_QNAN, S_ONE, 0, 0, 0),
	V(EQ_S, RNE, S_QNAN, S_QNAN, 0, 0, 0),
	V(EQ_S, RNE, S_SNAN, S_ONE, 0, 0, NV),
	V(EQ_S, RNE, S_ONE, S_NSNAN, 0, 0, NV),
	V(LT_S, RNE, S_QNAN, S_ONE, 0, 0, NV),
	V(LE_S, RNE, S_ONE, S_NQNAN, 0, 0, NV),
	V(LT_S, RNE, S_SNAN, S_ONE, 0, 0, NV),
	V(LE_S, RNE, S_QNAN, S_QNAN, 0, 0, NV),
	V(EQ_D, RNE, D_ONE, D_ONE, 0, 1, 0),
	V(EQ_D, RNE, D_NZERO, D_PZERO, 0, 1, 0),
	V(EQ_D, RNE, D_ONE, 0x3ff0000000000001ull, 0, 0, 0),
	V(LT_D, RNE, D_MONE, D_NZERO, 0, 1, 0),
	V(LT_D, RNE, D_PZERO, D_NZERO, 0, 0, 0),
	V(LE_D, RNE, D_NZERO, D_PZERO, 0, 1, 0),
	V(LE_D, RNE, D_PINF, D_MAX, 0, 0, 0),
	V(LT_D, RNE, D_NINF, 0xffefffffffffffffull, 0, 1, 0),
	V(EQ_D, RNE, D_QNAN_P, D_QNAN_P, 0, 0, 0),
	V(EQ_D, RNE, D_SNAN, D_SNAN, 0, 0, NV),
	V(LT_D, RNE, D_ONE, D_QNAN, 0, 0, NV),
	V(LE_D, RNE, D_NSNAN, D_ONE, 0, 0, NV),
};

static void test_compare(void **state)
{
	RUN(cmp_vecs);
}

/* ---- fclass ----------------------------------------------------------------- */

static const struct vec class_vecs[] = {
	V(CLASS_S, RNE, S_NINF, 0, 0, 1 << 0, 0),
	V(CLASS_S, RNE, S_MONE, 0, 0, 1 << 1, 0),
	V(CLASS_S, RNE, 0xff7fffff, 0, 0, 1 << 1, 0),
	V(CLASS_S, RNE, 0x80800000, 0, 0, 1 << 1, 0),	/* -min normal */
	V(CLASS_S, RNE, 0x807fffff, 0, 0, 1 << 2, 0),	/* -subnormal */
	V(CLASS_S, RNE, 0x80000001, 0, 0, 1 << 2, 0),
	V(CLASS_S, RNE, S_NZERO, 0, 0, 1 << 3, 0),
	V(CLASS_S, RNE, S_PZERO, 0, 0, 1 << 4, 0),
	V(CLASS_S, RNE, S_MIN_SUB, 0, 0, 1 << 5, 0),
	V(CLASS_S, RNE, S_MAX_SUB, 0, 0, 1 << 5, 0),
	V(CLASS_S, RNE, S_MIN_N, 0, 0, 1 << 6, 0),
	V(CLASS_S, RNE, S_MAX, 0, 0, 1 << 6, 0),
	V(CLASS_S, RNE, S_PINF, 0, 0, 1 << 7, 0),
	V(CLASS_S, RNE, S_SNAN, 0, 0, 1 << 8, 0),
	V(CLASS_S, RNE, S_NSNAN, 0, 0, 1 << 8, 0),
	V(CLASS_S, RNE, 0x7fbfffff, 0, 0, 1 << 8, 0),
	V(CLASS_S, RNE, S_QNAN, 0, 0, 1 << 9, 0),
	V(CLASS_S, RNE, S_NQNAN, 0, 0, 1 << 9, 0),
	V(CLASS_S, RNE, 0x7fffffff, 0, 0, 1 << 9, 0),
	V(CLASS_D, RNE, D_NINF, 0, 0, 1 << 0, 0),
	V(CLASS_D, RNE, D_MONE, 0, 0, 1 << 1, 0),
	V(CLASS_D, RNE, 0x800fffffffffffffull, 0, 0, 1 << 2, 0),
	V(CLASS_D, RNE, D_NZERO, 0, 0, 1 << 3, 0),
	V(CLASS_D, RNE, D_PZERO, 0, 0, 1 << 4, 0),
	V(CLASS_D, RNE, D_MIN_SUB, 0, 0, 1 << 5, 0),
	V(CLASS_D, RNE, D_MIN_N, 0, 0, 1 << 6, 0),
	V(CLASS_D, RNE, D_MAX, 0, 0, 1 << 6, 0),
	V(CLASS_D, RNE, D_PINF, 0, 0, 1 << 7, 0),
	V(CLASS_D, RNE, D_SNAN, 0, 0, 1 << 8, 0),
	V(CLASS_D, RNE, 0x7ff7ffffffffffffull, 0, 0, 1 << 8, 0),
	V(CLASS_D, RNE, D_QNAN, 0, 0, 1 << 9, 0),
	V(CLASS_D, RNE, 0xffffffffffffffffull, 0, 0, 1 << 9, 0),
	/* a binary32 pattern seen as binary64 is a small positive normal */
	V(CLASS_D, RNE, 0x000000007fc00000ull, 0, 0, 1 << 5, 0),
};

static void test_class(void **state)
{
	RUN(class_vecs);
}

/* ---- float -> integer --------------------------------------------------------- */

#define I32_MAX_SX	0x000000007fffffffull
#define I32_MIN_SX	0xffffffff80000000ull	/* as RV64 writes it: sign-extended */
#define ALL_ONES	0xffffffffffffffffull	/* also 0xffffffff sign-extended */
#define I64_MAX		0x7fffffffffffffffull
#define I64_MIN		0x8000000000000000ull
#define M1		ALL_ONES		/* -1 */
#define M2		0xfffffffffffffffeull
#define M3		0xfffffffffffffffdull

static const struct vec f2i_vecs[] = {
	/* ties and halves: 0.5, 1.5, 2.5, -0.5, -2.5 */
	V5(CVT_W_S, S_HALF, 0, 0, 0, NX, 0, NX, 0, NX, 1, NX, 1, NX),
	V5(CVT_W_S, 0x3fc00000, 0, 0, 2, NX, 1, NX, 1, NX, 2, NX, 2, NX),
	V5(CVT_W_D, 0x4004000000000000ull, 0, 0, 2, NX, 2, NX, 2, NX, 3, NX, 3, NX),
	V5(CVT_W_D, 0xbfe0000000000000ull, 0, 0, 0, NX, 0, NX, M1, NX, 0, NX, M1, NX),
	V5(CVT_L_D, 0xc004000000000000ull, 0, 0, M2, NX, M2, NX, M3, NX, M2, NX, M3, NX),
	V5(CVT_L_S, 0xc0200000 /* -2.5 */, 0, 0, M2, NX, M2, NX, M3, NX, M2, NX, M3, NX),
	/* tiny values */
	V5(CVT_W_S, S_MIN_SUB, 0, 0, 0, NX, 0, NX, 0, NX, 1, NX, 0, NX),
	V5(CVT_L_D, 0x8000000000000001ull, 0, 0, 0, NX, 0, NX, M1, NX, 0, NX, 0, NX),
	VALL(CVT_W_S, S_NZERO, 0, 0, 0, 0),
	VALL(CVT_LU_D, D_NZERO, 0, 0, 0, 0),
	/* fcvt.w at the limits: -2^31 is exact, 2^31 overflows */
	VALL(CVT_W_S, 0xcf000000, 0, 0, I32_MIN_SX, 0),
	VALL(CVT_W_S, 0x4f000000, 0, 0, I32_MAX_SX, NV),
	VALL(CVT_W_D, 0x41dfffffffc00000ull, 0, 0, I32_MAX_SX, 0),	/* 2^31 - 1 */
	/* 2^31 - 0.5: a tie that RNE/RMM round up out of range: NV, not NX */
	V5(CVT_W_D, 0x41dfffffffe00000ull, 0, 0, I32_MAX_SX, NV, I32_MAX_SX, NX, I32_MAX_SX, NX,
	   I32_MAX_SX, NV, I32_MAX_SX, NV),
	/* -2^31 - 0.5: RNE ties to the even -2^31, RDN/RMM leave the range */
	V5(CVT_W_D, 0xc1e0000000100000ull, 0, 0, I32_MIN_SX, NX, I32_MIN_SX, NX, I32_MIN_SX, NV,
	   I32_MIN_SX, NX, I32_MIN_SX, NV),
	/* NaN -> max, +inf -> max, -inf -> min, all NV */
	VALL(CVT_W_S, S_QNAN, 0, 0, I32_MAX_SX, NV),
	VALL(CVT_W_S, S_NSNAN, 0, 0, I32_MAX_SX, NV),
	VALL(CVT_W_D, D_PINF, 0, 0, I32_MAX_SX, NV),
	VALL(CVT_W_D, D_NINF, 0, 0, I32_MIN_SX, NV),
	VALL(CVT_W_D, D_MAX, 0, 0, I32_MAX_SX, NV),
	VALL(CVT_W_D, 0xffefffffffffffffull, 0, 0, I32_MIN_SX, NV),
	/* fcvt.wu: the 32-bit result is sign-extended, so 2^31 reads back as
	 * 0xffffffff80000000 and 2^32 - 1 as all ones */
	VALL(CVT_WU_S, 0x4f000000, 0, 0, 0xffffffff80000000ull, 0),
	VALL(CVT_WU_D, 0x41efffffffe00000ull, 0, 0, ALL_ONES, 0),	/* 2^32 - 1 */
	VALL(CVT_WU_S, 0x4f800000, 0, 0, ALL_ONES, NV),		/* 2^32 */
	/* 1 - 2^-24 */
	V5(CVT_WU_S, 0x3f7fffff, 0, 0, 1, NX, 0, NX, 0, NX, 1, NX, 1, NX),
	/* 2^32 - 0.5: tie; RNE/RMM/RUP overflow */
	V5(CVT_WU_D, 0x41effffffff00000ull, 0, 0, ALL_ONES, NV, ALL_ONES, NX, ALL_ONES, NX,
	   ALL_ONES, NV, ALL_ONES, NV),
	/* negative inputs: -0.5 rounds to 0 (NX) except where it rounds to -1
	 * (RDN, RMM), which is out of range: 0 with NV */
	V5(CVT_WU_S, 0xbf000000, 0, 0, 0, NX, 0, NX, 0, NV, 0, NX, 0, NV),
	V5(CVT_WU_D, 0xbfe0000000000000ull, 0, 0, 0, NX, 0, NX, 0, NV, 0, NX, 0, NV),
	VALL(CVT_WU_S, S_MONE, 0, 0, 0, NV),
	VALL(CVT_WU_D, D_NINF, 0, 0, 0, NV),
	VALL(CVT_WU_D, D_PINF, 0, 0, ALL_ONES, NV),
	VALL(CVT_WU_S, S_QNAN, 0, 0, ALL_ONES, NV),
	VALL(CVT_WU_D, D_NQNAN, 0, 0, ALL_ONES, NV),		/* NaN sign ignored */
	/* fcvt.l: -2^63 exact, 2^63 overflows, largest double below 2^63 */
	VALL(CVT_L_D, 0xc3e0000000000000ull, 0, 0, I64_MIN, 0),
	VALL(CVT_L_D, 0x43e0000000000000ull, 0, 0, I64_MAX, NV),
	VALL(CVT_L_D, 0x43dfffffffffffffull, 0, 0, 0x7ffffffffffffc00ull, 0),
	VALL(CVT_L_S, 0xdf000000, 0, 0, I64_MIN, 0),			/* -2^63 */
	VALL(CVT_L_S, 0x5f000000, 0, 0, I64_MAX, NV),			/* 2^63 */
	VALL(CVT_L_S, 0xdf000001, 0, 0, I64_MIN, NV),			/* below -2^63 */
	VALL(CVT_L_D, D_QNAN, 0, 0, I64_MAX, NV),
	VALL(CVT_L_D, D_NINF, 0, 0, I64_MIN, NV),
	VALL(CVT_L_S, S_PINF, 0, 0, I64_MAX, NV),
	VALL(CVT_L_S, 0x4f000000, 0, 0, 0x80000000ull, 0),		/* 2^31 fits */
	/* fcvt.lu: 2^64 overflows, the largest double below it is exact */
	VALL(CVT_LU_D, 0x43f0000000000000ull, 0, 0, ALL_ONES, NV),
	VALL(CVT_LU_D, 0x43efffffffffffffull, 0, 0, 0xfffffffffffff800ull, 0),
	VALL(CVT_LU_S, 0x5f7fffff, 0, 0, 0xffffff0000000000ull, 0),
	VALL(CVT_LU_S, 0x5f800000, 0, 0, ALL_ONES, NV),		/* 2^64 */
	VALL(CVT_LU_D, 0x43e0000000000000ull, 0, 0, 0x8000000000000000ull, 0),	/* 2^63 */
	VALL(CVT_LU_D, D_MONE, 0, 0, 0, NV),
	V5(CVT_LU_D, 0xbfe0000000000000ull, 0, 0, 0, NX, 0, NX, 0, NV, 0, NX, 0, NV),
	VALL(CVT_LU_S, S_NINF, 0, 0, 0, NV),
	VALL(CVT_LU_S, S_SNAN, 0, 0, ALL_ONES, NV),
	VALL(CVT_LU_D, D_NQNAN, 0, 0, ALL_ONES, NV),
	/* 2^51 + 0.5, the largest tie a binary64 can hold; 2^51 is even */
	V5(CVT_L_D, 0x4320000000000001ull, 0, 0, 0x8000000000000ull, NX, 0x8000000000000ull, NX,
	   0x8000000000000ull, NX, 0x8000000000001ull, NX, 0x8000000000001ull, NX),
};

static void test_f2i(void **state)
{
	RUN(f2i_vecs);
}

/* ---- integer -> float --------------------------------------------------------- */

static const struct vec i2f_vecs[] = {
	VALL(CVT_S_W, 0, 0, 0, S_PZERO, 0),		/* +0, also in RDN */
	VALL(CVT_S_W, 1, 0, 0, S_ONE, 0),
	VALL(CVT_S_W, M1, 0, 0, S_MONE, 0),
	VALL(CVT_S_W, 0xffffffff80000000ull, 0, 0, 0xcf000000, 0),	/* INT32_MIN */
	/* 2^24 + 1 = 16777217: a tie between 2^24 and 2^24 + 2 */
	V5(CVT_S_W, 16777217, 0, 0, 0x4b800000, NX, 0x4b800000, NX, 0x4b800000, NX, 0x4b800001, NX,
	   0x4b800001, NX),
	V5(CVT_S_W, (uint64_t)-16777217, 0, 0, 0xcb800000, NX, 0xcb800000, NX, 0xcb800001, NX,
	   0xcb800000, NX, 0xcb800001, NX),
	/* 2^24 + 3: tie, odd lsb */
	V5(CVT_S_W, 16777219, 0, 0, 0x4b800002, NX, 0x4b800001, NX, 0x4b800001, NX, 0x4b800002, NX,
	   0x4b800002, NX),
	/* INT32_MAX = 2^31 - 1 */
	V5(CVT_S_W, 0x7fffffff, 0, 0, 0x4f000000, NX, 0x4effffff, NX, 0x4effffff, NX, 0x4f000000, NX,
	   0x4f000000, NX),
	/* UINT32_MAX */
	V5(CVT_S_WU, 0xffffffff, 0, 0, 0x4f800000, NX, 0x4f7fffff, NX, 0x4f7fffff, NX, 0x4f800000, NX,
	   0x4f800000, NX),
	VALL(CVT_S_WU, 0x80000000, 0, 0, 0x4f000000, 0),
	/* the unsigned source ignores bits 63:32 of the register */
	VALL(CVT_S_WU, 0xffffffff00000001ull, 0, 0, S_ONE, 0),
	VALL(CVT_S_W, 0x0000000100000002ull, 0, 0, S_TWO, 0),
	/* 64-bit sources */
	VALL(CVT_S_L, I64_MIN, 0, 0, 0xdf000000, 0),
	V5(CVT_S_L, I64_MAX, 0, 0, 0x5f000000, NX, 0x5effffff, NX, 0x5effffff, NX, 0x5f000000, NX,
	   0x5f000000, NX),
	V5(CVT_S_LU, ALL_ONES, 0, 0, 0x5f800000, NX, 0x5f7fffff, NX, 0x5f7fffff, NX, 0x5f800000, NX,
	   0x5f800000, NX),
	VALL(CVT_S_LU, 0, 0, 0, S_PZERO, 0),
	/* binary64 from 32-bit integers is always exact */
	VALL(CVT_D_W, 0x7fffffff, 0, 0, 0x41dfffffffc00000ull, 0),
	VALL(CVT_D_W, 0xffffffff80000000ull, 0, 0, 0xc1e0000000000000ull, 0),
	VALL(CVT_D_W, M1, 0, 0, D_MONE, 0),
	VALL(CVT_D_WU, 0xffffffff, 0, 0, 0x41efffffffe00000ull, 0),
	VALL(CVT_D_WU, 0, 0, 0, D_PZERO, 0),
	/* 2^53 + 1: tie */
	V5(CVT_D_L, 0x20000000000001ull, 0, 0, 0x4340000000000000ull, NX, 0x4340000000000000ull, NX,
	   0x4340000000000000ull, NX, 0x4340000000000001ull, NX, 0x4340000000000001ull, NX),
	V5(CVT_D_L, (uint64_t)-0x20000000000001ll, 0, 0, 0xc340000000000000ull, NX,
	   0xc340000000000000ull, NX, 0xc340000000000001ull, NX, 0xc340000000000000ull, NX,
	   0xc340000000000001ull, NX),
	VALL(CVT_D_L, I64_MIN, 0, 0, 0xc3e0000000000000ull, 0),
	V5(CVT_D_L, I64_MAX, 0, 0, 0x43e0000000000000ull, NX, 0x43dfffffffffffffull, NX,
	   0x43dfffffffffffffull, NX, 0x43e0000000000000ull, NX, 0x43e0000000000000ull, NX),
	V5(CVT_D_LU, ALL_ONES, 0, 0, 0x43f0000000000000ull, NX, 0x43efffffffffffffull, NX,
	   0x43efffffffffffffull, NX, 0x43f0000000000000ull, NX, 0x43f0000000000000ull, NX),
	VALL(CVT_D_LU, 0x8000000000000000ull, 0, 0, 0x43e0000000000000ull, 0),
	VALL(CVT_D_LU, 0, 0, 0, D_PZERO, 0),
};

static void test_i2f(void **state)
{
	RUN(i2f_vecs);
}

/* ---- binary32 <-> binary64 ---------------------------------------------------- */

static const struct vec f2f_vecs[] = {
	V(CVT_D_S, RNE, S_ONE, 0, 0, D_ONE, 0),
	V(CVT_D_S, RDN, 0x3eaaaaab, 0, 0, 0x3fd5555560000000ull, 0),
	V(CVT_D_S, RNE, S_NZERO, 0, 0, D_NZERO, 0),
	V(CVT_D_S, RNE, S_NINF, 0, 0, D_NINF, 0),
	V(CVT_D_S, RNE, S_MAX, 0, 0, 0x47efffffe0000000ull, 0),
	/* binary32 subnormals become normal binary64 numbers */
	V(CVT_D_S, RNE, S_MIN_SUB, 0, 0, 0x36a0000000000000ull, 0),	/* 2^-149 */
	V(CVT_D_S, RNE, 0x807fffff, 0, 0, 0xb80fffffc0000000ull, 0),
	V(CVT_D_S, RNE, S_MIN_N, 0, 0, 0x3810000000000000ull, 0),
	VALL(CVT_S_D, D_ONE, 0, 0, S_ONE, 0),
	VALL(CVT_S_D, D_NZERO, 0, 0, S_NZERO, 0),
	VALL(CVT_S_D, D_PINF, 0, 0, S_PINF, 0),
	V5(CVT_S_D, 0x3fd5555555555555ull, 0, 0, 0x3eaaaaab, NX, 0x3eaaaaaa, NX, 0x3eaaaaaa, NX,
	   0x3eaaaaab, NX, 0x3eaaaaab, NX),
	/* 1 + 2^-24: tie */
	V5(CVT_S_D, 0x3ff0000010000000ull, 0, 0, S_ONE, NX, S_ONE, NX, S_ONE, NX, 0x3f800001, NX,
	   0x3f800001, NX),
	/* -(1 + 3 * 2^-24): tie with odd lsb */
	V5(CVT_S_D, 0xbff0000030000000ull, 0, 0, 0xbf800002, NX, 0xbf800001, NX, 0xbf800002, NX,
	   0xbf800001, NX, 0xbf800002, NX),
	/* overflow */
	V5(CVT_S_D, D_MAX, 0, 0, S_PINF, OF | NX, S_MAX, OF | NX, S_MAX, OF | NX, S_PINF, OF | NX,
	   S_PINF, OF | NX),
	V5(CVT_S_D, 0xc7f0000000000000ull /* -2^128 */, 0, 0, S_NINF, OF | NX, 0xff7fffff, OF | NX,
	   S_NINF, OF | NX, 0xff7fffff, OF | NX, S_NINF, OF | NX),
	/* (2 - 2^-24) * 2^127: rounds to 2^128 in the nearest modes */
	V5(CVT_S_D, 0x47efffffffffffffull, 0, 0, S_PINF, OF | NX, S_MAX, NX, S_MAX, NX, S_PINF, OF | NX,
	   S_PINF, OF | NX),
	/* underflow */
	V5(CVT_S_D, D_MIN_SUB, 0, 0, S_PZERO, UF | NX, S_PZERO, UF | NX, S_PZERO, UF | NX,
	   S_MIN_SUB, UF | NX, S_PZERO, UF | NX),
	V5(CVT_S_D, 0x3690000000000000ull /* 2^-150 */, 0, 0, S_PZERO, UF | NX, S_PZERO, UF | NX,
	   S_PZERO, UF | NX, S_MIN_SUB, UF | NX, S_MIN_SUB, UF | NX),
	VALL(CVT_S_D, 0x36a0000000000000ull, 0, 0, S_MIN_SUB, 0),	/* exact subnormal */
	/* (1 - 2^-25) * 2^-126: not tiny after rounding in RNE/RUP/RMM */
	V5(CVT_S_D, 0x380ffffff0000000ull, 0, 0, S_MIN_N, NX, S_MAX_SUB, UF | NX, S_MAX_SUB, UF | NX,
	   S_MIN_N, NX, S_MIN_N, NX),
	/* (1 - 2^-24) * 2^-126: tiny, a subnormal tie */
	V5(CVT_S_D, 0x380fffffe0000000ull, 0, 0, S_MIN_N, UF | NX, S_MAX_SUB, UF | NX,
	   S_MAX_SUB, UF | NX, S_MIN_N, UF | NX, S_MIN_N, UF | NX),
};

static void test_f2f(void **state)
{
	RUN(f2f_vecs);
}

/* ---- properties ---------------------------------------------------------------- */

/* fflags are OR-ed in: existing bits stay, nothing is cleared */
static void test_flags_accumulate(void **state)
{
	uint32_t ff = RV_FF_DZ;

	assert_int_equal(rv_f32_add(S_ONE, S_2M24, RV_RM_RNE, &ff), S_ONE);
	assert_int_equal(ff, RV_FF_DZ | RV_FF_NX);
	rv_f64_mul(D_MAX, D_TWO, RV_RM_RNE, &ff);
	assert_int_equal(ff, RV_FF_DZ | RV_FF_NX | RV_FF_OF);
	rv_f64_add(D_ONE, D_ONE, RV_RM_RNE, &ff);		/* exact: no change */
	assert_int_equal(ff, RV_FF_DZ | RV_FF_NX | RV_FF_OF);
	assert_int_equal(rv_f32_eq(S_SNAN, S_ONE, &ff), 0);
	assert_int_equal(ff, RV_FF_DZ | RV_FF_NX | RV_FF_OF | RV_FF_NV);
	ff = 0x80000000u;					/* unrelated bits survive */
	rv_f64_div(D_ONE, D_PZERO, RV_RM_RNE, &ff);
	assert_int_equal(ff, 0x80000000u | RV_FF_DZ);
}

/* The host FP environment is left alone: rounding mode and sticky flags. */
static void test_host_env(void **state)
{
	uint32_t ff = 0;

	feclearexcept(FE_ALL_EXCEPT);
	assert_int_equal(fegetround(), FE_TONEAREST);
	rv_f64_add(D_ONE, D_2M53, RV_RM_RUP, &ff);
	rv_f64_div(D_ONE, D_PZERO, RV_RM_RDN, &ff);
	rv_f32_mul(S_MAX, S_TWO, RV_RM_RTZ, &ff);
	rv_f64_fma(D_PINF, D_PZERO, D_ONE, 0, 0, RV_RM_RMM, &ff);
	rv_f32_sqrt(S_TWO, RV_RM_RMM, &ff);
	rv_f64_mul(D_MIN_SUB, D_HALF, RV_RM_RNE, &ff);
	rv_f64_to_i32(D_PINF, RV_RM_RTZ, &ff);
	rv_f64_to_f32(D_MAX, RV_RM_RUP, &ff);
	assert_int_equal(ff, RV_FF_NX | RV_FF_UF | RV_FF_OF | RV_FF_DZ | RV_FF_NV);
	assert_int_equal(fetestexcept(FE_ALL_EXCEPT), 0);
	assert_int_equal(fegetround(), FE_TONEAREST);

	/* flags the host had raised itself stay raised */
	feraiseexcept(FE_INEXACT | FE_UNDERFLOW);
	rv_f32_add(S_ONE, S_ONE, RV_RM_RDN, &ff);
	rv_f64_sqrt(D_TWO, RV_RM_RUP, &ff);
	assert_int_equal(fetestexcept(FE_ALL_EXCEPT), FE_INEXACT | FE_UNDERFLOW);
	assert_int_equal(fegetround(), FE_TONEAREST);
	feclearexcept(FE_ALL_EXCEPT);
}

/* Ordering of the modes on pseudo-random operands: RDN <= RNE, RMM <= RUP,
 * RTZ is the one of RDN/RUP nearer zero, the nearest modes agree except on
 * ties, and every result is either the RDN or the RUP one. Catches gross
 * rounding bugs on many more inputs than the tables. */
static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 11 ^ *s << 31;
}

static int f64_le(uint64_t a, uint64_t b)
{
	uint32_t ff = 0;

	return rv_f64_le(a, b, &ff);
}

static void test_mode_order(void **state)
{
	uint64_t s = 42;
	int bad = 0;

	for (int i = 0; i < 200000 && bad < 10; i++) {
		/* exponents within +-64 of 1.0 so that sums and products stay finite */
		uint64_t a = (lcg(&s) & 0x800fffffffffffffull) | (uint64_t)(0x3bf + lcg(&s) % 128) << 52;
		uint64_t b = (lcg(&s) & 0x800fffffffffffffull) | (uint64_t)(0x3bf + lcg(&s) % 128) << 52;
		uint64_t c = (lcg(&s) & 0x800fffffffffffffull) | (uint64_t)(0x3bf + lcg(&s) % 128) << 52;
		uint64_t r[5];
		uint32_t ff[5];
		int op = i % 4;

		for (int rm = 0; rm < 5; rm++) {
			ff[rm] = 0;
			switch (op) {
			case 0: r[rm] = rv_f64_add(a, b, rm, &ff[rm]); break;
			case 1: r[rm] = rv_f64_mul(a, b, rm, &ff[rm]); break;
			case 2: r[rm] = rv_f64_div(a, b, rm, &ff[rm]); break;
			default: r[rm] = rv_f64_fma(a, b, c, 0, 0, rm, &ff[rm]); break;
			}
		}
		int neg = (r[RV_RM_RDN] >> 63) != 0;
		int ok = f64_le(r[RV_RM_RDN], r[RV_RM_RNE]) && f64_le(r[RV_RM_RNE], r[RV_RM_RUP]) &&
			 f64_le(r[RV_RM_RDN], r[RV_RM_RMM]) && f64_le(r[RV_RM_RMM], r[RV_RM_RUP]) &&
			 r[RV_RM_RTZ] == (neg ? r[RV_RM_RUP] : r[RV_RM_RDN]);
		/* inexact in one mode means inexact in all; exact means all equal */
		for (int rm = 1; rm < 5; rm++)
			ok = ok && (ff[rm] & RV_FF_NX) == (ff[0] & RV_FF_NX);
		if (!(ff[0] & RV_FF_NX))
			ok = ok && r[0] == r[1] && r[0] == r[2] && r[0] == r[3] && r[0] == r[4];
		else
			ok = ok && r[RV_RM_RDN] != r[RV_RM_RUP] &&
			     (r[RV_RM_RNE] == r[RV_RM_RDN] || r[RV_RM_RNE] == r[RV_RM_RUP]);
		if (!ok) {
			print_error("op %d a=%#llx b=%#llx c=%#llx\n", op, (unsigned long long)a,
				    (unsigned long long)b, (unsigned long long)c);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_sub),
		cmocka_unit_test(test_mul),
		cmocka_unit_test(test_div),
		cmocka_unit_test(test_sqrt),
		cmocka_unit_test(test_fma),
		cmocka_unit_test(test_nan),
		cmocka_unit_test(test_minmax),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_class),
		cmocka_unit_test(test_f2i),
		cmocka_unit_test(test_i2f),
		cmocka_unit_test(test_f2f),
		cmocka_unit_test(test_flags_accumulate),
		cmocka_unit_test(test_host_env),
		cmocka_unit_test(test_mode_order),
	};

	return cmocka_run_group_tests_name("fpu", tests, NULL, NULL);
}
