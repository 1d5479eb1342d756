/* fpu.c - RISC-V F/D arithmetic on raw IEEE-754 bit patterns (see fpu.h).
 *
 * A small integer-only soft-float core, in the style of Berkeley SoftFloat:
 * operands are unpacked to sign, unbiased exponent and a 63-bit significand
 * (leading one at bit 62, so binary32 and binary64 share the code), the
 * operation is done exactly on 64/128-bit integers with the bits that fall
 * off OR-ed into a sticky bit, and one generic round_pack() rounds in any of
 * the five modes (RMM included), detects tininess after rounding and raises
 * NX/UF/OF. Special operands (NaN, inf, zero) are dealt with before that.
 *
 * Why not the host FPU: RNE/RTZ/RDN/RUP via SSE needs an MXCSR load before and
 * after every operation (to set the rounding mode, collect the operation's
 * flags and give the caller back its own flags). On the project's x86-64
 * machines an ldmxcsr of a value just saved by stmxcsr costs ~150-300 ns;
 * an SSE add/mul wrapped that way measured 40-120 ns against 6-15 ns for the
 * integer code here. It would also still leave RMM and the x86/RISC-V FMA
 * difference (x86 raises no NV for 0*inf+qNaN) to a soft path. Integer code
 * never touches the host FP environment, as fpu.h asks.
 *
 * No writable global or static state: only static const tables.
 */
#include "cpu/rv64/fpu.h"

/* The helpers take the format as a constant argument; forcing them inline
 * gives one specialised copy per format. */
#define INLINE		static inline __attribute__((always_inline))
#define COLD		__attribute__((noinline, cold))
#define LIKELY(x)	__builtin_expect(!!(x), 1)

/* ---- format description ------------------------------------------------ */

/* w is 32 or 64; every helper below is inlined with a constant w. */
#define F_FRAC(w)	((w) == 32 ? 23 : 52)			/* stored fraction bits */
#define F_PREC(w)	(F_FRAC(w) + 1)				/* precision p */
#define F_BIAS(w)	((w) == 32 ? 127 : 1023)
#define F_EMAX(w)	F_BIAS(w)
#define F_EMIN(w)	(1 - F_BIAS(w))
#define F_EXPMASK(w)	((w) == 32 ? 0xffull : 0x7ffull)
#define F_SIGN(w)	(1ull << ((w) - 1))
#define F_FRACMASK(w)	((1ull << F_FRAC(w)) - 1)
#define F_INF(w)	(F_EXPMASK(w) << F_FRAC(w))
#define F_QUIET(w)	(1ull << (F_FRAC(w) - 1))
#define F_CNAN(w)	((w) == 32 ? (uint64_t)RV_F32_CANON_NAN : RV_F64_CANON_NAN)
#define F_MAXFIN(w)	(F_INF(w) - 1)

static inline int f_isnan(int w, uint64_t a)
{
	return (a & ~F_SIGN(w)) > F_INF(w);
}

/* signalling NaN: exponent all ones, quiet bit clear, fraction non-zero */
static inline int f_issnan(int w, uint64_t a)
{
	return f_isnan(w, a) && !(a & F_QUIET(w));
}

static inline int clz64(uint64_t x)
{
	return __builtin_clzll(x);
}

/* x >> n, OR-ing every bit shifted out into bit 0 ("jamming" a sticky bit) */
INLINE uint64_t shr_jam64(uint64_t x, int n)
{
	if (n <= 0)
		return x;
	if (n >= 64)
		return x != 0;
	return (x >> n) | ((x << (64 - n)) != 0);
}

typedef unsigned __int128 u128;

INLINE u128 shr_jam128(u128 x, int n)
{
	if (n <= 0)
		return x;
	if (n >= 128)
		return x != 0;
	return (x >> n) | ((x << (128 - n)) != 0);
}

/* n / d when the quotient fits in 64 bits (n < d * 2^64) */
static inline uint64_t div128_64(u128 n, uint64_t d, uint64_t *rem)
{
#if defined(__x86_64__)
	uint64_t q, r;

	/* one divq instead of a call to libgcc's generic __udivti3 */
	__asm__("divq %[d]" : "=a"(q), "=d"(r) : [d] "rm"(d), "a"((uint64_t)n), "d"((uint64_t)(n >> 64)));
	*rem = r;
	return q;
#else
	*rem = (uint64_t)(n % d);
	return (uint64_t)(n / d);
#endif
}

