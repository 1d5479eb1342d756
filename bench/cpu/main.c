/* Machina CPU benchmark driver.
 *
 * One round runs every kernel once on inputs built from a seed; the round's
 * results are folded into a CRC-32 that must equal the known value for that
 * seed. Rounds cycle through NSEEDS seeds, so every round is checked and any
 * ITERS works. main() returns 0 for pass (HTIF exit 0); a wrong result exits
 * with a non-zero status.
 *
 *   -DITERS=n       number of rounds (default below, about 4 s under QEMU)
 *   -DBENCH_HOST    build for the host: prints the expected-value table
 */
#include "bench.h"

#ifndef ITERS
#define ITERS 650
#endif
#define NSEEDS 8
#define NKERNELS 8

/* CRC-32 of one round's kernel results, per seed; regenerate with the host
 * build (see bench/README.md) whenever a kernel changes */
static const uint32_t expected[NSEEDS] = {
	0xebdd1806u, 0x5c287a32u, 0x4842560du, 0x462d490bu,
	0x4d9e9acfu, 0xa5a55f0cu, 0x4334c372u, 0xb620307eu,
};

static const char *const kernel_names[NKERNELS] = {
	"list", "matrix", "state", "crc", "sha256", "sort", "arith", "mem",
};

/* volatile so the compiler cannot fold the rounds at build time */
static volatile uint32_t seed_base = 0x2545f491u;

#ifdef BENCH_HOST
#include <stdio.h>
static void t_puts(const char *s) { fputs(s, stdout); }
static void t_puthex(uint64_t v) { printf("0x%016llx", (unsigned long long)v); }
static void t_putdec(int64_t v) { printf("%lld", (long long)v); }
#else
#include "libtest.h"
#endif

static uint32_t seed_of(uint32_t i)
{
	return seed_base + 0x9e3779b9u * (i % NSEEDS);
}

static uint32_t run_round(uint32_t seed, uint32_t res[NKERNELS])
{
	res[0] = bench_list(seed);
	res[1] = bench_matrix(seed);
	res[2] = bench_state(seed);
	res[3] = bench_crc(seed);
	res[4] = bench_sha256(seed);
	res[5] = bench_sort(seed);
	res[6] = bench_arith(seed);
	res[7] = bench_mem(seed);
	uint8_t bytes[4 * NKERNELS];
	for (int k = 0; k < NKERNELS; k++)
		for (int b = 0; b < 4; b++)
			bytes[4 * k + b] = (uint8_t)(res[k] >> (8 * b));
	return crc32_buf(bytes, sizeof bytes, 0);
}

/* SHA-256("abc"), to catch a broken kernel before timing anything */
static int sha256_selftest(void)
{
	static const uint8_t want[8] = { 0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea };
	const uint8_t msg[3] = { 'a', 'b', 'c' };
	uint8_t d[32];
	sha256(msg, 3, d);
	return bm_memcmp(d, want, sizeof want) == 0;
}

int main(void)
{
	uint32_t res[NKERNELS];
	crc_init();
	if (!sha256_selftest()) {
		t_puts("cpu-bench: FAIL sha256 self-test\n");
		return 1;
	}
	if (crc32_buf((const uint8_t *)"123456789", 9, 0) != 0xcbf43926u) {
		t_puts("cpu-bench: FAIL crc32 self-test\n");
		return 2;
	}

#ifdef BENCH_HOST
	printf("static const uint32_t expected[NSEEDS] = {\n\t");
	for (uint32_t s = 0; s < NSEEDS; s++)
		printf("0x%08xu,%s", run_round(seed_of(s), res), s == NSEEDS - 1 ? "\n" : s % 4 == 3 ? "\n\t" : " ");
	printf("};\n");
	for (uint32_t s = 0; s < NSEEDS; s++) {
		run_round(seed_of(s), res);
		printf("/* seed %u:", s);
		for (int k = 0; k < NKERNELS; k++)
			printf(" %s=%08x", kernel_names[k], res[k]);
		printf(" */\n");
	}
#endif

	uint32_t total = 0;
	for (uint32_t i = 0; i < ITERS; i++) {
		uint32_t c = run_round(seed_of(i), res);
		if (c != expected[i % NSEEDS]) {
			t_puts("cpu-bench: FAIL round ");
			t_putdec(i);
			t_puts(" got ");
			t_puthex(c);
			t_puts(" want ");
			t_puthex(expected[i % NSEEDS]);
			t_puts("\n");
			for (int k = 0; k < NKERNELS; k++) {
				t_puts("  ");
				t_puts(kernel_names[k]);
				t_puts(" ");
				t_puthex(res[k]);
				t_puts("\n");
			}
			return 3;
		}
		total = total * 31u + c;
	}
	t_puts("cpu-bench: ok, ");
	t_putdec(ITERS);
	t_puts(" rounds, checksum ");
	t_puthex(total);
	t_puts("\n");
	return 0;
}
