/* Memory kernel: memcpy/memmove/memset/memcmp/strlen-style loops (byte loops
 * plus a word loop when both pointers are aligned) at assorted lengths and
 * alignments, a byte histogram and in-place text transforms.
 *
 * Build with -fno-tree-loop-distribute-patterns so gcc keeps these loops
 * instead of turning them into calls to the very functions they define. */
#include "bench.h"

void *bm_memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *bm_memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n) {
		while (n--)
			*d++ = *s++;
	} else {
		d += n;
		s += n;
		while (n--)
			*--d = *--s;
	}
	return dst;
}

void *bm_memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

int bm_memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t bm_strlen(const uint8_t *s)
{
	const uint8_t *p = s;
	while (*p)
		p++;
	return (size_t)(p - s);
}

#ifndef BENCH_HOST
/* gcc may emit calls to these even in freestanding code */
void *memcpy(void *dst, const void *src, size_t n) { return bm_memcpy(dst, src, n); }
void *memmove(void *dst, const void *src, size_t n) { return bm_memmove(dst, src, n); }
void *memset(void *dst, int c, size_t n) { return bm_memset(dst, c, n); }
int memcmp(const void *a, const void *b, size_t n) { return bm_memcmp(a, b, n); }
#endif

#define MEM_BUF 8192
static uint8_t msrc[MEM_BUF + 64];
static uint8_t mdst[MEM_BUF + 64];

static uint32_t to_upper_count(uint8_t *p, size_t n)
{
	uint32_t changed = 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] >= 'a' && p[i] <= 'z') {
			p[i] = (uint8_t)(p[i] - 32);
			changed++;
		}
	return changed;
}

static void reverse_bytes(uint8_t *p, size_t n)
{
	for (size_t i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
		uint8_t t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
}

uint32_t bench_mem(uint32_t seed)
{
	rng_t r;
	rng_seed(&r, seed ^ 0x3e3);
	for (size_t i = 0; i < MEM_BUF + 64; i++) {
		uint32_t v = rng_next(&r);
		/* mostly lower-case text with spaces and the odd NUL */
		msrc[i] = (v & 0xf00) == 0 ? 0 : (v & 7) == 0 ? ' ' : (uint8_t)('a' + (v >> 16) % 26);
	}
	msrc[MEM_BUF + 63] = 0;
	bm_memset(mdst, 0, sizeof mdst);

	/* copies of assorted lengths and alignments */
	uint32_t acc = 0;
	for (int i = 0; i < 12; i++) {
		size_t so = rng_next(&r) % 16;
		size_t dof = rng_next(&r) % 16;
		size_t n = 64 + rng_next(&r) % (MEM_BUF - 96);
		bm_memcpy(mdst + dof, msrc + so, n);
		acc += mdst[dof + n / 2] + (uint32_t)n;
		if (bm_memcmp(mdst + dof, msrc + so, n) != 0)
			return 0xdead0005u;
	}
	/* aligned bulk copy takes the word loop */
	bm_memcpy(mdst, msrc, MEM_BUF);

	/* overlapping moves in both directions, then fills */
	for (int i = 0; i < 8; i++) {
		size_t a = rng_next(&r) % (MEM_BUF / 2);
		size_t b = rng_next(&r) % (MEM_BUF / 2);
		size_t n = 16 + rng_next(&r) % (MEM_BUF / 2 - 16);
		bm_memmove(mdst + a, mdst + b, n);
		int c = (int)(rng_next(&r) & 0xff);
		bm_memset(mdst + b, c, 1 + rng_next(&r) % 200);
	}

	/* strlen over the NUL-separated "strings" of the source */
	uint32_t strings = 0, total = 0;
	for (size_t off = 0; off < MEM_BUF;) {
		size_t len = bm_strlen(msrc + off);
		strings++;
		total += (uint32_t)len * strings;
		off += len + 1;
	}

	/* byte histogram and text transforms */
	uint32_t hist[256];
	for (int i = 0; i < 256; i++)
		hist[i] = 0;
	for (size_t i = 0; i < MEM_BUF; i++)
		hist[mdst[i]]++;
	uint32_t h = 0;
	for (int i = 0; i < 256; i++)
		h = h * 33 + hist[i];
	uint32_t up = to_upper_count(mdst, MEM_BUF);
	reverse_bytes(mdst + 100, MEM_BUF - 200);

	return crc32_buf(mdst, MEM_BUF, acc) ^ h ^ (strings << 16) ^ total ^ (up << 3);
}