/* 2^16 / sqrt((i + 64.5) / 64): 1/sqrt(a) for a in [1, 4) to about 8 bits */
static const uint16_t rsqrt_tab[192] = {
	65281, 64781, 64292, 63814, 63347, 62889, 62442, 62004, 61575, 61154, 60742, 60339,
	59943, 59555, 59175, 58801, 58435, 58075, 57722, 57376, 57035, 56700, 56372, 56049,
	55731, 55419, 55112, 54810, 54513, 54221, 53933, 53650, 53371, 53097, 52826, 52560,
	52298, 52040, 51785, 51535, 51288, 51044, 50804, 50567, 50333, 50103, 49876, 49652,
	49430, 49212, 48997, 48784, 48574, 48367, 48163, 47961, 47761, 47564, 47370, 47178,
	46988, 46800, 46615, 46432, 46251, 46072, 45895, 45720, 45547, 45376, 45207, 45040,
	44875, 44711, 44550, 44390, 44232, 44075, 43920, 43767, 43615, 43465, 43316, 43169,
	43024, 42879, 42737, 42595, 42456, 42317, 42180, 42044, 41910, 41776, 41644, 41514,
	41384, 41256, 41129, 41003, 40878, 40754, 40631, 40510, 40390, 40270, 40152, 40035,
	39919, 39803, 39689, 39576, 39464, 39352, 39242, 39133, 39024, 38916, 38810, 38704,
	38599, 38494, 38391, 38289, 38187, 38086, 37986, 37887, 37788, 37690, 37593, 37497,
	37401, 37307, 37213, 37119, 37027, 36935, 36843, 36753, 36663, 36573, 36485, 36397,
	36309, 36222, 36136, 36051, 35966, 35882, 35798, 35715, 35632, 35550, 35469, 35388,
	35307, 35228, 35148, 35070, 34991, 34914, 34837, 34760, 34684, 34608, 34533, 34458,
	34384, 34310, 34237, 34164, 34092, 34020, 33949, 33878, 33807, 33737, 33668, 33599,
	33530, 33461, 33393, 33326, 33259, 33192, 33126, 33060, 32994, 32929, 32864, 32800,
};

/* floor(sqrt(n)) for n in [2^124, 2^126); *inexact tells whether n is not a
 * perfect square. Newton iterations on 1/sqrt (multiplications only) give
 * an estimate within a few units, a final exact remainder fixes it up. */
static inline uint64_t isqrt128(u128 n, int *inexact)
{
	uint64_t x = (uint64_t)(n >> 62);	/* a = x / 2^62, in [1, 4) */
	uint64_t y = (uint64_t)rsqrt_tab[(x >> 56) - 64] << 47;	/* 1/sqrt(a) * 2^63 */
	uint64_t z;
	__int128 r;

	for (int i = 0; i < 3; i++) {
		/* y += y * (1 - a*y^2) / 2: ~8 -> 16 -> 32 -> 60 good bits */
		uint64_t t = (uint64_t)(((u128)y * y) >> 64);		/* y^2 * 2^62 */
		uint64_t u = (uint64_t)(((u128)x * t) >> 62);		/* a*y^2 * 2^62 */
		int64_t e = (int64_t)((1ull << 62) - u);		/* (1 - a*y^2) * 2^62 */
		y += (uint64_t)(int64_t)(((__int128)y * e) >> 63);
	}
	z = (uint64_t)(((u128)x * y) >> 63);	/* a/sqrt(a) * 2^62 ~ sqrt(n) */
	r = (__int128)(n - (u128)z * z);
	/* one Newton step on the root itself, z += r / (2z), with 1/(2z) taken
	 * as y / 2^126 (r is scaled down first so the product fits) */
	z += (uint64_t)(int64_t)(((r >> 10) * (__int128)y) >> 116);
	r = (__int128)(n - (u128)z * z);
	while (r < 0) {
		z--;
		r += 2 * (__int128)z + 1;
	}
	while (r > 2 * (__int128)z) {
		r -= 2 * (__int128)z + 1;
		z++;
	}
	*inexact = r != 0;
	return z;
}

/* ---- unpacked representation -------------------------------------------- */

enum { C_ZERO, C_FINITE, C_INF, C_NAN };

/* A finite non-zero value is sig * 2^(exp - 62) with bit 62 of sig set, i.e.
 * exp is the unbiased exponent and sig carries 63 - p guard bits. */
struct unp {
	int cls;
	int sign;
	int exp;
	uint64_t sig;
};

INLINE struct unp unpack(int w, uint64_t a)
{
	struct unp u;
	int e = (int)((a >> F_FRAC(w)) & F_EXPMASK(w));
	uint64_t f = a & F_FRACMASK(w);

	u.sign = (int)(a >> (w - 1)) & 1;
	u.exp = 0;
	u.sig = 0;
	if (e == (int)F_EXPMASK(w)) {
		u.cls = f ? C_NAN : C_INF;
	} else if (e == 0) {
		if (!f) {
			u.cls = C_ZERO;
		} else {
			/* subnormal: value f * 2^(emin - frac); normalise to bit 62 */
			int s = clz64(f) - 1;
			u.cls = C_FINITE;
			u.sig = f << s;
			u.exp = 62 - s + F_EMIN(w) - F_FRAC(w);
		}
	} else {
		u.cls = C_FINITE;
		u.sig = (f | (1ull << F_FRAC(w))) << (62 - F_FRAC(w));
		u.exp = e - F_BIAS(w);
	}
	return u;
}

/* Round sig * 2^(exp - 62) (bit 62 of sig set, bit 0 possibly a sticky bit)
 * to format w in rounding mode rm and pack it, raising NX/UF/OF.
 * Tininess is detected after rounding (RISC-V, like IEEE 754 allows): the
 * result is tiny when rounding to p bits with an unbounded exponent gives a
 * magnitude below 2^emin. */
