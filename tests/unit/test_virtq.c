/* test_virtq.c - hostile-guest tests of the split virtqueue code
 * (src/dev/virtio/virtio_ring.c) and the virtio-mmio transport
 * (virtio_mmio.c), without a CPU. A tiny test device (its own virtio_dev_ops,
 * whose queue_notify pops and records requests) sits behind the MMIO
 * transport in a VM with 1 MiB of RAM at 0x8000_0000. The tests play the
 * driver: they negotiate and set up queues through the MMIO registers with
 * as_read/as_write and write descriptors and avail entries into guest RAM by
 * hand, then check the outcome: a clean request, or NEEDS_RESET set through
 * virtio_dev_error - never a crash, never an access outside guest RAM.
 *
 * Outside RAM: setup moves the RAM mapping between two PROT_NONE guard
 * pages, so a stray access just outside it faults; every iovec the device
 * gets is also checked to lie inside RAM.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "core/vm.h"
#include "dev/virtio/virtio.h"
#include "dev/virtio/virtio_mmio.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x100000ull		/* 1 MiB */
#define RAM_END (RAM_BASE + RAM_SIZE)
#define MMIO_BASE 0x10001000ull
#define MMIO_SIZE 0x1000ull
#define PAGE 4096ull

/* where the tests put queue 0 and their buffers */
#define DESC (RAM_BASE + 0x1000)
#define AVAIL (RAM_BASE + 0x3000)
#define USED (RAM_BASE + 0x4000)
#define DESC1 (RAM_BASE + 0x8000)	/* queue 1 */
#define AVAIL1 (RAM_BASE + 0xa000)
#define USED1 (RAM_BASE + 0xb000)
#define TABLE (RAM_BASE + 0x20000)	/* indirect tables */
#define BUF (RAM_BASE + 0x40000)	/* data buffers */

/* virtio-mmio registers (virtio 1.2 section 4.2.2) */
enum {
	MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, VENDOR_ID = 0x00c,
	DEVICE_FEATURES = 0x010, DEVICE_FEATURES_SEL = 0x014,
	DRIVER_FEATURES = 0x020, DRIVER_FEATURES_SEL = 0x024,
	QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034, QUEUE_NUM = 0x038,
	QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050,
	INTERRUPT_STATUS = 0x060, INTERRUPT_ACK = 0x064, STATUS = 0x070,
	QUEUE_DESC_LOW = 0x080, QUEUE_DESC_HIGH = 0x084,
	QUEUE_DRIVER_LOW = 0x090, QUEUE_DRIVER_HIGH = 0x094,
	QUEUE_DEVICE_LOW = 0x0a0, QUEUE_DEVICE_HIGH = 0x0a4,
	CONFIG_GENERATION = 0x0fc, CONFIG = 0x100,
};

#define S_ACK VIRTIO_STATUS_ACKNOWLEDGE
#define S_DRV VIRTIO_STATUS_DRIVER
#define S_FOK VIRTIO_STATUS_FEATURES_OK
#define S_DOK VIRTIO_STATUS_DRIVER_OK
#define S_LIVE (S_ACK | S_DRV | S_FOK | S_DOK)

#define F(bit) (1ull << (bit))
#define F_V1 F(VIRTIO_F_VERSION_1)
#define F_INDIRECT F(VIRTIO_F_RING_INDIRECT_DESC)
#define F_EVENT_IDX F(VIRTIO_F_RING_EVENT_IDX)

/* the test device: two queues of at most 256, 8 bytes of config space,
 * device features 0 and 5 offered (3 is not) */
#define TDEV_ID 0x2a
#define TDEV_QMAX 256
#define TDEV_F_A 0
#define TDEV_F_B 5
#define TDEV_F_NOT_OFFERED 3
#define TDEV_CONFIG_SIZE 8
#define MAX_RECORD 512

#define R 0			/* device-readable descriptor */
#define W VIRTQ_DESC_F_WRITE
#define N VIRTQ_DESC_F_NEXT
#define I VIRTQ_DESC_F_INDIRECT

struct rec {
	uint16_t head;
	unsigned out_num, in_num;
	uint64_t out_len, in_len;
};

struct fix {
	struct vm vm;
	struct virtio_dev vdev;
	struct virtio_mmio mmio;
	struct virtq_elem elem;
	void *guard_lo, *guard_hi;
	/* fake interrupt line */
	int irq_level;
	unsigned irq_calls, irq_raises;
	/* what the test device saw */
	unsigned notifies, resets, config_writes;
	unsigned nreq, errors;
	struct rec req[MAX_RECORD];
	bool auto_push;		/* push every popped request (writing its in buffers) */
	uint8_t config[TDEV_CONFIG_SIZE];
	/* driver side */
	uint16_t num;		/* size of queue 0 */
	uint16_t avail_idx;	/* next avail index of queue 0 */
};

/* ---- the test device ---------------------------------------------------- */

static void check_in_ram(struct fix *f, const struct virtq_elem *e)
{
	const uint8_t *lo = f->vm.ram, *hi = f->vm.ram + RAM_SIZE;

	assert_true(e->out_num + e->in_num <= VIRTQ_MAX_IOV);
	for (unsigned i = 0; i < e->out_num + e->in_num; i++) {
		const uint8_t *p = e->iov[i].iov_base;

		assert_true(p >= lo && p < hi);
		assert_true(e->iov[i].iov_len <= (size_t)(hi - p));
	}
}

static void tdev_notify(struct virtio_dev *vdev, unsigned q)
{
	struct fix *f = vdev->opaque;
	bool pushed = false;

	f->notifies++;
	/* a queue's worth of requests per notification, as real devices do */
	for (unsigned k = 0; k < vdev->vq[q].num; k++) {
		int ret = virtq_pop(vdev, q, &f->elem);

		if (ret < 0)
			f->errors++;
		if (ret <= 0)
			break;
		check_in_ram(f, &f->elem);
		if (f->nreq < MAX_RECORD)
			f->req[f->nreq] = (struct rec){ f->elem.head, f->elem.out_num, f->elem.in_num,
							f->elem.out_len, f->elem.in_len };
		f->nreq++;
		if (f->auto_push) {
			uint32_t len = (uint32_t)f->elem.in_len;

			for (unsigned i = f->elem.out_num; i < f->elem.out_num + f->elem.in_num; i++)
				memset(f->elem.iov[i].iov_base, 0xab, f->elem.iov[i].iov_len);
			virtq_push(vdev, q, &f->elem, len);
			pushed = true;
		}
	}
	if (pushed)
		virtq_notify(vdev, q);
}

static void tdev_read_config(struct virtio_dev *vdev, uint32_t off, void *buf, uint32_t len)
{
	struct fix *f = vdev->opaque;

	assert_true(off < TDEV_CONFIG_SIZE && len <= TDEV_CONFIG_SIZE - off);
	memcpy(buf, f->config + off, len);
}

static void tdev_write_config(struct virtio_dev *vdev, uint32_t off, const void *buf, uint32_t len)
{
	struct fix *f = vdev->opaque;

	assert_true(off < TDEV_CONFIG_SIZE && len <= TDEV_CONFIG_SIZE - off);
	memcpy(f->config + off, buf, len);
	f->config_writes++;
}

static void tdev_reset(struct virtio_dev *vdev)
{
	struct fix *f = vdev->opaque;

	f->resets++;
}

static const struct virtio_dev_ops tdev_ops = {
	.name = "virtq-test",
	.device_id = TDEV_ID,
	.features = F(TDEV_F_A) | F(TDEV_F_B),
	.num_queues = 2,
	.queue_max = TDEV_QMAX,
	.read_config = tdev_read_config,
	.write_config = tdev_write_config,
	.config_size = TDEV_CONFIG_SIZE,
	.queue_notify = tdev_notify,
	.reset = tdev_reset,
};

static void rec_irq(void *opaque, int n, int level)
{
	struct fix *f = opaque;

	assert_int_equal(n, 7);
	assert_true(level == 0 || level == 1);
	if (level && !f->irq_level)
		f->irq_raises++;
	f->irq_level = level;
	f->irq_calls++;
}

/* ---- fixture ------------------------------------------------------------- */

/* Move the VM's RAM between two PROT_NONE pages, so that any access just
 * outside it faults (the address space keeps the host pointer of its RAM
 * region, which is updated too). */
