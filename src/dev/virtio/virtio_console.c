/* virtio_console.c - virtio console, one port (virtio 1.2 section 5.3).
 *
 * Transmit: each transmitq chain is written to the chardev and returned at
 * once (Linux's hvc driver spins until its buffer comes back). Receive: the
 * host console asks virtio_console_space() how much the guest can take, which
 * takes the next receiveq buffer and holds it; virtio_console_receive() fills
 * held and further buffers and returns each one as soon as it got input, so
 * the guest sees every chunk without delay. */
#include <string.h>

#include "core/vm.h"
#include "dev/virtio/virtio_console.h"

#define VIRTIO_ID_CONSOLE 3

/* section 5.3.3 */
#define VIRTIO_CONSOLE_F_SIZE 0
#define VIRTIO_CONSOLE_F_MULTIPORT 1	/* not offered: one port, two queues */
#define VIRTIO_CONSOLE_F_EMERG_WRITE 2

#define RXQ 0		/* receiveq (port 0) */
#define TXQ 1		/* transmitq (port 0) */
#define CONSOLE_QUEUE_SIZE 128

#define CONSOLE_COLS 80
#define CONSOLE_ROWS 25

/* Output written per transmit request at most. A chain may describe up to
 * VIRTQ_MAX_IOV buffers of 4 GiB each anywhere in guest RAM; Linux's hvc sends
 * at most a page at a time. The rest of a longer request is dropped (logged),
 * so one notification cannot keep the vCPU thread writing gigabytes. */
#define TX_MAX_PER_REQUEST 65536

/* section 5.3.4: struct virtio_console_config */
enum {
	CFG_COLS = 0,		/* le16 */
	CFG_ROWS = 2,		/* le16 */
	CFG_MAX_NR_PORTS = 4,	/* le32, valid with F_MULTIPORT only */
	CFG_EMERG_WR = 8,	/* le32, write-only */
	CFG_SIZE = 12,
};

static void console_read_config(struct virtio_dev *vdev, uint32_t off, void *buf, uint32_t len)
{
	uint8_t cfg[CFG_SIZE] = {
		[CFG_COLS] = CONSOLE_COLS & 0xff, [CFG_COLS + 1] = CONSOLE_COLS >> 8,
		[CFG_ROWS] = CONSOLE_ROWS & 0xff, [CFG_ROWS + 1] = CONSOLE_ROWS >> 8,
		[CFG_MAX_NR_PORTS] = 1,
		/* emerg_wr reads as 0 */
	};

	/* the transport checked off + len <= config_size; check again anyway */
	if (off < CFG_SIZE && len <= CFG_SIZE - off)
		memcpy(buf, cfg + off, len);
}

/* section 5.3.6.1: with F_EMERG_WRITE offered the driver may write a
 * character to emerg_wr at any time, even before negotiating features */
static void console_write_config(struct virtio_dev *vdev, uint32_t off, const void *buf,
				 uint32_t len)
{
	struct virtio_console *c = vdev->opaque;

	if (off == CFG_EMERG_WR && len >= 1)
		chardev_write(&c->out, buf, 1);
}

static void console_transmit(struct virtio_console *c)
{
	struct virtio_dev *vdev = &c->vdev;
	struct virtq_elem *e = &c->tx;
	unsigned pushed = 0;

	/* at most a queue's worth of requests per notification */
	for (unsigned k = 0; k < vdev->vq[TXQ].num && virtq_pop(vdev, TXQ, e) > 0; k++) {
		uint64_t left = TX_MAX_PER_REQUEST;

		/* section 5.3.6.2: transmit buffers are device-readable only */
		if (e->in_num) {
			virtio_dev_error(vdev, "transmit buffer is device-writable");
			break;
		}
		for (unsigned i = 0; i < e->out_num && left; i++) {
			size_t n = e->iov[i].iov_len < left ? e->iov[i].iov_len : left;

			chardev_write(&c->out, e->iov[i].iov_base, n);
			left -= n;
		}
		if (e->out_len > TX_MAX_PER_REQUEST)
			vm_log_ratelimited(vdev->vm, &c->rl, LOG_WARN,
					   "%s: transmit request of %llu bytes cut to %u",
					   vdev->ops->name, (unsigned long long)e->out_len,
					   TX_MAX_PER_REQUEST);
		virtq_push(vdev, TXQ, e, 0);
		pushed++;
	}
	if (pushed)
		virtq_notify(vdev, TXQ);
}