INLINE uint64_t round_pack(int w, int sign, int exp, uint64_t sig, int rm, uint32_t *ff)
{
	const int sh = 63 - F_PREC(w);		/* guard bits below the p kept bits */
	const uint64_t mask = (1ull << sh) - 1, half = 1ull << (sh - 1);
	uint64_t inc, rbits, bits;

	switch (rm) {
	case RV_RM_RTZ:
		inc = 0;
		break;
	case RV_RM_RDN:
		inc = sign ? mask : 0;
		break;
	case RV_RM_RUP:
		inc = sign ? 0 : mask;
		break;
	default:				/* RNE, RMM: add half, fix RNE ties below */
		inc = half;
		break;
	}
	if (exp > F_EMAX(w))
		goto overflow;
	if (exp < F_EMIN(w)) {
		/* Only a value in [2^(emin-1), 2^emin) can round up to 2^emin: it
		 * is not tiny when rounding at full precision carries out. */
		int tiny = exp < F_EMIN(w) - 1 || sig + inc < (1ull << 63);
		sig = shr_jam64(sig, F_EMIN(w) - exp);
		exp = F_EMIN(w);
		if (tiny && (sig & mask))
			*ff |= RV_FF_UF;
	}
	rbits = sig & mask;
	sig = (sig + inc) >> sh;
	if (rm == RV_RM_RNE && rbits == half)
		sig &= ~1ull;			/* tie: to even */
	/* sig is now the p-bit significand (2^p after a carry out, below
	 * 2^(p-1) for a subnormal). Adding it to the exponent field minus one
	 * lets its leading bit carry into the exponent: subnormals get field 0,
	 * a carry to 2^p bumps the exponent and clears the fraction. */
	bits = ((uint64_t)(exp + F_BIAS(w) - 1) << F_FRAC(w)) + sig;
	if (bits >= F_INF(w))
		goto overflow;
	if (rbits)
		*ff |= RV_FF_NX;
	return ((uint64_t)sign << (w - 1)) | bits;
overflow:
	*ff |= RV_FF_OF | RV_FF_NX;
	/* modes that round toward zero for this sign give the largest finite */
	return ((uint64_t)sign << (w - 1)) | (inc ? F_INF(w) : F_MAXFIN(w));
}

/* Normalise a non-zero magnitude m * 2^0 (an integer) and round it. */
static inline uint64_t round_pack_int(int w, int sign, uint64_t m, int rm, uint32_t *ff)
{
	int lz = clz64(m);
	uint64_t sig = lz ? m << (lz - 1) : shr_jam64(m, 1);

	return round_pack(w, sign, 63 - lz, sig, rm, ff);
}

static inline uint64_t signed_zero(int w, int sign)
{
	return (uint64_t)sign << (w - 1);
}

/* exact zero from x + (-x): +0 in every mode but RDN (IEEE 754 6.3) */
static inline uint64_t cancel_zero(int w, int rm)
{
	return signed_zero(w, rm == RV_RM_RDN);
}

/* ---- soft-float arithmetic (all rounding modes) ------------------------- */

/* Each operation has a core working on finite non-zero unpacked operands,
 * an inlined fast path for the common case of normal operands, and an
 * out-of-line slow path that deals with zeros, subnormals, infinities and
 * NaNs before calling the same core. */

/* exponent field neither 0 (zero/subnormal) nor all ones (inf/NaN) */
static inline int is_normal(int w, uint64_t a)
{
	return ((a >> F_FRAC(w)) & F_EXPMASK(w)) - 1 < F_EXPMASK(w) - 1;
}

INLINE struct unp unpack_normal(int w, uint64_t a)
{
	struct unp u;

	u.cls = C_FINITE;
	u.sign = (int)(a >> (w - 1)) & 1;
	u.exp = (int)((a >> F_FRAC(w)) & F_EXPMASK(w)) - F_BIAS(w);
	u.sig = ((a & F_FRACMASK(w)) | (1ull << F_FRAC(w))) << (62 - F_FRAC(w));
	return u;
}

/* NaN operand(s): NV for a signalling one, canonical NaN result */
INLINE uint64_t nan_result(int w, uint64_t a, uint64_t b, uint32_t *ff)
{
	if (f_issnan(w, a) || f_issnan(w, b))
		*ff |= RV_FF_NV;
	return F_CNAN(w);
}

INLINE uint64_t invalid(int w, uint32_t *ff)
{
	*ff |= RV_FF_NV;
	return F_CNAN(w);
}

INLINE uint64_t add_core(int w, struct unp x, struct unp y, int rm, uint32_t *ff)
{
	struct unp t;
	uint64_t s;

	/* make x the operand of larger magnitude */
	if (x.exp < y.exp || (x.exp == y.exp && x.sig < y.sig)) {
		t = x;
		x = y;
		y = t;
	}
	y.sig = shr_jam64(y.sig, x.exp - y.exp);
	if (x.sign == y.sign) {
		s = x.sig + y.sig;		/* < 2^64: both below 2^63 */
		if (s >> 63) {
			s = (s >> 1) | (s & 1);
			x.exp++;
		}
	} else {
		int n;
		s = x.sig - y.sig;
		if (!s)
			return cancel_zero(w, rm);
		/* when y was shifted by 2 or more, s >= 2^61 and the shift below
		 * is at most 1, so the sticky bit stays below the guard bits */
		n = clz64(s) - 1;
		s <<= n;
		x.exp -= n;
	}
	return round_pack(w, x.sign, x.exp, s, rm, ff);
}

