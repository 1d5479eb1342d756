/* test_virtio_blk.c - qtest-style tests of the virtio block device
 * (src/dev/virtio/virtio_blk.c, src/host/blockfile.c). The test is the
 * driver: it negotiates through the virtio-mmio registers (as_read/as_write
 * only), writes descriptors and the avail ring into guest RAM by hand,
 * notifies, and runs the event loop until the used ring advances. The disk
 * is a temporary raw image checked with pread on the host side; the
 * interrupt line goes to a recording fake.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "core/vm.h"
#include "dev/virtio/virtio_blk.h"
#include "dev/virtio/virtio_mmio.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (64ull << 20)
#define MMIO_BASE 0x10001000ull
#define IRQ_N 3

/* guest RAM layout of the test driver */
#define DESC (RAM_BASE + 0x0000)
#define AVAIL (RAM_BASE + 0x1000)
#define USED (RAM_BASE + 0x2000)
#define HDRS (RAM_BASE + 0x10000)	/* 16 bytes per request slot */
#define STATUSES (RAM_BASE + 0x20000)	/* 1 byte per request slot */
#define INDIRECT (RAM_BASE + 0x30000)	/* indirect descriptor tables */
#define SEGS (RAM_BASE + 0x40000)	/* discard / write-zeroes segments */
#define DATA (RAM_BASE + 0x100000)
#define REQ_SLOTS 1024

#define IMG_SECTORS 16384ull		/* 8 MiB */
#define SECTOR 512

enum {
	REG_MAGIC = 0x000, REG_VERSION = 0x004, REG_DEVICE_ID = 0x008,
	REG_DEVICE_FEATURES = 0x010, REG_DEVICE_FEATURES_SEL = 0x014,
	REG_DRIVER_FEATURES = 0x020, REG_DRIVER_FEATURES_SEL = 0x024,
	REG_QUEUE_SEL = 0x030, REG_QUEUE_NUM_MAX = 0x034, REG_QUEUE_NUM = 0x038,
	REG_QUEUE_READY = 0x044, REG_QUEUE_NOTIFY = 0x050,
	REG_INTERRUPT_STATUS = 0x060, REG_INTERRUPT_ACK = 0x064, REG_STATUS = 0x070,
	REG_QUEUE_DESC_LOW = 0x080, REG_QUEUE_DESC_HIGH = 0x084,
	REG_QUEUE_DRIVER_LOW = 0x090, REG_QUEUE_DRIVER_HIGH = 0x094,
	REG_QUEUE_DEVICE_LOW = 0x0a0, REG_QUEUE_DEVICE_HIGH = 0x0a4,
	REG_CONFIG = 0x100,
};

#define ALL_BUT_EVENT_IDX (~(1ull << VIRTIO_F_RING_EVENT_IDX))

struct fix {
	struct vm vm;
	struct evloop loop;
	struct virtio_mmio mmio;
	struct virtio_blk *blk;
	char path[256];
	int fd;			/* the test's own view of the image */
	int irq_level;
	int irq_calls;
	uint64_t features;	/* offered by the device */
	uint16_t qnum;
	uint16_t avail_idx, used_seen, next_desc;
	unsigned nreq;
};

struct seg {
	gpa_t addr;
	uint32_t len;
	bool w;
};

static void rec_irq(void *opaque, int n, int level)
{
	struct fix *f = opaque;

	assert_int_equal(n, IRQ_N);
	f->irq_level = level;
	f->irq_calls++;
}

static uint8_t *g(struct fix *f, gpa_t a)
{
	assert_true(a >= RAM_BASE && a < RAM_BASE + RAM_SIZE);
	return f->vm.ram + (a - RAM_BASE);
}

static uint32_t rd(struct fix *f, uint64_t off)
{
	uint64_t v = ~0ull;

	assert_int_equal(as_read(&f->vm.as, MMIO_BASE + off, 4, &v), 0);
	return (uint32_t)v;
}

static uint64_t rd_cfg(struct fix *f, uint32_t off, unsigned size)
{
	uint64_t v = ~0ull;

	assert_int_equal(as_read(&f->vm.as, MMIO_BASE + REG_CONFIG + off, size, &v), 0);
	return v;
}

static void wr(struct fix *f, uint64_t off, uint32_t v)
{
	assert_int_equal(as_write(&f->vm.as, MMIO_BASE + off, 4, v), 0);
}

static uint8_t pat(uint64_t off)
{
	return (uint8_t)(off * 131 + (off >> 9) * 7 + 1);
}

static uint8_t pat2(uint64_t off)
{
	return (uint8_t)(off * 29 + 0x5a);
}

/* a temporary raw image of `bytes` bytes filled with pat() */
static int make_image(char *path, size_t pathlen, const char *dir, uint64_t bytes)
{
	static uint8_t buf[65536];
	int fd;

	snprintf(path, pathlen, "%s/mblk-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	for (uint64_t off = 0; off < bytes; off += sizeof(buf)) {
		size_t n = bytes - off < sizeof(buf) ? (size_t)(bytes - off) : sizeof(buf);

		for (size_t i = 0; i < n; i++)
			buf[i] = pat(off + i);
		if (pwrite(fd, buf, n, (off_t)off) != (ssize_t)n)
			return -1;
	}
	return fd;
}

static const char *tmpdir(void)
{
	const char *d = getenv("TMPDIR");

	return d && *d ? d : "/tmp";
}

/* ---- the driver side ---- */

