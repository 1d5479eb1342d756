/* Randomized regression check of every F/D computational instruction.
 *
 * For each instruction, a fixed pseudo-random sequence of operands (biased
 * toward zeros, infinities, NaNs, subnormals, extreme exponents and values
 * near ties) runs in all five rounding modes (dynamic rm, frm cycling
 * RNE..RMM); every result (all 64 bits of the destination, so NaN-boxing
 * is covered) and the fflags after each instruction are folded into a hash
 * per instruction. The expected hashes were produced by running this test
 * under qemu-system-riscv64 (SoftFloat), the reference; a mismatch names
 * the instruction whose results differ. */
#include "libtest.h"

#define N_ITER 250

/* crt.S reports an unexpected trap as gp | 0x400 and gp is 0 in C code;
 * QEMU keeps only the low 8 bits of the exit status, so such a trap would
 * look like a pass there. Fail with a visible status instead. */
__asm__(".globl test_trap_handler\n"
	"test_trap_handler:\n"
	"\tli gp, 0xff\n"
	"\tj fail\n");

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static const uint32_t special32[] = {
	0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000,
	0x7fc00000, 0xffc00001, 0x7f800001, 0xffbfffff, 0x7f7fffff, 0xff7fffff,
	0x00800000, 0x80800000, 0x007fffff, 0x00000001, 0x80000001, 0x33800000,
	0x4f000000, 0xcf000000, 0x4f800000, 0x5f000000, 0xdf000000, 0x5f800000,
	0x3f000000, 0xbf000000, 0x40200000, 0x4b800001,
};

static const uint64_t special64[] = {
	0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000,
	0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0xfff8000000000001,
	0x7ff0000000000001, 0xfff7ffffffffffff, 0x7fefffffffffffff, 0xffefffffffffffff,
	0x0010000000000000, 0x8010000000000000, 0x000fffffffffffff, 0x0000000000000001,
	0x8000000000000001, 0x3ca0000000000000, 0x41e0000000000000, 0xc1e0000000000000,
	0x41f0000000000000, 0x43e0000000000000, 0xc3e0000000000000, 0x43f0000000000000,
	0x3fe0000000000000, 0xbfe0000000000000, 0x4004000000000000, 0x41dfffffffe00000,
	0xffffffff3f800000, 0x000000003f800000,
};

/* a binary32 operand, NaN-boxed into 64 bits (occasionally not boxed) */
static uint64_t gen_s(void)
{
	uint64_t r = rnd(), f = rnd();
	uint32_t v;

	switch (r & 7) {
	case 0:
	case 1:
		v = special32[(r >> 8) % (sizeof(special32) / sizeof(special32[0]))];
		break;
	case 2:		/* subnormal or tiny exponent */
		v = (uint32_t)(f & 0x80ffffff);
		break;
	case 3:		/* near 1.0 or near the integer limits: ties, rounding */
		v = (uint32_t)((f & 0x8000007f) | ((0x7f + (r >> 8) % 64 - 2) << 23) |
			       ((r >> 16 & 1) << 22));
		break;
	case 4:		/* huge */
		v = (uint32_t)((f & 0x807fffff) | ((0xfe - (r >> 8) % 4) << 23));
		break;
	default:
		v = (uint32_t)f;
		break;
	}
	if (((r >> 24) & 63) == 0)
		return v;			/* not NaN-boxed: reads as canonical NaN */
	return 0xffffffff00000000ull | v;
}

static uint64_t gen_d(void)
{
	uint64_t r = rnd(), f = rnd();

	switch (r & 7) {
	case 0:
	case 1:
		return special64[(r >> 8) % (sizeof(special64) / sizeof(special64[0]))];
	case 2:
		return f & 0x801fffffffffffffull;
	case 3:
		return (f & 0x80000000000003ffull) | ((0x3ffull + (r >> 8) % 70 - 2) << 52) |
		       ((r >> 16 & 1) << 51);
	case 4:
		return (f & 0x800fffffffffffffull) | ((0x7feull - (r >> 8) % 4) << 52);
	default:
		return f;
	}
}