INLINE uint64_t add_slow(int w, uint64_t a, uint64_t b, int rm, uint32_t *ff)
{
	struct unp x = unpack(w, a), y = unpack(w, b);

	if (x.cls == C_NAN || y.cls == C_NAN)
		return nan_result(w, a, b, ff);
	if (x.cls == C_INF) {
		if (y.cls == C_INF && x.sign != y.sign)
			return invalid(w, ff);	/* inf - inf */
		return a;
	}
	if (y.cls == C_INF)
		return b;
	if (x.cls == C_ZERO && y.cls == C_ZERO)
		return x.sign == y.sign ? a : cancel_zero(w, rm);
	if (x.cls == C_ZERO)
		return b;			/* exact: no rounding, no flags */
	if (y.cls == C_ZERO)
		return a;
	return add_core(w, x, y, rm, ff);
}

INLINE uint64_t mul_core(int w, struct unp x, struct unp y, int rm, uint32_t *ff)
{
	/* product of two [2^62, 2^63) significands is in [2^124, 2^126) */
	u128 p = (u128)x.sig * y.sig;
	int exp = x.exp + y.exp;
	uint64_t s;

	if (p >> 125) {
		exp++;
		s = (uint64_t)(p >> 63) | ((uint64_t)p << 1 != 0);
	} else {
		s = (uint64_t)(p >> 62) | ((uint64_t)p << 2 != 0);
	}
	return round_pack(w, x.sign ^ y.sign, exp, s, rm, ff);
}

INLINE uint64_t mul_slow(int w, uint64_t a, uint64_t b, int rm, uint32_t *ff)
{
	struct unp x = unpack(w, a), y = unpack(w, b);
	int sign = x.sign ^ y.sign;

	if (x.cls == C_NAN || y.cls == C_NAN)
		return nan_result(w, a, b, ff);
	if (x.cls == C_INF || y.cls == C_INF) {
		if (x.cls == C_ZERO || y.cls == C_ZERO)
			return invalid(w, ff);	/* 0 * inf */
		return signed_zero(w, sign) | F_INF(w);
	}
	if (x.cls == C_ZERO || y.cls == C_ZERO)
		return signed_zero(w, sign);
	return mul_core(w, x, y, rm, ff);
}

INLINE uint64_t div_core(int w, struct unp x, struct unp y, int rm, uint32_t *ff)
{
	int exp = x.exp - y.exp;
	uint64_t q, r;
	u128 n;

	/* scale the dividend so the quotient lands in [2^62, 2^63); the
	 * remainder becomes the sticky bit */
	if (x.sig >= y.sig) {
		n = (u128)x.sig << 62;
	} else {
		n = (u128)x.sig << 63;
		exp--;
	}
	q = div128_64(n, y.sig, &r);
	return round_pack(w, x.sign ^ y.sign, exp, q | (r != 0), rm, ff);
}

INLINE uint64_t div_slow(int w, uint64_t a, uint64_t b, int rm, uint32_t *ff)
{
	struct unp x = unpack(w, a), y = unpack(w, b);
	int sign = x.sign ^ y.sign;

	if (x.cls == C_NAN || y.cls == C_NAN)
		return nan_result(w, a, b, ff);
	if (x.cls == C_INF)
		return y.cls == C_INF ? invalid(w, ff) : signed_zero(w, sign) | F_INF(w);
	if (y.cls == C_INF)
		return signed_zero(w, sign);
	if (y.cls == C_ZERO) {
		if (x.cls == C_ZERO)
			return invalid(w, ff);	/* 0 / 0 */
		*ff |= RV_FF_DZ;
		return signed_zero(w, sign) | F_INF(w);
	}
	if (x.cls == C_ZERO)
		return signed_zero(w, sign);
	return div_core(w, x, y, rm, ff);
}

INLINE uint64_t sqrt_core(int w, struct unp x, int rm, uint32_t *ff)
{
	/* n = sig * 2^(62 or 63) with an even total exponent, so that
	 * floor(sqrt(n)) is in [2^62, 2^63) */
	u128 n = (u128)x.sig << (62 + (x.exp & 1));
	int inexact;
	uint64_t root = isqrt128(n, &inexact);

	/* x.exp >> 1 floors for negative odd exponents (arithmetic shift) */
	return round_pack(w, 0, x.exp >> 1, root | (uint64_t)inexact, rm, ff);
}

INLINE uint64_t sqrt_slow(int w, uint64_t a, int rm, uint32_t *ff)
{
	struct unp x = unpack(w, a);

	if (x.cls == C_NAN)
		return nan_result(w, a, a, ff);
	if (x.cls == C_ZERO)
		return a;			/* sqrt(-0) = -0 */
	if (x.sign)
		return invalid(w, ff);
	if (x.cls == C_INF)
		return a;
	return sqrt_core(w, x, rm, ff);
}

