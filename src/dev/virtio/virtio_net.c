/* virtio_net.c - virtio network device (virtio 1.2 section 5.1).
 *
 * TX: a transmit request is a chain of device-readable buffers holding the
 * 12-byte virtio_net_hdr and the frame. It is checked, linearized into
 * txbuf, returned to the guest (used length 0) and handed to the back end:
 * a TSO request (gso_type TCPV4/TCPV6) as segments or, when the back end
 * takes it (be_whole_tcp4), as one large IPv4 packet.
 * RX: a frame from the back end goes into the next receive buffer behind a
 * header with num_buffers = 1 (and DATA_VALID when its TCP/UDP checksum was
 * verified); when the guest has none, it waits in a bounded FIFO that the
 * next receive-queue notification drains.
 */
#include <endian.h>
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

/* ---- Internet checksums ---- */

/* Add the big-endian 16-bit words of p[0..len) to a ones' complement
 * accumulator (an odd last byte is padded with zero). 32 bits at a time into
 * 64: equal modulo 0xffff to the sum of 16-bit words. */
static uint64_t csum_add(uint64_t acc, const uint8_t *p, size_t len)
{
	while (len >= 8) {
		uint64_t v;

		memcpy(&v, p, 8);
		v = be64toh(v);
		acc += (v >> 32) + (v & 0xffffffffu);
		p += 8;
		len -= 8;
	}
	for (; len >= 2; p += 2, len -= 2)
		acc += (uint32_t)p[0] << 8 | p[1];
	if (len)
		acc += (uint32_t)p[0] << 8;
	return acc;
}

/* the checksum to store: the folded complement, big-endian */
static void csum_store(uint8_t *at, uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	acc = ~acc & 0xffff;
	at[0] = (uint8_t)(acc >> 8);
	at[1] = (uint8_t)acc;
}