static uint64_t gen_x(void)
{
	uint64_t r = rnd(), f = rnd();

	switch (r & 3) {
	case 0:
		return f >> (r >> 8) % 64;
	case 1:
		return -(f >> (r >> 8) % 64);
	case 2:
		return (1ull << (r >> 8) % 64) + (r >> 16) % 5 - 2;
	default:
		return f;
	}
}

/* operand kinds: F = f register (s: boxed single, d: double), X = integer */
enum { K_S, K_D, K_X };

struct insn {
	const char *name;
	int kind[3];		/* operand kinds; -1 = unused */
	uint64_t expect;
};

#define FP3(op) "fmv.d.x ft0, %2\n\tfmv.d.x ft1, %3\n\tfmv.d.x ft2, %4\n\t" op "\n\t" \
		"fmv.x.d %0, ft3\n\tfsflags %1, zero"
#define XR(op) "fmv.d.x ft0, %2\n\tfmv.d.x ft1, %3\n\tfmv.d.x ft2, %4\n\t" op "\n\t" \
		"mv %0, t4\n\tfsflags %1, zero"
#define FROMX(op) "mv t4, %2\n\t" op "\n\tfmv.x.d %0, ft3\n\tfsflags %1, zero"

#define ASM3(str) __asm__ volatile(str : "=r"(r), "=r"(fl) : "r"(a), "r"(b), "r"(c) \
				   : "ft0", "ft1", "ft2", "ft3", "t4")

static uint64_t run(int i, uint64_t a, uint64_t b, uint64_t c, uint64_t *flags)
{
	uint64_t r = 0, fl = 0;

	switch (i) {
	case 0: ASM3(FP3("fadd.s ft3, ft0, ft1")); break;
	case 1: ASM3(FP3("fsub.s ft3, ft0, ft1")); break;
	case 2: ASM3(FP3("fmul.s ft3, ft0, ft1")); break;
	case 3: ASM3(FP3("fdiv.s ft3, ft0, ft1")); break;
	case 4: ASM3(FP3("fsqrt.s ft3, ft0")); break;
	case 5: ASM3(FP3("fmadd.s ft3, ft0, ft1, ft2")); break;
	case 6: ASM3(FP3("fmsub.s ft3, ft0, ft1, ft2")); break;
	case 7: ASM3(FP3("fnmsub.s ft3, ft0, ft1, ft2")); break;
	case 8: ASM3(FP3("fnmadd.s ft3, ft0, ft1, ft2")); break;
	case 9: ASM3(FP3("fmin.s ft3, ft0, ft1")); break;
	case 10: ASM3(FP3("fmax.s ft3, ft0, ft1")); break;
	case 11: ASM3(XR("feq.s t4, ft0, ft1")); break;
	case 12: ASM3(XR("flt.s t4, ft0, ft1")); break;
	case 13: ASM3(XR("fle.s t4, ft0, ft1")); break;
	case 14: ASM3(XR("fclass.s t4, ft0")); break;
	case 15: ASM3(XR("fcvt.w.s t4, ft0")); break;
	case 16: ASM3(XR("fcvt.wu.s t4, ft0")); break;
	case 17: ASM3(XR("fcvt.l.s t4, ft0")); break;
	case 18: ASM3(XR("fcvt.lu.s t4, ft0")); break;
	case 19: ASM3(FROMX("fcvt.s.w ft3, t4")); break;
	case 20: ASM3(FROMX("fcvt.s.wu ft3, t4")); break;
	case 21: ASM3(FROMX("fcvt.s.l ft3, t4")); break;
	case 22: ASM3(FROMX("fcvt.s.lu ft3, t4")); break;
	case 23: ASM3(FP3("fsgnj.s ft3, ft0, ft1")); break;
	case 24: ASM3(FP3("fsgnjn.s ft3, ft0, ft1")); break;
	case 25: ASM3(FP3("fsgnjx.s ft3, ft0, ft1")); break;
	case 26: ASM3(XR("fmv.x.w t4, ft0")); break;
	case 27: ASM3(FP3("fcvt.d.s ft3, ft0")); break;
	case 28: ASM3(FP3("fadd.d ft3, ft0, ft1")); break;
	case 29: ASM3(FP3("fsub.d ft3, ft0, ft1")); break;
	case 30: ASM3(FP3("fmul.d ft3, ft0, ft1")); break;
	case 31: ASM3(FP3("fdiv.d ft3, ft0, ft1")); break;
	case 32: ASM3(FP3("fsqrt.d ft3, ft0")); break;
	case 33: ASM3(FP3("fmadd.d ft3, ft0, ft1, ft2")); break;
	case 34: ASM3(FP3("fmsub.d ft3, ft0, ft1, ft2")); break;
	case 35: ASM3(FP3("fnmsub.d ft3, ft0, ft1, ft2")); break;
	case 36: ASM3(FP3("fnmadd.d ft3, ft0, ft1, ft2")); break;
	case 37: ASM3(FP3("fmin.d ft3, ft0, ft1")); break;
	case 38: ASM3(FP3("fmax.d ft3, ft0, ft1")); break;
	case 39: ASM3(XR("feq.d t4, ft0, ft1")); break;
	case 40: ASM3(XR("flt.d t4, ft0, ft1")); break;
	case 41: ASM3(XR("fle.d t4, ft0, ft1")); break;
	case 42: ASM3(XR("fclass.d t4, ft0")); break;
	case 43: ASM3(XR("fcvt.w.d t4, ft0")); break;
	case 44: ASM3(XR("fcvt.wu.d t4, ft0")); break;
	case 45: ASM3(XR("fcvt.l.d t4, ft0")); break;
	case 46: ASM3(XR("fcvt.lu.d t4, ft0")); break;
	case 47: ASM3(FROMX("fcvt.d.w ft3, t4")); break;
	case 48: ASM3(FROMX("fcvt.d.wu ft3, t4")); break;
	case 49: ASM3(FROMX("fcvt.d.l ft3, t4")); break;
	case 50: ASM3(FROMX("fcvt.d.lu ft3, t4")); break;
	case 51: ASM3(FP3("fsgnj.d ft3, ft0, ft1")); break;
	case 52: ASM3(FP3("fsgnjn.d ft3, ft0, ft1")); break;
	case 53: ASM3(FP3("fsgnjx.d ft3, ft0, ft1")); break;
	case 54: ASM3(FP3("fcvt.s.d ft3, ft0")); break;
	}
	*flags = fl;
	return r;
}