/* a * b + c, all finite and non-zero: the exact product (up to 106 bits)
 * and the addend are added in 128 bits, with a sticky bit, then rounded. */
INLINE uint64_t fma_core(int w, struct unp x, struct unp y, struct unp z, int rm,
				uint32_t *ff)
{
	int psign = x.sign ^ y.sign, pexp = x.exp + y.exp, n;
	u128 p = (u128)x.sig * y.sig, q, t;

	/* normalise the product to bit 126: value p * 2^(pexp - 126) */
	if (p >> 125) {
		pexp++;
		p <<= 1;
	} else {
		p <<= 2;
	}
	q = (u128)z.sig << 64;		/* the addend, also with bit 126 set */
	/* make p the larger magnitude */
	if (pexp < z.exp || (pexp == z.exp && p < q)) {
		t = p;
		p = q;
		q = t;
		n = pexp;
		pexp = z.exp;
		z.exp = n;
		n = psign;
		psign = z.sign;
		z.sign = n;
	}
	q = shr_jam128(q, pexp - z.exp);
	if (psign == z.sign) {
		p += q;				/* < 2^128: both below 2^127 */
		if (p >> 127) {
			p = (p >> 1) | (p & 1);
			pexp++;
		}
	} else {
		p -= q;
		if (!p)
			return cancel_zero(w, rm);
		/* as in add_core: a jammed q means a shift of at most 1 here */
		n = (p >> 64) ? clz64((uint64_t)(p >> 64)) - 1 : 63 + clz64((uint64_t)p);
		p <<= n;
		pexp -= n;
	}
	return round_pack(w, psign, pexp, (uint64_t)(p >> 64) | ((uint64_t)p != 0), rm, ff);
}

INLINE uint64_t fma_slow(int w, uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *ff)
{
	struct unp x = unpack(w, a), y = unpack(w, b), z = unpack(w, c);
	int psign = x.sign ^ y.sign;
	int pinf = x.cls == C_INF || y.cls == C_INF;
	int pzero = x.cls == C_ZERO || y.cls == C_ZERO;

	if (x.cls == C_NAN || y.cls == C_NAN || z.cls == C_NAN) {
		/* RISC-V: inf * 0 raises NV even when the addend is a quiet NaN
		 * (x86 FMA does not, hence no host FMA here either) */
		if (f_issnan(w, a) || f_issnan(w, b) || f_issnan(w, c) ||
		    (pinf && pzero))
			*ff |= RV_FF_NV;
		return F_CNAN(w);
	}
	if (pinf) {
		if (pzero || (z.cls == C_INF && z.sign != psign))
			return invalid(w, ff);	/* inf * 0, or inf - inf */
		return signed_zero(w, psign) | F_INF(w);
	}
	if (z.cls == C_INF)
		return c;
	if (pzero) {
		if (z.cls == C_ZERO)
			return z.sign == psign ? c : cancel_zero(w, rm);
		return c;			/* 0 + c is exact */
	}
	if (z.cls == C_ZERO) {
		/* nothing to add: round the product (it cannot be an exact 0) */
		return mul_core(w, x, y, rm, ff);
	}
	return fma_core(w, x, y, z, rm, ff);
}

/* The slow paths, one out-of-line copy per format. */
#define SLOW_PATHS(w)									\
static COLD uint64_t add_slow##w(uint64_t a, uint64_t b, int rm, uint32_t *ff)		\
{ return add_slow(w, a, b, rm, ff); }							\
static COLD uint64_t mul_slow##w(uint64_t a, uint64_t b, int rm, uint32_t *ff)		\
{ return mul_slow(w, a, b, rm, ff); }							\
static COLD uint64_t div_slow##w(uint64_t a, uint64_t b, int rm, uint32_t *ff)		\
{ return div_slow(w, a, b, rm, ff); }							\
static COLD uint64_t sqrt_slow##w(uint64_t a, int rm, uint32_t *ff)			\
{ return sqrt_slow(w, a, rm, ff); }							\
static COLD uint64_t fma_slow##w(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *ff) \
{ return fma_slow(w, a, b, c, rm, ff); }
SLOW_PATHS(32)
SLOW_PATHS(64)

#define SLOW(op, w) ((w) == 32 ? op##_slow32 : op##_slow64)

INLINE uint64_t soft_add(int w, uint64_t a, uint64_t b, int rm, uint32_t *ff)
{
	if (LIKELY(is_normal(w, a) && is_normal(w, b)))
		return add_core(w, unpack_normal(w, a), unpack_normal(w, b), rm, ff);
	return SLOW(add, w)(a, b, rm, ff);
}

INLINE uint64_t soft_mul(int w, uint64_t a, uint64_t b, int rm, uint32_t *ff)
{
	if (LIKELY(is_normal(w, a) && is_normal(w, b)))
		return mul_core(w, unpack_normal(w, a), unpack_normal(w, b), rm, ff);
	return SLOW(mul, w)(a, b, rm, ff);
}

INLINE uint64_t soft_div(int w, uint64_t a, uint64_t b, int rm, uint32_t *ff)
{
	if (LIKELY(is_normal(w, a) && is_normal(w, b)))
		return div_core(w, unpack_normal(w, a), unpack_normal(w, b), rm, ff);
	return SLOW(div, w)(a, b, rm, ff);
}

