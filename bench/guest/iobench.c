/*
 * iobench - guest side of bench/virtio_bench.sh: virtio-blk and network
 * throughput measured inside the guest with clock_gettime(CLOCK_MONOTONIC).
 * Static riscv64 Linux binary (riscv64-linux-gnu-gcc -static -O2).
 *
 *   iobench blk DEV SEED SECS
 *	On the whole block device DEV, opened O_DIRECT (the guest page cache
 *	serves nothing), queue depth 1, in this order:
 *	  seq-write  1 MiB writes from offset 0, at least one full pass (it
 *	             lays down the pattern the reads check), then more passes
 *	             until SECS seconds have gone by
 *	  seq-read   1 MiB reads, wrapping, for SECS seconds; every 512-byte
 *	             sector is checked
 *	  rand-write 4 KiB writes at random 4 KiB-aligned offsets for SECS s
 *	  rand-read  4 KiB reads at random offsets for SECS s, every sector
 *	             checked against what seq-write or rand-write put there
 *	then (untimed) every block rand-write wrote is read back and checked.
 *	The final fdatasync of each write phase (a virtio-blk flush, which
 *	both VMMs turn into a host fdatasync) is timed separately and not
 *	counted in the throughput.
 *
 *   iobench net-tx HOST PORT MIB
 *	Connect to HOST:PORT, send MIB MiB, shut down the write side, read the
 *	peer's reply to EOF (copied to stdout), report the time from connect
 *	to EOF.
 *
 *   iobench net-rx HOST PORT
 *	Connect to HOST:PORT, read to EOF, report bytes / time from the first
 *	byte to EOF. The data must be the byte pattern i & 255 (checked).
 *
 * Output: one line per workload,
 *   iobench: NAME bs=B ops=N bytes=N secs=S mbps=X iops=Y
 * plus "iobench: verify ... ok" lines; any failure prints "iobench: FAIL ..."
 * and exits 1.
 *
 * Block data pattern: every 512-byte sector starts with two 64-bit words,
 * tag(sector, gen) and its complement, where tag mixes the SEED (so data
 * left by an earlier run never passes), the absolute sector number (so a
 * misplaced sector fails) and the generation (1 = seq-write, 2 =
 * rand-write). The rest of a buffer is fixed pseudo-random filler.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>

#define SECT 512u
#define SEQ_BS (1u << 20)
#define RND_BS 4096u

static uint64_t seed;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("iobench: FAIL ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
	exit(1);
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 31; x *= 0x7fb5d329728ea185ull;
	x ^= x >> 27; x *= 0x81dadef4bc2dd44dull;
	x ^= x >> 33;
	return x;
}

static uint64_t tag(uint64_t sector, unsigned gen)
{
	return mix(seed ^ (sector << 2) ^ gen) | 1;	/* never 0 */
}

static void stamp(unsigned char *buf, size_t len, uint64_t first_sector, unsigned gen)
{
	for (size_t off = 0; off < len; off += SECT) {
		uint64_t t = tag(first_sector + off / SECT, gen);
		memcpy(buf + off, &t, 8);
		t = ~t;
		memcpy(buf + off + 8, &t, 8);
	}
}

/* check one buffer read at first_sector; gen_of(block) gives the expected
 * generation of each 4 KiB block */
static const uint8_t *gen2_map;	/* bit per 4 KiB block: written by rand-write */

static unsigned gen_of(uint64_t sector)
{
	uint64_t blk = sector / (RND_BS / SECT);
	return gen2_map && (gen2_map[blk / 8] >> (blk % 8) & 1) ? 2 : 1;
}

static void check(const char *what, const unsigned char *buf, size_t len, uint64_t first_sector)
{
	for (size_t off = 0; off < len; off += SECT) {
		uint64_t s = first_sector + off / SECT, a, b;
		unsigned g = gen_of(s);
		uint64_t t = tag(s, g);
		memcpy(&a, buf + off, 8);
		memcpy(&b, buf + off + 8, 8);
		if (a != t || b != ~t) {
			const char *why = "garbage";
			for (uint64_t d = 0; d < 1u << 16 && why[0] == 'g'; d++)
				for (unsigned gg = 1; gg <= 2; gg++) {
					if (a == tag(s + d, gg)) { why = d ? "data of a later sector" : "wrong generation"; break; }
					if (d && s >= d && a == tag(s - d, gg)) { why = "data of an earlier sector"; break; }
				}
			fail("verify %s: sector %llu (byte %llu): expected gen %u tag %016llx, got %016llx/%016llx (%s)",
			     what, (unsigned long long)s, (unsigned long long)s * SECT, g,
			     (unsigned long long)t, (unsigned long long)a, (unsigned long long)b, why);
		}
	}
}

