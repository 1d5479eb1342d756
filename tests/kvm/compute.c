/* compute: a CPU-bound loop at CPL3. Fills `mib` MiB (default 4) with
 * xorshift64 numbers from `seed`, then CRC-32s the buffer `passes` times
 * (default 4), each pass continuing the previous CRC. The host recomputes
 * the value (host.py compute) and compares it exactly:
 *   ok compute crc32=0x........ mib=4 passes=4 seed=0x... tsc=CYCLES */
#include "rt/rt.h"

const char test_name[] = "compute";

#define MAX_MIB 8
static uint64_t buf[MAX_MIB << 17];	/* 8 MiB */

void test_main(void)
{
	uint64_t mib = param_u64("mib", 4), passes = param_u64("passes", 4);
	uint64_t x = param_u64("seed", 0x9e3779b97f4a7c15ull);

	if (mib < 1 || mib > MAX_MIB || !x) {
		fail("compute", "mib=%lu (1..%d) and a non-zero seed wanted", mib, MAX_MIB);
		return;
	}
	uint64_t seed = x, words = mib << 17, t0 = rdtsc();
	for (uint64_t i = 0; i < words; i++) {	/* Marsaglia's xorshift64 (13, 7, 17) */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = x;
	}
	uint32_t crc = 0;
	for (uint64_t p = 0; p < passes; p++)
		crc = crc32(crc, buf, words * 8);
	ok("compute", "crc32=0x%08x mib=%lu passes=%lu seed=0x%lx tsc=%lu", crc, mib, passes, seed,
	   rdtsc() - t0);
}