INLINE uint64_t soft_sqrt(int w, uint64_t a, int rm, uint32_t *ff)
{
	if (LIKELY(is_normal(w, a) && !(a >> (w - 1))))
		return sqrt_core(w, unpack_normal(w, a), rm, ff);
	return SLOW(sqrt, w)(a, rm, ff);
}

INLINE uint64_t soft_fma(int w, uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *ff)
{
	if (LIKELY(is_normal(w, a) && is_normal(w, b) && is_normal(w, c)))
		return fma_core(w, unpack_normal(w, a), unpack_normal(w, b), unpack_normal(w, c),
				rm, ff);
	return SLOW(fma, w)(a, b, c, rm, ff);
}

/* ---- arithmetic entry points ---------------------------------------------- */

uint32_t rv_f32_add(uint32_t a, uint32_t b, int rm, uint32_t *fflags)
{
	return (uint32_t)soft_add(32, a, b, rm, fflags);
}

/* a - b = a + (-b) exactly, also for NaNs (the result is canonical anyway) */
uint32_t rv_f32_sub(uint32_t a, uint32_t b, int rm, uint32_t *fflags)
{
	return (uint32_t)soft_add(32, a, b ^ (uint32_t)F_SIGN(32), rm, fflags);
}

uint32_t rv_f32_mul(uint32_t a, uint32_t b, int rm, uint32_t *fflags)
{
	return (uint32_t)soft_mul(32, a, b, rm, fflags);
}

uint32_t rv_f32_div(uint32_t a, uint32_t b, int rm, uint32_t *fflags)
{
	return (uint32_t)soft_div(32, a, b, rm, fflags);
}

uint32_t rv_f32_sqrt(uint32_t a, int rm, uint32_t *fflags)
{
	return (uint32_t)soft_sqrt(32, a, rm, fflags);
}

/* Negating an operand is exact, so fmsub/fnmsub/fnmadd are an fma with
 * flipped sign bits; that is also how SoftFloat/QEMU define them, which
 * fixes the sign of exact zero results: fnmadd(1, 1, -1) = -1 + 1 = +0. */
uint32_t rv_f32_fma(uint32_t a, uint32_t b, uint32_t c, int neg_prod, int neg_add, int rm,
		    uint32_t *fflags)
{
	if (neg_prod)
		a ^= (uint32_t)F_SIGN(32);
	if (neg_add)
		c ^= (uint32_t)F_SIGN(32);
	return (uint32_t)soft_fma(32, a, b, c, rm, fflags);
}

uint64_t rv_f64_add(uint64_t a, uint64_t b, int rm, uint32_t *fflags)
{
	return soft_add(64, a, b, rm, fflags);
}

uint64_t rv_f64_sub(uint64_t a, uint64_t b, int rm, uint32_t *fflags)
{
	return soft_add(64, a, b ^ F_SIGN(64), rm, fflags);
}

uint64_t rv_f64_mul(uint64_t a, uint64_t b, int rm, uint32_t *fflags)
{
	return soft_mul(64, a, b, rm, fflags);
}

uint64_t rv_f64_div(uint64_t a, uint64_t b, int rm, uint32_t *fflags)
{
	return soft_div(64, a, b, rm, fflags);
}

uint64_t rv_f64_sqrt(uint64_t a, int rm, uint32_t *fflags)
{
	return soft_sqrt(64, a, rm, fflags);
}

uint64_t rv_f64_fma(uint64_t a, uint64_t b, uint64_t c, int neg_prod, int neg_add, int rm,
		    uint32_t *fflags)
{
	if (neg_prod)
		a ^= F_SIGN(64);
	if (neg_add)
		c ^= F_SIGN(64);
	return soft_fma(64, a, b, c, rm, fflags);
}

/* ---- min/max, comparisons, classify (integer only) ---------------------- */

/* Map a non-NaN encoding to an unsigned key that orders like the values,
 * with -0 below +0 (negative values: all bits flipped). */
static inline uint64_t order_key(int w, uint64_t a)
{
	return (a & F_SIGN(w)) ? ~a & (F_SIGN(w) | (F_SIGN(w) - 1)) : a | F_SIGN(w);
}

static inline uint64_t minmax(int w, uint64_t a, uint64_t b, int is_max, uint32_t *ff)
{
	int an = f_isnan(w, a), bn = f_isnan(w, b);

	if (f_issnan(w, a) || f_issnan(w, b))
		*ff |= RV_FF_NV;
	if (an && bn)
		return F_CNAN(w);
	if (an)
		return b;
	if (bn)
		return a;
	if (order_key(w, a) < order_key(w, b))
		return is_max ? b : a;
	return is_max ? a : b;
}

uint32_t rv_f32_min(uint32_t a, uint32_t b, uint32_t *fflags) { return (uint32_t)minmax(32, a, b, 0, fflags); }
uint32_t rv_f32_max(uint32_t a, uint32_t b, uint32_t *fflags) { return (uint32_t)minmax(32, a, b, 1, fflags); }
uint64_t rv_f64_min(uint64_t a, uint64_t b, uint32_t *fflags) { return minmax(64, a, b, 0, fflags); }
uint64_t rv_f64_max(uint64_t a, uint64_t b, uint32_t *fflags) { return minmax(64, a, b, 1, fflags); }