static void report(const char *name, unsigned bs, uint64_t ops, double secs)
{
	double bytes = (double)ops * bs;
	printf("iobench: %s bs=%u ops=%llu bytes=%.0f secs=%.6f mbps=%.3f iops=%.1f\n",
	       name, bs, (unsigned long long)ops, bytes, secs, bytes / secs / 1e6, ops / secs);
	fflush(stdout);
}

static void xpwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	ssize_t n = pwrite(fd, buf, len, (off_t)off);
	if (n != (ssize_t)len)
		fail("pwrite %zu at %llu: %s", len, (unsigned long long)off, n < 0 ? strerror(errno) : "short");
}

static void xpread(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n = pread(fd, buf, len, (off_t)off);
	if (n != (ssize_t)len)
		fail("pread %zu at %llu: %s", len, (unsigned long long)off, n < 0 ? strerror(errno) : "short");
}

static uint64_t rng_state;
static uint64_t rng(void)
{
	rng_state += 0x9e3779b97f4a7c15ull;
	return mix(rng_state);
}

static void flush(int fd, const char *name)
{
	double t0 = now();
	if (fdatasync(fd) < 0)
		fail("fdatasync after %s: %s", name, strerror(errno));
	printf("iobench: %s-flush secs=%.6f\n", name, now() - t0);
}

static int do_blk(const char *dev, double secs)
{
	int fd = open(dev, O_RDWR | O_DIRECT);
	if (fd < 0)
		fail("open %s O_DIRECT: %s", dev, strerror(errno));
	uint64_t size;
	if (ioctl(fd, BLKGETSIZE64, &size) < 0)
		fail("BLKGETSIZE64 %s: %s", dev, strerror(errno));
	if (size < 4 * SEQ_BS || size % SEQ_BS)
		fail("%s: size %llu is not a multiple of 1 MiB >= 4 MiB", dev, (unsigned long long)size);
	uint64_t nseq = size / SEQ_BS, nblk = size / RND_BS;
	printf("iobench: device %s bytes=%llu seed=%llu secs=%g\n", dev,
	       (unsigned long long)size, (unsigned long long)seed, secs);

	unsigned char *buf;
	if (posix_memalign((void **)&buf, 4096, SEQ_BS))
		fail("posix_memalign");
	rng_state = seed;
	for (size_t i = 0; i < SEQ_BS; i += 8) {
		uint64_t r = rng();
		memcpy(buf + i, &r, 8);
	}
	uint8_t *map = calloc(nblk / 8 + 1, 1);
	if (!map)
		fail("calloc");

	/* seq-write: one full pass at least, then until secs */
	uint64_t ops = 0;
	double t0 = now(), t;
	for (;;) {
		uint64_t i = ops % nseq;
		stamp(buf, SEQ_BS, i * (SEQ_BS / SECT), 1);
		xpwrite(fd, buf, SEQ_BS, i * SEQ_BS);
		ops++;
		t = now();
		if (ops >= nseq && t - t0 >= secs)
			break;
	}
	report("seq-write", SEQ_BS, ops, t - t0);
	flush(fd, "seq-write");

	/* seq-read: wraps; every sector checked */
	ops = 0;
	t0 = now();
	do {
		uint64_t i = ops % nseq;
		xpread(fd, buf, SEQ_BS, i * SEQ_BS);
		check("seq-read", buf, SEQ_BS, i * (SEQ_BS / SECT));
		ops++;
		t = now();
	} while (t - t0 < secs);
	report("seq-read", SEQ_BS, ops, t - t0);
	printf("iobench: verify seq-read %llu MiB ok\n", (unsigned long long)ops);

	/* rand-write: generation 2 at random blocks, remembered in map */
	rng_state = seed * 3 + 1;
	ops = 0;
	t0 = now();
	do {
		uint64_t b = rng() % nblk;
		stamp(buf, RND_BS, b * (RND_BS / SECT), 2);
		xpwrite(fd, buf, RND_BS, b * RND_BS);
		map[b / 8] |= 1u << (b % 8);
		ops++;
		t = (ops & 15) ? t : now();
	} while ((ops & 15) || t - t0 < secs);
	report("rand-write", RND_BS, ops, t - t0);
	flush(fd, "rand-write");
	gen2_map = map;
	uint64_t written = 0;
	for (uint64_t b = 0; b < nblk; b++)
		written += map[b / 8] >> (b % 8) & 1;

	/* rand-read: a different random sequence, every sector checked */
	rng_state = seed * 5 + 2;
	ops = 0;
	uint64_t hit2 = 0;
	t0 = now();
	do {
		uint64_t b = rng() % nblk;
		xpread(fd, buf, RND_BS, b * RND_BS);
		check("rand-read", buf, RND_BS, b * (RND_BS / SECT));
		hit2 += map[b / 8] >> (b % 8) & 1;
		ops++;
		t = (ops & 15) ? t : now();
	} while ((ops & 15) || t - t0 < secs);
	report("rand-read", RND_BS, ops, t - t0);
	printf("iobench: verify rand-read %llu blocks ok (%llu of them rand-written; %llu distinct blocks rand-written)\n",
	       (unsigned long long)ops, (unsigned long long)hit2, (unsigned long long)written);

	/* every rand-written block re-read (untimed; fewer reads than the
	 * rand-write phase made writes): catches lost or misdirected writes */
	uint64_t n = 0;
	for (uint64_t b = 0; b < nblk; b++)
		if (map[b / 8] >> (b % 8) & 1) {
			xpread(fd, buf, RND_BS, b * RND_BS);
			check("rand-write readback", buf, RND_BS, b * (RND_BS / SECT));
			n++;
		}
	printf("iobench: verify rand-write readback %llu blocks ok\n", (unsigned long long)n);
	close(fd);
	return 0;
}