static void console_queue_notify(struct virtio_dev *vdev, unsigned q)
{
	/* receiveq: new buffers are picked up when input arrives (the host
	 * console polls virtio_console_space() before reading) */
	if (q == TXQ)
		console_transmit(vdev->opaque);
}

static void console_reset(struct virtio_dev *vdev)
{
	struct virtio_console *c = vdev->opaque;

	/* the held receive buffer belongs to the old rings: drop it */
	c->rx_held = false;
}

static const struct virtio_dev_ops console_ops = {
	.name = "virtio-console",
	.device_id = VIRTIO_ID_CONSOLE,
	.features = (1ull << VIRTIO_CONSOLE_F_SIZE) | (1ull << VIRTIO_CONSOLE_F_EMERG_WRITE),
	.num_queues = 2,
	.queue_max = CONSOLE_QUEUE_SIZE,
	.read_config = console_read_config,
	.write_config = console_write_config,
	.config_size = CFG_SIZE,
	.queue_notify = console_queue_notify,
	.reset = console_reset,
};

void virtio_console_init(struct virtio_console *c, struct vm *vm, struct irq_line irq,
			 struct chardev out)
{
	memset(c, 0, sizeof(*c));
	virtio_dev_init(&c->vdev, &console_ops, c, vm, irq);
	c->out = out;
}

/* Make sure a receive buffer with room is held in c->rx. Buffers without
 * writable bytes are returned at once (*pushed is set). Bounded by the queue
 * size. */
static bool rx_fetch(struct virtio_console *c, bool *pushed)
{
	struct virtio_dev *vdev = &c->vdev;
	struct virtq_elem *e = &c->rx;

	if (c->rx_held) {
		if (virtq_ready(vdev, RXQ))
			return true;
		c->rx_held = false;	/* queue disabled or device broken: buffer gone */
	}
	for (unsigned k = 0; k < vdev->vq[RXQ].num; k++) {
		if (virtq_pop(vdev, RXQ, e) <= 0)
			return false;
		/* section 5.3.6.2: receive buffers are device-writable */
		if (e->out_num) {
			virtio_dev_error(vdev, "receive buffer is device-readable");
			return false;
		}
		if (e->in_len) {
			c->rx_held = true;
			return true;
		}
		virtq_push(vdev, RXQ, e, 0);
		*pushed = true;
	}
	return false;
}

unsigned virtio_console_space(void *opaque)
{
	struct virtio_console *c = opaque;
	bool pushed = false;
	unsigned room = 0;

	if (rx_fetch(c, &pushed))
		room = c->rx.in_len < VIRTIO_CONSOLE_SPACE_MAX ? (unsigned)c->rx.in_len
							       : VIRTIO_CONSOLE_SPACE_MAX;
	if (pushed)
		virtq_notify(&c->vdev, RXQ);
	return room;
}

size_t virtio_console_receive(void *opaque, const uint8_t *buf, size_t len)
{
	struct virtio_console *c = opaque;
	struct virtio_dev *vdev = &c->vdev;
	bool pushed = false;
	size_t done = 0;

	/* every buffer gets what fits and goes back at once; at most a queue's
	 * worth of buffers per call */
	for (unsigned k = 0; done < len && k < CONSOLE_QUEUE_SIZE && rx_fetch(c, &pushed); k++) {
		struct virtq_elem *e = &c->rx;
		size_t want = len - done < UINT32_MAX ? len - done : UINT32_MAX;
		size_t n = iov_from_buf(e->iov + e->out_num, e->in_num, 0, buf + done, want);

		virtq_push(vdev, RXQ, e, (uint32_t)n);
		c->rx_held = false;
		pushed = true;
		done += n;
	}
	if (pushed)
		virtq_notify(vdev, RXQ);
	return done;
}
