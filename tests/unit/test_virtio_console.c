/* test_virtio_console.c - the virtio console (src/dev/virtio/virtio_console.c)
 * behind the virtio-mmio transport, driven as a guest driver would: through
 * the MMIO registers (as_read/as_write) and rings written by hand into guest
 * RAM. Output goes to a capture chardev, input comes through the console_sink
 * functions, and at the end through a real struct host_console on pipes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/vm.h"
#include "dev/virtio/virtio_console.h"
#include "dev/virtio/virtio_mmio.h"
#include "host/console.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x100000ull
#define RAM_END (RAM_BASE + RAM_SIZE)
#define MMIO_BASE 0x10001000ull
#define MMIO_SIZE 0x1000ull
#define BUF (RAM_BASE + 0x10000)
#define BIG (RAM_BASE + 0x80000)	/* 256 KiB of room for large buffers */
#define TABLE (RAM_BASE + 0x9000)

#define RXQ 0
#define TXQ 1
#define QSIZE 128

enum {
	DEVICE_ID = 0x008, DEVICE_FEATURES = 0x010, DEVICE_FEATURES_SEL = 0x014,
	DRIVER_FEATURES = 0x020, DRIVER_FEATURES_SEL = 0x024,
	QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034, QUEUE_NUM = 0x038,
	QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050,
	INTERRUPT_STATUS = 0x060, INTERRUPT_ACK = 0x064, STATUS = 0x070,
	QUEUE_DESC_LOW = 0x080, QUEUE_DRIVER_LOW = 0x090, QUEUE_DEVICE_LOW = 0x0a0,
	CONFIG = 0x100,
};

#define S_LIVE (VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK | \
		VIRTIO_STATUS_DRIVER_OK)
#define F(bit) (1ull << (bit))
#define F_V1 F(VIRTIO_F_VERSION_1)
#define F_INDIRECT F(VIRTIO_F_RING_INDIRECT_DESC)
#define F_EVENT_IDX F(VIRTIO_F_RING_EVENT_IDX)
#define F_SIZE F(0)
#define F_MULTIPORT F(1)
#define F_EMERG_WRITE F(2)

#define R 0
#define W VIRTQ_DESC_F_WRITE
#define N VIRTQ_DESC_F_NEXT
#define I VIRTQ_DESC_F_INDIRECT

#define OUT_MAX (256 * 1024)

/* the driver's view of one queue */
struct dq {
	gpa_t desc, avail, used;
	uint16_t num, avail_idx;
};

struct fix {
	struct vm vm;
	struct virtio_console con;
	struct virtio_mmio mmio;
	struct dq q[2];
	int irq_level;
	unsigned irq_raises;
	uint8_t out[OUT_MAX];
	size_t out_len;
};

static void rec_irq(void *opaque, int n, int level)
{
	struct fix *f = opaque;

	assert_int_equal(n, 3);
	if (level && !f->irq_level)
		f->irq_raises++;
	f->irq_level = level;
}

static void cap_write(void *opaque, const uint8_t *buf, size_t len)
{
	struct fix *f = opaque;

	assert_true(len <= OUT_MAX - f->out_len);
	memcpy(f->out + f->out_len, buf, len);
	f->out_len += len;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f || vm_init(&f->vm, "vcon-test") || vm_alloc_ram(&f->vm, RAM_BASE, RAM_SIZE))
		return -1;
	f->vm.log_level = LOG_ERROR;	/* the expected device errors are warnings */
	virtio_console_init(&f->con, &f->vm, (struct irq_line){ rec_irq, f, 3 },
			    (struct chardev){ cap_write, f });
	virtio_mmio_init(&f->mmio, &f->con.vdev);
	if (as_add_mmio(&f->vm.as, MMIO_BASE, MMIO_SIZE, &virtio_mmio_ops, &f->mmio, "vcon"))
		return -1;
	f->q[RXQ] = (struct dq){ RAM_BASE + 0x1000, RAM_BASE + 0x2000, RAM_BASE + 0x3000, QSIZE, 0 };
	f->q[TXQ] = (struct dq){ RAM_BASE + 0x5000, RAM_BASE + 0x6000, RAM_BASE + 0x7000, QSIZE, 0 };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	vm_destroy(&f->vm);
	free(f);
	return 0;
}