static uint16_t rd16be(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void wr16be(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t hdr16(const uint8_t *hdr, unsigned off)
{
	return (uint16_t)(hdr[off] | hdr[off + 1] << 8);	/* le16 (VERSION_1) */
}

/* ---- receive ---- */

/* VIRTIO_NET_F_GUEST_CSUM: is this a TCP or UDP packet over IPv4 or IPv6
 * (no VLAN tag, fragment or IPv6 extension header) whose checksum is right?
 * Checked here, whatever the back end, so DATA_VALID never vouches for a
 * packet nobody verified; the guest then skips its own pass over the data. */
static bool rx_csum_valid(const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + NET_ETH_HLEN, *l4;
	size_t l4len;
	uint64_t acc;
	uint8_t proto;

	if (len < NET_ETH_HLEN + 40)
		return false;
	switch (rd16be(f + 12)) {
	case 0x0800: {
		size_t hl = (size_t)(ip[0] & 15) * 4, tot = rd16be(ip + 2);

		if (ip[0] >> 4 != 4 || hl < 20 || tot < hl || tot > len - NET_ETH_HLEN ||
		    (rd16be(ip + 6) & 0x3fff))	/* MF or a fragment offset */
			return false;
		proto = ip[9];
		l4 = ip + hl;
		l4len = tot - hl;
		acc = csum_add(0, ip + 12, 8);
		break;
	}
	case 0x86dd:
		l4len = rd16be(ip + 4);
		if (ip[0] >> 4 != 6 || l4len > len - NET_ETH_HLEN - 40)
			return false;
		proto = ip[6];
		l4 = ip + 40;
		acc = csum_add(0, ip + 8, 32);
		break;
	default:
		return false;
	}
	if (proto == 6) {
		if (l4len < 20)
			return false;
	} else if (proto == 17) {
		if (l4len < 8 || rd16be(l4 + 4) != l4len)
			return false;
		if (!rd16be(l4 + 6))	/* no checksum: valid over IPv4 only */
			return rd16be(f + 12) == 0x0800;
	} else {
		return false;
	}
	acc = csum_add(acc + proto + l4len, l4, l4len);
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return acc == 0xffff;
}

/* Put one frame into the next receive buffer. Returns 1 when a buffer was
 * used (the frame delivered, or dropped because it did not fit), 0 when the
 * guest has no buffer, -EINVAL when the ring is broken (device needs reset). */
static int rx_one(struct virtio_net *n, const uint8_t *frame, size_t len)
{
	struct virtio_dev *vdev = &n->vdev;
	struct virtq_elem *e = &n->rx_elem;
	/* section 5.1.6: flags 0 (or DATA_VALID), gso_type NONE, num_buffers
	 * (le16) = 1 */
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
	if (virtio_has_feature(vdev, VIRTIO_NET_F_GUEST_CSUM) && rx_csum_valid(frame, len))
		hdr[0] = VIRTIO_NET_HDR_F_DATA_VALID;
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

/* Section 5.1.6.2: with VIRTIO_NET_F_CSUM the driver may send a frame whose
 * checksum from csum_start to the end is to be computed by the device and
 * stored at csum_start + csum_offset (which holds the pseudo-header sum the
 * driver put there). false when the offsets point outside the frame. */
static bool tx_complete_csum(const uint8_t *hdr, uint8_t *frame, size_t len)
{
	uint16_t start = hdr16(hdr, 6), off = hdr16(hdr, 8);

	if (start >= len || off > len - start || len - start - off < 2)
		return false;
	csum_store(frame + start + off, csum_add(0, frame + start, len - start));
	return true;
}

/* A TSO frame, parsed: Ethernet (and VLAN tags), IPv4 or IPv6, TCP. */
struct tso {
	bool v6;
	size_t l3;		/* IP header offset */
	size_t l4;		/* TCP header offset (csum_start) */
	size_t hdrs;		/* all headers: l4 + TCP header length */
	size_t mss;		/* gso_size */
};

static const char *tso_parse(const uint8_t *hdr, const uint8_t *f, size_t len, struct tso *t)
{
	unsigned type = hdr[1] & ~VIRTIO_NET_HDR_GSO_ECN;
	size_t l3 = 12;
	uint16_t ethertype;
	unsigned vlans = 0;

	t->v6 = type == VIRTIO_NET_HDR_GSO_TCPV6;
	t->mss = hdr16(hdr, 4);
	t->l4 = hdr16(hdr, 6);
	if (!t->mss)
		return "TSO with gso_size 0";
	/* the Ethernet type, behind at most two VLAN tags */
	while ((ethertype = rd16be(f + l3)) == 0x8100 || ethertype == 0x88a8) {
		if (++vlans > 2 || l3 + 6 > len)
			return "TSO frame with too many VLAN tags";
		l3 += 4;
	}
	l3 += 2;
	t->l3 = l3;
	if (ethertype != (t->v6 ? 0x86dd : 0x0800))
		return "TSO frame whose Ethernet type does not match gso_type";
	if (t->v6) {
		/* extension headers may sit between IPv6 and TCP: csum_start
		 * says where TCP begins */
		if (len < l3 + 40 || f[l3] >> 4 != 6 || t->l4 < l3 + 40)
			return "TSO frame without a valid IPv6 header";
	} else {
		if (len < l3 + 20 || f[l3] >> 4 != 4 || (f[l3] & 15) < 5 ||
		    t->l4 != l3 + (size_t)(f[l3] & 15) * 4 || f[l3 + 9] != 6)
			return "TSO frame without a valid IPv4/TCP header";
	}
	if (t->l4 + 20 > len || (f[t->l4 + 12] >> 4) < 5)
		return "TSO frame without a valid TCP header";
	t->hdrs = t->l4 + (size_t)(f[t->l4 + 12] >> 4) * 4;
	if (t->hdrs > len)
		return "TSO frame shorter than its TCP header";
	return NULL;
}

/* Make f[0..len) (headers as parsed in t) a valid packet: IP lengths and
 * header checksum, and the full TCP checksum (nothing of the driver's
 * partial checksum is relied on). */
static void tso_finish(const struct tso *t, uint8_t *f, size_t len)
{
	uint8_t *ip = f + t->l3, *tcp = f + t->l4;
	size_t tcplen = len - t->l4;
	uint64_t acc;

	if (t->v6) {
		wr16be(ip + 4, (uint16_t)(len - t->l3 - 40));
		acc = csum_add(0, ip + 8, 32) + (uint32_t)tcplen + 6;
	} else {
		wr16be(ip + 2, (uint16_t)(len - t->l3));
		ip[10] = ip[11] = 0;
		csum_store(ip + 10, csum_add(0, ip, t->l4 - t->l3));
		acc = csum_add(0, ip + 12, 8) + (uint32_t)tcplen + 6;
	}
	tcp[16] = tcp[17] = 0;
	csum_store(tcp + 16, csum_add(acc, tcp, tcplen));
}

/* Send a TSO request's frame f[0..len): whole when the back end takes it,
 * else as segments of at most mss payload bytes, each a valid TCP/IP packet
 * (sequence numbers advanced, IPv4 ids incremented, FIN and PSH on the last
 * segment only, CWR on the first only). Returns how many frames went to
 * the back end, 0 when the request is dropped. */
static unsigned tx_tso(struct virtio_net *n, const uint8_t *hdr, uint8_t *f, size_t len,
		       uint64_t req_len)
{
	struct tso t;
	const char *why = tso_parse(hdr, f, len, &t);
	size_t payload, off;
	uint32_t seq;
	uint16_t id;
	unsigned i;

	if (!why && len - t.l3 > 65535)
		why = "TSO packet longer than 65535 bytes";
	if (why) {
		tx_drop(n, why, req_len);
		return 0;
	}
	payload = len - t.hdrs;
	if (len <= NET_MAX_FRAME &&
	    (payload <= t.mss || (n->be_whole_tcp4 && !t.v6))) {
		tso_finish(&t, f, len);
		n->be->ops->send(n->be, f, len);
		return 1;
	}
	if (t.hdrs + t.mss > NET_MAX_FRAME && t.hdrs + payload > NET_MAX_FRAME) {
		tx_drop(n, "TSO segments longer than 65536 bytes", req_len);
		return 0;
	}
	memcpy(&seq, f + t.l4 + 4, 4);
	seq = be32toh(seq);
	id = rd16be(f + t.l3 + 4);
	for (off = 0, i = 0; off < payload; off += t.mss, i++) {
		size_t chunk = payload - off < t.mss ? payload - off : t.mss;
		uint8_t *s = n->segbuf, *tcp = s + t.l4;
		uint32_t sq = htobe32(seq + (uint32_t)off);

		memcpy(s, f, t.hdrs);
		memcpy(s + t.hdrs, f + t.hdrs + off, chunk);
		memcpy(tcp + 4, &sq, 4);
		if (off + chunk < payload)
			tcp[13] &= (uint8_t)~0x09;	/* FIN, PSH */
		if (i)
			tcp[13] &= (uint8_t)~0x80;	/* CWR */
		if (!t.v6)
			wr16be(s + t.l3 + 4, (uint16_t)(id + i));
		tso_finish(&t, s, t.hdrs + chunk);
		n->be->ops->send(n->be, s, t.hdrs + chunk);
	}
	return i;
}

/* Check a transmit request and copy it into hdr and txbuf; the frame's
 * length in *flen. false (counted and logged) when it is dropped. */
static bool tx_copy(struct virtio_net *n, const struct virtq_elem *e, uint8_t *hdr, size_t *flen)
{
	if (e->in_num) {
		tx_drop(n, "it has device-writable buffers", e->out_len + e->in_len);
		return false;
	}
	if (e->out_len < VIRTIO_NET_HDR_LEN + NET_ETH_HLEN) {
		tx_drop(n, "shorter than the 12-byte header and an Ethernet header", e->out_len);
		return false;
	}
	/* the guest can chain up to 1024 x 4 GiB: copy nothing beyond the
	 * largest frame (a TSO one; others are bounded below) */
	if (e->out_len - VIRTIO_NET_HDR_LEN > VIRTIO_NET_GSO_MAX_FRAME) {
		tx_drop(n, "frame longer than 65536 bytes", e->out_len);
		return false;
	}
	*flen = (size_t)(e->out_len - VIRTIO_NET_HDR_LEN);
	/* cannot come up short: out_len counts these bytes */
	return iov_to_buf(e->iov, e->out_num, 0, hdr, VIRTIO_NET_HDR_LEN) == VIRTIO_NET_HDR_LEN &&
	       iov_to_buf(e->iov, e->out_num, VIRTIO_NET_HDR_LEN, n->txbuf, *flen) == *flen;
}

/* One transmit request: checked, linearized into txbuf, returned to the
 * guest (used length 0) and sent. The buffers go back before the back end
 * runs (it may answer at once, into the receive queue), and only after the
 * copy (a guest on another thread may reuse them at once). Returns the
 * number of frames handed to the back end. */
static unsigned tx_one(struct virtio_net *n, struct virtq_elem *e)
{
	struct virtio_dev *vdev = &n->vdev;
	uint8_t hdr[VIRTIO_NET_HDR_LEN];
	unsigned gso;
	size_t flen = 0;
	bool ok = tx_copy(n, e, hdr, &flen);

	virtq_push(vdev, VIRTIO_NET_TXQ, e, 0);
	if (!ok)
		return 0;
	/* gso_type counts only when segmentation offload was negotiated (a
	 * driver without it must send GSO_NONE; whatever else it sends is
	 * ignored, as before TSO existed) */
	gso = hdr[1] & ~VIRTIO_NET_HDR_GSO_ECN;
	if (gso != VIRTIO_NET_HDR_GSO_NONE &&
	    (virtio_has_feature(vdev, VIRTIO_NET_F_HOST_TSO4) ||
	     virtio_has_feature(vdev, VIRTIO_NET_F_HOST_TSO6))) {
		unsigned feature = gso == VIRTIO_NET_HDR_GSO_TCPV4 ? VIRTIO_NET_F_HOST_TSO4 :
				   gso == VIRTIO_NET_HDR_GSO_TCPV6 ? VIRTIO_NET_F_HOST_TSO6 : 0;

		if (!feature || !virtio_has_feature(vdev, feature)) {
			tx_drop(n, "segmentation offload (gso_type) that was not negotiated",
				VIRTIO_NET_HDR_LEN + flen);
			return 0;
		}
		return tx_tso(n, hdr, n->txbuf, flen, VIRTIO_NET_HDR_LEN + flen);
	}
	if (flen > NET_MAX_FRAME) {
		tx_drop(n, "frame longer than 65536 bytes", VIRTIO_NET_HDR_LEN + flen);
		return 0;
	}
	if ((hdr[0] & VIRTIO_NET_HDR_F_NEEDS_CSUM) && virtio_has_feature(vdev, VIRTIO_NET_F_CSUM) &&
	    !tx_complete_csum(hdr, n->txbuf, flen)) {
		tx_drop(n, "checksum offsets outside the frame", VIRTIO_NET_HDR_LEN + flen);
		return 0;
	}
	n->be->ops->send(n->be, n->txbuf, flen);
	return 1;
}

static void tx_run(struct virtio_net *n)
{
	struct virtio_dev *vdev = &n->vdev;
	struct virtq_elem *e = &n->tx_elem;
	/* at most a queue's worth of requests, and about four queues' worth
	 * of frames to the back end (a TSO request makes many), per call: one
	 * notification keeps the vCPU for a bounded time; anything left (only
	 * possible if the guest adds requests while we work) continues from
	 * the evloop */
	unsigned num = vdev->vq[VIRTIO_NET_TXQ].num, frames = 0, k;
	int r = 0;

	n->tx_more = false;
	for (k = 0; k < num && frames < 4 * num; k++) {
		unsigned sent;

		r = virtq_pop(vdev, VIRTIO_NET_TXQ, e);
		if (r <= 0)
			break;
		sent = tx_one(n, e);
		n->stats.tx_frames += sent;
		frames += sent ? sent : 1;
	}
	if (r > 0 && virtq_has_request(vdev, VIRTIO_NET_TXQ))
		n->tx_more = true;
	if (k)
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
	/* TSO needs CSUM (section 5.1.3.1) */
	.features = (1ull << VIRTIO_NET_F_CSUM) | (1ull << VIRTIO_NET_F_MAC) |
		    (1ull << VIRTIO_NET_F_STATUS) | (1ull << VIRTIO_NET_F_HOST_TSO4) |
		    (1ull << VIRTIO_NET_F_HOST_TSO6) | (1ull << VIRTIO_NET_F_GUEST_CSUM),
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
	n->txbuf = malloc(VIRTIO_NET_GSO_MAX_FRAME);
	n->segbuf = malloc(NET_MAX_FRAME);
	if (!n->txbuf || !n->segbuf) {
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
	free(n->segbuf);
	n->txbuf = n->segbuf = NULL;
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
	ret = virtio_net_init_backend(n, vm, irq, loop, mac, be, err, errlen);
	/* libslirp's TCP takes a TSO segment whole (IPv4; its IPv6 input
	 * refuses packets above its 1500-byte MTU) */
	if (!ret)
		n->be_whole_tcp4 = cfg->kind == NET_USER;
	return ret;
}

void virtio_net_destroy(struct virtio_net *n)
{
	pending_drop_all(n);
	if (n->be)
		n->be->ops->destroy(n->be);
	n->be = NULL;
	free(n->txbuf);
	free(n->segbuf);
	n->txbuf = n->segbuf = NULL;
}