#define S3 { K_S, K_S, K_S }
#define D3 { K_D, K_D, K_D }
#define X3 { K_X, K_X, K_X }
static const struct insn insns[] = {
	{ "fadd.s", S3, 0x834ae5ec218024beull },
	{ "fsub.s", S3, 0x9e395562276e743aull },
	{ "fmul.s", S3, 0xf60f4bccb6b75195ull },
	{ "fdiv.s", S3, 0xd5c30a0a0a87b078ull },
	{ "fsqrt.s", S3, 0x5a5bfe020fe66c08ull },
	{ "fmadd.s", S3, 0x31788dce67363566ull },
	{ "fmsub.s", S3, 0xccdfeb841923b3c7ull },
	{ "fnmsub.s", S3, 0x381b84aa71ee9eecull },
	{ "fnmadd.s", S3, 0xeba8c93128624b97ull },
	{ "fmin.s", S3, 0x972916b32fd3cc0bull },
	{ "fmax.s", S3, 0xda7a0142e07a91f3ull },
	{ "feq.s", S3, 0x548a5526658bcdf4ull },
	{ "flt.s", S3, 0x50e43e401a3dcf05ull },
	{ "fle.s", S3, 0xa44744c356ad81adull },
	{ "fclass.s", S3, 0xb2313c2eecfd5357ull },
	{ "fcvt.w.s", S3, 0x94723e1516eca72full },
	{ "fcvt.wu.s", S3, 0x7654f8e77f8eaedcull },
	{ "fcvt.l.s", S3, 0xd86dda39e941bfaaull },
	{ "fcvt.lu.s", S3, 0x30f4b08c804010b3ull },
	{ "fcvt.s.w", X3, 0x400ab0e11f1b4cfaull },
	{ "fcvt.s.wu", X3, 0x3ad9066fcda18319ull },
	{ "fcvt.s.l", X3, 0x70f785e09e29791cull },
	{ "fcvt.s.lu", X3, 0xf7b43554d94dabacull },
	{ "fsgnj.s", S3, 0x509c0681056d67d1ull },
	{ "fsgnjn.s", S3, 0xe2935a6872e1835full },
	{ "fsgnjx.s", S3, 0x7c1d474059d313b4ull },
	{ "fmv.x.w", S3, 0xb1d13c0b1531b082ull },
	{ "fcvt.d.s", S3, 0xe69be99685770b55ull },
	{ "fadd.d", D3, 0xb4e4ae8753e07e10ull },
	{ "fsub.d", D3, 0x13762cdc19772d28ull },
	{ "fmul.d", D3, 0x834ce1ad33229bbdull },
	{ "fdiv.d", D3, 0x083a57c75c492d1full },
	{ "fsqrt.d", D3, 0x8eeed240ba3ed1f3ull },
	{ "fmadd.d", D3, 0x67c943c9d60ec932ull },
	{ "fmsub.d", D3, 0x74073b559a9e2090ull },
	{ "fnmsub.d", D3, 0xdd517bc6250c0c85ull },
	{ "fnmadd.d", D3, 0xe77d7996caa3b428ull },
	{ "fmin.d", D3, 0xbb5b5b1ff3fd36f2ull },
	{ "fmax.d", D3, 0xb4fb3313dc2c2ff0ull },
	{ "feq.d", D3, 0x9731e6fb7a88a09cull },
	{ "flt.d", D3, 0x927dd4f7ee5ba655ull },
	{ "fle.d", D3, 0xb8d49db7253eda2cull },
	{ "fclass.d", D3, 0x8bebc36bfe6c5e82ull },
	{ "fcvt.w.d", D3, 0x1a9073fc91161cd8ull },
	{ "fcvt.wu.d", D3, 0x27215b2aaca771ebull },
	{ "fcvt.l.d", D3, 0x6845dd3fb10a8137ull },
	{ "fcvt.lu.d", D3, 0xadee49701437b56bull },
	{ "fcvt.d.w", X3, 0xf5a11273e39816b5ull },
	{ "fcvt.d.wu", X3, 0x05e9e38b431816b5ull },
	{ "fcvt.d.l", X3, 0xfa354a4b2d3c17b6ull },
	{ "fcvt.d.lu", X3, 0x18636f6f012f10b0ull },
	{ "fsgnj.d", D3, 0x1b1c118a2e45de22ull },
	{ "fsgnjn.d", D3, 0xb5cabc8219fc6804ull },
	{ "fsgnjx.d", D3, 0xfbd5590ec5404c81ull },
	{ "fcvt.s.d", D3, 0xc0ec989086f8a1bdull },
};