static int guard_ram(struct fix *f)
{
	uint8_t *res = mmap(NULL, RAM_SIZE + 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *moved;

	if (res == MAP_FAILED)
		return -1;
	moved = mremap(f->vm.ram, RAM_SIZE, RAM_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, res + PAGE);
	if (moved == MAP_FAILED) {
		munmap(res, RAM_SIZE + 2 * PAGE);
		return -1;
	}
	for (int i = 0; i < f->vm.as.nr_regions; i++)
		if (f->vm.as.regions[i].kind == AS_RAM && f->vm.as.regions[i].host == f->vm.ram)
			f->vm.as.regions[i].host = moved;
	f->vm.ram = moved;
	f->guard_lo = res;
	f->guard_hi = res + PAGE + RAM_SIZE;
	return 0;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f || vm_init(&f->vm, "virtq-test") || vm_alloc_ram(&f->vm, RAM_BASE, RAM_SIZE) ||
	    guard_ram(f))
		return -1;
	virtio_dev_init(&f->vdev, &tdev_ops, f, &f->vm, (struct irq_line){ rec_irq, f, 7 });
	virtio_mmio_init(&f->mmio, &f->vdev);
	if (as_add_mmio(&f->vm.as, MMIO_BASE, MMIO_SIZE, &virtio_mmio_ops, &f->mmio, "virtio"))
		return -1;
	f->vm.log_level = LOG_ERROR;	/* the expected device errors are warnings */
	memcpy(f->config, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	if (f->guard_lo)
		munmap(f->guard_lo, PAGE);
	if (f->guard_hi)
		munmap(f->guard_hi, PAGE);
	vm_destroy(&f->vm);
	free(f);
	return 0;
}

/* ---- the driver side ------------------------------------------------------ */

static uint32_t mr(struct fix *f, uint64_t off)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(as_read(&f->vm.as, MMIO_BASE + off, 4, &v), 0);
	return (uint32_t)v;
}

static void mw(struct fix *f, uint64_t off, uint32_t v)
{
	assert_int_equal(as_write(&f->vm.as, MMIO_BASE + off, 4, v), 0);
}

static uint8_t *gp(struct fix *f, gpa_t gpa)
{
	assert_true(gpa >= RAM_BASE && gpa < RAM_END);
	return f->vm.ram + (gpa - RAM_BASE);
}

static void put16(struct fix *f, gpa_t gpa, uint16_t v) { memcpy(gp(f, gpa), &v, 2); }
static uint16_t get16(struct fix *f, gpa_t gpa) { uint16_t v; memcpy(&v, gp(f, gpa), 2); return v; }
static uint32_t get32(struct fix *f, gpa_t gpa) { uint32_t v; memcpy(&v, gp(f, gpa), 4); return v; }

static bool needs_reset(struct fix *f)
{
	return mr(f, STATUS) & VIRTIO_STATUS_NEEDS_RESET;
}

static uint64_t device_features(struct fix *f)
{
	mw(f, DEVICE_FEATURES_SEL, 0);
	uint64_t lo = mr(f, DEVICE_FEATURES);

	mw(f, DEVICE_FEATURES_SEL, 1);
	return lo | (uint64_t)mr(f, DEVICE_FEATURES) << 32;
}

/* reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK; returns whether
 * FEATURES_OK stuck (section 3.1.1) */
static bool negotiate(struct fix *f, uint64_t features)
{
	mw(f, STATUS, 0);
	mw(f, STATUS, S_ACK);
	mw(f, STATUS, S_ACK | S_DRV);
	mw(f, DRIVER_FEATURES_SEL, 0);
	mw(f, DRIVER_FEATURES, (uint32_t)features);
	mw(f, DRIVER_FEATURES_SEL, 1);
	mw(f, DRIVER_FEATURES, (uint32_t)(features >> 32));
	mw(f, STATUS, S_ACK | S_DRV | S_FOK);
	return mr(f, STATUS) & S_FOK;
}

