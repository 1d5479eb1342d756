/*
 * benchtool: helpers for /bench.sh in the Machina riscv64 benchmark image.
 *
 *   benchtool gen BYTES   write BYTES of deterministic pseudo-text to stdout
 *                         (fixed-seed xorshift64*, the same on every machine)
 *   benchtool now         print CLOCK_MONOTONIC in microseconds
 *
 * The text is words drawn with a skewed (roughly Zipf-like) distribution from
 * a generated vocabulary, so that gzip and xz have real work to do: it
 * compresses to roughly a third, unlike random bytes.
 *
 * Built statically with riscv64-linux-gnu-gcc by images/riscv64/build.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NWORDS 2048
#define MAXWORD 12

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dull;
}

static int gen(unsigned long long total)
{
	static const char letters[] = "etaoinshrdlcumwfgypbvkjxqz";
	static char vocab[NWORDS][MAXWORD];
	static unsigned char vlen[NWORDS];
	static char buf[1 << 16];
	size_t used = 0;
	unsigned long long done = 0;
	unsigned col = 0, prev = 0;

	for (int i = 0; i < NWORDS; i++) {
		int len = 2 + (int)(next() % (MAXWORD - 1));
		for (int j = 0; j < len; j++) {
			/* favour the frequent letters */
			uint64_t r = next();
			unsigned a = (unsigned)(r % 26), b = (unsigned)((r >> 8) % 26);
			vocab[i][j] = letters[a < b ? a : b];
		}
		vlen[i] = (unsigned char)len;
	}
	while (done < total) {
		char word[MAXWORD + 8];
		uint64_t r = next();
		unsigned idx, n = 0;

		if ((r >> 56) < 192) {
			/* usually one of 4 words that tend to follow the previous one */
			idx = (prev * 2654435761u + (unsigned)((r >> 48) & 3)) % NWORDS;
		} else {
			/* product of two uniforms: small indices are much more common */
			idx = (unsigned)(((r & 0x7ff) * ((r >> 12) & 0x7ff)) >> 11);
		}
		prev = idx;
		if ((r >> 40) % 23 == 0) {
			/* a number, 0..99999 */
			char digits[8];
			unsigned v = (unsigned)((r >> 24) % 100000), k = 0;
			do {
				digits[k++] = (char)('0' + v % 10);
				v /= 10;
			} while (v);
			while (k)
				word[n++] = digits[--k];
		} else {
			memcpy(word, vocab[idx], vlen[idx]);
			n = vlen[idx];
		}
		if ((r >> 32) % 17 == 0)
			word[n++] = ',';
		col += n + 1;
		if (col > 72) {
			word[n++] = '\n';
			col = 0;
		} else {
			word[n++] = ' ';
		}
		if (n > total - done)
			n = (unsigned)(total - done);
		if (used + n > sizeof buf) {
			if (fwrite(buf, 1, used, stdout) != used)
				return 1;
			used = 0;
		}
		memcpy(buf + used, word, n);
		used += n;
		done += n;
	}
	if (used && fwrite(buf, 1, used, stdout) != used)
		return 1;
	return fflush(stdout) != 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "gen") == 0)
		return gen(strtoull(argv[2], NULL, 0));
	if (argc == 2 && strcmp(argv[1], "now") == 0) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		printf("%llu\n", (unsigned long long)ts.tv_sec * 1000000ull +
		       (unsigned long long)ts.tv_nsec / 1000);
		return 0;
	}
	fprintf(stderr, "usage: benchtool gen BYTES | benchtool now\n");
	return 2;
}