static uint32_t mr(struct fix *f, uint64_t off)
{
	uint64_t v = 0;

	assert_int_equal(as_read(&f->vm.as, MMIO_BASE + off, 4, &v), 0);
	return (uint32_t)v;
}

static uint64_t mr_n(struct fix *f, uint64_t off, unsigned size)
{
	uint64_t v = 0;

	assert_int_equal(as_read(&f->vm.as, MMIO_BASE + off, size, &v), 0);
	return v;
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

/* the Linux order: reset, ACK, DRIVER, features, FEATURES_OK, queues, DRIVER_OK */
static void start_status(struct fix *f, uint64_t features, bool driver_ok)
{
	mw(f, STATUS, 0);
	mw(f, STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	mw(f, STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	mw(f, DRIVER_FEATURES_SEL, 0);
	mw(f, DRIVER_FEATURES, (uint32_t)features);
	mw(f, DRIVER_FEATURES_SEL, 1);
	mw(f, DRIVER_FEATURES, (uint32_t)(features >> 32));
	mw(f, STATUS, S_LIVE & ~VIRTIO_STATUS_DRIVER_OK);
	assert_true(mr(f, STATUS) & VIRTIO_STATUS_FEATURES_OK);
	for (unsigned q = 0; q < 2; q++) {
		struct dq *d = &f->q[q];

		memset(gp(f, d->desc), 0, 0x1000);
		memset(gp(f, d->avail), 0, 0x1000);
		memset(gp(f, d->used), 0, 0x1000);
		d->avail_idx = 0;
		mw(f, QUEUE_SEL, q);
		assert_int_equal(mr(f, QUEUE_NUM_MAX), QSIZE);
		mw(f, QUEUE_NUM, d->num);
		mw(f, QUEUE_DESC_LOW, (uint32_t)d->desc);
		mw(f, QUEUE_DRIVER_LOW, (uint32_t)d->avail);
		mw(f, QUEUE_DEVICE_LOW, (uint32_t)d->used);
		mw(f, QUEUE_READY, 1);
		assert_int_equal(mr(f, QUEUE_READY), 1);
	}
	if (driver_ok) {
		mw(f, STATUS, S_LIVE);
		assert_int_equal(mr(f, STATUS), S_LIVE);
	}
	f->out_len = 0;
}

static void start(struct fix *f, uint64_t features)
{
	start_status(f, features, true);
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

static void desc(struct fix *f, unsigned q, unsigned i, uint64_t addr, uint32_t len,
		 uint16_t flags, uint16_t next)
{
	desc_at(f, f->q[q].desc, i, addr, len, flags, next);
}

static void avail(struct fix *f, unsigned q, uint16_t head)
{
	struct dq *d = &f->q[q];

	put16(f, d->avail + 4 + 2ull * (d->avail_idx % d->num), head);
	d->avail_idx++;
	put16(f, d->avail + 2, d->avail_idx);
}

static void kick(struct fix *f, unsigned q)
{
	mw(f, QUEUE_NOTIFY, q);
}

static uint16_t used_idx(struct fix *f, unsigned q) { return get16(f, f->q[q].used + 2); }
static uint32_t used_id(struct fix *f, unsigned q, unsigned i)
{
	return get32(f, f->q[q].used + 4 + 8ull * (i % f->q[q].num));
}
static uint32_t used_len(struct fix *f, unsigned q, unsigned i)
{
	return get32(f, f->q[q].used + 8 + 8ull * (i % f->q[q].num));
}

/* transmit one buffer holding s (at BUF + off) with descriptor i */
static void tx(struct fix *f, unsigned i, gpa_t at, const char *s)
{
	memcpy(gp(f, at), s, strlen(s));
	desc(f, TXQ, i, at, (uint32_t)strlen(s), R, 0);
	avail(f, TXQ, (uint16_t)i);
}

/* offer a receive buffer of len bytes at gpa with descriptor i */
static void rx_buf(struct fix *f, unsigned i, gpa_t at, uint32_t len)
{
	desc(f, RXQ, i, at, len, W, 0);
	avail(f, RXQ, (uint16_t)i);
	kick(f, RXQ);
}

static size_t receive(struct fix *f, const char *s)
{
	return virtio_console_receive(&f->con, (const uint8_t *)s, strlen(s));
}

static unsigned space(struct fix *f)
{
	return virtio_console_space(&f->con);
}

/* ==== identity and configuration ============================================= */

static void test_identity(void **state)
{
	struct fix *f = *state;

	assert_int_equal(mr(f, 0), 0x74726976);
	assert_int_equal(mr(f, DEVICE_ID), 3);
	assert_int_equal(device_features(f), F_SIZE | F_EMERG_WRITE | F_V1 | F_INDIRECT | F_EVENT_IDX);
	assert_int_equal(device_features(f) & F_MULTIPORT, 0);
	/* receiveq and transmitq only: no control queues without MULTIPORT */
	for (unsigned q = 0; q < 4; q++) {
		mw(f, QUEUE_SEL, q);
		assert_int_equal(mr(f, QUEUE_NUM_MAX), q < 2 ? QSIZE : 0);
	}
}

static void test_config_space(void **state)
{
	struct fix *f = *state;

	/* struct virtio_console_config: cols, rows, max_nr_ports, emerg_wr */
	assert_int_equal(mr_n(f, CONFIG + 0, 2), 80);
	assert_int_equal(mr_n(f, CONFIG + 2, 2), 25);
	assert_int_equal(mr(f, CONFIG), 80 | 25 << 16);
	assert_int_equal(mr(f, CONFIG + 4), 1);
	assert_int_equal(mr(f, CONFIG + 8), 0);
	assert_int_equal(mr_n(f, CONFIG + 1, 1), 0);
	/* beyond the 12 bytes */
	assert_int_equal(mr(f, CONFIG + 12), 0);
	assert_int_equal(mr(f, CONFIG + 10), 0);
	assert_int_equal(mr_n(f, CONFIG + 11, 1), 0);
	assert_int_equal(mr(f, 0xffc), 0);
	/* writes to read-only fields change nothing and print nothing */
	mw(f, CONFIG, 0x12345678);
	mw(f, CONFIG + 4, 7);
	mw(f, CONFIG + 12, 'x');
	assert_int_equal(mr(f, CONFIG), 80 | 25 << 16);
	assert_int_equal(f->out_len, 0);
}

static void test_emergency_write(void **state)
{
	struct fix *f = *state;

	/* usable before any negotiation (section 5.3.6.1) */
	mw(f, CONFIG + 8, 'E');
	assert_int_equal(as_write(&f->vm.as, MMIO_BASE + CONFIG + 8, 1, '!'), 0);
	assert_int_equal(f->out_len, 2);
	assert_memory_equal(f->out, "E!", 2);
	/* only the low byte of the 32-bit field is a character */
	mw(f, CONFIG + 8, 0x41424300 | 'z');
	assert_int_equal(f->out_len, 3);
	assert_int_equal(f->out[2], 'z');
	/* the other bytes of emerg_wr are no characters */
	assert_int_equal(as_write(&f->vm.as, MMIO_BASE + CONFIG + 9, 1, 'q'), 0);
	assert_int_equal(f->out_len, 3);
}

/* ==== transmit ================================================================== */

static void test_tx_simple(void **state)
{
	struct fix *f = *state;

	start(f, F_V1);
	memcpy(gp(f, BUF), "hello, ", 7);
	memcpy(gp(f, BUF + 0x100), "world\n", 6);
	desc(f, TXQ, 5, BUF, 7, R | N, 9);
	desc(f, TXQ, 9, BUF + 0x100, 6, R, 0);
	avail(f, TXQ, 5);
	kick(f, TXQ);
	assert_int_equal(f->out_len, 13);
	assert_memory_equal(f->out, "hello, world\n", 13);
	assert_int_equal(used_idx(f, TXQ), 1);
	assert_int_equal(used_id(f, TXQ, 0), 5);
	assert_int_equal(used_len(f, TXQ, 0), 0);	/* nothing written into the buffers */
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(mr(f, INTERRUPT_STATUS), VIRTIO_ISR_QUEUE);
	mw(f, INTERRUPT_ACK, VIRTIO_ISR_QUEUE);
	assert_int_equal(f->irq_level, 0);
	/* a notification with nothing new: no output, no interrupt */
	kick(f, TXQ);
	assert_int_equal(f->out_len, 13);
	assert_int_equal(f->irq_level, 0);
	assert_false(needs_reset(f));
}

static void test_tx_in_order_many(void **state)
{
	struct fix *f = *state;
	char expect[QSIZE * 4 + 1] = "";

	start(f, F_V1 | F_EVENT_IDX);
	for (unsigned i = 0; i < QSIZE; i++) {
		char s[8];

		snprintf(s, sizeof(s), "%03u,", i);
		strcat(expect, s);
		tx(f, i, BUF + 8 * i, s);
	}
	kick(f, TXQ);
	assert_int_equal(f->out_len, QSIZE * 4);
	assert_memory_equal(f->out, expect, QSIZE * 4);
	assert_int_equal(used_idx(f, TXQ), QSIZE);
	assert_int_equal(f->irq_raises, 1);
	/* a flood of notifications with an empty queue costs nothing */
	for (unsigned i = 0; i < 100000; i++)
		kick(f, TXQ);
	assert_int_equal(f->out_len, QSIZE * 4);
	assert_int_equal(used_idx(f, TXQ), QSIZE);
}

static void test_tx_indirect(void **state)
{
	struct fix *f = *state;

	start(f, F_V1 | F_INDIRECT);
	memcpy(gp(f, BUF), "ab", 2);
	memcpy(gp(f, BUF + 0x10), "cd", 2);
	desc_at(f, TABLE, 0, BUF, 2, R | N, 1);
	desc_at(f, TABLE, 1, BUF + 0x10, 2, R, 0);
	desc(f, TXQ, 0, TABLE, 32, I, 0);
	avail(f, TXQ, 0);
	kick(f, TXQ);
	assert_int_equal(f->out_len, 4);
	assert_memory_equal(f->out, "abcd", 4);
	assert_int_equal(used_idx(f, TXQ), 1);
}

static void test_tx_writable_buffer_is_an_error(void **state)
{
	struct fix *f = *state;

	start(f, F_V1);
	memcpy(gp(f, BUF), "xy", 2);
	desc(f, TXQ, 0, BUF, 2, R | N, 1);
	desc(f, TXQ, 1, BUF + 0x10, 16, W, 0);
	avail(f, TXQ, 0);
	kick(f, TXQ);
	assert_true(needs_reset(f));
	assert_int_equal(f->out_len, 0);
	assert_int_equal(used_idx(f, TXQ), 0);
	assert_true(mr(f, INTERRUPT_STATUS) & VIRTIO_ISR_CONFIG);
	/* the device stays quiet until reset */
	tx(f, 2, BUF, "zz");
	kick(f, TXQ);
	assert_int_equal(f->out_len, 0);
	/* only-writable: also an error */
	start(f, F_V1);
	desc(f, TXQ, 0, BUF, 16, W, 0);
	avail(f, TXQ, 0);
	kick(f, TXQ);
	assert_true(needs_reset(f));
	/* after a reset, it works again */
	start(f, F_V1);
	tx(f, 0, BUF, "ok");
	kick(f, TXQ);
	assert_int_equal(f->out_len, 2);
	assert_false(needs_reset(f));
}

static void test_tx_malformed_ring(void **state)
{
	struct fix *f = *state;

	start(f, F_V1);
	desc(f, TXQ, 0, BUF, 2, R | N, 0);	/* loop */
	avail(f, TXQ, 0);
	kick(f, TXQ);
	assert_true(needs_reset(f));
	assert_int_equal(f->out_len, 0);

	start(f, F_V1);
	desc(f, TXQ, 0, RAM_END - 1, 2, R, 0);	/* straddles the end of RAM */
	avail(f, TXQ, 0);
	kick(f, TXQ);
	assert_true(needs_reset(f));
	assert_int_equal(f->out_len, 0);
}

static void test_tx_large_request_is_cut(void **state)
{
	struct fix *f = *state;

	/* a 192 KiB request: the first 64 KiB are written, the request is
	 * completed all the same */
	start(f, F_V1);
	memset(gp(f, BIG), 'a', 0x30000);
	desc(f, TXQ, 0, BIG, 0x10000 - 1, R | N, 1);
	desc(f, TXQ, 1, BIG + 0x10000, 0x20000 + 1, R, 0);
	avail(f, TXQ, 0);
	tx(f, 2, BUF, "next");
	kick(f, TXQ);
	assert_int_equal(f->out_len, 0x10000 + 4);
	assert_memory_equal(f->out + 0x10000, "next", 4);
	assert_int_equal(used_idx(f, TXQ), 2);
	assert_false(needs_reset(f));
}

static void test_tx_before_driver_ok_ignored(void **state)
{
	struct fix *f = *state;

	start_status(f, F_V1, false);
	tx(f, 0, BUF, "early");
	kick(f, TXQ);
	assert_int_equal(f->out_len, 0);
	mw(f, STATUS, S_LIVE);
	kick(f, TXQ);
	assert_int_equal(f->out_len, 5);
}

/* ==== receive =================================================================== */

static void test_rx_no_buffers(void **state)
{
	struct fix *f = *state;

	/* before DRIVER_OK, even with buffers */
	assert_int_equal(space(f), 0);
	assert_int_equal(receive(f, "x"), 0);
	start_status(f, F_V1, false);
	rx_buf(f, 0, BUF, 16);
	assert_int_equal(space(f), 0);
	assert_int_equal(receive(f, "x"), 0);
	/* live, no buffers */
	start(f, F_V1);
	assert_int_equal(space(f), 0);
	assert_int_equal(receive(f, "x"), 0);
	assert_int_equal(f->irq_level, 0);
}

static void test_rx_simple(void **state)
{
	struct fix *f = *state;

	start(f, F_V1);
	rx_buf(f, 7, BUF, 16);
	assert_int_equal(space(f), 16);
	assert_int_equal(space(f), 16);	/* asking twice takes nothing more */
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(receive(f, "abc"), 3);
	assert_memory_equal(gp(f, BUF), "abc", 3);
	assert_int_equal(used_idx(f, RXQ), 1);
	assert_int_equal(used_id(f, RXQ, 0), 7);
	assert_int_equal(used_len(f, RXQ, 0), 3);
	assert_int_equal(f->irq_level, 1);
	/* the buffer went back at once: none left */
	assert_int_equal(space(f), 0);
	assert_int_equal(receive(f, "d"), 0);
	/* nothing was transmitted */
	assert_int_equal(f->out_len, 0);
	assert_false(needs_reset(f));
}

static void test_rx_spans_buffers(void **state)
{
	struct fix *f = *state;

	start(f, F_V1);
	rx_buf(f, 0, BUF, 4);
	rx_buf(f, 1, BUF + 0x100, 4);
	/* space reports the room of the next buffer */
	assert_int_equal(space(f), 4);
	assert_int_equal(receive(f, "0123456789"), 8);
	assert_memory_equal(gp(f, BUF), "0123", 4);
	assert_memory_equal(gp(f, BUF + 0x100), "4567", 4);
	assert_int_equal(used_idx(f, RXQ), 2);
	assert_int_equal(used_len(f, RXQ, 0), 4);
	assert_int_equal(used_len(f, RXQ, 1), 4);
	/* the rest waits for the next buffer */
	rx_buf(f, 2, BUF + 0x200, 100);
	assert_int_equal(receive(f, "89"), 2);
	assert_memory_equal(gp(f, BUF + 0x200), "89", 2);
	assert_int_equal(used_len(f, RXQ, 2), 2);
	/* a chain of writable buffers is one receive buffer */
	desc(f, RXQ, 3, BUF + 0x300, 2, W | N, 4);
	desc(f, RXQ, 4, BUF + 0x400, 2, W, 0);
	avail(f, RXQ, 3);
	assert_int_equal(space(f), 4);
	assert_int_equal(receive(f, "wxyz!"), 4);
	assert_memory_equal(gp(f, BUF + 0x300), "wx", 2);
	assert_memory_equal(gp(f, BUF + 0x400), "yz", 2);
	assert_int_equal(used_id(f, RXQ, 3), 3);
	assert_int_equal(used_len(f, RXQ, 3), 4);
}

static void test_rx_space_capped(void **state)
{
	struct fix *f = *state;

	start(f, F_V1);
	rx_buf(f, 0, BIG, 0x20000);
	assert_int_equal(space(f), VIRTIO_CONSOLE_SPACE_MAX);
	assert_int_equal(receive(f, "q"), 1);
	assert_int_equal(used_len(f, RXQ, 0), 1);
}

static void test_rx_zero_length_buffers_skipped(void **state)
{
	struct fix *f = *state;

	start(f, F_V1);
	desc(f, RXQ, 0, 0, 0, W, 0);
	avail(f, RXQ, 0);
	rx_buf(f, 1, BUF, 8);
	assert_int_equal(space(f), 8);
	assert_int_equal(used_idx(f, RXQ), 1);	/* the empty one came back... */
	assert_int_equal(used_id(f, RXQ, 0), 0);
	assert_int_equal(used_len(f, RXQ, 0), 0);
	assert_int_equal(f->irq_level, 1);	/* ...and the driver was told */
	assert_int_equal(receive(f, "hi"), 2);
	assert_int_equal(used_id(f, RXQ, 1), 1);
	/* a queue full of empty buffers: all returned, no room */
	start(f, F_V1);
	for (unsigned i = 0; i < QSIZE; i++) {
		desc(f, RXQ, i, 0, 0, W, 0);
		avail(f, RXQ, (uint16_t)i);
	}
	assert_int_equal(space(f), 0);
	assert_int_equal(used_idx(f, RXQ), QSIZE);
	assert_false(needs_reset(f));
}

static void test_rx_readable_buffer_is_an_error(void **state)
{
	struct fix *f = *state;

	start(f, F_V1);
	desc(f, RXQ, 0, BUF, 8, R, 0);
	avail(f, RXQ, 0);
	assert_int_equal(space(f), 0);
	assert_true(needs_reset(f));
	assert_int_equal(receive(f, "x"), 0);
	assert_int_equal(used_idx(f, RXQ), 0);
	/* readable then writable is as wrong */
	start(f, F_V1);
	desc(f, RXQ, 0, BUF, 8, R | N, 1);
	desc(f, RXQ, 1, BUF + 8, 8, W, 0);
	avail(f, RXQ, 0);
	assert_int_equal(receive(f, "x"), 0);
	assert_true(needs_reset(f));
	assert_int_equal(*gp(f, BUF + 8), 0);
}

static void test_rx_malformed_ring(void **state)
{
	struct fix *f = *state;

	start(f, F_V1);
	desc(f, RXQ, 0, BUF, 8, W | N, 0);
	avail(f, RXQ, 0);
	assert_int_equal(space(f), 0);
	assert_true(needs_reset(f));
	assert_int_equal(receive(f, "x"), 0);

	start(f, F_V1);
	avail(f, RXQ, QSIZE);	/* head out of range */
	assert_int_equal(receive(f, "x"), 0);
	assert_true(needs_reset(f));

	start(f, F_V1);
	rx_buf(f, 0, RAM_END - 4, 8);
	assert_int_equal(space(f), 0);
	assert_true(needs_reset(f));

	start(f, F_V1);
	put16(f, f->q[RXQ].avail + 2, QSIZE + 1);
	assert_int_equal(space(f), 0);
	assert_true(needs_reset(f));
}

static void test_rx_held_buffer_dropped_on_reset(void **state)
{
	struct fix *f = *state;

	/* space() takes a buffer; the driver resets before any input */
	start(f, F_V1);
	rx_buf(f, 5, BUF, 16);
	assert_int_equal(space(f), 16);
	start(f, F_V1);
	/* the old buffer is gone: no input lands in it, nothing in the used
	 * ring of the new queue */
	assert_int_equal(space(f), 0);
	assert_int_equal(receive(f, "late"), 0);
	assert_int_equal(*gp(f, BUF), 0);
	assert_int_equal(used_idx(f, RXQ), 0);
	/* new buffers work */
	rx_buf(f, 1, BUF + 0x100, 16);
	assert_int_equal(receive(f, "new"), 3);
	assert_int_equal(used_id(f, RXQ, 0), 1);
	assert_memory_equal(gp(f, BUF + 0x100), "new", 3);
	assert_int_equal(*gp(f, BUF), 0);
}

static void test_rx_held_buffer_dropped_on_queue_disable(void **state)
{
	struct fix *f = *state;

	start(f, F_V1);
	rx_buf(f, 0, BUF, 16);
	assert_int_equal(space(f), 16);
	mw(f, QUEUE_SEL, RXQ);
	mw(f, QUEUE_READY, 0);
	assert_int_equal(space(f), 0);
	assert_int_equal(receive(f, "x"), 0);
	assert_int_equal(*gp(f, BUF), 0);
	assert_int_equal(used_idx(f, RXQ), 0);
}

static void test_rx_held_buffer_dropped_on_error(void **state)
{
	struct fix *f = *state;

	start(f, F_V1);
	rx_buf(f, 0, BUF, 16);
	assert_int_equal(space(f), 16);
	/* the transmit side breaks the device */
	desc(f, TXQ, 0, BUF, 2, W, 0);
	avail(f, TXQ, 0);
	kick(f, TXQ);
	assert_true(needs_reset(f));
	assert_int_equal(receive(f, "x"), 0);
	assert_int_equal(*gp(f, BUF), 0);
}

static void test_rx_interrupt_suppression(void **state)
{
	struct fix *f = *state;

	start(f, F_V1);
	put16(f, f->q[RXQ].avail, VIRTQ_AVAIL_F_NO_INTERRUPT);
	rx_buf(f, 0, BUF, 16);
	assert_int_equal(receive(f, "a"), 1);
	assert_int_equal(used_idx(f, RXQ), 1);
	assert_int_equal(f->irq_level, 0);
	/* EVENT_IDX: interrupt once used idx passes used_event */
	start(f, F_V1 | F_EVENT_IDX);
	for (unsigned i = 0; i < 4; i++)
		rx_buf(f, i, BUF + 0x10 * i, 1);
	put16(f, f->q[RXQ].avail + 4 + 2 * QSIZE, 1);	/* used_event */
	assert_int_equal(receive(f, "a"), 1);		/* first: always */
	assert_int_equal(f->irq_raises, 1);
	mw(f, INTERRUPT_ACK, 1);
	assert_int_equal(receive(f, "b"), 1);		/* used 1 -> 2 crosses 1 */
	assert_int_equal(f->irq_raises, 2);
	mw(f, INTERRUPT_ACK, 1);
	assert_int_equal(receive(f, "c"), 1);		/* 2 -> 3: no */
	assert_int_equal(f->irq_raises, 2);
	assert_int_equal(f->irq_level, 0);
}

static void test_rx_empty_input(void **state)
{
	struct fix *f = *state;

	start(f, F_V1);
	rx_buf(f, 0, BUF, 16);
	assert_int_equal(virtio_console_receive(&f->con, (const uint8_t *)"", 0), 0);
	assert_int_equal(used_idx(f, RXQ), 0);
	assert_int_equal(receive(f, "z"), 1);
}

static void test_rx_linux_like(void **state)
{
	struct fix *f = *state;
	size_t total = 0;
	char line[64];

	/* the driver fills the receive queue with page-sized buffers and hands
	 * each back after reading it, as virtio_console.c does */
	start(f, F_V1 | F_EVENT_IDX | F_SIZE);
	for (unsigned i = 0; i < QSIZE; i++)
		desc(f, RXQ, i, RAM_BASE + 0x10000 + 0x1000ull * (i % 64), 0x1000, W, 0);
	for (unsigned i = 0; i < QSIZE; i++)
		avail(f, RXQ, (uint16_t)i);
	kick(f, RXQ);
	put16(f, f->q[RXQ].avail + 4 + 2 * QSIZE, 0);
	for (unsigned round = 0; round < 1000; round++) {
		uint16_t u = used_idx(f, RXQ);

		snprintf(line, sizeof(line), "line %u\n", round);
		assert_true(space(f) >= strlen(line));
		assert_int_equal(receive(f, line), strlen(line));
		total += strlen(line);
		assert_int_equal(used_idx(f, RXQ), (uint16_t)(u + 1));
		/* the driver consumes and re-adds the buffer */
		uint32_t id = used_id(f, RXQ, u);

		assert_int_equal(used_len(f, RXQ, u), strlen(line));
		assert_memory_equal(gp(f, RAM_BASE + 0x10000 + 0x1000ull * (id % 64)), line, strlen(line));
		avail(f, RXQ, (uint16_t)id);
		put16(f, f->q[RXQ].avail + 4 + 2 * QSIZE, (uint16_t)(u + 1));
	}
	assert_true(total > 0);
	assert_false(needs_reset(f));
}

/* ==== with the host console ======================================================== */

static void test_host_console_roundtrip(void **state)
{
	struct fix *f = *state;
	struct host_console *hc = calloc(1, sizeof(*hc));
	int in[2], out[2];
	struct pollfd fds[4];
	uint64_t timeout = 0;
	char got[64];
	ssize_t n;

	assert_non_null(hc);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	console_init(hc, &f->vm, in[0], out[1]);
	console_set_sink(hc, (struct console_sink){ virtio_console_receive, virtio_console_space,
						    &f->con });
	/* output: the device writes into the console's chardev */
	virtio_console_init(&f->con, &f->vm, (struct irq_line){ rec_irq, f, 3 },
			    console_chardev(hc));
	start(f, F_V1 | F_EVENT_IDX);
	tx(f, 0, BUF, "login: ");
	kick(f, TXQ);
	console_flush(hc);
	n = read(out[0], got, sizeof(got));
	assert_int_equal(n, 7);
	assert_memory_equal(got, "login: ", 7);

	/* input: without receive buffers the console does not read stdin */
	struct evloop_source src = console_source(hc);

	assert_int_equal(write(in[1], "root\n", 5), 5);
	assert_int_equal(src.prepare(src.opaque, fds, 4, &timeout), 0);
	/* with a buffer it does, and the bytes land in guest memory */
	rx_buf(f, 0, BUF + 0x100, 64);
	assert_int_equal(src.prepare(src.opaque, fds, 4, &timeout), 1);
	assert_int_equal(poll(fds, 1, 1000), 1);
	src.dispatch(src.opaque, fds, 1);
	assert_int_equal(used_idx(f, RXQ), 1);
	assert_int_equal(used_len(f, RXQ, 0), 5);
	assert_memory_equal(gp(f, BUF + 0x100), "root\n", 5);
	assert_int_equal(f->irq_level, 1);

	/* small buffers: the console keeps what the guest cannot take yet */
	rx_buf(f, 1, BUF + 0x200, 2);
	assert_int_equal(write(in[1], "abcde", 5), 5);
	assert_int_equal(src.prepare(src.opaque, fds, 4, &timeout), 1);
	assert_int_equal(poll(fds, 1, 1000), 1);
	src.dispatch(src.opaque, fds, 1);	/* reads only 2 (the space) */
	assert_memory_equal(gp(f, BUF + 0x200), "ab", 2);
	rx_buf(f, 2, BUF + 0x300, 8);
	assert_int_equal(src.prepare(src.opaque, fds, 4, &timeout), 1);
	assert_int_equal(poll(fds, 1, 1000), 1);
	src.dispatch(src.opaque, fds, 1);
	assert_memory_equal(gp(f, BUF + 0x300), "cde", 3);
	assert_int_equal(used_idx(f, RXQ), 3);

	close(in[0]), close(in[1]), close(out[0]), close(out[1]);
	free(hc);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_identity),
		T(test_config_space),
		T(test_emergency_write),
		T(test_tx_simple),
		T(test_tx_in_order_many),
		T(test_tx_indirect),
		T(test_tx_writable_buffer_is_an_error),
		T(test_tx_malformed_ring),
		T(test_tx_large_request_is_cut),
		T(test_tx_before_driver_ok_ignored),
		T(test_rx_no_buffers),
		T(test_rx_simple),
		T(test_rx_spans_buffers),
		T(test_rx_space_capped),
		T(test_rx_zero_length_buffers_skipped),
		T(test_rx_readable_buffer_is_an_error),
		T(test_rx_malformed_ring),
		T(test_rx_held_buffer_dropped_on_reset),
		T(test_rx_held_buffer_dropped_on_queue_disable),
		T(test_rx_held_buffer_dropped_on_error),
		T(test_rx_interrupt_suppression),
		T(test_rx_empty_input),
		T(test_rx_linux_like),
		T(test_host_console_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