static int connect_to(const char *host, const char *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(atoi(port)) };
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		fail("bad address %s", host);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		fail("socket: %s", strerror(errno));
	for (int tries = 0; connect(s, (struct sockaddr *)&sa, sizeof sa) < 0; tries++) {
		if (tries == 20)
			fail("connect %s:%s: %s", host, port, strerror(errno));
		close(s);
		usleep(200000);
		s = socket(AF_INET, SOCK_STREAM, 0);
	}
	return s;
}

static int do_net_tx(const char *host, const char *port, long mib)
{
	static unsigned char buf[256 << 10];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)i;
	double t0 = now();
	int s = connect_to(host, port);
	uint64_t total = (uint64_t)mib << 20, sent = 0;
	while (sent < total) {
		size_t off = sent % sizeof buf, len = sizeof buf - off;
		if (len > total - sent)
			len = total - sent;
		ssize_t n = write(s, buf + off, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail("net-tx write after %llu bytes: %s", (unsigned long long)sent, strerror(errno));
		}
		sent += n;
	}
	shutdown(s, SHUT_WR);
	char reply[512];
	size_t got = 0;
	ssize_t n;
	while ((n = read(s, reply + got, sizeof reply - 1 - got)) > 0)
		got += n;
	double t = now() - t0;
	reply[got] = 0;
	close(s);
	report("net-tx", sizeof buf, sent / sizeof buf, t);
	fputs(reply, stdout);
	if (got == 0 || reply[got - 1] != '\n')
		putchar('\n');
	return 0;
}

static int do_net_rx(const char *host, const char *port)
{
	static unsigned char buf[256 << 10];
	int s = connect_to(host, port);
	uint64_t total = 0;
	double t0 = 0;
	ssize_t n;
	while ((n = read(s, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail("net-rx read after %llu bytes: %s", (unsigned long long)total, strerror(errno));
		}
		if (!total)
			t0 = now();
		for (ssize_t i = 0; i < n; i += 4093)	/* sampled check, cheap */
			if (buf[i] != (unsigned char)(total + i))
				fail("net-rx data at byte %llu: %u, expected %u",
				     (unsigned long long)(total + i), buf[i], (unsigned)(unsigned char)(total + i));
		if (buf[n - 1] != (unsigned char)(total + n - 1))
			fail("net-rx data at byte %llu", (unsigned long long)(total + n - 1));
		total += n;
	}
	double t = now() - t0;
	close(s);
	if (total == 0)
		fail("net-rx: no data");
	printf("iobench: net-rx bs=1 ops=%llu bytes=%llu secs=%.6f mbps=%.3f iops=0\n",
	       (unsigned long long)total, (unsigned long long)total, t, total / t / 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "blk")) {
		seed = strtoull(argv[3], NULL, 0);
		return do_blk(argv[2], atof(argv[4]));
	}
	if (argc == 5 && !strcmp(argv[1], "net-tx"))
		return do_net_tx(argv[2], argv[3], atol(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "net-rx"))
		return do_net_rx(argv[2], argv[3]);
	fprintf(stderr, "usage: iobench blk DEV SEED SECS | net-tx HOST PORT MIB | net-rx HOST PORT\n");
	return 2;
}
