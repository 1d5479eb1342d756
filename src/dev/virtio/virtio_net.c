/* virtio_net.c - virtio network device (virtio 1.2 section 5.1).
 *
 * TX: a transmit request is a chain of device-readable buffers holding the
 * 12-byte virtio_net_hdr and the frame. It is checked, linearized into
 * txbuf, returned to the guest (used length 0) and handed to the back end.
 * RX: a frame from the back end goes into the next receive buffer behind a
 * header with num_buffers = 1; when the guest has none, it waits in a
 * bounded FIFO that the next receive-queue notification drains.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vm.h"
#include "dev/virtio/virtio_net.h"
#include "host/net_slirp.h"
#include "host/net_tap.h"

static struct virtio_net *to_net(struct virtio_dev *vdev)
{
	return vdev->opaque;
}

/* ---- receive ---- */

/* Put one frame into the next receive buffer. Returns 1 when a buffer was
 * used (the frame delivered, or dropped because it did not fit), 0 when the
 * guest has no buffer, -EINVAL when the ring is broken (device needs reset). */
static int rx_one(struct virtio_net *n, const uint8_t *frame, size_t len)
{
	struct virtio_dev *vdev = &n->vdev;
	struct virtq_elem *e = &n->rx_elem;
	/* section 5.1.6: flags 0, gso_type NONE, num_buffers (le16) = 1 */
	uint8_t hdr[VIRTIO_NET_HDR_LEN] = { [10] = 1 };
	int r = virtq_pop(vdev, VIRTIO_NET_RXQ, e);

	if (r <= 0)
		return r;
	if (e->out_num) {
		/* section 5.1.6.3: receive buffers are device-writable */
		virtio_dev_error(vdev, "receive buffer is not device-writable");
		return -EINVAL;
	}
	if (e->in_len < VIRTIO_NET_HDR_LEN + len) {
		/* without mergeable buffers a frame must fit in one buffer; a
		 * guest posting small ones loses the frame, not the device */
		n->stats.rx_dropped++;
		vm_log_ratelimited(n->vm, &n->rl, LOG_WARN,
				   "virtio-net: dropped a %zu-byte frame: the receive buffer has %llu bytes, "
				   "fewer than the frame and its 12-byte header", len,
				   (unsigned long long)e->in_len);
		virtq_push(vdev, VIRTIO_NET_RXQ, e, 0);
		return 1;
	}
	iov_from_buf(e->iov, e->in_num, 0, hdr, sizeof(hdr));
	iov_from_buf(e->iov, e->in_num, VIRTIO_NET_HDR_LEN, frame, len);
	virtq_push(vdev, VIRTIO_NET_RXQ, e, (uint32_t)(VIRTIO_NET_HDR_LEN + len));
	n->stats.rx_frames++;
	return 1;
}

static void pending_drop_all(struct virtio_net *n)
{
	while (n->pending_count) {
		free(n->pending[n->pending_head]);
		n->pending[n->pending_head] = NULL;
		n->pending_head = (n->pending_head + 1) % VIRTIO_NET_RX_PENDING_MAX;
		n->pending_count--;
	}
	n->pending_head = 0;
	n->pending_bytes = 0;
}

/* Deliver queued frames while the guest has buffers. Bounded by the queue:
 * each frame delivered takes one of the at most `num` available buffers. */
static void pending_flush(struct virtio_net *n)
{
	bool pushed = false;

	while (n->pending_count) {
		struct virtio_net_frame *f = n->pending[n->pending_head];
		int r = rx_one(n, f->data, f->len);

		if (r <= 0)
			break;
		pushed = true;
		n->pending[n->pending_head] = NULL;
		n->pending_head = (n->pending_head + 1) % VIRTIO_NET_RX_PENDING_MAX;
		n->pending_count--;
		n->pending_bytes -= f->len;
		free(f);
	}
	if (pushed)
		virtq_notify(&n->vdev, VIRTIO_NET_RXQ);
}