static inline int both_zero(int w, uint64_t a, uint64_t b)
{
	return ((a | b) & ~F_SIGN(w)) == 0;
}

/* feq is a quiet comparison: NV only for signalling NaNs */
static inline int cmp_eq(int w, uint64_t a, uint64_t b, uint32_t *ff)
{
	if (f_isnan(w, a) || f_isnan(w, b)) {
		if (f_issnan(w, a) || f_issnan(w, b))
			*ff |= RV_FF_NV;
		return 0;
	}
	return a == b || both_zero(w, a, b);
}

/* flt/fle are signalling comparisons: NV for any NaN */
static inline int cmp_lt(int w, uint64_t a, uint64_t b, int or_equal, uint32_t *ff)
{
	if (f_isnan(w, a) || f_isnan(w, b)) {
		*ff |= RV_FF_NV;
		return 0;
	}
	if (both_zero(w, a, b))
		return or_equal;
	return or_equal ? order_key(w, a) <= order_key(w, b) : order_key(w, a) < order_key(w, b);
}

int rv_f32_eq(uint32_t a, uint32_t b, uint32_t *fflags) { return cmp_eq(32, a, b, fflags); }
int rv_f32_lt(uint32_t a, uint32_t b, uint32_t *fflags) { return cmp_lt(32, a, b, 0, fflags); }
int rv_f32_le(uint32_t a, uint32_t b, uint32_t *fflags) { return cmp_lt(32, a, b, 1, fflags); }
int rv_f64_eq(uint64_t a, uint64_t b, uint32_t *fflags) { return cmp_eq(64, a, b, fflags); }
int rv_f64_lt(uint64_t a, uint64_t b, uint32_t *fflags) { return cmp_lt(64, a, b, 0, fflags); }
int rv_f64_le(uint64_t a, uint64_t b, uint32_t *fflags) { return cmp_lt(64, a, b, 1, fflags); }

/* fclass bits: 0 -inf, 1 -normal, 2 -subnormal, 3 -0, 4 +0, 5 +subnormal,
 * 6 +normal, 7 +inf, 8 sNaN, 9 qNaN */
static inline uint64_t fclass(int w, uint64_t a)
{
	uint64_t mag = a & ~F_SIGN(w);
	int neg = (a & F_SIGN(w)) != 0;

	if (mag > F_INF(w))
		return (a & F_QUIET(w)) ? 1u << 9 : 1u << 8;
	if (mag == F_INF(w))
		return neg ? 1u << 0 : 1u << 7;
	if (mag == 0)
		return neg ? 1u << 3 : 1u << 4;
	if (mag < (1ull << F_FRAC(w)))
		return neg ? 1u << 2 : 1u << 5;
	return neg ? 1u << 1 : 1u << 6;
}

uint64_t rv_f32_class(uint32_t a) { return fclass(32, a); }
uint64_t rv_f64_class(uint64_t a) { return fclass(64, a); }

/* ---- conversions ---------------------------------------------------------- */

/* Float -> integer of `bits` (32/64) bits, signed or not, as SoftFloat/QEMU do
 * for RISC-V: NaN -> max, overflow saturates, NV without NX when out of
 * range, NX for an inexact in-range result. Negative values that round to 0
 * are fine for the unsigned targets (NX only). Returns the two's-complement
 * bit pattern in the low `bits` bits. */
static inline uint64_t to_int(int w, uint64_t a, int rm, int is_signed, int bits, uint32_t *ff)
{
	struct unp x = unpack(w, a);
	const uint64_t umax = bits == 64 ? ~0ull : (1ull << bits) - 1;
	const uint64_t smax = umax >> 1;
	uint64_t ip, frac;
	int inc;

	switch (x.cls) {
	case C_NAN:
		*ff |= RV_FF_NV;
		return is_signed ? smax : umax;
	case C_ZERO:
		return 0;
	case C_INF:
		goto invalid;
	}
	if (x.exp >= 64)
		goto invalid;
	/* value = sig * 2^(exp - 62): integer part and 64-bit fraction */
	if (x.exp >= 62) {
		ip = x.sig << (x.exp - 62);
		frac = 0;
	} else if (x.exp >= -1) {
		ip = x.sig >> (62 - x.exp);
		frac = x.sig << (x.exp + 2);
	} else {
		ip = 0;
		frac = 1;			/* nonzero, below one half */
	}
	switch (rm) {
	case RV_RM_RNE:
		inc = frac > (1ull << 63) || (frac == (1ull << 63) && (ip & 1));
		break;
	case RV_RM_RTZ:
		inc = 0;
		break;
	case RV_RM_RDN:
		inc = x.sign && frac;
		break;
	case RV_RM_RUP:
		inc = !x.sign && frac;
		break;
	default:				/* RMM: ties away from zero */
		inc = frac >= (1ull << 63);
		break;
	}
	ip += inc;				/* no wrap: frac != 0 means ip < 2^62 */
	if (is_signed) {
		if (ip > smax + x.sign)
			goto invalid;
	} else {
		if (x.sign ? ip != 0 : ip > umax)
			goto invalid;
	}
	if (frac)
		*ff |= RV_FF_NX;
	return x.sign ? -ip : ip;
invalid:
	*ff |= RV_FF_NV;
	if (is_signed)
		return x.sign ? ~smax : smax;	/* ~smax is the minimum */
	return x.sign ? 0 : umax;
}

