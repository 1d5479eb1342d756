/* 64-bit integer arithmetic kernel: multiply, high multiply, divide and
 * remainder (signed and unsigned, by constants and by variables), as used by
 * number formatting, hashing, primality testing and rational arithmetic. */
#include "bench.h"

/* (a * b) mod m for m < 2^32 */
static uint64_t mulmod32(uint64_t a, uint64_t b, uint64_t m)
{
	return (a * b) % m;
}

static uint64_t powmod32(uint64_t b, uint64_t e, uint64_t m)
{
	uint64_t r = 1;
	b %= m;
	while (e) {
		if (e & 1)
			r = mulmod32(r, b, m);
		b = mulmod32(b, b, m);
		e >>= 1;
	}
	return r;
}

/* deterministic Miller-Rabin for 32-bit n (bases 2, 7, 61) */
static int is_prime32(uint32_t n)
{
	static const uint32_t bases[3] = { 2, 7, 61 };
	if (n < 2)
		return 0;
	if (n % 2 == 0)
		return n == 2;
	if (n % 3 == 0)
		return n == 3;
	uint32_t d = n - 1;
	int s = 0;
	while ((d & 1) == 0) {
		d >>= 1;
		s++;
	}
	for (int i = 0; i < 3; i++) {
		uint32_t a = bases[i];
		if (a % n == 0)
			continue;
		uint64_t x = powmod32(a, d, n);
		if (x == 1 || x == n - 1)
			continue;
		int composite = 1;
		for (int k = 1; k < s; k++) {
			x = mulmod32(x, x, n);
			if (x == n - 1) {
				composite = 0;
				break;
			}
		}
		if (composite)
			return 0;
	}
	return 1;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static uint64_t isqrt64(uint64_t n)
{
	if (n < 2)
		return n;
	uint64_t x = n, y = (x + 1) / 2;
	while (y < x) {
		x = y;
		y = (x + n / x) / 2;
	}
	return x;
}

/* format v in the given base (2..36); returns the length */
static int u64_to_str(uint64_t v, unsigned base, uint8_t *out)
{
	static const uint8_t digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	uint8_t tmp[65];
	int n = 0;
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = 0;
	return n;
}

static uint64_t str_to_u64(const uint8_t *s, unsigned base)
{
	uint64_t v = 0;
	for (; *s; s++) {
		unsigned d = *s <= '9' ? (unsigned)(*s - '0') : (unsigned)(*s - 'a' + 10);
		v = v * base + d;
	}
	return v;
}

/* decimal formatting, with the divide by the constant 10 */
static int u64_to_dec(uint64_t v, uint8_t *out)
{
	uint8_t tmp[24];
	int n = 0;
	do {
		tmp[n++] = (uint8_t)('0' + v % 10);
		v /= 10;
	} while (v);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

/* wyhash-style 64x64->128 multiply-and-fold */
static uint64_t mum(uint64_t a, uint64_t b)
{
	unsigned __int128 p = (unsigned __int128)a * b;
	return (uint64_t)p ^ (uint64_t)(p >> 64);
}

/* signed 64-bit rational arithmetic, reduced with gcd */
typedef struct { int64_t n, d; } rat_t;

static rat_t rat_reduce(int64_t n, int64_t d)
{
	if (d < 0) {
		n = -n;
		d = -d;
	}
	uint64_t g = gcd64(n < 0 ? (uint64_t)-n : (uint64_t)n, (uint64_t)d);
	if (g > 1) {
		n /= (int64_t)g;
		d /= (int64_t)g;
	}
	rat_t r = { n, d };
	return r;
}

static rat_t rat_add(rat_t a, rat_t b)
{
	return rat_reduce(a.n * b.d + b.n * a.d, a.d * b.d);
}

uint32_t bench_arith(uint32_t seed)
{
	rng_t r;
	rng_seed(&r, seed ^ 0xa417);
	uint64_t acc = 0;

	/* primes in a window of odd numbers */
	uint32_t start = (rng_next(&r) | 0x80000001u);
	uint32_t primes = 0;
	for (uint32_t i = 0; i < 400; i++)
		if (is_prime32(start + 2 * i)) {
			primes++;
			acc = acc * 3 + start + 2 * i;
		}

	/* gcd and integer square roots of random 64-bit values */
	for (int i = 0; i < 300; i++) {
		uint64_t a = rng_next64(&r);
		uint64_t b = (rng_next64(&r) >> 12) + 1;
		acc += gcd64(a, b) + isqrt64(a) + a / b + a % (b | 1);
		acc ^= mum(a, b ^ acc);
	}

	/* number formatting round trips in several bases */
	uint8_t buf[72];
	for (int i = 0; i < 200; i++) {
		uint64_t v = rng_next64(&r);
		v >>= rng_next(&r) % 40;
		unsigned base = 2 + rng_next(&r) % 35;
		int n = u64_to_str(v, base, buf);
		if (str_to_u64(buf, base) != v)
			return 0xdead0004u;
		acc = acc * 131 + (uint64_t)n;
		n = u64_to_dec(v, buf);
		acc += buf[0] + buf[n - 1];
	}

	/* signed divide/remainder with mixed signs, and a harmonic-like sum */
	int64_t sacc = 0;
	for (int i = 0; i < 300; i++) {
		int64_t a = (int64_t)((uint64_t)rng_next(&r) << 24) - ((int64_t)1 << 54);
		int64_t b = (int64_t)(rng_next(&r) % 100000) - 50000;
		if (b == 0)
			b = 7;
		sacc += a / b + a % b;
	}
	rat_t h = { 0, 1 };
	for (int64_t k = 1; k <= 24; k++) {
		rat_t t = { (k & 1) ? 1 : -1, k };
		h = rat_add(h, t);
	}
	acc ^= (uint64_t)sacc ^ (uint64_t)h.n ^ ((uint64_t)h.d << 7);

	return (uint32_t)acc ^ (uint32_t)(acc >> 32) ^ (primes << 24);
}
