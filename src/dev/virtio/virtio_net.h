/* virtio_net.h - network device (virtio 1.2 section 5.1) with a host back
 * end: user-mode networking (libslirp) or a tap interface.
 *
 * Offered: VIRTIO_NET_F_MAC, VIRTIO_NET_F_STATUS (link always up), and
 * offloads that cut the guest's work per byte, which in an interpreted guest
 * costs far more than the same work on the host:
 * - VIRTIO_NET_F_CSUM: the guest may leave transmit checksums to the
 *   device, which completes them before the back end sees the frame;
 * - VIRTIO_NET_F_HOST_TSO4/TSO6: the guest hands over TCP segments of up to
 *   64 KiB (gso_type, gso_size, csum_start in the virtio_net_hdr). The
 *   device cuts them into MSS-sized frames with their own IP lengths, ids,
 *   sequence numbers, flags and checksums, or, for a back end that takes a
 *   large TCP segment as it is (libslirp, IPv4), passes the segment whole
 *   with its lengths and checksums completed: libslirp then acknowledges
 *   64 KiB at once, so the guest also handles far fewer ACKs;
 * - VIRTIO_NET_F_GUEST_CSUM: received TCP/UDP packets whose checksum the
 *   device verified carry DATA_VALID, and the guest skips its own pass.
 * No receive segmentation offloads, no mergeable receive buffers: every
 * received frame goes into one buffer behind a 12-byte virtio_net_hdr with
 * num_buffers = 1 (VERSION_1 layout, section 5.1.6). Queues: 0 receiveq,
 * 1 transmitq, 256 entries each. Config space: mac[6], status.
 *
 * Threading: the device, its rings and the back end are touched only on the
 * thread that runs evloop_poll() on `loop` (the vCPU thread of the
 * interpreter, which also runs the MMIO callbacks). The NIC registers one
 * evloop source that polls the back end; the evloop cannot remove sources,
 * so virtio_net_destroy() must come after the last evloop_poll() on `loop`.
 */
#ifndef MACHINA_DEV_VIRTIO_NET_H
#define MACHINA_DEV_VIRTIO_NET_H

#include "dev/virtio/virtio.h"
#include "host/evloop.h"
#include "host/net_opts.h"

#define VIRTIO_ID_NET 1

/* feature bits (section 5.1.3) */
#define VIRTIO_NET_F_CSUM 0
#define VIRTIO_NET_F_GUEST_CSUM 1
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_HOST_TSO4 11
#define VIRTIO_NET_F_HOST_TSO6 12
#define VIRTIO_NET_F_HOST_ECN 13
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_NET_F_STATUS 16
#define VIRTIO_NET_S_LINK_UP 1

/* struct virtio_net_hdr: flags and gso_type (section 5.1.6) */
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define VIRTIO_NET_HDR_F_DATA_VALID 2
#define VIRTIO_NET_HDR_GSO_NONE 0
#define VIRTIO_NET_HDR_GSO_TCPV4 1
#define VIRTIO_NET_HDR_GSO_TCPV6 4
#define VIRTIO_NET_HDR_GSO_ECN 0x80

#define VIRTIO_NET_RXQ 0
#define VIRTIO_NET_TXQ 1
#define VIRTIO_NET_QUEUE_SIZE 256
#define VIRTIO_NET_HDR_LEN 12		/* struct virtio_net_hdr with num_buffers */
#define VIRTIO_NET_CONFIG_SIZE 8	/* mac[6], status (le16) */
/* a TSO request's frame: an IP packet of at most 65535 bytes behind an
 * Ethernet header and up to two VLAN tags */
#define VIRTIO_NET_GSO_MAX_FRAME (NET_ETH_HLEN + 8 + 65535)

/* Frames from the back end wait here while the guest has no receive buffer:
 * at most this many frames and bytes (the guest does not control how much
 * the host sends; beyond the bound frames are dropped and counted, as a full
 * NIC FIFO would, and TCP backs off). */
#define VIRTIO_NET_RX_PENDING_MAX 256
#define VIRTIO_NET_RX_PENDING_BYTES (2u << 20)

struct virtio_net_stats {
	uint64_t tx_frames;		/* handed to the back end */
	uint64_t tx_dropped;		/* malformed, short or oversized requests */
	uint64_t rx_frames;		/* delivered into guest buffers */
	uint64_t rx_dropped;		/* device not live, queue full, buffer too small */
};

struct virtio_net_frame {
	size_t len;
	uint8_t data[];
};

struct virtio_net {
	struct virtio_dev vdev;		/* first: the transport sees only this */
	struct vm *vm;
	struct evloop *loop;
	struct net_backend *be;
	/* guest-visible */
	uint8_t mac[6];
	uint16_t status;
	/* device-side */
	bool tx_more;			/* a TX batch hit its bound: continue from the evloop */
	struct virtio_net_frame *pending[VIRTIO_NET_RX_PENDING_MAX];	/* FIFO */
	unsigned pending_head, pending_count;
	size_t pending_bytes;
	struct virtio_net_stats stats;
	struct ratelimit rl;
	/* the back end takes a TSO request's IPv4 TCP segment whole, as one
	 * large IP packet (libslirp: its TCP accepts segments of any size and
	 * acknowledges each at once), instead of MSS-sized frames */
	bool be_whole_tcp4;
	uint8_t *txbuf;			/* VIRTIO_NET_GSO_MAX_FRAME bytes: one linearized TX frame */
	uint8_t *segbuf;		/* NET_MAX_FRAME bytes: one segment of a TSO frame */
	struct virtq_elem rx_elem;	/* the RX request being filled */
	struct virtq_elem tx_elem;	/* separate: a back end may answer into RX while TX runs */
};

/* Parse-time options are in host/net_opts.h (net_parse_option). index: which
 * NIC this is (0, 1, ...), for the default MAC 52:54:00:12:34:(56 + index)
 * as QEMU. Returns 0, or -errno with a message in err. */
int must_check virtio_net_init(struct virtio_net *n, struct vm *vm, struct irq_line irq,
			       struct evloop *loop, const struct net_config *cfg, int index,
			       char *err, size_t errlen);
/* the same with a back end made by the caller (tests): the NIC takes
 * ownership of be (destroyed by virtio_net_destroy, or here on failure) and
 * sets its peer */
int must_check virtio_net_init_backend(struct virtio_net *n, struct vm *vm, struct irq_line irq,
				       struct evloop *loop, const uint8_t mac[6],
				       struct net_backend *be, char *err, size_t errlen);
void virtio_net_destroy(struct virtio_net *n);

#endif
