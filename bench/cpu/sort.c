/* Sorting kernel: a generic qsort (median-of-three quicksort, insertion sort
 * for short runs, element swaps of any size, comparison through a function
 * pointer) on an array of integers and an array of records, then binary
 * searches. */
#include "bench.h"

static void swap_bytes(uint8_t *a, uint8_t *b, size_t size)
{
	if (size == 4) {
		uint32_t t = *(uint32_t *)a;
		*(uint32_t *)a = *(uint32_t *)b;
		*(uint32_t *)b = t;
		return;
	}
	while (size--) {
		uint8_t t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

typedef int (*cmp_fn)(const void *, const void *);

static void insertion_sort(uint8_t *base, size_t n, size_t size, cmp_fn cmp)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp(base + (j - 1) * size, base + j * size) > 0; j--)
			swap_bytes(base + (j - 1) * size, base + j * size, size);
}

void bench_qsort(void *vbase, size_t n, size_t size, cmp_fn cmp)
{
	uint8_t *base = vbase;
	while (n > 12) {
		uint8_t *lo = base, *mid = base + (n / 2) * size, *hi = base + (n - 1) * size;
		/* median of three into mid, then park the pivot at lo */
		if (cmp(mid, lo) < 0)
			swap_bytes(mid, lo, size);
		if (cmp(hi, mid) < 0) {
			swap_bytes(hi, mid, size);
			if (cmp(mid, lo) < 0)
				swap_bytes(mid, lo, size);
		}
		swap_bytes(lo, mid, size);
		/* Hoare partition around the pivot at lo */
		size_t i = 0, j = n;
		for (;;) {
			do
				i++;
			while (i < n && cmp(base + i * size, lo) < 0);
			do
				j--;
			while (cmp(base + j * size, lo) > 0);
			if (i >= j)
				break;
			swap_bytes(base + i * size, base + j * size, size);
		}
		swap_bytes(lo, base + j * size, size);
		/* recurse on the smaller side, loop on the larger */
		size_t nl = j, nr = n - j - 1;
		if (nl < nr) {
			bench_qsort(base, nl, size, cmp);
			base += (j + 1) * size;
			n = nr;
		} else {
			bench_qsort(base + (j + 1) * size, nr, size, cmp);
			n = nl;
		}
	}
	insertion_sort(base, n, size, cmp);
}

static const void *bench_bsearch(const void *key, const void *vbase, size_t n, size_t size, cmp_fn cmp)
{
	const uint8_t *base = vbase;
	while (n) {
		const uint8_t *mid = base + (n / 2) * size;
		int c = cmp(key, mid);
		if (c == 0)
			return mid;
		if (c > 0) {
			base = mid + size;
			n -= n / 2 + 1;
		} else {
			n /= 2;
		}
	}
	return NULL;
}

typedef struct {
	uint64_t key;
	uint32_t id;
	int32_t score;
	uint8_t name[8];
} record_t;

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static int cmp_record(const void *a, const void *b)
{
	const record_t *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1; /* score descending */
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_name(const void *a, const void *b)
{
	const record_t *x = a, *y = b;
	int c = bm_memcmp(x->name, y->name, sizeof x->name);
	if (c)
		return c;
	return (x->id > y->id) - (x->id < y->id);
}

#define SORT_N 1500
#define REC_N 300
static uint32_t sarr[SORT_N];
static record_t recs[REC_N];

uint32_t bench_sort(uint32_t seed)
{
	rng_t r;
	rng_seed(&r, seed ^ 0x50f7);
	for (size_t i = 0; i < SORT_N; i++)
		sarr[i] = rng_next(&r) % 100000u;
	/* a partly sorted tail, as real data often has */
	for (size_t i = SORT_N - 200; i < SORT_N; i++)
		sarr[i] = (uint32_t)i * 60u;
	bench_qsort(sarr, SORT_N, sizeof sarr[0], cmp_u32);

	uint32_t acc = 0;
	for (size_t i = 1; i < SORT_N; i++) {
		if (sarr[i - 1] > sarr[i])
			return 0xdead0002u;
		acc = acc * 17 + sarr[i];
	}
	uint32_t hits = 0;
	for (int i = 0; i < 200; i++) {
		uint32_t key = rng_next(&r) % 100000u;
		const uint32_t *f = bench_bsearch(&key, sarr, SORT_N, sizeof sarr[0], cmp_u32);
		if (f)
			hits += 1 + (uint32_t)(f - sarr) % 3;
	}

	for (size_t i = 0; i < REC_N; i++) {
		recs[i].key = rng_next64(&r);
		recs[i].id = (uint32_t)i;
		recs[i].score = (int32_t)(rng_next(&r) % 64) - 32;
		for (int k = 0; k < 8; k++)
			recs[i].name[k] = (uint8_t)('a' + rng_next(&r) % 4);
	}
	bench_qsort(recs, REC_N, sizeof recs[0], cmp_record);
	for (size_t i = 1; i < REC_N; i++)
		if (cmp_record(&recs[i - 1], &recs[i]) > 0)
			return 0xdead0003u;
	uint16_t crc = 0;
	for (size_t i = 0; i < REC_N; i += 7)
		crc = crc16_u32(recs[i].id, crc);
	bench_qsort(recs, REC_N, sizeof recs[0], cmp_name);
	for (size_t i = 0; i < REC_N; i += 5)
		crc = crc16_u32(recs[i].id ^ (uint32_t)recs[i].key, crc);

	return acc ^ (hits << 20) ^ ((uint32_t)crc << 8);
}