int64_t rv_f32_to_i32(uint32_t a, int rm, uint32_t *fflags)
{
	return (int32_t)(uint32_t)to_int(32, a, rm, 1, 32, fflags);
}

/* RV64 sign-extends the 32-bit result of fcvt.wu too */
int64_t rv_f32_to_u32(uint32_t a, int rm, uint32_t *fflags)
{
	return (int32_t)(uint32_t)to_int(32, a, rm, 0, 32, fflags);
}

int64_t rv_f32_to_i64(uint32_t a, int rm, uint32_t *fflags)
{
	return (int64_t)to_int(32, a, rm, 1, 64, fflags);
}

uint64_t rv_f32_to_u64(uint32_t a, int rm, uint32_t *fflags)
{
	return to_int(32, a, rm, 0, 64, fflags);
}

int64_t rv_f64_to_i32(uint64_t a, int rm, uint32_t *fflags)
{
	return (int32_t)(uint32_t)to_int(64, a, rm, 1, 32, fflags);
}

int64_t rv_f64_to_u32(uint64_t a, int rm, uint32_t *fflags)
{
	return (int32_t)(uint32_t)to_int(64, a, rm, 0, 32, fflags);
}

int64_t rv_f64_to_i64(uint64_t a, int rm, uint32_t *fflags)
{
	return (int64_t)to_int(64, a, rm, 1, 64, fflags);
}

uint64_t rv_f64_to_u64(uint64_t a, int rm, uint32_t *fflags)
{
	return to_int(64, a, rm, 0, 64, fflags);
}

static inline uint64_t from_int(int w, int sign, uint64_t mag, int rm, uint32_t *ff)
{
	if (!mag)
		return 0;			/* integer zero is +0 */
	return round_pack_int(w, sign, mag, rm, ff);
}

uint32_t rv_i32_to_f32(int32_t v, int rm, uint32_t *fflags)
{
	return (uint32_t)from_int(32, v < 0, v < 0 ? -(uint64_t)v : (uint64_t)v, rm, fflags);
}

uint32_t rv_u32_to_f32(uint32_t v, int rm, uint32_t *fflags)
{
	return (uint32_t)from_int(32, 0, v, rm, fflags);
}

uint32_t rv_i64_to_f32(int64_t v, int rm, uint32_t *fflags)
{
	return (uint32_t)from_int(32, v < 0, v < 0 ? -(uint64_t)v : (uint64_t)v, rm, fflags);
}

uint32_t rv_u64_to_f32(uint64_t v, int rm, uint32_t *fflags)
{
	return (uint32_t)from_int(32, 0, v, rm, fflags);
}

uint64_t rv_i32_to_f64(int32_t v, int rm, uint32_t *fflags)
{
	return from_int(64, v < 0, v < 0 ? -(uint64_t)v : (uint64_t)v, rm, fflags);
}

uint64_t rv_u32_to_f64(uint32_t v, int rm, uint32_t *fflags)
{
	return from_int(64, 0, v, rm, fflags);
}

uint64_t rv_i64_to_f64(int64_t v, int rm, uint32_t *fflags)
{
	return from_int(64, v < 0, v < 0 ? -(uint64_t)v : (uint64_t)v, rm, fflags);
}

uint64_t rv_u64_to_f64(uint64_t v, int rm, uint32_t *fflags)
{
	return from_int(64, 0, v, rm, fflags);
}

/* fcvt.d.s: exact; NaNs become the canonical NaN (NV for a signalling one) */
uint64_t rv_f32_to_f64(uint32_t a, uint32_t *fflags)
{
	struct unp x = unpack(32, a);
	uint64_t sign = (uint64_t)x.sign << 63;

	switch (x.cls) {
	case C_NAN:
		if (f_issnan(32, a))
			*fflags |= RV_FF_NV;
		return RV_F64_CANON_NAN;
	case C_INF:
		return sign | F_INF(64);
	case C_ZERO:
		return sign;
	}
	/* every binary32 value (subnormals included) is a normal binary64 */
	return sign | ((uint64_t)(x.exp + F_BIAS(64)) << 52) | ((x.sig >> 10) & F_FRACMASK(64));
}

/* fcvt.s.d: one rounding in mode rm */
uint32_t rv_f64_to_f32(uint64_t a, int rm, uint32_t *fflags)
{
	struct unp x = unpack(64, a);

	switch (x.cls) {
	case C_NAN:
		if (f_issnan(64, a))
			*fflags |= RV_FF_NV;
		return RV_F32_CANON_NAN;
	case C_INF:
		return (uint32_t)(signed_zero(32, x.sign) | F_INF(32));
	case C_ZERO:
		return (uint32_t)signed_zero(32, x.sign);
	}
	return (uint32_t)round_pack(32, x.sign, x.exp, x.sig, rm, fflags);
}