static void pending_add(struct virtio_net *n, const uint8_t *frame, size_t len)
{
	struct virtio_net_frame *f;

	if (n->pending_count >= VIRTIO_NET_RX_PENDING_MAX ||
	    len > VIRTIO_NET_RX_PENDING_BYTES - n->pending_bytes ||
	    !(f = malloc(sizeof(*f) + len))) {
		n->stats.rx_dropped++;
		return;
	}
	f->len = len;
	memcpy(f->data, frame, len);
	n->pending[(n->pending_head + n->pending_count) % VIRTIO_NET_RX_PENDING_MAX] = f;
	n->pending_count++;
	n->pending_bytes += len;
}

/* net_peer: a frame from the host network */
static void net_receive(void *opaque, const uint8_t *frame, size_t len)
{
	struct virtio_net *n = opaque;
	int r;

	/* before DRIVER_OK, after a reset or with a broken ring nobody
	 * listens: drop, as a NIC with its receiver off */
	if (!virtq_ready(&n->vdev, VIRTIO_NET_RXQ) || len > NET_MAX_FRAME) {
		n->stats.rx_dropped++;
		return;
	}
	/* older frames first */
	if (n->pending_count)
		pending_flush(n);
	if (!n->pending_count) {
		r = rx_one(n, frame, len);
		if (r > 0) {
			virtq_notify(&n->vdev, VIRTIO_NET_RXQ);
			return;
		}
		if (r < 0) {
			n->stats.rx_dropped++;
			return;
		}
	}
	pending_add(n, frame, len);
}

static bool net_can_receive(void *opaque)
{
	struct virtio_net *n = opaque;

	return virtq_ready(&n->vdev, VIRTIO_NET_RXQ) &&
	       n->pending_count < VIRTIO_NET_RX_PENDING_MAX &&
	       n->pending_bytes + NET_MAX_FRAME <= VIRTIO_NET_RX_PENDING_BYTES;
}

/* ---- transmit ---- */

static void tx_drop(struct virtio_net *n, const char *why, uint64_t len)
{
	n->stats.tx_dropped++;
	vm_log_ratelimited(n->vm, &n->rl, LOG_WARN, "virtio-net: dropped a %llu-byte transmit request: %s",
			   (unsigned long long)len, why);
}

#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1

/* Section 5.1.6.2: with VIRTIO_NET_F_CSUM the driver may send a frame whose
 * checksum from csum_start to the end is to be computed by the device and
 * stored at csum_start + csum_offset (which holds the pseudo-header sum the
 * driver put there). false when the offsets point outside the frame. */
