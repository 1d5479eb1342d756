/* Machina CPU benchmark: shared declarations.
 *
 * Every kernel takes a 32-bit seed, builds its own input from it, does its
 * work and returns a 32-bit result. main.c folds the results of one round
 * into a checksum and compares it with a known value, so nothing can be
 * optimised away and a wrong result from the emulator is caught.
 *
 * The code is plain portable C (fixed-width types, no plain char arithmetic,
 * no undefined behaviour), so a host build (-DBENCH_HOST) gives the same
 * results and is used to regenerate the expected values.
 */
#ifndef MACHINA_BENCH_H
#define MACHINA_BENCH_H
#include <stdint.h>
#include <stddef.h>

/* deterministic pseudo-random numbers (64-bit LCG, high bits out) */
typedef struct { uint64_t s; } rng_t;
static inline void rng_seed(rng_t *r, uint32_t seed) { r->s = 0x853c49e6748fea9bULL ^ ((uint64_t)seed * 0x9e3779b97f4a7c15ULL); }
static inline uint32_t rng_next(rng_t *r)
{
	r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(r->s >> 32);
}
/* two draws, in a defined order (never call rng_next twice in one expression:
 * the evaluation order of operands is unspecified) */
static inline uint64_t rng_next64(rng_t *r)
{
	uint64_t hi = rng_next(r);
	return hi << 32 | rng_next(r);
}

/* crc.c */
void crc_init(void);
uint16_t crc16_update(uint8_t data, uint16_t crc);
uint16_t crc16_u32(uint32_t v, uint16_t crc);
uint32_t crc32_buf(const uint8_t *p, size_t n, uint32_t crc);
uint32_t crc32c_bitwise(const uint8_t *p, size_t n, uint32_t crc);
uint32_t bench_crc(uint32_t seed);

/* the kernels */
uint32_t bench_list(uint32_t seed);
uint32_t bench_matrix(uint32_t seed);
uint32_t bench_state(uint32_t seed);
uint32_t bench_sha256(uint32_t seed);
uint32_t bench_sort(uint32_t seed);
uint32_t bench_arith(uint32_t seed);
uint32_t bench_mem(uint32_t seed);

/* sha256.c */
void sha256(const uint8_t *data, size_t len, uint8_t out[32]);

/* sort.c: a qsort-compatible sort */
void bench_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* mem.c: byte/word string routines used by the kernels. On the target
 * mem.c also provides memcpy/memmove/memset/memcmp, which gcc may call. */
void *bm_memcpy(void *dst, const void *src, size_t n);
void *bm_memmove(void *dst, const void *src, size_t n);
void *bm_memset(void *dst, int c, size_t n);
int bm_memcmp(const void *a, const void *b, size_t n);
size_t bm_strlen(const uint8_t *s);

#endif