static void queue_config(struct fix *f, unsigned q, uint32_t num, gpa_t desc, gpa_t avail,
			 gpa_t used)
{
	mw(f, QUEUE_SEL, q);
	mw(f, QUEUE_NUM, num);
	mw(f, QUEUE_DESC_LOW, (uint32_t)desc);
	mw(f, QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
	mw(f, QUEUE_DRIVER_LOW, (uint32_t)avail);
	mw(f, QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
	mw(f, QUEUE_DEVICE_LOW, (uint32_t)used);
	mw(f, QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
}

/* configure and enable queue q; returns QueueReady as read back */
static uint32_t queue_setup(struct fix *f, unsigned q, uint32_t num, gpa_t desc, gpa_t avail,
			    gpa_t used)
{
	queue_config(f, q, num, desc, avail, used);
	mw(f, QUEUE_READY, 1);
	return mr(f, QUEUE_READY);
}

/* a live device with queue 0 of size num at DESC/AVAIL/USED */
static void start(struct fix *f, uint64_t features, uint16_t num)
{
	memset(gp(f, DESC), 0, AVAIL - DESC);
	memset(gp(f, AVAIL), 0, 0x1000);
	memset(gp(f, USED), 0, 0x1000);
	assert_true(negotiate(f, features));
	assert_int_equal(queue_setup(f, 0, num, DESC, AVAIL, USED), 1);
	mw(f, STATUS, S_LIVE);
	assert_int_equal(mr(f, STATUS), S_LIVE);
	f->num = num;
	f->avail_idx = 0;
	f->nreq = f->errors = f->notifies = 0;
}

static void desc_at(struct fix *f, gpa_t table, unsigned i, uint64_t addr, uint32_t len,
		    uint16_t flags, uint16_t next)
{
	uint8_t *p = gp(f, table + 16ull * i);

	memcpy(p, &addr, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
}

static void desc(struct fix *f, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
		 uint16_t next)
{
	desc_at(f, DESC, i, addr, len, flags, next);
}

/* make head available in queue 0 (ring entry, then index) */
static void avail(struct fix *f, uint16_t head)
{
	put16(f, AVAIL + 4 + 2ull * (f->avail_idx % f->num), head);
	f->avail_idx++;
	put16(f, AVAIL + 2, f->avail_idx);
}

static void kick(struct fix *f, unsigned q)
{
	mw(f, QUEUE_NOTIFY, q);
}

static uint16_t used_idx(struct fix *f) { return get16(f, USED + 2); }
static uint32_t used_id(struct fix *f, unsigned i) { return get32(f, USED + 4 + 8ull * (i % f->num)); }
static uint32_t used_len(struct fix *f, unsigned i) { return get32(f, USED + 8 + 8ull * (i % f->num)); }

/* post one chain at head and notify: returns the request count the device
 * saw; *err is whether it saw a malformed ring */
static void post_and_kick(struct fix *f, uint16_t head)
{
	avail(f, head);
	kick(f, 0);
}

/* the device refused the ring: NEEDS_RESET, a config interrupt, no request */
static void assert_broken(struct fix *f)
{
	assert_true(needs_reset(f));
	assert_int_equal(f->nreq, 0);
	assert_true(mr(f, INTERRUPT_STATUS) & VIRTIO_ISR_CONFIG);
	assert_int_equal(f->irq_level, 1);
	/* and stays quiet: later notifications do nothing */
	unsigned n = f->notifies;

	kick(f, 0);
	assert_int_equal(f->notifies, n);
}

/* ==== transport and negotiation ============================================ */

static void test_identity_registers(void **state)
{
	struct fix *f = *state;

	assert_int_equal(mr(f, MAGIC), 0x74726976);
	assert_int_equal(mr(f, VERSION), 2);
	assert_int_equal(mr(f, DEVICE_ID), TDEV_ID);
	assert_int_equal(mr(f, VENDOR_ID), 0x554d4551);
	assert_int_equal(mr(f, STATUS), 0);
	/* registers are 32-bit only: narrower accesses read as zero */
	uint64_t v = 1;

	assert_int_equal(as_read(&f->vm.as, MMIO_BASE + MAGIC, 2, &v), 0);
	assert_int_equal(v, 0);
	/* unknown registers and the rest of the window read as zero */
	assert_int_equal(mr(f, 0x0fc - 4), 0);
	assert_int_equal(mr(f, 0xffc), 0);
}

static void test_features_offered(void **state)
{
	struct fix *f = *state;
	uint64_t feat = device_features(f);

	assert_int_equal(feat, F(TDEV_F_A) | F(TDEV_F_B) | F_V1 | F_INDIRECT | F_EVENT_IDX);
	/* feature words beyond 1 read as zero */
	mw(f, DEVICE_FEATURES_SEL, 2);
	assert_int_equal(mr(f, DEVICE_FEATURES), 0);
	mw(f, DEVICE_FEATURES_SEL, 0xffffffff);
	assert_int_equal(mr(f, DEVICE_FEATURES), 0);
}

static void test_features_ok_subset_accepted(void **state)
{
	struct fix *f = *state;

	assert_true(negotiate(f, F_V1));
	assert_true(virtio_has_feature(&f->vdev, VIRTIO_F_VERSION_1));
	assert_true(negotiate(f, F_V1 | F(TDEV_F_B) | F_EVENT_IDX));
	assert_true(virtio_has_feature(&f->vdev, TDEV_F_B));
	assert_false(virtio_has_feature(&f->vdev, TDEV_F_A));
}

static void test_features_ok_refused_unoffered(void **state)
{
	struct fix *f = *state;

	assert_false(negotiate(f, F_V1 | F(TDEV_F_NOT_OFFERED)));
	assert_false(negotiate(f, F_V1 | F(63)));
	assert_false(negotiate(f, ~0ull));
	/* section 3.1.1: the driver sees FEATURES_OK missing and gives up; a
	 * corrected feature set is accepted after reset */
	assert_true(negotiate(f, F_V1 | F(TDEV_F_A)));
}

static void test_features_ok_refused_without_version_1(void **state)
{
	struct fix *f = *state;

	assert_false(negotiate(f, 0));
	assert_false(negotiate(f, F(TDEV_F_A) | F_INDIRECT));
}

static void test_driver_features_frozen_after_features_ok(void **state)
{
	struct fix *f = *state;

	assert_true(negotiate(f, F_V1));
	mw(f, DRIVER_FEATURES_SEL, 0);
	mw(f, DRIVER_FEATURES, F(TDEV_F_NOT_OFFERED) | F_INDIRECT);
	mw(f, DRIVER_FEATURES_SEL, 1);
	mw(f, DRIVER_FEATURES, 0);
	assert_true(virtio_has_feature(&f->vdev, VIRTIO_F_VERSION_1));
	assert_false(virtio_has_feature(&f->vdev, TDEV_F_NOT_OFFERED));
	assert_false(virtio_has_feature(&f->vdev, VIRTIO_F_RING_INDIRECT_DESC));
	/* selector beyond the two words: ignored */
	mw(f, STATUS, 0);
	mw(f, DRIVER_FEATURES_SEL, 5);
	mw(f, DRIVER_FEATURES, 0xffffffff);
	assert_int_equal(f->vdev.driver_features, 0);
}

/* A driver that writes unoffered feature bits (or omits VERSION_1) and sets
 * DRIVER_OK without ever setting FEATURES_OK must not get a live device with
 * unvalidated features. */
static void test_driver_ok_without_features_ok(void **state)
{
	struct fix *f = *state;

	mw(f, STATUS, S_ACK | S_DRV);
	mw(f, DRIVER_FEATURES_SEL, 0);
	mw(f, DRIVER_FEATURES, F(TDEV_F_NOT_OFFERED));
	mw(f, DRIVER_FEATURES_SEL, 1);
	mw(f, DRIVER_FEATURES, F_V1 >> 32);
	mw(f, STATUS, S_ACK | S_DRV | S_DOK);
	assert_false(virtio_dev_ok(&f->vdev) &&
		     virtio_has_feature(&f->vdev, TDEV_F_NOT_OFFERED));
}

static void test_status_needs_reset_owned_by_device(void **state)
{
	struct fix *f = *state;

	/* the driver cannot set NEEDS_RESET */
	mw(f, STATUS, S_ACK | VIRTIO_STATUS_NEEDS_RESET);
	assert_int_equal(mr(f, STATUS), S_ACK);
	/* nor clear it once the device set it */
	start(f, F_V1, 8);
	desc(f, 0, BUF, 16, R, 0);
	post_and_kick(f, 8);	/* head out of range */
	assert_true(needs_reset(f));
	mw(f, STATUS, S_LIVE);
	assert_true(needs_reset(f));
	assert_false(virtio_dev_ok(&f->vdev));
	/* only a reset does */
	mw(f, STATUS, 0);
	assert_int_equal(mr(f, STATUS), 0);
}

static void test_config_space_bounds(void **state)
{
	struct fix *f = *state;
	uint64_t v;

	assert_int_equal(mr(f, CONFIG), 0x44332211);
	assert_int_equal(mr(f, CONFIG + 4), 0x88776655);
	assert_int_equal(as_read(&f->vm.as, MMIO_BASE + CONFIG + 7, 1, &v), 0);
	assert_int_equal(v, 0x88);
	assert_int_equal(as_read(&f->vm.as, MMIO_BASE + CONFIG + 2, 2, &v), 0);
	assert_int_equal(v, 0x4433);
	assert_int_equal(as_read(&f->vm.as, MMIO_BASE + CONFIG, 8, &v), 0);
	assert_int_equal(v, 0x8877665544332211ull);
	/* out of range: reads as zero, the device callback is not asked */
	assert_int_equal(mr(f, CONFIG + 8), 0);
	assert_int_equal(mr(f, CONFIG + 6), 0);	/* straddles the end */
	assert_int_equal(as_read(&f->vm.as, MMIO_BASE + CONFIG + 8, 1, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(mr(f, 0xffc), 0);
	/* writes likewise: in range reach the device, beyond are dropped */
	mw(f, CONFIG + 4, 0x01020304);
	assert_int_equal(f->config_writes, 1);
	assert_int_equal(mr(f, CONFIG + 4), 0x01020304);
	mw(f, CONFIG + 6, 0xffffffff);
	mw(f, CONFIG + 8, 0xffffffff);
	mw(f, 0xffc, 0xffffffff);
	assert_int_equal(f->config_writes, 1);
	assert_int_equal(mr(f, CONFIG + 4), 0x01020304);
}

static void test_queue_num_max_and_absent_queues(void **state)
{
	struct fix *f = *state;

	mw(f, QUEUE_SEL, 0);
	assert_int_equal(mr(f, QUEUE_NUM_MAX), TDEV_QMAX);
	mw(f, QUEUE_SEL, 1);
	assert_int_equal(mr(f, QUEUE_NUM_MAX), TDEV_QMAX);
	/* absent queues: max 0, configuration ignored, cannot be enabled */
	for (uint32_t q = 2; q != 0; q = q < 8 ? q + 1 : (q == 8 ? 0xffffffff : 0)) {
		assert_true(negotiate(f, F_V1));
		assert_int_equal(queue_setup(f, q, 8, DESC, AVAIL, USED), 0);
		assert_int_equal(mr(f, QUEUE_NUM_MAX), 0);
		assert_int_equal(mr(f, QUEUE_DESC_LOW), 0);
		assert_false(needs_reset(f));
		mw(f, STATUS, S_LIVE);
		kick(f, q);
		assert_int_equal(f->notifies, 0);
	}
}

static void check_bad_size(struct fix *f, uint32_t num)
{
	assert_true(negotiate(f, F_V1));
	assert_int_equal(queue_setup(f, 0, num, DESC, AVAIL, USED), 0);
	assert_true(needs_reset(f));
	assert_false(f->vdev.vq[0].ready);
}

static void test_queue_size_zero(void **state) { check_bad_size(*state, 0); }
static void test_queue_size_not_power_of_two(void **state)
{
	check_bad_size(*state, 3);
	check_bad_size(*state, 255);
	check_bad_size(*state, 0x8000 | 1);
}
static void test_queue_size_above_max(void **state)
{
	check_bad_size(*state, TDEV_QMAX * 2);
	check_bad_size(*state, 0x8000);
	check_bad_size(*state, 0x10000);	/* does not fit the 16-bit size */
	check_bad_size(*state, 0x10100);	/* would truncate to 256 */
	check_bad_size(*state, 0xffffffff);
}

static void test_queue_sizes_accepted(void **state)
{
	struct fix *f = *state;

	for (uint32_t num = 1; num <= TDEV_QMAX; num *= 2) {
		assert_true(negotiate(f, F_V1));
		assert_int_equal(queue_setup(f, 0, num, DESC, AVAIL, USED), 1);
		assert_false(needs_reset(f));
	}
}

static void check_bad_rings(struct fix *f, gpa_t d, gpa_t a, gpa_t u, uint32_t num)
{
	assert_true(negotiate(f, F_V1));
	assert_int_equal(queue_setup(f, 0, num, d, a, u), 0);
	assert_true(needs_reset(f));
	assert_false(f->vdev.vq[0].ready);
}

static void test_rings_outside_ram(void **state)
{
	struct fix *f = *state;

	check_bad_rings(f, 0, AVAIL, USED, 8);
	check_bad_rings(f, DESC, 0, USED, 8);
	check_bad_rings(f, DESC, AVAIL, 0, 8);
	/* in the device's own MMIO window */
	check_bad_rings(f, MMIO_BASE, AVAIL, USED, 8);
	/* high address bits */
	check_bad_rings(f, DESC | (1ull << 40), AVAIL, USED, 8);
	check_bad_rings(f, DESC, AVAIL, USED | (1ull << 63), 8);
	/* straddling the end of RAM: 16 * 8 descriptors, 6 + 2 * 8 avail
	 * bytes, 6 + 8 * 8 used bytes */
	check_bad_rings(f, RAM_END - 16 * 8 + 16, AVAIL, USED, 8);
	check_bad_rings(f, DESC, RAM_END - (6 + 2 * 8) + 2, USED, 8);
	check_bad_rings(f, DESC, AVAIL, RAM_END - (6 + 8 * 8) + 4, 8);
	/* near 2^64: the range wraps */
	check_bad_rings(f, 0xfffffffffffffff0ull, AVAIL, USED, 8);
	/* just below RAM */
	check_bad_rings(f, RAM_BASE - 16, AVAIL, USED, 8);
	/* ending exactly at the end of RAM: accepted */
	assert_true(negotiate(f, F_V1));
	assert_int_equal(queue_setup(f, 0, 8, RAM_END - 16 * 8, AVAIL, USED), 1);
	assert_false(needs_reset(f));
	assert_true(negotiate(f, F_V1));
	assert_int_equal(queue_setup(f, 0, 8, DESC, RAM_END - (6 + 2 * 8), USED), 1);
	assert_false(needs_reset(f));
}

/* Section 2.7 alignment: descriptor table 16-byte, available ring 2-byte and
 * used ring 4-byte aligned; the ring code does naturally aligned atomic
 * accesses, so misaligned rings are refused at QueueReady (NEEDS_RESET). */
static void test_misaligned_rings_refused(void **state)
{
	struct fix *f = *state;

	assert_true(negotiate(f, F_V1));
	assert_int_equal(queue_setup(f, 0, 8, DESC + 1, AVAIL + 1, USED + 1), 0);
	assert_true(needs_reset(f));
}

static void test_queue_config_ignored_while_ready(void **state)
{
	struct fix *f = *state;

	start(f, F_V1, 8);
	mw(f, QUEUE_SEL, 0);
	mw(f, QUEUE_NUM, 256);
	mw(f, QUEUE_DESC_LOW, 0);
	mw(f, QUEUE_DESC_HIGH, 0xffffffff);
	mw(f, QUEUE_DRIVER_LOW, 0x10);
	mw(f, QUEUE_DEVICE_LOW, 0x20);
	mw(f, QUEUE_DEVICE_HIGH, 1);
	assert_int_equal(f->vdev.vq[0].num, 8);
	assert_int_equal(mr(f, QUEUE_DESC_LOW), (uint32_t)DESC);
	assert_int_equal(mr(f, QUEUE_DESC_HIGH), 0);
	assert_int_equal(mr(f, QUEUE_DRIVER_LOW), (uint32_t)AVAIL);
	assert_int_equal(mr(f, QUEUE_DEVICE_LOW), (uint32_t)USED);
	assert_int_equal(mr(f, QUEUE_DEVICE_HIGH), 0);
	/* writing QueueReady = 1 again changes nothing either */
	mw(f, QUEUE_READY, 1);
	assert_int_equal(mr(f, QUEUE_READY), 1);
	/* the queue still works */
	desc(f, 0, BUF, 16, W, 0);
	post_and_kick(f, 0);
	assert_int_equal(f->nreq, 1);
	assert_false(needs_reset(f));
	/* once disabled, it can be reconfigured */
	mw(f, QUEUE_READY, 0);
	mw(f, QUEUE_NUM, 16);
	assert_int_equal(f->vdev.vq[0].num, 16);
	kick(f, 0);
	assert_int_equal(f->notifies, 1);
}

static void test_reset_clears_queues(void **state)
{
	struct fix *f = *state;

	start(f, F_V1 | F_EVENT_IDX, 8);
	assert_int_equal(queue_setup(f, 1, 16, DESC1, AVAIL1, USED1), 1);
	f->auto_push = true;
	desc(f, 0, BUF, 16, W, 0);
	post_and_kick(f, 0);
	assert_int_equal(f->irq_level, 1);
	f->resets = 0;
	mw(f, STATUS, 0);
	assert_int_equal(f->resets, 1);
	assert_int_equal(mr(f, STATUS), 0);
	assert_int_equal(mr(f, INTERRUPT_STATUS), 0);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(f->vdev.driver_features, 0);
	for (unsigned q = 0; q < 2; q++) {
		mw(f, QUEUE_SEL, q);
		assert_int_equal(mr(f, QUEUE_READY), 0);
		assert_int_equal(mr(f, QUEUE_NUM_MAX), TDEV_QMAX);
		assert_int_equal(mr(f, QUEUE_DESC_LOW), 0);
		assert_int_equal(mr(f, QUEUE_DRIVER_LOW), 0);
		assert_int_equal(mr(f, QUEUE_DEVICE_LOW), 0);
		assert_int_equal(f->vdev.vq[q].num, 0);
		assert_int_equal(f->vdev.vq[q].last_avail, 0);
		assert_int_equal(f->vdev.vq[q].used_idx, 0);
	}
	/* a reset device does not run requests */
	kick(f, 0);
	assert_int_equal(f->notifies, 1);
	/* and starts over cleanly */
	start(f, F_V1, 8);
	desc(f, 0, BUF, 16, W, 0);
	post_and_kick(f, 0);
	assert_int_equal(f->nreq, 1);
	assert_int_equal(used_idx(f), 1);
}

static void test_notify_before_driver_ok_ignored(void **state)
{
	struct fix *f = *state;

	memset(gp(f, AVAIL), 0, 0x1000);
	assert_true(negotiate(f, F_V1));
	assert_int_equal(queue_setup(f, 0, 8, DESC, AVAIL, USED), 1);
	f->num = 8;
	desc(f, 0, BUF, 16, W, 0);
	post_and_kick(f, 0);
	assert_int_equal(f->notifies, 0);
	/* also not poppable directly */
	assert_int_equal(virtq_pop(&f->vdev, 0, &f->elem), 0);
	assert_false(virtq_has_request(&f->vdev, 0));
	/* DRIVER_OK: the request is there */
	mw(f, STATUS, S_LIVE);
	assert_true(virtq_has_request(&f->vdev, 0));
	kick(f, 0);
	assert_int_equal(f->notifies, 1);
	assert_int_equal(f->nreq, 1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_notify_flood_bounded(void **state)
{
	struct fix *f = *state;
	double t0;

	start(f, F_V1, 256);
	f->auto_push = true;
	t0 = now_s();
	for (unsigned i = 0; i < 100000; i++)
		kick(f, 0);
	assert_int_equal(f->notifies, 100000);
	assert_int_equal(f->nreq, 0);
	assert_int_equal(f->irq_raises, 0);	/* nothing completed, no interrupt */
	/* notifications for absent queues */
	for (unsigned i = 0; i < 100000; i++)
		kick(f, 2 + i % 1000);
	assert_int_equal(f->notifies, 100000);
	/* a full queue is served once; the next notifications find it empty */
	for (unsigned i = 0; i < 256; i++)
		desc(f, i, BUF + 16 * i, 16, W, 0);
	for (unsigned i = 0; i < 256; i++)
		avail(f, (uint16_t)i);
	for (unsigned i = 0; i < 100000; i++)
		kick(f, 0);
	assert_int_equal(f->nreq, 256);
	assert_int_equal(used_idx(f), 256);
	assert_true(now_s() - t0 < 2.0);
	assert_false(needs_reset(f));
}

/* ==== requests ================================================================ */

static void test_simple_request(void **state)
{
	struct fix *f = *state;

	start(f, F_V1, 8);
	f->auto_push = true;
	assert_int_equal(virtq_pop(&f->vdev, 0, &f->elem), 0);	/* empty */
	memcpy(gp(f, BUF), "hello", 5);
	desc(f, 3, BUF, 5, R | N, 6);
	desc(f, 6, BUF + 0x100, 100, W | N, 1);
	desc(f, 1, BUF + 0x200, 28, W, 0xffff);	/* next ignored without NEXT */
	post_and_kick(f, 3);
	assert_int_equal(f->errors, 0);
	assert_int_equal(f->nreq, 1);
	assert_int_equal(f->req[0].head, 3);
	assert_int_equal(f->req[0].out_num, 1);
	assert_int_equal(f->req[0].in_num, 2);
	assert_int_equal(f->req[0].out_len, 5);
	assert_int_equal(f->req[0].in_len, 128);
	assert_memory_equal(f->elem.iov[0].iov_base, "hello", 5);
	assert_ptr_equal(f->elem.iov[1].iov_base, gp(f, BUF + 0x100));
	/* used ring: id, len, index; the buffers were written */
	assert_int_equal(used_idx(f), 1);
	assert_int_equal(used_id(f, 0), 3);
	assert_int_equal(used_len(f, 0), 128);
	assert_int_equal(*gp(f, BUF + 0x200 + 27), 0xab);
	assert_int_equal(*gp(f, BUF + 0x200 + 28), 0);
	/* the queue interrupt */
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(mr(f, INTERRUPT_STATUS), VIRTIO_ISR_QUEUE);
	assert_false(needs_reset(f));
}

static void test_chain_of_queue_size(void **state)
{
	struct fix *f = *state;

	/* a chain may use every descriptor of the table exactly once */
	start(f, F_V1, 8);
	for (unsigned i = 0; i < 8; i++)
		desc(f, i, BUF + 16 * i, 16, (i < 7 ? N : 0) | (i >= 4 ? W : R), (uint16_t)(i + 1));
	post_and_kick(f, 0);
	assert_int_equal(f->errors, 0);
	assert_int_equal(f->nreq, 1);
	assert_int_equal(f->req[0].out_num, 4);
	assert_int_equal(f->req[0].in_num, 4);
}

static void test_descriptor_loop(void **state)
{
	struct fix *f = *state;

	start(f, F_V1, 8);
	desc(f, 0, BUF, 16, R | N, 1);
	desc(f, 1, BUF, 16, R | N, 0);
	post_and_kick(f, 0);
	assert_int_equal(f->errors, 1);
	assert_broken(f);
}

static void test_descriptor_self_loop(void **state)
{
	struct fix *f = *state;

	start(f, F_V1, 256);
	desc(f, 5, BUF, 16, W | N, 5);
	post_and_kick(f, 5);
	assert_broken(f);
}

static void test_chain_longer_than_queue(void **state)
{
	struct fix *f = *state;

	/* 0 -> 1 -> ... -> 7 -> 0: nine steps in a table of eight */
	start(f, F_V1, 8);
	for (unsigned i = 0; i < 8; i++)
		desc(f, i, BUF, 16, W | N, (uint16_t)((i + 1) % 8));
	post_and_kick(f, 0);
	assert_broken(f);
}

static void test_chain_zero_length_loop(void **state)
{
	struct fix *f = *state;

	/* zero-length descriptors add no buffer but still count as steps */
	start(f, F_V1, 8);
	desc(f, 0, 0, 0, N, 1);
	desc(f, 1, 0, 0, N, 0);
	post_and_kick(f, 0);
	assert_broken(f);
}

static void test_next_out_of_range(void **state)
{
	struct fix *f = *state;

	start(f, F_V1, 8);
	desc(f, 0, BUF, 16, R | N, 8);
	post_and_kick(f, 0);
	assert_broken(f);

	start(f, F_V1, 8);
	desc(f, 0, BUF, 16, R | N, 0xffff);
	post_and_kick(f, 0);
	assert_broken(f);
}

static void test_head_out_of_range(void **state)
{
	struct fix *f = *state;

	start(f, F_V1, 8);
	post_and_kick(f, 8);
	assert_broken(f);

	start(f, F_V1, 8);
	post_and_kick(f, 0xffff);
	assert_broken(f);
	/* virtq_pop itself reports it */
	start(f, F_V1, 8);
	avail(f, 100);
	assert_int_equal(virtq_pop(&f->vdev, 0, &f->elem), -EINVAL);
	assert_true(needs_reset(f));
	/* and a broken device pops nothing more */
	assert_int_equal(virtq_pop(&f->vdev, 0, &f->elem), 0);
}

static void test_avail_idx_jump(void **state)
{
	struct fix *f = *state;

	/* exactly a queue's worth is fine */
	start(f, F_V1, 8);
	for (unsigned i = 0; i < 8; i++) {
		desc(f, i, BUF + 16 * i, 16, W, 0);
		put16(f, AVAIL + 4 + 2 * i, (uint16_t)i);
	}
	put16(f, AVAIL + 2, 8);
	kick(f, 0);
	assert_int_equal(f->nreq, 8);
	assert_false(needs_reset(f));

	/* one more than the queue size */
	start(f, F_V1, 8);
	for (unsigned i = 0; i < 8; i++)
		desc(f, i, BUF + 16 * i, 16, W, 0);
	put16(f, AVAIL + 2, 9);
	kick(f, 0);
	assert_broken(f);

	/* going backwards is a jump by 0xffff */
	start(f, F_V1, 8);
	put16(f, AVAIL + 2, 0xffff);
	kick(f, 0);
	assert_broken(f);

	/* after some requests, a jump relative to the device's position */
	start(f, F_V1, 8);
	f->auto_push = true;
	desc(f, 0, BUF, 16, W, 0);
	for (unsigned i = 0; i < 5; i++)
		post_and_kick(f, 0);
	assert_int_equal(f->nreq, 5);
	put16(f, AVAIL + 2, 5 + 9);
	f->nreq = 0;
	kick(f, 0);
	assert_broken(f);
}

static void test_avail_idx_wraps(void **state)
{
	struct fix *f = *state;

	/* the 16-bit indices wrap: 70000 requests one at a time */
	start(f, F_V1, 4);
	f->auto_push = true;
	desc(f, 0, BUF, 16, W, 0);
	for (unsigned i = 0; i < 70000; i++) {
		post_and_kick(f, 0);
		assert_int_equal(used_idx(f), (uint16_t)(i + 1));
	}
	assert_int_equal(f->nreq, 70000);
	assert_int_equal(f->errors, 0);
	assert_false(needs_reset(f));
}

static void check_bad_buffer(struct fix *f, uint64_t addr, uint32_t len, uint16_t flags)
{
	start(f, F_V1, 8);
	desc(f, 0, BUF, 16, R | N, 1);
	desc(f, 1, addr, len, flags, 0);
	post_and_kick(f, 0);
	assert_int_equal(f->errors, 1);
	assert_broken(f);
}

static void test_buffer_outside_ram(void **state)
{
	struct fix *f = *state;

	check_bad_buffer(f, 0, 16, R);
	check_bad_buffer(f, 0x1000, 16, W);
	check_bad_buffer(f, RAM_END, 1, W);
	check_bad_buffer(f, RAM_BASE - 1, 1, R);
	check_bad_buffer(f, MMIO_BASE, 4, W);	/* device registers are not RAM */
	check_bad_buffer(f, MMIO_BASE + 0x70, 4, R);
	check_bad_buffer(f, BUF | (1ull << 32), 16, W);
}

static void test_buffer_straddles_ram_end(void **state)
{
	struct fix *f = *state;

	check_bad_buffer(f, RAM_END - 8, 16, W);
	check_bad_buffer(f, RAM_END - 1, 2, R);
	check_bad_buffer(f, RAM_BASE - 8, 16, R);	/* straddles the start */
	/* ending exactly at the end is fine */
	start(f, F_V1, 8);
	f->auto_push = true;
	desc(f, 0, RAM_END - 16, 16, W, 0);
	post_and_kick(f, 0);
	assert_int_equal(f->nreq, 1);
	assert_int_equal(f->errors, 0);
	assert_int_equal(*gp(f, RAM_END - 1), 0xab);
}

static void test_buffer_length_overflow(void **state)
{
	struct fix *f = *state;

	check_bad_buffer(f, 0xfffffffffffff000ull, 0x2000, W);
	check_bad_buffer(f, 0xffffffffffffffffull, 2, R);
	check_bad_buffer(f, 0xffffffff00000001ull, 0xffffffff, W);
	check_bad_buffer(f, RAM_BASE, 0xffffffff, W);
	check_bad_buffer(f, RAM_BASE, (uint32_t)RAM_SIZE + 1, R);
	check_bad_buffer(f, RAM_BASE + 0x1000, 0x80000000, W);
}

static void test_buffer_whole_ram(void **state)
{
	struct fix *f = *state;

	/* one buffer covering all of RAM (overlapping the rings) is valid */
	start(f, F_V1, 8);
	desc(f, 0, RAM_BASE, (uint32_t)RAM_SIZE, R, 0);
	post_and_kick(f, 0);
	assert_int_equal(f->nreq, 1);
	assert_int_equal(f->req[0].out_len, RAM_SIZE);
}

static void test_readable_after_writable(void **state)
{
	struct fix *f = *state;

	start(f, F_V1, 8);
	desc(f, 0, BUF, 16, R | N, 1);
	desc(f, 1, BUF + 16, 16, W | N, 2);
	desc(f, 2, BUF + 32, 16, R, 0);
	post_and_kick(f, 0);
	assert_broken(f);
}

static void test_zero_length_descriptors_skipped(void **state)
{
	struct fix *f = *state;

	/* a zero-length descriptor carries no buffer: its address is never
	 * used, whatever it is, and its direction does not count */
	start(f, F_V1, 8);
	desc(f, 0, 0xffffffffffffffffull, 0, W | N, 1);
	desc(f, 1, BUF, 16, R | N, 2);
	desc(f, 2, 0, 0, R, 0);
	post_and_kick(f, 0);
	assert_int_equal(f->errors, 0);
	assert_int_equal(f->nreq, 1);
	assert_int_equal(f->req[0].out_num, 1);
	assert_int_equal(f->req[0].in_num, 0);
}

/* ==== indirect descriptors ==================================================== */

static void test_indirect_valid(void **state)
{
	struct fix *f = *state;

	start(f, F_V1 | F_INDIRECT, 8);
	f->auto_push = true;
	desc_at(f, TABLE, 0, BUF, 10, R | N, 2);
	desc_at(f, TABLE, 2, BUF + 0x100, 20, W | N, 1);
	desc_at(f, TABLE, 1, BUF + 0x200, 30, W, 0);
	desc(f, 4, TABLE, 3 * 16, I, 0);
	post_and_kick(f, 4);
	assert_int_equal(f->errors, 0);
	assert_int_equal(f->nreq, 1);
	assert_int_equal(f->req[0].head, 4);
	assert_int_equal(f->req[0].out_num, 1);
	assert_int_equal(f->req[0].in_num, 2);
	assert_int_equal(f->req[0].in_len, 50);
	assert_int_equal(used_id(f, 0), 4);
	assert_int_equal(used_len(f, 0), 50);
	/* the device ignores WRITE on the descriptor that points to a table
	 * (section 2.7.5.3.2) */
	desc(f, 5, TABLE, 3 * 16, I | W, 0);
	post_and_kick(f, 5);
	assert_int_equal(f->nreq, 2);
	assert_int_equal(f->req[1].out_num, 1);
	assert_false(needs_reset(f));
}

static void test_indirect_after_direct(void **state)
{
	struct fix *f = *state;

	/* direct descriptors, then one pointing to a table */
	start(f, F_V1 | F_INDIRECT, 8);
	desc_at(f, TABLE, 0, BUF + 0x100, 20, W, 0);
	desc(f, 0, BUF, 10, R | N, 1);
	desc(f, 1, TABLE, 16, I, 0);
	post_and_kick(f, 0);
	assert_int_equal(f->errors, 0);
	assert_int_equal(f->nreq, 1);
	assert_int_equal(f->req[0].out_num, 1);
	assert_int_equal(f->req[0].in_num, 1);
}

static void test_indirect_nested(void **state)
{
	struct fix *f = *state;

	start(f, F_V1 | F_INDIRECT, 8);
	desc_at(f, TABLE + 0x100, 0, BUF, 16, W, 0);
	desc_at(f, TABLE, 0, BUF, 16, R | N, 1);
	desc_at(f, TABLE, 1, TABLE + 0x100, 16, I, 0);
	desc(f, 0, TABLE, 32, I, 0);
	post_and_kick(f, 0);
	assert_broken(f);

	/* a table pointing at itself */
	start(f, F_V1 | F_INDIRECT, 8);
	desc_at(f, TABLE, 0, TABLE, 16, I, 0);
	desc(f, 0, TABLE, 16, I, 0);
	post_and_kick(f, 0);
	assert_broken(f);
}

static void test_indirect_with_next(void **state)
{
	struct fix *f = *state;

	start(f, F_V1 | F_INDIRECT, 8);
	desc_at(f, TABLE, 0, BUF, 16, W, 0);
	desc(f, 0, TABLE, 16, I | N, 1);
	desc(f, 1, BUF, 16, W, 0);
	post_and_kick(f, 0);
	assert_broken(f);
}

static void check_bad_indirect(struct fix *f, uint64_t addr, uint32_t len)
{
	start(f, F_V1 | F_INDIRECT, 8);
	for (unsigned i = 0; i < 8; i++)
		desc_at(f, TABLE, i, BUF, 16, W, 0);
	desc(f, 0, addr, len, I, 0);
	post_and_kick(f, 0);
	assert_broken(f);
}

static void test_indirect_bad_length(void **state)
{
	struct fix *f = *state;

	check_bad_indirect(f, TABLE, 24);
	check_bad_indirect(f, TABLE, 15);
	check_bad_indirect(f, TABLE, 17);
	check_bad_indirect(f, TABLE, 0);
	/* more entries than a queue may hold */
	check_bad_indirect(f, TABLE, 16 * (VIRTQ_MAX_SIZE + 1));
	check_bad_indirect(f, TABLE, 0xfffffff0);
}

static void test_indirect_table_outside_ram(void **state)
{
	struct fix *f = *state;

	check_bad_indirect(f, 0, 16);
	check_bad_indirect(f, MMIO_BASE, 32);
	check_bad_indirect(f, RAM_END, 16);
	check_bad_indirect(f, RAM_END - 16, 32);	/* straddles the end */
	check_bad_indirect(f, 0xfffffffffffffff0ull, 32);
}

static void test_indirect_not_negotiated(void **state)
{
	struct fix *f = *state;

	start(f, F_V1, 8);
	desc_at(f, TABLE, 0, BUF, 16, W, 0);
	desc(f, 0, TABLE, 16, I, 0);
	post_and_kick(f, 0);
	assert_broken(f);
}

static void test_indirect_bad_chain(void **state)
{
	struct fix *f = *state;

	/* loop inside the table */
	start(f, F_V1 | F_INDIRECT, 8);
	desc_at(f, TABLE, 0, BUF, 16, W | N, 1);
	desc_at(f, TABLE, 1, BUF, 16, W | N, 0);
	desc(f, 0, TABLE, 32, I, 0);
	post_and_kick(f, 0);
	assert_broken(f);

	/* next beyond the table (but inside the queue size) */
	start(f, F_V1 | F_INDIRECT, 8);
	desc_at(f, TABLE, 0, BUF, 16, W | N, 2);
	desc_at(f, TABLE, 2, BUF, 16, W, 0);	/* in RAM, not in the table */
	desc(f, 0, TABLE, 32, I, 0);
	post_and_kick(f, 0);
	assert_broken(f);

	/* readable after writable inside the table */
	start(f, F_V1 | F_INDIRECT, 8);
	desc_at(f, TABLE, 0, BUF, 16, W | N, 1);
	desc_at(f, TABLE, 1, BUF, 16, R, 0);
	desc(f, 0, TABLE, 32, I, 0);
	post_and_kick(f, 0);
	assert_broken(f);

	/* a buffer in the table outside RAM */
	start(f, F_V1 | F_INDIRECT, 8);
	desc_at(f, TABLE, 0, RAM_END - 4, 16, W, 0);
	desc(f, 0, TABLE, 16, I, 0);
	post_and_kick(f, 0);
	assert_broken(f);
}

static void test_indirect_largest_table(void **state)
{
	struct fix *f = *state;

	/* VIRTQ_MAX_SIZE entries, all chained: the most iovecs a request has */
	start(f, F_V1 | F_INDIRECT, 8);
	for (unsigned i = 0; i < VIRTQ_MAX_SIZE; i++)
		desc_at(f, TABLE, i, BUF + i, 1, W | (i + 1 < VIRTQ_MAX_SIZE ? N : 0),
			(uint16_t)(i + 1));
	desc(f, 0, TABLE, 16 * VIRTQ_MAX_SIZE, I, 0);
	post_and_kick(f, 0);
	assert_int_equal(f->errors, 0);
	assert_int_equal(f->nreq, 1);
	assert_int_equal(f->req[0].in_num, VIRTQ_MAX_SIZE);

	/* one direct descriptor in front of that table: one iovec too many
	 * for struct virtq_elem, refused rather than overflowing iov[] */
	start(f, F_V1 | F_INDIRECT, 8);
	desc(f, 0, BUF, 16, R | N, 1);
	desc(f, 1, TABLE, 16 * VIRTQ_MAX_SIZE, I, 0);
	post_and_kick(f, 0);
	assert_broken(f);

	/* a table loop of the full length */
	start(f, F_V1 | F_INDIRECT, 8);
	desc_at(f, TABLE, VIRTQ_MAX_SIZE - 1, BUF, 1, W | N, 0);
	desc(f, 0, TABLE, 16 * VIRTQ_MAX_SIZE, I, 0);
	post_and_kick(f, 0);
	assert_broken(f);
}

/* ==== interrupts ============================================================= */

static void test_interrupt_ack_lowers_line(void **state)
{
	struct fix *f = *state;

	start(f, F_V1, 8);
	f->auto_push = true;
	desc(f, 0, BUF, 16, W, 0);
	post_and_kick(f, 0);
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(mr(f, INTERRUPT_STATUS), VIRTIO_ISR_QUEUE);
	/* acknowledging an unrelated bit keeps it up */
	mw(f, INTERRUPT_ACK, VIRTIO_ISR_CONFIG);
	assert_int_equal(f->irq_level, 1);
	mw(f, INTERRUPT_ACK, VIRTIO_ISR_QUEUE);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(mr(f, INTERRUPT_STATUS), 0);
	/* both causes: the line stays up until both are acknowledged */
	post_and_kick(f, 0);
	virtio_config_changed(&f->vdev);
	assert_int_equal(mr(f, INTERRUPT_STATUS), VIRTIO_ISR_QUEUE | VIRTIO_ISR_CONFIG);
	mw(f, INTERRUPT_ACK, VIRTIO_ISR_QUEUE);
	assert_int_equal(f->irq_level, 1);
	mw(f, INTERRUPT_ACK, 0xffffffff);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(mr(f, CONFIG_GENERATION), 1);
}

static void test_error_raises_config_interrupt(void **state)
{
	struct fix *f = *state;

	/* before DRIVER_OK an error sets NEEDS_RESET but does not interrupt */
	assert_true(negotiate(f, F_V1));
	assert_int_equal(queue_setup(f, 0, 3, DESC, AVAIL, USED), 0);
	assert_true(needs_reset(f));
	assert_int_equal(f->irq_raises, 0);
	assert_int_equal(f->irq_level, 0);
	/* after DRIVER_OK it does */
	start(f, F_V1, 8);
	post_and_kick(f, 9);
	assert_true(needs_reset(f));
	assert_int_equal(mr(f, INTERRUPT_STATUS), VIRTIO_ISR_CONFIG);
	assert_int_equal(f->irq_level, 1);
	mw(f, INTERRUPT_ACK, VIRTIO_ISR_CONFIG);
	assert_int_equal(f->irq_level, 0);
}

static void test_no_interrupt_flag(void **state)
{
	struct fix *f = *state;

	start(f, F_V1, 8);
	f->auto_push = true;
	desc(f, 0, BUF, 16, W, 0);
	put16(f, AVAIL, VIRTQ_AVAIL_F_NO_INTERRUPT);
	post_and_kick(f, 0);
	assert_int_equal(f->nreq, 1);
	assert_int_equal(used_idx(f), 1);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(mr(f, INTERRUPT_STATUS), 0);
	put16(f, AVAIL, 0);
	post_and_kick(f, 0);
	assert_int_equal(f->irq_level, 1);
}

static void test_event_idx(void **state)
{
	struct fix *f = *state;
	const gpa_t used_event = AVAIL + 4 + 2 * 8;	/* avail->ring[num] */
	const gpa_t avail_event = USED + 4 + 8 * 8;	/* used->ring[num] */

	start(f, F_V1 | F_EVENT_IDX, 8);
	f->auto_push = true;
	desc(f, 0, BUF, 16, W, 0);
	/* the device publishes avail_event = its next avail index */
	put16(f, avail_event, 0x5555);
	post_and_kick(f, 0);
	assert_int_equal(get16(f, avail_event), 1);
	/* the first completion always interrupts */
	assert_int_equal(f->irq_raises, 1);
	mw(f, INTERRUPT_ACK, 1);
	/* used_event = 2: interrupt once used entry 2 is written (idx 2 -> 3) */
	put16(f, used_event, 2);
	post_and_kick(f, 0);	/* used idx 2 */
	assert_int_equal(f->irq_raises, 1);
	post_and_kick(f, 0);	/* used idx 3 */
	assert_int_equal(f->irq_raises, 2);
	mw(f, INTERRUPT_ACK, 1);
	post_and_kick(f, 0);	/* used idx 4: event 2 is behind */
	assert_int_equal(f->irq_raises, 2);
	/* NO_INTERRUPT is ignored with EVENT_IDX (section 2.7.7.2) */
	put16(f, AVAIL, VIRTQ_AVAIL_F_NO_INTERRUPT);
	put16(f, used_event, 4);
	post_and_kick(f, 0);	/* used idx 5 */
	assert_int_equal(f->irq_raises, 3);
	mw(f, INTERRUPT_ACK, 1);
	/* several completions in one notification cross the event once */
	put16(f, used_event, 6);
	avail(f, 0);
	avail(f, 0);
	avail(f, 0);
	kick(f, 0);		/* used idx 8 */
	assert_int_equal(used_idx(f), 8);
	assert_int_equal(f->irq_raises, 4);
	assert_int_equal(get16(f, avail_event), 8);
	/* a notify without new used entries never interrupts */
	mw(f, INTERRUPT_ACK, 1);
	put16(f, used_event, 7);
	virtq_notify(&f->vdev, 0);
	assert_int_equal(f->irq_raises, 4);
}

static void test_event_idx_not_negotiated_leaves_avail_event(void **state)
{
	struct fix *f = *state;
	const gpa_t avail_event = USED + 4 + 8 * 8;

	start(f, F_V1, 8);
	put16(f, avail_event, 0x5555);
	desc(f, 0, BUF, 16, W, 0);
	post_and_kick(f, 0);
	assert_int_equal(get16(f, avail_event), 0x5555);
}

/* ==== white-box: the ring code re-checks what the transport checked ======== */

static void test_pop_rechecks_rings(void **state)
{
	struct fix *f = *state;

	/* the transport keeps a live queue's rings in RAM; virtq_pop does not
	 * rely on that */
	start(f, F_V1, 8);
	f->vdev.vq[0].desc_addr = RAM_END - 16;
	desc(f, 0, BUF, 16, W, 0);
	avail(f, 0);
	assert_int_equal(virtq_pop(&f->vdev, 0, &f->elem), -EINVAL);
	assert_true(needs_reset(f));

	start(f, F_V1, 8);
	f->vdev.vq[0].used_addr = 0;
	avail(f, 0);
	assert_int_equal(virtq_pop(&f->vdev, 0, &f->elem), -EINVAL);

	/* virtq_push onto a used ring outside RAM: error, no write */
	start(f, F_V1, 8);
	avail(f, 0);
	assert_int_equal(virtq_pop(&f->vdev, 0, &f->elem), 1);
	f->vdev.vq[0].used_addr = RAM_END;
	virtq_push(&f->vdev, 0, &f->elem, 0);
	assert_true(needs_reset(f));
	/* virtq_notify with the avail ring gone: nothing */
	f->vdev.vq[0].avail_addr = 0;
	mw(f, INTERRUPT_ACK, 0xffffffff);
	virtq_notify(&f->vdev, 0);
	assert_int_equal(f->irq_level, 0);
}

static void test_two_queues_independent(void **state)
{
	struct fix *f = *state;

	start(f, F_V1, 8);
	assert_int_equal(queue_setup(f, 1, 16, DESC1, AVAIL1, USED1), 1);
	f->auto_push = true;
	desc_at(f, DESC1, 3, BUF, 16, W, 0);
	put16(f, AVAIL1 + 4, 3);
	put16(f, AVAIL1 + 2, 1);
	kick(f, 1);
	assert_int_equal(f->nreq, 1);
	assert_int_equal(get16(f, USED1 + 2), 1);
	assert_int_equal(get32(f, USED1 + 4), 3);
	assert_int_equal(used_idx(f), 0);
	/* a broken queue 0 breaks the device (NEEDS_RESET is device-wide) */
	post_and_kick(f, 99);
	assert_true(needs_reset(f));
	put16(f, AVAIL1 + 6, 3);
	put16(f, AVAIL1 + 2, 2);
	kick(f, 1);
	assert_int_equal(f->nreq, 1);
}

/* ==== iovec helpers ============================================================ */

static void test_iov_to_buf(void **state)
{
	uint8_t a[4] = "abcd", b[1] = "e", c[3] = "fgh", out[16];
	const struct iovec iov[] = { { a, 4 }, { NULL, 0 }, { b, 1 }, { c, 3 } };

	(void)state;
	memset(out, 0, sizeof(out));
	assert_int_equal(iov_to_buf(iov, 4, 0, out, sizeof(out)), 8);
	assert_memory_equal(out, "abcdefgh", 8);
	/* offset inside the first, spanning the empty and short ones */
	memset(out, 0, sizeof(out));
	assert_int_equal(iov_to_buf(iov, 4, 3, out, 3), 3);
	assert_memory_equal(out, "def", 3);
	/* offset exactly on a boundary */
	assert_int_equal(iov_to_buf(iov, 4, 4, out, 16), 4);
	assert_memory_equal(out, "efgh", 4);
	assert_int_equal(iov_to_buf(iov, 4, 5, out, 16), 3);
	assert_memory_equal(out, "fgh", 3);
	/* offset at / beyond the end, huge offset */
	assert_int_equal(iov_to_buf(iov, 4, 8, out, 16), 0);
	assert_int_equal(iov_to_buf(iov, 4, 9, out, 16), 0);
	assert_int_equal(iov_to_buf(iov, 4, SIZE_MAX, out, 16), 0);
	/* nothing asked, no iovecs */
	assert_int_equal(iov_to_buf(iov, 4, 0, out, 0), 0);
	assert_int_equal(iov_to_buf(iov, 0, 0, out, 16), 0);
	assert_int_equal(iov_to_buf(NULL, 0, 0, NULL, 0), 0);
	/* the buffer is not written past len */
	memset(out, 'z', sizeof(out));
	assert_int_equal(iov_to_buf(iov, 4, 1, out, 2), 2);
	assert_memory_equal(out, "bczz", 4);
}

static void test_iov_from_buf(void **state)
{
	uint8_t a[4], b[1], c[3];
	const struct iovec iov[] = { { a, 4 }, { NULL, 0 }, { b, 1 }, { c, 3 } };

	(void)state;
	memset(a, '.', 4), memset(b, '.', 1), memset(c, '.', 3);
	/* longer than the iovecs: only what fits */
	assert_int_equal(iov_from_buf(iov, 4, 0, "0123456789", 10), 8);
	assert_memory_equal(a, "0123", 4);
	assert_memory_equal(b, "4", 1);
	assert_memory_equal(c, "567", 3);
	/* at an offset, shorter than the rest */
	memset(a, '.', 4), memset(b, '.', 1), memset(c, '.', 3);
	assert_int_equal(iov_from_buf(iov, 4, 3, "XY", 2), 2);
	assert_memory_equal(a, "...X", 4);
	assert_memory_equal(b, "Y", 1);
	assert_memory_equal(c, "...", 3);
	/* beyond the end */
	assert_int_equal(iov_from_buf(iov, 4, 8, "Q", 1), 0);
	assert_int_equal(iov_from_buf(iov, 4, SIZE_MAX, "Q", 1), 0);
	assert_int_equal(iov_from_buf(iov, 4, 7, "QR", 2), 1);
	assert_memory_equal(c, "..Q", 3);
	assert_int_equal(iov_from_buf(iov, 0, 0, "Q", 1), 0);
	assert_int_equal(iov_from_buf(iov, 4, 0, "Q", 0), 0);
	assert_memory_equal(a, "...X", 4);
}

static void test_iov_roundtrip_guest_buffers(void **state)
{
	struct fix *f = *state;
	uint8_t out[64], back[64];

	/* a chain of many small writable buffers, scattered */
	start(f, F_V1, 16);
	for (unsigned i = 0; i < 16; i++)
		desc(f, i, BUF + 0x100 * i, i + 1, W | (i < 15 ? N : 0), (uint16_t)(i + 1));
	avail(f, 0);
	assert_int_equal(virtq_pop(&f->vdev, 0, &f->elem), 1);
	assert_int_equal(f->elem.in_len, 136);
	for (unsigned i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)i;
	assert_int_equal(iov_from_buf(f->elem.iov, f->elem.in_num, 100, out, 64), 36);
	assert_int_equal(iov_to_buf(f->elem.iov, f->elem.in_num, 100, back, 64), 36);
	assert_memory_equal(out, back, 36);
	virtq_push(&f->vdev, 0, &f->elem, 136);
	virtq_notify(&f->vdev, 0);
	assert_int_equal(used_idx(f), 1);
	assert_int_equal(used_len(f, 0), 136);
	assert_int_equal(f->irq_level, 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_identity_registers),
		T(test_features_offered),
		T(test_features_ok_subset_accepted),
		T(test_features_ok_refused_unoffered),
		T(test_features_ok_refused_without_version_1),
		T(test_driver_features_frozen_after_features_ok),
		T(test_driver_ok_without_features_ok),
		T(test_status_needs_reset_owned_by_device),
		T(test_config_space_bounds),
		T(test_queue_num_max_and_absent_queues),
		T(test_queue_size_zero),
		T(test_queue_size_not_power_of_two),
		T(test_queue_size_above_max),
		T(test_queue_sizes_accepted),
		T(test_rings_outside_ram),
		T(test_misaligned_rings_refused),
		T(test_queue_config_ignored_while_ready),
		T(test_reset_clears_queues),
		T(test_notify_before_driver_ok_ignored),
		T(test_notify_flood_bounded),
		T(test_simple_request),
		T(test_chain_of_queue_size),
		T(test_descriptor_loop),
		T(test_descriptor_self_loop),
		T(test_chain_longer_than_queue),
		T(test_chain_zero_length_loop),
		T(test_next_out_of_range),
		T(test_head_out_of_range),
		T(test_avail_idx_jump),
		T(test_avail_idx_wraps),
		T(test_buffer_outside_ram),
		T(test_buffer_straddles_ram_end),
		T(test_buffer_length_overflow),
		T(test_buffer_whole_ram),
		T(test_readable_after_writable),
		T(test_zero_length_descriptors_skipped),
		T(test_indirect_valid),
		T(test_indirect_after_direct),
		T(test_indirect_nested),
		T(test_indirect_with_next),
		T(test_indirect_bad_length),
		T(test_indirect_table_outside_ram),
		T(test_indirect_not_negotiated),
		T(test_indirect_bad_chain),
		T(test_indirect_largest_table),
		T(test_interrupt_ack_lowers_line),
		T(test_error_raises_config_interrupt),
		T(test_no_interrupt_flag),
		T(test_event_idx),
		T(test_event_idx_not_negotiated_leaves_avail_event),
		T(test_pop_rechecks_rings),
		T(test_two_queues_independent),
		cmocka_unit_test(test_iov_to_buf),
		cmocka_unit_test(test_iov_from_buf),
		T(test_iov_roundtrip_guest_buffers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