static bool tx_complete_csum(const uint8_t *hdr, uint8_t *frame, size_t len)
{
	uint16_t start, off;
	uint32_t sum = 0;

	memcpy(&start, hdr + 6, 2);
	memcpy(&off, hdr + 8, 2);
	if (start >= len || off > len - start || len - start - off < 2)
		return false;
	for (size_t i = start; i + 1 < len; i += 2)
		sum += (uint32_t)frame[i] << 8 | frame[i + 1];
	if ((len - start) & 1)
		sum += (uint32_t)frame[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	frame[start + off] = (uint8_t)(sum >> 8);
	frame[start + off + 1] = (uint8_t)sum;
	return true;
}

static void tx_run(struct virtio_net *n)
{
	struct virtio_dev *vdev = &n->vdev;
	struct virtq_elem *e = &n->tx_elem;
	unsigned k, pushed = 0;
	int r = 0;

	n->tx_more = false;
	/* at most a queue's worth of requests per call: one notification
	 * keeps the vCPU for a bounded time; anything left (only possible if
	 * the guest adds requests while we work) continues from the evloop */
	for (k = 0; k < vdev->vq[VIRTIO_NET_TXQ].num; k++) {
		size_t flen = 0;
		bool ok = false;

		r = virtq_pop(vdev, VIRTIO_NET_TXQ, e);
		if (r <= 0)
			break;
		if (e->in_num)
			tx_drop(n, "it has device-writable buffers", e->out_len + e->in_len);
		else if (e->out_len < VIRTIO_NET_HDR_LEN + NET_ETH_HLEN)
			tx_drop(n, "shorter than the 12-byte header and an Ethernet header", e->out_len);
		else if (e->out_len - VIRTIO_NET_HDR_LEN > NET_MAX_FRAME)
			/* the guest can chain up to 1024 x 4 GiB: copy nothing
			 * beyond the largest frame any back end carries */
			tx_drop(n, "frame longer than 65536 bytes", e->out_len);
		else {
			uint8_t hdr[VIRTIO_NET_HDR_LEN];

			flen = (size_t)(e->out_len - VIRTIO_NET_HDR_LEN);
			ok = iov_to_buf(e->iov, e->out_num, 0, hdr, sizeof(hdr)) == sizeof(hdr) &&
			     iov_to_buf(e->iov, e->out_num, VIRTIO_NET_HDR_LEN, n->txbuf, flen) == flen;
			/* only checksum offload is offered, so gso_type is
			 * ignored (a conforming driver sends GSO_NONE) */
			if (ok && (hdr[0] & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
			    virtio_has_feature(vdev, VIRTIO_NET_F_CSUM) &&
			    !tx_complete_csum(hdr, n->txbuf, flen)) {
				tx_drop(n, "checksum offsets outside the frame", e->out_len);
				ok = false;
			}
		}
		/* the frame is copied: the buffers go back before the back end
		 * runs (it may answer at once, into the receive queue) */
		virtq_push(vdev, VIRTIO_NET_TXQ, e, 0);
		pushed++;
		if (ok) {
			n->stats.tx_frames++;
			n->be->ops->send(n->be, n->txbuf, flen);
		}
	}
	if (r > 0 && virtq_has_request(vdev, VIRTIO_NET_TXQ))
		n->tx_more = true;
	if (pushed)
		virtq_notify(vdev, VIRTIO_NET_TXQ);
}

/* ---- virtio device ops ---- */

static void net_queue_notify(struct virtio_dev *vdev, unsigned q)
{
	struct virtio_net *n = to_net(vdev);

	if (q == VIRTIO_NET_RXQ)
		pending_flush(n);	/* new receive buffers */
	else if (q == VIRTIO_NET_TXQ)
		tx_run(n);
}

static void net_read_config(struct virtio_dev *vdev, uint32_t off, void *buf, uint32_t len)
{
	struct virtio_net *n = to_net(vdev);
	/* section 5.1.4: mac[6], le16 status */
	uint8_t cfg[VIRTIO_NET_CONFIG_SIZE];

	memcpy(cfg, n->mac, 6);
	cfg[6] = (uint8_t)n->status;
	cfg[7] = (uint8_t)(n->status >> 8);
	if (off > sizeof(cfg) || len > sizeof(cfg) - off)
		return;
	memcpy(buf, cfg + off, len);
}

static void net_reset(struct virtio_dev *vdev)
{
	struct virtio_net *n = to_net(vdev);

	pending_drop_all(n);
	n->tx_more = false;
}

/* the driver must not write the configuration space in virtio 1.x without
 * VIRTIO_NET_F_CTRL_MAC_ADDR (section 5.1.4.2): no write_config, writes are
 * ignored by the transport */
static const struct virtio_dev_ops net_ops = {
	.name = "virtio-net",
	.device_id = VIRTIO_ID_NET,
	.features = (1ull << VIRTIO_NET_F_CSUM) | (1ull << VIRTIO_NET_F_MAC) |
		    (1ull << VIRTIO_NET_F_STATUS),
	.num_queues = 2,
	.queue_max = VIRTIO_NET_QUEUE_SIZE,
	.read_config = net_read_config,
	.config_size = VIRTIO_NET_CONFIG_SIZE,
	.queue_notify = net_queue_notify,
	.reset = net_reset,
};

/* ---- evloop source: the back end's fds and timers, TX continuation ---- */

static int net_prepare(void *opaque, struct pollfd *fds, int max, uint64_t *timeout_ns)
{
	struct virtio_net *n = opaque;

	if (!n->be)
		return 0;	/* destroyed: the evloop cannot drop the source */
	if (n->tx_more) {
		tx_run(n);
		if (n->tx_more)
			*timeout_ns = 0;
	}
	/* buffers added without a notification (cheap to check) */
	if (n->pending_count && virtq_has_request(&n->vdev, VIRTIO_NET_RXQ))
		pending_flush(n);
	return n->be->ops->prepare ? n->be->ops->prepare(n->be, fds, max, timeout_ns) : 0;
}

static void net_dispatch(void *opaque, struct pollfd *fds, int nfds)
{
	struct virtio_net *n = opaque;

	if (n->be && n->be->ops->dispatch)
		n->be->ops->dispatch(n->be, fds, nfds);
}

/* ---- life cycle ---- */

int virtio_net_init_backend(struct virtio_net *n, struct vm *vm, struct irq_line irq,
			    struct evloop *loop, const uint8_t mac[6], struct net_backend *be,
			    char *err, size_t errlen)
{
	int ret;

	memset(n, 0, sizeof(*n));
	n->txbuf = malloc(NET_MAX_FRAME);
	if (!n->txbuf) {
		snprintf(err, errlen, "virtio-net: out of memory");
		ret = -ENOMEM;
		goto fail;
	}
	virtio_dev_init(&n->vdev, &net_ops, n, vm, irq);
	n->vm = vm;
	n->loop = loop;
	memcpy(n->mac, mac, 6);
	n->status = VIRTIO_NET_S_LINK_UP;
	be->peer = (struct net_peer){ net_receive, net_can_receive, n };
	ret = evloop_add(loop, (struct evloop_source){ net_prepare, net_dispatch, n });
	if (ret) {
		snprintf(err, errlen, "virtio-net: no room for another event source (at most %d)",
			 EVLOOP_MAX_SOURCES);
		goto fail;
	}
	n->be = be;
	return 0;
fail:
	be->ops->destroy(be);
	free(n->txbuf);
	n->txbuf = NULL;
	return ret;
}

int virtio_net_init(struct virtio_net *n, struct vm *vm, struct irq_line irq, struct evloop *loop,
		    const struct net_config *cfg, int index, char *err, size_t errlen)
{
	uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	struct net_peer peer = { net_receive, net_can_receive, n };
	struct net_backend *be = NULL;
	int ret;

	/* the last MAC byte is 0x56 + index, as QEMU */
	if (index < 0 || index > 0xff - 0x56) {
		snprintf(err, errlen, "virtio-net: NIC index %d out of range", index);
		return -EINVAL;
	}
	if (cfg->mac_set)
		memcpy(mac, cfg->mac, 6);
	else
		mac[5] = (uint8_t)(0x56 + index);
	switch (cfg->kind) {
	case NET_USER:
		ret = net_slirp_create(&be, vm, cfg, peer, err, errlen);
		break;
	case NET_TAP:
		ret = net_tap_create(&be, vm, cfg, peer, err, errlen);
		break;
	default:
		snprintf(err, errlen, "virtio-net: unknown back end");
		ret = -EINVAL;
		break;
	}
	if (ret)
		return ret;
	return virtio_net_init_backend(n, vm, irq, loop, mac, be, err, errlen);
}

void virtio_net_destroy(struct virtio_net *n)
{
	pending_drop_all(n);
	if (n->be)
		n->be->ops->destroy(n->be);
	n->be = NULL;
	free(n->txbuf);
	n->txbuf = NULL;
}