static void drv_setup(struct fix *f, uint64_t accept, uint16_t qnum)
{
	uint64_t want;

	wr(f, REG_STATUS, 0);
	assert_int_equal(rd(f, REG_STATUS), 0);
	wr(f, REG_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(f, REG_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(f, REG_DEVICE_FEATURES_SEL, 0);
	f->features = rd(f, REG_DEVICE_FEATURES);
	wr(f, REG_DEVICE_FEATURES_SEL, 1);
	f->features |= (uint64_t)rd(f, REG_DEVICE_FEATURES) << 32;
	want = f->features & accept;
	wr(f, REG_DRIVER_FEATURES_SEL, 0);
	wr(f, REG_DRIVER_FEATURES, (uint32_t)want);
	wr(f, REG_DRIVER_FEATURES_SEL, 1);
	wr(f, REG_DRIVER_FEATURES, (uint32_t)(want >> 32));
	wr(f, REG_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
			  VIRTIO_STATUS_FEATURES_OK);
	assert_true(rd(f, REG_STATUS) & VIRTIO_STATUS_FEATURES_OK);

	wr(f, REG_QUEUE_SEL, 0);
	assert_int_equal(rd(f, REG_QUEUE_NUM_MAX), VIRTIO_BLK_QUEUE_SIZE);
	memset(g(f, DESC), 0, 0x3000);
	wr(f, REG_QUEUE_NUM, qnum);
	wr(f, REG_QUEUE_DESC_LOW, (uint32_t)DESC);
	wr(f, REG_QUEUE_DESC_HIGH, (uint32_t)(DESC >> 32));
	wr(f, REG_QUEUE_DRIVER_LOW, (uint32_t)AVAIL);
	wr(f, REG_QUEUE_DRIVER_HIGH, (uint32_t)(AVAIL >> 32));
	wr(f, REG_QUEUE_DEVICE_LOW, (uint32_t)USED);
	wr(f, REG_QUEUE_DEVICE_HIGH, (uint32_t)(USED >> 32));
	wr(f, REG_QUEUE_READY, 1);
	assert_int_equal(rd(f, REG_QUEUE_READY), 1);
	wr(f, REG_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
			  VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	assert_int_equal(rd(f, REG_STATUS) & VIRTIO_STATUS_NEEDS_RESET, 0);
	f->qnum = qnum;
	f->avail_idx = f->used_seen = f->next_desc = 0;
}

static void put_desc(struct fix *f, gpa_t table, unsigned i, gpa_t addr, uint32_t len,
		     uint16_t flags, uint16_t next)
{
	uint8_t *d = g(f, table + 16ull * i);

	memcpy(d, &addr, 8);
	memcpy(d + 8, &len, 4);
	memcpy(d + 12, &flags, 2);
	memcpy(d + 14, &next, 2);
}

static void put_avail(struct fix *f, uint16_t head)
{
	memcpy(g(f, AVAIL + 4 + 2ull * (f->avail_idx % f->qnum)), &head, 2);
	f->avail_idx++;
	__atomic_store_n((uint16_t *)(void *)g(f, AVAIL + 2), f->avail_idx, __ATOMIC_RELEASE);
}

/* a direct chain, made available (not notified); returns its head */
static uint16_t put_chain(struct fix *f, const struct seg *s, unsigned n)
{
	uint16_t head = f->next_desc;

	for (unsigned i = 0; i < n; i++) {
		uint16_t idx = (uint16_t)((head + i) % f->qnum);
		uint16_t next = (uint16_t)((head + i + 1) % f->qnum);

		put_desc(f, DESC, idx, s[i].addr, s[i].len,
			 (uint16_t)((s[i].w ? VIRTQ_DESC_F_WRITE : 0) | (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0)),
			 next);
	}
	f->next_desc = (uint16_t)((head + n) % f->qnum);
	put_avail(f, head);
	return head;
}

/* an indirect table at `table` holding the chain, one descriptor in the ring */
static uint16_t put_indirect(struct fix *f, gpa_t table, const struct seg *s, unsigned n)
{
	uint16_t head = f->next_desc;

	for (unsigned i = 0; i < n; i++)
		put_desc(f, table, i, s[i].addr, s[i].len,
			 (uint16_t)((s[i].w ? VIRTQ_DESC_F_WRITE : 0) | (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0)),
			 (uint16_t)(i + 1));
	put_desc(f, DESC, head, table, 16 * n, VIRTQ_DESC_F_INDIRECT, 0);
	f->next_desc = (uint16_t)((head + 1) % f->qnum);
	put_avail(f, head);
	return head;
}

static void kick(struct fix *f)
{
	wr(f, REG_QUEUE_NOTIFY, 0);
}

static uint16_t used_idx(struct fix *f)
{
	return __atomic_load_n((uint16_t *)(void *)g(f, USED + 2), __ATOMIC_ACQUIRE);
}

/* run the event loop until the used index reaches `target` */
static void wait_used(struct fix *f, uint16_t target)
{
	uint64_t deadline = host_clock_ns() + 20000000000ull;

	while (used_idx(f) != target) {
		assert_true(host_clock_ns() < deadline);
		evloop_poll(&f->loop, 10000000);
	}
}

static void used_elem(struct fix *f, uint16_t i, uint32_t *id, uint32_t *len)
{
	const uint8_t *e = g(f, USED + 4 + 8ull * (i % f->qnum));

	memcpy(id, e, 4);
	memcpy(len, e + 4, 4);
}

static gpa_t put_hdr(struct fix *f, unsigned slot, uint32_t type, uint64_t sector)
{
	gpa_t h = HDRS + 16ull * slot;

	memcpy(g(f, h), &type, 4);
	memset(g(f, h + 4), 0, 4);
	memcpy(g(f, h + 8), &sector, 8);
	*g(f, STATUSES + slot) = 0xee;
	return h;
}

/* submit a chain and wait for it; returns the status byte at `status` */
static int run_chain(struct fix *f, const struct seg *s, unsigned n, gpa_t status, uint32_t *used_len)
{
	uint16_t head = put_chain(f, s, n);
	uint32_t id, len;

	kick(f);
	wait_used(f, f->avail_idx);
	used_elem(f, f->used_seen++, &id, &len);
	assert_int_equal(id, head);
	if (used_len)
		*used_len = len;
	return *g(f, status);
}

/* header, data (if len), status: the layout Linux uses */
static int req(struct fix *f, uint32_t type, uint64_t sector, gpa_t data, uint32_t len, bool data_w,
	       uint32_t *used_len)
{
	unsigned slot = f->nreq++ % REQ_SLOTS;
	struct seg s[3];
	unsigned n = 0;

	s[n++] = (struct seg){ put_hdr(f, slot, type, sector), 16, false };
	if (len)
		s[n++] = (struct seg){ data, len, data_w };
	s[n++] = (struct seg){ STATUSES + slot, 1, true };
	return run_chain(f, s, n, STATUSES + slot, used_len);
}

static int blk_read(struct fix *f, uint64_t sector, gpa_t data, uint32_t len)
{
	return req(f, VIRTIO_BLK_T_IN, sector, data, len, true, NULL);
}

static int blk_write(struct fix *f, uint64_t sector, gpa_t data, uint32_t len)
{
	return req(f, VIRTIO_BLK_T_OUT, sector, data, len, false, NULL);
}

/* discard / write-zeroes with the given segments */
static int blk_dwz(struct fix *f, uint32_t type, const uint64_t *sector, const uint32_t *num,
		   const uint32_t *flags, unsigned nseg)
{
	for (unsigned i = 0; i < nseg; i++) {
		uint8_t *p = g(f, SEGS + 16ull * i);

		memcpy(p, &sector[i], 8);
		memcpy(p + 8, &num[i], 4);
		memcpy(p + 12, &flags[i], 4);
	}
	return req(f, type, 0, SEGS, 16 * nseg, false, NULL);
}

static bool file_is(struct fix *f, uint64_t off, uint64_t len, uint8_t (*fn)(uint64_t), int byte)
{
	uint8_t *buf = malloc(len);
	bool ok;

	assert_non_null(buf);
	assert_int_equal(pread(f->fd, buf, len, (off_t)off), (ssize_t)len);
	ok = true;
	for (uint64_t i = 0; i < len && ok; i++)
		ok = buf[i] == (fn ? fn(off + i) : (uint8_t)byte);
	free(buf);
	return ok;
}

static bool has(const struct fix *f, unsigned bit)
{
	return (f->features >> bit) & 1;
}

/* ---- fixtures ---- */

static int setup_in(void **state, const char *dir, bool readonly)
{
	struct fix *f = calloc(1, sizeof(*f));
	char err[256];

	if (!f || vm_init(&f->vm, "blk-test") || vm_alloc_ram(&f->vm, RAM_BASE, RAM_SIZE))
		return -1;
	f->fd = make_image(f->path, sizeof(f->path), dir, IMG_SECTORS * SECTOR);
	if (f->fd < 0)
		return -1;
	f->blk = calloc(1, sizeof(*f->blk));
	if (!f->blk)
		return -1;
	evloop_init(&f->loop);
	if (virtio_blk_init(f->blk, &f->vm, (struct irq_line){ rec_irq, f, IRQ_N }, &f->loop, f->path,
			    readonly, err, sizeof(err))) {
		fprintf(stderr, "virtio_blk_init: %s\n", err);
		return -1;
	}
	virtio_mmio_init(&f->mmio, &f->blk->vdev);
	if (as_add_mmio(&f->vm.as, MMIO_BASE, VIRTIO_MMIO_SIZE, &virtio_mmio_ops, &f->mmio, "blk"))
		return -1;
	*state = f;
	drv_setup(f, ALL_BUT_EVENT_IDX, VIRTIO_BLK_QUEUE_SIZE);
	return 0;
}

static int setup(void **state)
{
	return setup_in(state, tmpdir(), false);
}

static int setup_ro(void **state)
{
	return setup_in(state, tmpdir(), true);
}

static int teardown(void **state)
{
	struct fix *f = *state;

	virtio_blk_destroy(f->blk);
	vm_destroy(&f->vm);
	close(f->fd);
	unlink(f->path);
	free(f->blk);
	free(f);
	return 0;
}

/* what the file system of `dir` really supports, tried inside a scratch file */
static void fs_probe(const char *dir, bool *punch, bool *zero)
{
	char path[256];
	int fd = make_image(path, sizeof(path), dir, 65536);

	assert_true(fd >= 0);
	*punch = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096) == 0;
	*zero = fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 4096, 4096) == 0;
	close(fd);
	unlink(path);
}

/* ---- tests ---- */

static void test_identity_and_config(void **state)
{
	struct fix *f = *state;
	bool punch, zero;

	assert_int_equal(rd(f, REG_MAGIC), 0x74726976);
	assert_int_equal(rd(f, REG_VERSION), 2);
	assert_int_equal(rd(f, REG_DEVICE_ID), VIRTIO_ID_BLOCK);
	assert_true(has(f, VIRTIO_F_VERSION_1));
	assert_true(has(f, VIRTIO_BLK_F_SEG_MAX));
	assert_true(has(f, VIRTIO_BLK_F_BLK_SIZE));
	assert_true(has(f, VIRTIO_BLK_F_FLUSH));
	assert_false(has(f, VIRTIO_BLK_F_RO));
	assert_false(has(f, VIRTIO_BLK_F_CONFIG_WCE));
	assert_false(has(f, VIRTIO_BLK_F_MQ));

	/* capacity as one 8-byte access (split by the bus) and as two 4-byte ones */
	assert_int_equal(rd_cfg(f, VIRTIO_BLK_CFG_CAPACITY, 8), IMG_SECTORS);
	assert_int_equal(rd_cfg(f, VIRTIO_BLK_CFG_CAPACITY, 4), IMG_SECTORS);
	assert_int_equal(rd_cfg(f, VIRTIO_BLK_CFG_CAPACITY + 4, 4), 0);
	assert_int_equal(rd_cfg(f, VIRTIO_BLK_CFG_SEG_MAX, 4), VIRTIO_BLK_QUEUE_SIZE - 2);
	assert_int_equal(rd_cfg(f, VIRTIO_BLK_CFG_BLK_SIZE, 4), 512);
	assert_int_equal(rd_cfg(f, VIRTIO_BLK_CFG_SIZE_MAX, 4), 0);
	/* past the configuration space: zero */
	assert_int_equal(rd_cfg(f, VIRTIO_BLK_CONFIG_SIZE, 4), 0);
	/* read-only: a write changes nothing */
	assert_int_equal(as_write(&f->vm.as, MMIO_BASE + REG_CONFIG, 4, 1), 0);
	assert_int_equal(rd_cfg(f, VIRTIO_BLK_CFG_CAPACITY, 8), IMG_SECTORS);

	/* discard / write-zeroes exactly when the file system has them */
	fs_probe(tmpdir(), &punch, &zero);
	print_message("file system of %s: punch-hole %d, zero-range %d\n", tmpdir(), punch, zero);
	assert_int_equal(has(f, VIRTIO_BLK_F_DISCARD), punch);
	assert_int_equal(has(f, VIRTIO_BLK_F_WRITE_ZEROES), zero);
	if (punch) {
		assert_int_equal(rd_cfg(f, VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS, 4), VIRTIO_BLK_MAX_DWZ_SECTORS);
		assert_int_equal(rd_cfg(f, VIRTIO_BLK_CFG_MAX_DISCARD_SEG, 4), VIRTIO_BLK_MAX_DWZ_SEG);
		assert_true(rd_cfg(f, VIRTIO_BLK_CFG_DISCARD_ALIGN, 4) >= 1);
	} else {
		assert_int_equal(rd_cfg(f, VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS, 4), 0);
	}
	if (zero) {
		assert_int_equal(rd_cfg(f, VIRTIO_BLK_CFG_MAX_WZ_SECTORS, 4), VIRTIO_BLK_MAX_DWZ_SECTORS);
		assert_int_equal(rd_cfg(f, VIRTIO_BLK_CFG_MAX_WZ_SEG, 4), VIRTIO_BLK_MAX_DWZ_SEG);
		assert_int_equal(rd_cfg(f, VIRTIO_BLK_CFG_WZ_MAY_UNMAP, 1), punch);
	} else {
		assert_int_equal(rd_cfg(f, VIRTIO_BLK_CFG_MAX_WZ_SECTORS, 4), 0);
	}
}

static void test_read(void **state)
{
	struct fix *f = *state;
	unsigned slot = f->nreq++;
	gpa_t h = put_hdr(f, slot, VIRTIO_BLK_T_IN, 5);
	/* 4 KiB in two data buffers of different sizes */
	struct seg s[] = { { h, 16, false }, { DATA, 1024, true }, { DATA + 0x10000, 3072, true },
			   { STATUSES + slot, 1, true } };
	uint32_t len;

	memset(g(f, DATA), 0, 0x20000);
	f->irq_level = 0;
	assert_int_equal(run_chain(f, s, 4, STATUSES + slot, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(len, 4096 + 1);
	for (unsigned i = 0; i < 1024; i++)
		assert_int_equal(*g(f, DATA + i), pat(5 * SECTOR + i));
	for (unsigned i = 0; i < 3072; i++)
		assert_int_equal(*g(f, DATA + 0x10000 + i), pat(5 * SECTOR + 1024 + i));

	/* the completion raised the line; acknowledging lowers it */
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, REG_INTERRUPT_STATUS), VIRTIO_ISR_QUEUE);
	wr(f, REG_INTERRUPT_ACK, VIRTIO_ISR_QUEUE);
	assert_int_equal(f->irq_level, 0);

	/* the last sector of the disk */
	assert_int_equal(blk_read(f, IMG_SECTORS - 1, DATA, 512), VIRTIO_BLK_S_OK);
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(*g(f, DATA + i), pat((IMG_SECTORS - 1) * SECTOR + i));
}

/* the device must not assume Linux's layout: a header split in two, the
 * status byte sharing a buffer with the data */
static void test_read_odd_layout(void **state)
{
	struct fix *f = *state;
	unsigned slot = f->nreq++;
	gpa_t h = put_hdr(f, slot, VIRTIO_BLK_T_IN, 77);
	struct seg s[] = { { h, 8, false }, { h + 8, 8, false }, { DATA, 1024 + 1, true } };
	uint32_t len;

	memset(g(f, DATA), 0, 4096);
	assert_int_equal(run_chain(f, s, 3, DATA + 1024, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(len, 1024 + 1);
	for (unsigned i = 0; i < 1024; i++)
		assert_int_equal(*g(f, DATA + i), pat(77 * SECTOR + i));
}

static void test_write_and_flush(void **state)
{
	struct fix *f = *state;
	unsigned slot = f->nreq++;
	gpa_t h = put_hdr(f, slot, VIRTIO_BLK_T_OUT, 100);
	struct seg s[] = { { h, 16, false }, { DATA, 512, false }, { DATA + 0x4000, 4096, false },
			   { DATA + 0x8000, 3584, false }, { STATUSES + slot, 1, true } };
	uint32_t len;

	for (unsigned i = 0; i < 512; i++)
		*g(f, DATA + i) = pat2(i);
	for (unsigned i = 0; i < 4096; i++)
		*g(f, DATA + 0x4000 + i) = pat2(512 + i);
	for (unsigned i = 0; i < 3584; i++)
		*g(f, DATA + 0x8000 + i) = pat2(4608 + i);
	assert_int_equal(run_chain(f, s, 5, STATUSES + slot, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(len, 1);

	uint8_t buf[8192];

	assert_int_equal(pread(f->fd, buf, sizeof(buf), 100 * SECTOR), (ssize_t)sizeof(buf));
	for (unsigned i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], pat2(i));
	/* neighbours untouched */
	assert_true(file_is(f, 99 * SECTOR, SECTOR, pat, 0));
	assert_true(file_is(f, 116 * SECTOR, SECTOR, pat, 0));

	assert_int_equal(req(f, VIRTIO_BLK_T_FLUSH, 0, 0, 0, false, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(len, 1);

	/* read back through the device */
	memset(g(f, DATA + 0x10000), 0, 8192);
	assert_int_equal(blk_read(f, 100, DATA + 0x10000, 8192), VIRTIO_BLK_S_OK);
	for (unsigned i = 0; i < 8192; i++)
		assert_int_equal(*g(f, DATA + 0x10000 + i), pat2(i));
}

/* a driver without FLUSH gets a writethrough device: writes still land */
static void test_writethrough_without_flush(void **state)
{
	struct fix *f = *state;

	drv_setup(f, ALL_BUT_EVENT_IDX & ~(1ull << VIRTIO_BLK_F_FLUSH), VIRTIO_BLK_QUEUE_SIZE);
	for (unsigned i = 0; i < 4096; i++)
		*g(f, DATA + i) = pat2(300 * SECTOR + i);
	assert_int_equal(blk_write(f, 300, DATA, 4096), VIRTIO_BLK_S_OK);
	assert_true(file_is(f, 300 * SECTOR, 4096, pat2, 0));
	assert_true(file_is(f, 299 * SECTOR, SECTOR, pat, 0));
}

static void test_get_id(void **state)
{
	struct fix *f = *state;
	char want[VIRTIO_BLK_ID_BYTES] = { 0 };
	const char *base = strrchr(f->path, '/') + 1;
	uint32_t len;

	memcpy(want, base, strnlen(base, sizeof(want)));
	memset(g(f, DATA), 0xff, 64);
	assert_int_equal(req(f, VIRTIO_BLK_T_GET_ID, 0, DATA, 20, true, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(len, 21);
	assert_memory_equal(g(f, DATA), want, 20);
	assert_int_equal(*g(f, DATA + 20), 0xff);	/* nothing beyond the 20 bytes */

	/* a short buffer gets what fits */
	memset(g(f, DATA), 0xff, 64);
	assert_int_equal(req(f, VIRTIO_BLK_T_GET_ID, 0, DATA, 4, true, NULL), VIRTIO_BLK_S_OK);
	assert_memory_equal(g(f, DATA), want, 4);
	assert_int_equal(*g(f, DATA + 4), 0xff);

	/* no buffer at all */
	assert_int_equal(req(f, VIRTIO_BLK_T_GET_ID, 0, 0, 0, true, NULL), VIRTIO_BLK_S_IOERR);
}

static void test_discard_write_zeroes(void **state)
{
	struct fix *f = *state;
	uint32_t none[VIRTIO_BLK_MAX_DWZ_SEG + 1] = { 0 };

	if (!has(f, VIRTIO_BLK_F_DISCARD)) {
		uint64_t sec = 8;
		uint32_t num = 8;

		assert_int_equal(blk_dwz(f, VIRTIO_BLK_T_DISCARD, &sec, &num, none, 1),
				 VIRTIO_BLK_S_UNSUPP);
		assert_true(file_is(f, 8 * SECTOR, 8 * SECTOR, pat, 0));
	} else {
		uint64_t sec[2] = { 8, 64 };
		uint32_t num[2] = { 8, 16 };
		uint32_t unmap = VIRTIO_BLK_WZ_F_UNMAP, unknown = 2;

		/* two segments, 4 KiB aligned: holes read as zeroes */
		assert_int_equal(blk_dwz(f, VIRTIO_BLK_T_DISCARD, sec, num, none, 2), VIRTIO_BLK_S_OK);
		assert_true(file_is(f, 8 * SECTOR, 8 * SECTOR, NULL, 0));
		assert_true(file_is(f, 64 * SECTOR, 16 * SECTOR, NULL, 0));
		assert_true(file_is(f, 7 * SECTOR, SECTOR, pat, 0));
		assert_true(file_is(f, 16 * SECTOR, 48 * SECTOR, pat, 0));
		assert_true(file_is(f, 80 * SECTOR, SECTOR, pat, 0));
		/* section 5.2.6.2: unmap on a discard, unknown flags: UNSUPP */
		assert_int_equal(blk_dwz(f, VIRTIO_BLK_T_DISCARD, &sec[0], &num[0], &unmap, 1),
				 VIRTIO_BLK_S_UNSUPP);
		assert_int_equal(blk_dwz(f, VIRTIO_BLK_T_DISCARD, &sec[0], &num[0], &unknown, 1),
				 VIRTIO_BLK_S_UNSUPP);
		/* past the end, too large a segment, too many segments: IOERR */
		uint64_t end = IMG_SECTORS - 4;
		uint32_t eight = 8, huge = VIRTIO_BLK_MAX_DWZ_SECTORS + 1;
		uint64_t secs[VIRTIO_BLK_MAX_DWZ_SEG + 1];
		uint32_t nums[VIRTIO_BLK_MAX_DWZ_SEG + 1];

		assert_int_equal(blk_dwz(f, VIRTIO_BLK_T_DISCARD, &end, &eight, none, 1),
				 VIRTIO_BLK_S_IOERR);
		assert_true(file_is(f, end * SECTOR, 4 * SECTOR, pat, 0));
		sec[0] = 0;
		assert_int_equal(blk_dwz(f, VIRTIO_BLK_T_DISCARD, sec, &huge, none, 1), VIRTIO_BLK_S_IOERR);
		for (unsigned i = 0; i <= VIRTIO_BLK_MAX_DWZ_SEG; i++) {
			secs[i] = 1000 + 8 * i;
			nums[i] = 8;
		}
		assert_int_equal(blk_dwz(f, VIRTIO_BLK_T_DISCARD, secs, nums, none,
					 VIRTIO_BLK_MAX_DWZ_SEG + 1), VIRTIO_BLK_S_IOERR);
		assert_true(file_is(f, 1000 * SECTOR, 8 * SECTOR, pat, 0));
		assert_int_equal(blk_dwz(f, VIRTIO_BLK_T_DISCARD, secs, nums, none,
					 VIRTIO_BLK_MAX_DWZ_SEG), VIRTIO_BLK_S_OK);
		assert_true(file_is(f, 1000 * SECTOR, 8 * SECTOR * VIRTIO_BLK_MAX_DWZ_SEG, NULL, 0));
	}

	if (!has(f, VIRTIO_BLK_F_WRITE_ZEROES)) {
		uint64_t sec = 200;
		uint32_t num = 3;

		assert_int_equal(blk_dwz(f, VIRTIO_BLK_T_WRITE_ZEROES, &sec, &num, none, 1),
				 VIRTIO_BLK_S_UNSUPP);
		assert_true(file_is(f, 200 * SECTOR, 3 * SECTOR, pat, 0));
	} else {
		/* unaligned ranges, with and without unmap */
		uint64_t sec[2] = { 201, 300 };
		uint32_t num[2] = { 3, 5 };
		uint32_t flags[2] = { 0, VIRTIO_BLK_WZ_F_UNMAP }, unknown = 4;

		assert_int_equal(blk_dwz(f, VIRTIO_BLK_T_WRITE_ZEROES, sec, num, flags, 2),
				 VIRTIO_BLK_S_OK);
		assert_true(file_is(f, 201 * SECTOR, 3 * SECTOR, NULL, 0));
		assert_true(file_is(f, 300 * SECTOR, 5 * SECTOR, NULL, 0));
		assert_true(file_is(f, 200 * SECTOR, SECTOR, pat, 0));
		assert_true(file_is(f, 204 * SECTOR, SECTOR, pat, 0));
		assert_true(file_is(f, 305 * SECTOR, SECTOR, pat, 0));
		assert_int_equal(blk_dwz(f, VIRTIO_BLK_T_WRITE_ZEROES, sec, num, &unknown, 1),
				 VIRTIO_BLK_S_UNSUPP);
		uint64_t over = ~0ull / 256;

		assert_int_equal(blk_dwz(f, VIRTIO_BLK_T_WRITE_ZEROES, &over, num, flags, 1),
				 VIRTIO_BLK_S_IOERR);
	}
	/* the segment list must be device-readable and whole */
	assert_int_equal(req(f, VIRTIO_BLK_T_DISCARD, 0, SEGS, 8, false, NULL),
			 has(f, VIRTIO_BLK_F_DISCARD) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_UNSUPP);
	assert_int_equal(req(f, VIRTIO_BLK_T_DISCARD, 0, 0, 0, false, NULL),
			 has(f, VIRTIO_BLK_F_DISCARD) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_UNSUPP);
	assert_int_equal(req(f, VIRTIO_BLK_T_WRITE_ZEROES, 0, SEGS, 16, true, NULL),
			 has(f, VIRTIO_BLK_F_WRITE_ZEROES) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_UNSUPP);
}

static void test_out_of_range(void **state)
{
	struct fix *f = *state;
	struct stat st;

	memset(g(f, DATA), 0x11, 4096);
	assert_int_equal(blk_read(f, IMG_SECTORS, DATA, 512), VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_read(f, IMG_SECTORS - 1, DATA, 1024), VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_read(f, ~0ull, DATA, 512), VIRTIO_BLK_S_IOERR);
	/* sector * 512 wraps to 0 in 64 bits */
	assert_int_equal(blk_read(f, 1ull << 55, DATA, 512), VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_read(f, (1ull << 55) - 1, DATA, 1024), VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_read(f, 1ull << 63, DATA, 512), VIRTIO_BLK_S_IOERR);
	for (unsigned i = 0; i < 4096; i++)
		assert_int_equal(*g(f, DATA + i), 0x11);

	assert_int_equal(blk_write(f, IMG_SECTORS - 1, DATA, 1024), VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_write(f, 1ull << 55, DATA, 512), VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_write(f, ~0ull - 1, DATA, 1024), VIRTIO_BLK_S_IOERR);
	assert_int_equal(fstat(f->fd, &st), 0);
	assert_int_equal(st.st_size, IMG_SECTORS * SECTOR);
	assert_true(file_is(f, 0, SECTOR, pat, 0));
	assert_true(file_is(f, (IMG_SECTORS - 1) * SECTOR, SECTOR, pat, 0));

	/* empty transfers at the end are fine, past it are not */
	assert_int_equal(blk_read(f, IMG_SECTORS, 0, 0), VIRTIO_BLK_S_OK);
	assert_int_equal(blk_read(f, IMG_SECTORS + 1, 0, 0), VIRTIO_BLK_S_IOERR);
}

static void test_bad_requests(void **state)
{
	struct fix *f = *state;
	unsigned slot;
	gpa_t h;

	memset(g(f, DATA), 0x22, 8192);
	/* data not a multiple of 512 */
	assert_int_equal(blk_read(f, 0, DATA, 1000), VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_write(f, 0, DATA, 100), VIRTIO_BLK_S_IOERR);
	/* a read with device-readable data buffers, a write with writable ones */
	assert_int_equal(req(f, VIRTIO_BLK_T_IN, 0, DATA, 512, false, NULL), VIRTIO_BLK_S_IOERR);
	assert_int_equal(req(f, VIRTIO_BLK_T_OUT, 0, DATA, 512, true, NULL), VIRTIO_BLK_S_IOERR);
	assert_true(file_is(f, 0, SECTOR, pat, 0));
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(*g(f, DATA + i), 0x22);
	/* unknown and unsupported types */
	assert_int_equal(req(f, 0x1234, 0, 0, 0, false, NULL), VIRTIO_BLK_S_UNSUPP);
	assert_int_equal(req(f, VIRTIO_BLK_T_GET_LIFETIME, 0, DATA, 8, true, NULL),
			 VIRTIO_BLK_S_UNSUPP);
	assert_int_equal(req(f, VIRTIO_BLK_T_SECURE_ERASE, 0, DATA, 16, false, NULL),
			 VIRTIO_BLK_S_UNSUPP);

	/* a header of 8 bytes */
	slot = f->nreq++;
	h = put_hdr(f, slot, VIRTIO_BLK_T_IN, 0);
	{
		struct seg s[] = { { h, 8, false }, { DATA, 512, true }, { STATUSES + slot, 1, true } };

		assert_int_equal(run_chain(f, s, 3, STATUSES + slot, NULL), VIRTIO_BLK_S_IOERR);
	}
	/* a header in a device-writable buffer */
	slot = f->nreq++;
	h = put_hdr(f, slot, VIRTIO_BLK_T_IN, 0);
	{
		struct seg s[] = { { h, 16, true }, { DATA, 512, true }, { STATUSES + slot, 1, true } };

		assert_int_equal(run_chain(f, s, 3, STATUSES + slot, NULL), VIRTIO_BLK_S_IOERR);
	}
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(*g(f, DATA + i), 0x22);
	/* the device still works */
	assert_int_equal(rd(f, REG_STATUS) & VIRTIO_STATUS_NEEDS_RESET, 0);
	assert_int_equal(blk_read(f, 1, DATA, 512), VIRTIO_BLK_S_OK);
	assert_int_equal(*g(f, DATA), pat(512));
}

/* no device-writable status byte: the chain is malformed, the device needs a reset */
static void test_no_status_needs_reset(void **state)
{
	struct fix *f = *state;
	unsigned slot = f->nreq++;
	gpa_t h = put_hdr(f, slot, VIRTIO_BLK_T_OUT, 0);
	struct seg s[] = { { h, 16, false }, { DATA, 512, false } };

	f->irq_level = 0;
	put_chain(f, s, 2);
	kick(f);
	for (int i = 0; i < 5; i++)
		evloop_poll(&f->loop, 1000000);
	assert_true(rd(f, REG_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
	assert_int_equal(used_idx(f), 0);
	assert_true(rd(f, REG_INTERRUPT_STATUS) & VIRTIO_ISR_CONFIG);
	assert_int_equal(f->irq_level, 1);
	assert_true(file_is(f, 0, SECTOR, pat, 0));
	/* a reset brings it back */
	drv_setup(f, ALL_BUT_EVENT_IDX, VIRTIO_BLK_QUEUE_SIZE);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(blk_read(f, 2, DATA, 512), VIRTIO_BLK_S_OK);
	assert_int_equal(*g(f, DATA), pat(1024));
}

/* 254 data segments (seg_max) in an indirect table: one large request */
static void test_large_indirect(void **state)
{
	struct fix *f = *state;
	struct seg s[VIRTIO_BLK_SEG_MAX + 2];
	const uint32_t seglen = 4096;
	const uint64_t sector = 2048;
	unsigned slot = f->nreq++;
	uint32_t len;

	assert_true(has(f, VIRTIO_F_RING_INDIRECT_DESC));
	memset(g(f, DATA), 0, 2ull * seglen * VIRTIO_BLK_SEG_MAX);
	s[0] = (struct seg){ put_hdr(f, slot, VIRTIO_BLK_T_IN, sector), 16, false };
	for (unsigned i = 0; i < VIRTIO_BLK_SEG_MAX; i++)	/* scattered: every other 4 KiB */
		s[1 + i] = (struct seg){ DATA + 2ull * seglen * i, seglen, true };
	s[VIRTIO_BLK_SEG_MAX + 1] = (struct seg){ STATUSES + slot, 1, true };
	uint16_t head = put_indirect(f, INDIRECT, s, VIRTIO_BLK_SEG_MAX + 2);
	uint32_t id;

	kick(f);
	wait_used(f, f->avail_idx);
	used_elem(f, f->used_seen++, &id, &len);
	assert_int_equal(id, head);
	assert_int_equal(*g(f, STATUSES + slot), VIRTIO_BLK_S_OK);
	assert_int_equal(len, seglen * VIRTIO_BLK_SEG_MAX + 1);
	for (unsigned i = 0; i < VIRTIO_BLK_SEG_MAX; i++)
		for (unsigned k = 0; k < seglen; k += 97)
			assert_int_equal(*g(f, DATA + 2ull * seglen * i + k),
					 pat(sector * SECTOR + (uint64_t)seglen * i + k));

	/* and written back the same way */
	slot = f->nreq++;
	s[0] = (struct seg){ put_hdr(f, slot, VIRTIO_BLK_T_OUT, sector), 16, false };
	for (unsigned i = 0; i < VIRTIO_BLK_SEG_MAX; i++) {
		s[1 + i].w = false;
		for (unsigned k = 0; k < seglen; k++)
			*g(f, DATA + 2ull * seglen * i + k) = pat2(sector * SECTOR + (uint64_t)seglen * i + k);
	}
	s[VIRTIO_BLK_SEG_MAX + 1] = (struct seg){ STATUSES + slot, 1, true };
	put_indirect(f, INDIRECT, s, VIRTIO_BLK_SEG_MAX + 2);
	kick(f);
	wait_used(f, f->avail_idx);
	f->used_seen++;
	assert_int_equal(*g(f, STATUSES + slot), VIRTIO_BLK_S_OK);
	assert_true(file_is(f, sector * SECTOR, (uint64_t)seglen * VIRTIO_BLK_SEG_MAX, pat2, 0));
	assert_true(file_is(f, (sector - 1) * SECTOR, SECTOR, pat, 0));
}

/* many requests at once: all complete, data right */
static void test_many_in_flight(void **state)
{
	struct fix *f = *state;

	/* every read through the I/O threads, none served at once from
	 * the page cache: requests stay in flight */
	f->blk->bf.no_nowait = true;
	const unsigned n = VIRTIO_BLK_QUEUE_SIZE / 3;	/* 3 descriptors each */
	const uint32_t len = 64 * 1024;

	memset(g(f, DATA), 0, (uint64_t)n * len);
	for (unsigned i = 0; i < n; i++) {
		unsigned slot = f->nreq++ % REQ_SLOTS;
		struct seg s[] = { { put_hdr(f, slot, VIRTIO_BLK_T_IN, 128ull * i), 16, false },
				   { DATA + (uint64_t)len * i, len, true },
				   { STATUSES + slot, 1, true } };

		put_chain(f, s, 3);
	}
	kick(f);
	wait_used(f, f->avail_idx);
	f->used_seen = f->avail_idx;
	for (unsigned i = 0; i < n; i++)
		for (unsigned k = 0; k < len; k += 509)
			assert_int_equal(*g(f, DATA + (uint64_t)len * i + k), pat(65536ull * i + k));
	assert_int_equal(f->blk->in_flight, 0);
}

/* Reads the host has in its page cache complete inside the notification,
 * without an I/O thread or an event-loop poll; writes and flushes still go
 * through the I/O threads. A read only partly cached (or not at all) is
 * finished by an I/O thread. */
static void test_read_nowait(void **state)
{
	struct fix *f = *state;
	const uint32_t len = 256 * 1024;
	unsigned slot = f->nreq++ % REQ_SLOTS;
	struct seg s[] = { { put_hdr(f, slot, VIRTIO_BLK_T_IN, 64), 16, false },
			   { DATA, 4096, true }, { DATA + 0x2000, len - 4096, true },
			   { STATUSES + slot, 1, true } };
	uint32_t id, ulen;
	uint16_t head;

	/* the image was just written: cached */
	memset(g(f, DATA), 0, 0x2000 + len);
	f->irq_level = 0;
	head = put_chain(f, s, 4);
	kick(f);
	assert_int_equal(used_idx(f), f->avail_idx);	/* no evloop_poll needed */
	assert_int_equal(f->blk->in_flight, 0);
	assert_int_equal(f->irq_level, 1);
	used_elem(f, f->used_seen++, &id, &ulen);
	assert_int_equal(id, head);
	assert_int_equal(ulen, len + 1);
	assert_int_equal(*g(f, STATUSES + slot), VIRTIO_BLK_S_OK);
	for (uint32_t i = 0; i < 4096; i++)
		assert_int_equal(*g(f, DATA + i), pat(64 * SECTOR + i));
	for (uint32_t i = 0; i < len - 4096; i++)
		assert_int_equal(*g(f, DATA + 0x2000 + i), pat(64 * SECTOR + 4096 + i));

	/* evicted from the page cache (where the file system allows it): the
	 * read goes to an I/O thread, and the data is the same */
	assert_int_equal(fdatasync(f->fd), 0);
	assert_int_equal(posix_fadvise(f->fd, 0, 0, POSIX_FADV_DONTNEED), 0);
	slot = f->nreq++ % REQ_SLOTS;
	s[0].addr = put_hdr(f, slot, VIRTIO_BLK_T_IN, 1024);
	s[3].addr = STATUSES + slot;
	memset(g(f, DATA), 0, 0x2000 + len);
	put_chain(f, s, 4);
	kick(f);
	print_message("uncached read: %s\n", f->blk->in_flight ? "through an I/O thread" :
		      "served at once (the file system keeps its pages)");
	wait_used(f, f->avail_idx);
	used_elem(f, f->used_seen++, &id, &ulen);
	assert_int_equal(ulen, len + 1);
	assert_int_equal(*g(f, STATUSES + slot), VIRTIO_BLK_S_OK);
	for (uint32_t i = 0; i < 4096; i++)
		assert_int_equal(*g(f, DATA + i), pat(1024 * SECTOR + i));
	for (uint32_t i = 0; i < len - 4096; i++)
		assert_int_equal(*g(f, DATA + 0x2000 + i), pat(1024 * SECTOR + 4096 + i));
	assert_int_equal(f->blk->in_flight, 0);
}

/* submit a write of len bytes of `byte` at sector without waiting */
static uint16_t put_write(struct fix *f, uint64_t sector, gpa_t data, uint32_t len, int byte,
			  unsigned *slot_out)
{
	unsigned slot = f->nreq++ % REQ_SLOTS;
	struct seg w[] = { { put_hdr(f, slot, VIRTIO_BLK_T_OUT, sector), 16, false },
			   { data, len, false }, { STATUSES + slot, 1, true } };

	memset(g(f, data), byte, len);
	*slot_out = slot;
	return put_chain(f, w, 3);
}

static bool file_has(struct fix *f, uint64_t off, uint32_t len, int byte)
{
	static uint8_t buf[1 << 20];

	assert_true(len <= sizeof(buf));
	assert_int_equal(pread(f->fd, buf, len, (off_t)off), (ssize_t)len);
	for (uint32_t i = 0; i < len; i++)
		if (buf[i] != byte)
			return false;
	return true;
}

/* A small write with nothing else in flight is written inside the
 * notification; one behind another request, a large one, a write-through
 * one (no FLUSH negotiated) or one while the back-off holds goes through the
 * I/O threads. */
static void test_write_now(void **state)
{
	struct fix *f = *state;
	unsigned slot, slot2;

	f->irq_level = 0;
	put_write(f, 8, DATA, 4096, 0x5a, &slot);
	kick(f);
	assert_int_equal(used_idx(f), f->avail_idx);	/* no evloop_poll needed */
	f->used_seen = f->avail_idx;
	assert_int_equal(f->blk->in_flight, 0);
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(*g(f, STATUSES + slot), VIRTIO_BLK_S_OK);
	assert_true(file_has(f, 8 * SECTOR, 4096, 0x5a));
	/* and a read right after it sees it */
	memset(g(f, DATA + 0x1000), 0, 4096);
	assert_int_equal(blk_read(f, 8, DATA + 0x1000, 4096), VIRTIO_BLK_S_OK);
	assert_int_equal(*g(f, DATA + 0x1000 + 4095), 0x5a);

	/* behind an uncached read still in flight: queued */
	f->blk->bf.no_nowait = true;
	unsigned rslot = f->nreq++ % REQ_SLOTS;
	struct seg rd_[] = { { put_hdr(f, rslot, VIRTIO_BLK_T_IN, 200), 16, false },
			     { DATA + 0x10000, 4096, true }, { STATUSES + rslot, 1, true } };
	put_chain(f, rd_, 3);
	put_write(f, 16, DATA, 4096, 0x6b, &slot);
	kick(f);
	f->blk->bf.no_nowait = false;
	assert_int_equal(f->blk->in_flight, 2);	/* reaped only by the event loop */
	wait_used(f, f->avail_idx);
	f->used_seen = f->avail_idx;
	assert_int_equal(*g(f, STATUSES + slot), VIRTIO_BLK_S_OK);
	assert_int_equal(*g(f, STATUSES + rslot), VIRTIO_BLK_S_OK);
	assert_true(file_has(f, 16 * SECTOR, 4096, 0x6b));

	/* larger than VIRTIO_BLK_WRITE_NOW_MAX */
	put_write(f, 64, DATA, VIRTIO_BLK_WRITE_NOW_MAX + 512, 0x7c, &slot);
	kick(f);
	assert_int_equal(f->blk->in_flight, 1);
	wait_used(f, f->avail_idx);
	f->used_seen = f->avail_idx;
	assert_true(file_has(f, 64 * SECTOR, VIRTIO_BLK_WRITE_NOW_MAX + 512, 0x7c));

	/* the back-off after a write that had to wait */
	f->blk->bf.write_now_after = UINT64_MAX;
	put_write(f, 24, DATA, 4096, 0x8d, &slot);
	kick(f);
	assert_int_equal(f->blk->in_flight, 1);
	wait_used(f, f->avail_idx);
	f->used_seen = f->avail_idx;
	assert_true(file_has(f, 24 * SECTOR, 4096, 0x8d));
	f->blk->bf.write_now_after = 0;

	/* write-through (FLUSH not negotiated): an fdatasync follows every
	 * write, never on the notifying thread */
	drv_setup(f, ALL_BUT_EVENT_IDX & ~(1ull << VIRTIO_BLK_F_FLUSH), VIRTIO_BLK_QUEUE_SIZE);
	put_write(f, 32, DATA, 4096, 0x9e, &slot2);
	kick(f);
	assert_int_equal(f->blk->in_flight, 1);
	wait_used(f, f->avail_idx);
	assert_int_equal(*g(f, STATUSES + slot2), VIRTIO_BLK_S_OK);
	assert_true(file_has(f, 32 * SECTOR, 4096, 0x9e));
}

/* A hostile driver makes heads available again while they are in flight
 * (pointing them at new buffers): the device keeps at most
 * VIRTIO_BLK_QUEUE_SIZE requests in flight and takes the rest as slots free
 * up. */
static void test_in_flight_bounded(void **state)
{
	struct fix *f = *state;

	/* every read through the I/O threads, none served at once from
	 * the page cache: requests stay in flight */
	f->blk->bf.no_nowait = true;
	const unsigned per_round = VIRTIO_BLK_QUEUE_SIZE / 2;	/* 2 descriptors each */
	uint16_t heads[VIRTIO_BLK_QUEUE_SIZE / 2];

#define BUF(round, i) (DATA + 0x40000ull * (round) + 1024ull * (i))
	for (unsigned i = 0; i < per_round; i++) {
		struct seg s[] = { { put_hdr(f, i, VIRTIO_BLK_T_IN, i), 16, false },
				   { BUF(0, i), 513, true } };

		heads[i] = put_chain(f, s, 2);
	}
	kick(f);
	assert_int_equal(f->blk->in_flight, per_round);
	for (unsigned round = 1; round < 3; round++) {
		for (unsigned i = 0; i < per_round; i++) {
			put_desc(f, DESC, heads[i] + 1u, BUF(round, i), 513, VIRTQ_DESC_F_WRITE, 0);
			put_avail(f, heads[i]);
		}
		kick(f);
	}
	/* nothing reaped yet (no event-loop poll): every slot busy */
	assert_int_equal(f->blk->in_flight, VIRTIO_BLK_QUEUE_SIZE);
	assert_int_equal(used_idx(f), 0);
	wait_used(f, (uint16_t)(3 * per_round));
	assert_int_equal(f->blk->in_flight, 0);
	for (unsigned round = 0; round < 3; round++)
		for (unsigned i = 0; i < per_round; i++) {
			assert_int_equal(*g(f, BUF(round, i) + 512), VIRTIO_BLK_S_OK);
			assert_int_equal(*g(f, BUF(round, i) + 7), pat(512ull * i + 7));
		}
#undef BUF
}

/* Reset with requests in flight: no crash, and nothing reaches guest
 * memory once the reset returned. */
static void test_reset_in_flight(void **state)
{
	struct fix *f = *state;

	/* every read through the I/O threads, none served at once from
	 * the page cache: requests stay in flight */
	f->blk->bf.no_nowait = true;
	const unsigned n = VIRTIO_BLK_QUEUE_SIZE / 3;
	const uint32_t len = 256 * 1024;
	const uint64_t area = (uint64_t)n * len;

	for (int iter = 0; iter < 5; iter++) {
		memset(g(f, DATA), 0, area);
		for (unsigned i = 0; i < n; i++) {
			unsigned slot = f->nreq++ % REQ_SLOTS;
			struct seg s[] = { { put_hdr(f, slot, VIRTIO_BLK_T_IN, (512ull * i) % IMG_SECTORS),
					     16, false },
					   { DATA + (uint64_t)len * i, len, true },
					   { STATUSES + slot, 1, true } };

			put_chain(f, s, 3);
		}
		kick(f);
		if (iter & 1)
			evloop_poll(&f->loop, 0);	/* some completions reaped, some not */
		wr(f, REG_STATUS, 0);
		assert_int_equal(rd(f, REG_STATUS), 0);
		assert_int_equal(f->blk->in_flight, 0);
		assert_int_equal(f->irq_level, 0);

		/* from now on the device must not write guest memory */
		memset(g(f, DATA), 0xaa, area);
		memset(g(f, USED), 0, 0x1000);
		memset(g(f, STATUSES), 0x55, REQ_SLOTS);
		for (int k = 0; k < 10; k++)
			evloop_poll(&f->loop, 2000000);
		for (uint64_t i = 0; i < area; i += 4096)
			assert_int_equal(*g(f, DATA + i), 0xaa);
		for (unsigned i = 0; i < REQ_SLOTS; i++)
			assert_int_equal(*g(f, STATUSES + i), 0x55);
		assert_int_equal(used_idx(f), 0);
		assert_int_equal(rd(f, REG_INTERRUPT_STATUS), 0);
		assert_int_equal(f->irq_level, 0);

		/* and it works again after setup */
		drv_setup(f, ALL_BUT_EVENT_IDX, VIRTIO_BLK_QUEUE_SIZE);
		assert_int_equal(blk_read(f, 3, DATA, 512), VIRTIO_BLK_S_OK);
		assert_int_equal(*g(f, DATA + 1), pat(3 * SECTOR + 1));
	}
}

static void test_readonly(void **state)
{
	struct fix *f = *state;
	uint32_t zero = 0, eight = 8;
	uint64_t sec = 8;

	assert_true(has(f, VIRTIO_BLK_F_RO));
	assert_false(has(f, VIRTIO_BLK_F_DISCARD));
	assert_false(has(f, VIRTIO_BLK_F_WRITE_ZEROES));
	assert_int_equal(rd_cfg(f, VIRTIO_BLK_CFG_CAPACITY, 8), IMG_SECTORS);

	memset(g(f, DATA), 0x33, 4096);
	assert_int_equal(blk_write(f, 0, DATA, 4096), VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_dwz(f, VIRTIO_BLK_T_DISCARD, &sec, &eight, &zero, 1), VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_dwz(f, VIRTIO_BLK_T_WRITE_ZEROES, &sec, &eight, &zero, 1),
			 VIRTIO_BLK_S_IOERR);
	assert_true(file_is(f, 0, 16 * SECTOR, pat, 0));
	assert_int_equal(blk_read(f, 0, DATA, 4096), VIRTIO_BLK_S_OK);
	for (unsigned i = 0; i < 4096; i++)
		assert_int_equal(*g(f, DATA + i), pat(i));
	assert_int_equal(req(f, VIRTIO_BLK_T_FLUSH, 0, 0, 0, false, NULL), VIRTIO_BLK_S_OK);
}

/* an image on a file system with other fallocate support (tmpfs has no
 * ZERO_RANGE): the device offers what works there */
static void test_features_follow_fs(void **state)
{
	struct statfs sf;
	bool punch, zero;
	struct fix *f;

	(void)state;
	if (statfs("/dev/shm", &sf) < 0 || access("/dev/shm", W_OK) < 0) {
		skip();
		return;
	}
	assert_int_equal(setup_in((void **)&f, "/dev/shm", false), 0);
	fs_probe("/dev/shm", &punch, &zero);
	print_message("file system of /dev/shm: punch-hole %d, zero-range %d\n", punch, zero);
	assert_int_equal(has(f, VIRTIO_BLK_F_DISCARD), punch);
	assert_int_equal(has(f, VIRTIO_BLK_F_WRITE_ZEROES), zero);
	test_discard_write_zeroes((void **)&f);
	assert_int_equal(blk_read(f, 9, DATA, 512), VIRTIO_BLK_S_OK);
	teardown((void **)&f);
}

static void expect_init_error(const char *path, bool readonly, int want, const char *msg)
{
	struct virtio_blk *b = calloc(1, sizeof(*b));
	struct evloop loop;
	struct vm vm;
	char err[512] = "";

	assert_non_null(b);
	assert_int_equal(vm_init(&vm, "blk-err"), 0);
	evloop_init(&loop);
	assert_int_equal(virtio_blk_init(b, &vm, (struct irq_line){ 0 }, &loop, path, readonly, err,
					 sizeof(err)), want);
	print_message("  %s -> %s\n", path, err);
	assert_non_null(strstr(err, msg));
	assert_int_equal(loop.nr_sources, 0);
	virtio_blk_destroy(b);	/* safe after a failed init, twice */
	virtio_blk_destroy(b);
	vm_destroy(&vm);
	free(b);
}

static void test_init_errors(void **state)
{
	char path[256], msg[128];
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/machina-no-such-image.img", tmpdir());
	expect_init_error(path, false, -ENOENT, "No such file or directory");
	expect_init_error(path, false, -ENOENT, path);
	expect_init_error(tmpdir(), false, -EINVAL, "not a regular file or block device");
	expect_init_error("/dev/null", true, -EINVAL, "not a regular file or block device");

	/* 1000 bytes */
	snprintf(path, sizeof(path), "%s/mblk-XXXXXX", tmpdir());
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 1000), 0);
	expect_init_error(path, false, -EINVAL, "image size 1000 is not a multiple of 512 bytes");
	expect_init_error(path, true, -EINVAL, "image size 1000 is not a multiple of 512 bytes");
	close(fd);
	unlink(path);

	/* not writable: the message suggests ,readonly. As root, permission bits
	 * do not stop open(2); the immutable attribute does, where settable. */
	fd = make_image(path, sizeof(path), tmpdir(), 4096);
	assert_true(fd >= 0);
	int attr = FS_IMMUTABLE_FL;
	bool immutable = false;

	if (geteuid() != 0) {
		assert_int_equal(fchmod(fd, 0444), 0);
	} else if (ioctl(fd, FS_IOC_SETFLAGS, &attr) == 0) {
		immutable = true;
	}
	if (geteuid() != 0 || immutable) {
		snprintf(msg, sizeof(msg), "read-write");
		expect_init_error(path, false, geteuid() != 0 ? -EACCES : -EPERM, ",readonly");
		expect_init_error(path, false, geteuid() != 0 ? -EACCES : -EPERM, msg);
	} else {
		print_message("  (running as root without FS_IOC_SETFLAGS: read-write refusal not tested)\n");
	}
	/* read-only opens it */
	{
		struct virtio_blk *b = calloc(1, sizeof(*b));
		struct evloop loop;
		struct vm vm;
		char err[256];

		assert_int_equal(vm_init(&vm, "blk-ro"), 0);
		evloop_init(&loop);
		assert_int_equal(virtio_blk_init(b, &vm, (struct irq_line){ 0 }, &loop, path, true, err,
						 sizeof(err)), 0);
		assert_int_equal(b->capacity, 8);
		virtio_blk_destroy(b);
		vm_destroy(&vm);
		free(b);
	}
	if (immutable) {
		attr = 0;
		assert_int_equal(ioctl(fd, FS_IOC_SETFLAGS, &attr), 0);
	}
	close(fd);
	unlink(path);
}

/* one writer or many readers per image */
static void test_image_locking(void **state)
{
	struct virtio_blk *b[3];
	struct evloop loop;
	struct vm vm;
	char path[256], err[256];
	int fd;

	(void)state;
	fd = make_image(path, sizeof(path), tmpdir(), 8192);
	assert_true(fd >= 0);
	assert_int_equal(vm_init(&vm, "blk-lock"), 0);
	evloop_init(&loop);
	for (int i = 0; i < 3; i++)
		assert_non_null(b[i] = calloc(1, sizeof(*b[i])));

	assert_int_equal(virtio_blk_init(b[0], &vm, (struct irq_line){ 0 }, &loop, path, false, err,
					 sizeof(err)), 0);
	assert_int_equal(virtio_blk_init(b[1], &vm, (struct irq_line){ 0 }, &loop, path, false, err,
					 sizeof(err)), -EBUSY);
	assert_non_null(strstr(err, "in use"));
	assert_int_equal(virtio_blk_init(b[1], &vm, (struct irq_line){ 0 }, &loop, path, true, err,
					 sizeof(err)), -EBUSY);
	virtio_blk_destroy(b[1]);
	virtio_blk_destroy(b[0]);
	/* readers share */
	assert_int_equal(virtio_blk_init(b[1], &vm, (struct irq_line){ 0 }, &loop, path, true, err,
					 sizeof(err)), 0);
	assert_int_equal(virtio_blk_init(b[2], &vm, (struct irq_line){ 0 }, &loop, path, true, err,
					 sizeof(err)), 0);
	assert_int_equal(virtio_blk_init(b[0], &vm, (struct irq_line){ 0 }, &loop, path, false, err,
					 sizeof(err)), -EBUSY);
	virtio_blk_destroy(b[0]);
	/* the event loop only ever polls live devices: destroyed ones stay quiet */
	virtio_blk_destroy(b[1]);
	evloop_poll(&loop, 0);
	virtio_blk_destroy(b[2]);
	evloop_poll(&loop, 0);
	for (int i = 0; i < 3; i++)
		free(b[i]);
	vm_destroy(&vm);
	close(fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity_and_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_odd_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_and_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writethrough_without_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_discard_write_zeroes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_status_needs_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_indirect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_nowait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_now, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_in_flight, setup, teardown),
		cmocka_unit_test_setup_teardown(test_in_flight_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_in_flight, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly, setup_ro, teardown),
		cmocka_unit_test(test_features_follow_fs),
		cmocka_unit_test(test_init_errors),
		cmocka_unit_test(test_image_locking),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