static uint64_t gen(int kind)
{
	return kind == K_S ? gen_s() : kind == K_D ? gen_d() : gen_x();
}

int main(void)
{
	int n = (int)(sizeof(insns) / sizeof(insns[0])), bad = 0;

	for (int i = 0; i < n; i++) {
		uint64_t h = 0xcbf29ce484222325ull;

		rng_state = 0x9e3779b97f4a7c15ull + (uint64_t)i;
		for (int k = 0; k < N_ITER; k++) {
			uint64_t a = gen(insns[i].kind[0]);
			uint64_t b = (k & 3) == 3 ? a ^ (rnd() & 0x80000000000000ffull) : gen(insns[i].kind[1]);
			uint64_t c = gen(insns[i].kind[2]);
			uint64_t fl, r;

			__asm__ volatile("fsrm %0" : : "r"((uint64_t)(k % 5)));
			r = run(i, a, b, c, &fl);
			/* FNV-1a style fold of result and flags */
			h = (h ^ r) * 0x100000001b3ull;
			h = (h ^ fl) * 0x100000001b3ull;
		}
		if (h != insns[i].expect) {
			t_puts(insns[i].name);
			t_puts(": hash ");
			t_puthex(h);
			t_puts(" expected ");
			t_puthex(insns[i].expect);
			t_puts("\n");
			if (!bad)
				bad = i + 1;
		}
	}
	__asm__ volatile("fsrmi 0");
	return bad;
}
