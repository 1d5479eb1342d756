/* net: a virtio-net driver at CPL3 over virtio-mmio version 2, talking to
 * user-mode networking (slirp: the guest is 10.0.2.15, the gateway 10.0.2.2,
 * which also stands for the host's 127.0.0.1).
 *   net.probe  device id 1, VERSION_1 (+ MAC, STATUS when offered), the MAC
 *              from the configuration (52:54:00:12:34:56 without F_MAC),
 *              receive queue 0 filled with 16 buffers, transmit queue 1
 *   net.arp    ARP request for the gateway, the reply by polling (the
 *              device interrupt masked): gw_mac=...
 *   net.icmp   ICMP echo request to the gateway with a payload naming
 *              `net_token`, the echo reply by interrupt, same id, sequence
 *              and payload
 *   net.udp    UDP datagram "machina-udp-ping TOKEN" from port 40000 to
 *              gateway:`net_port`, which slirp forwards to the host's
 *              127.0.0.1:PORT, where the test script's server answers
 *              "machina-udp-pong TOKEN"; the guest prints the reply
 *   net.irq    interrupts were taken
 * Received frames are checked (IP header, ICMP and UDP checksums); ARP
 * requests for our address are answered; other frames are ignored. */
#include "rt/virtio.h"

const char test_name[] = "net";

#define VIRTIO_NET_F_MAC	5
#define VIRTIO_NET_F_STATUS	16
#define VIRTIO_NET_S_LINK_UP	1
#define RX_BUFS			16
#define BUF_SIZE		2048
#define TIMEOUT_MS		5000
#define UDP_SRC_PORT		40000

/* Every buffer starts with this header (12 bytes with VERSION_1, which
 * always includes num_buffers); all zero on transmit: no offloads */
struct virtio_net_hdr {
	uint8_t flags, gso_type;
	uint16_t hdr_len, gso_size, csum_start, csum_offset, num_buffers;
} __attribute__((packed));
#define NET_HDR_LEN	sizeof(struct virtio_net_hdr)

static struct virtio_dev dev;
static struct virtq rxq, txq;
static uint8_t *rx_buf_of[256];		/* receive buffer of each descriptor head */
static uint8_t *tx_hdr, *tx_frame;
static uint8_t mac[6], gw_mac[6];
static uint32_t my_ip, gw_ip;		/* host byte order */
static unsigned arp_replies_sent;

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, (uint16_t)v); }

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += be16(p);
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t parse_ip(const char *s)
{
	uint32_t ip = 0;
	for (int i = 0; i < 4; i++) {
		ip = ip << 8 | (uint32_t)parse_u64(s, &s);
		if (*s == '.')
			s++;
	}
	return ip;
}

static void fmt_mac(char *buf, const uint8_t *m)
{
	fmt(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void rx_post(uint8_t *buf)
{
	struct vbuf b = { buf, BUF_SIZE, 1 };
	int h = virtq_add(&rxq, &b, 1);
	if (h >= 0)
		rx_buf_of[h] = buf;
}

/* Send one Ethernet frame (built in tx_frame, padded to 60 bytes): the
 * header and the frame as a two-descriptor chain; wait for the transmit
 * queue to return it (polling). */
static int send_frame(const char *name, size_t len)
{
	uint32_t head, used_len;
	if (len < 60) {
		memset(tx_frame + len, 0, 60 - len);
		len = 60;
	}
	struct vbuf b[2] = { { tx_hdr, NET_HDR_LEN, 0 }, { tx_frame, (uint32_t)len, 0 } };
	if (virtq_add(&txq, b, 2) < 0) {
		fail(name, "no free transmit descriptors");
		return -1;
	}
	virtq_kick(&dev, &txq);
	if (virtq_wait(&dev, &txq, WAIT_POLL, TIMEOUT_MS, &head, &used_len) < 0) {
		fail(name, "the transmit queue did not return the frame within %d ms", TIMEOUT_MS);
		return -1;
	}
	return 0;
}

static size_t eth_header(uint8_t *f, const uint8_t *dst, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, mac, 6);
	put16(f + 12, type);
	return 14;
}

/* ARP (RFC 826) for IPv4 over Ethernet: 28 bytes after the Ethernet header */
static size_t arp_build(uint8_t *f, uint16_t oper, const uint8_t *tha, uint32_t tpa, const uint8_t *eth_dst)
{
	size_t n = eth_header(f, eth_dst, 0x0806);
	uint8_t *a = f + n;
	put16(a + 0, 1);		/* hardware: Ethernet */
	put16(a + 2, 0x0800);		/* protocol: IPv4 */
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, oper);		/* 1 request, 2 reply */
	memcpy(a + 8, mac, 6);
	put32(a + 14, my_ip);
	memcpy(a + 18, tha, 6);
	put32(a + 24, tpa);
	return n + 28;
}

/* IPv4 header without options; returns the offset of the payload */
static size_t ip_build(uint8_t *f, uint8_t proto, size_t payload_len)
{
	static uint16_t ip_id = 1;
	size_t n = eth_header(f, gw_mac, 0x0800);
	uint8_t *ip = f + n;
	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, (uint16_t)(20 + payload_len));
	put16(ip + 4, ip_id++);
	put16(ip + 6, 0x4000);		/* don't fragment */
	ip[8] = 64;
	ip[9] = proto;
	put16(ip + 10, 0);
	put32(ip + 12, my_ip);
	put32(ip + 16, gw_ip);
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	return n + 20;
}

/* A received IPv4 packet from the gateway to us with a valid header:
 * returns the payload and its length, or 0 */
static const uint8_t *ip_check(const uint8_t *f, size_t len, uint8_t proto, size_t *plen)
{
	if (len < 34 || be16(f + 12) != 0x0800)
		return 0;
	const uint8_t *ip = f + 14;
	size_t ihl = (ip[0] & 0xf) * 4, tot = be16(ip + 2);
	if ((ip[0] >> 4) != 4 || ihl < 20 || tot < ihl || 14 + tot > len || ip[9] != proto)
		return 0;
	if (be32(ip + 12) != gw_ip || be32(ip + 16) != my_ip || csum_fold(csum_add(0, ip, ihl)) != 0)
		return 0;
	*plen = tot - ihl;
	return ip + ihl;
}

/* ---- receiving: `match` returns 1 for the frame we wait for */
typedef int match_fn(const uint8_t *frame, size_t len, void *ctx);

static void answer_arp(const uint8_t *f, size_t len)
{
	const uint8_t *a = f + 14;
	if (len < 42 || be16(f + 12) != 0x0806 || be16(a + 6) != 1 || be32(a + 24) != my_ip)
		return;
	uint8_t sha[6];
	memcpy(sha, a + 8, 6);
	size_t n = arp_build(tx_frame, 2, sha, be32(a + 14), sha);
	if (send_frame("net.arp-reply", n) == 0)
		arp_replies_sent++;
}

static int receive(const char *name, match_fn *match, void *ctx, enum wait_mode mode)
{
	uint64_t dl = deadline_ms(TIMEOUT_MS);
	unsigned frames = 0;

	for (;;) {
		uint32_t head, len;
		int found = 0, r;
		while (!found && (r = virtq_get(&rxq, &head, &len)) != 0) {
			if (r < 0 || head >= rxq.size || !rx_buf_of[head]) {
				fail(name, "bad used element on the receive queue (id %u)", head);
				return -1;
			}
			uint8_t *buf = rx_buf_of[head];
			frames++;
			if (len > NET_HDR_LEN && len <= BUF_SIZE) {
				const uint8_t *f = buf + NET_HDR_LEN;
				found = match(f, len - NET_HDR_LEN, ctx);
				if (!found)
					answer_arp(f, len - NET_HDR_LEN);
			}
			rx_post(buf);
			virtq_kick(&dev, &rxq);
		}
		if (found)
			return 0;
		if (virtio_wait(&dev, &rxq, mode, dl) < 0) {
			fail(name, "no answer within %d ms (%s, %u other frames, irqs %lu)", TIMEOUT_MS,
			     mode == WAIT_IRQ ? "waiting for interrupts" : "polling", frames, (uint64_t)dev.irqs);
			return -1;
		}
	}
}

/* ---- the checks */

static int match_arp_reply(const uint8_t *f, size_t len, void *ctx)
{
	const uint8_t *a = f + 14;
	(void)ctx;
	if (len < 42 || be16(f + 12) != 0x0806 || be16(a + 6) != 2 || be32(a + 14) != gw_ip ||
	    be32(a + 24) != my_ip || memcmp(f, mac, 6) != 0)
		return 0;
	memcpy(gw_mac, a + 8, 6);
	return 1;
}

struct icmp_ctx {
	uint16_t id, seq;
	const char *payload;
};

static int match_echo_reply(const uint8_t *f, size_t len, void *ctx)
{
	struct icmp_ctx *c = ctx;
	size_t plen, n = strlen(c->payload);
	const uint8_t *p = ip_check(f, len, 1, &plen);
	return p && plen == 8 + n && p[0] == 0 && p[1] == 0 && be16(p + 4) == c->id && be16(p + 6) == c->seq &&
	       csum_fold(csum_add(0, p, plen)) == 0 && memcmp(p + 8, c->payload, n) == 0;
}

struct udp_ctx {
	uint16_t port;
	char reply[128];
};

static int match_udp(const uint8_t *f, size_t len, void *ctx)
{
	struct udp_ctx *c = ctx;
	size_t plen;
	const uint8_t *u = ip_check(f, len, 17, &plen);
	if (!u || plen < 8 || be16(u) != c->port || be16(u + 2) != UDP_SRC_PORT || be16(u + 4) > plen ||
	    be16(u + 4) < 8)
		return 0;
	size_t ulen = be16(u + 4);
	if (be16(u + 6)) {	/* checksum present: pseudo-header + UDP */
		uint8_t ph[12];
		put32(ph, gw_ip);
		put32(ph + 4, my_ip);
		ph[8] = 0;
		ph[9] = 17;
		put16(ph + 10, (uint16_t)ulen);
		if (csum_fold(csum_add(csum_add(0, ph, 12), u, ulen)) != 0)
			return 0;
	}
	size_t n = ulen - 8 < sizeof(c->reply) - 1 ? ulen - 8 : sizeof(c->reply) - 1;
	for (size_t i = 0; i < n; i++)	/* printable only: it goes on the console */
		c->reply[i] = u[8 + i] >= 0x20 && u[8 + i] < 0x7f ? (char)u[8 + i] : '?';
	c->reply[n] = 0;
	return 1;
}

static int probe(void)
{
	if (virtio_find("net.probe", 1, &dev) < 0 ||
	    virtio_negotiate("net.probe", &dev, 1ull << VIRTIO_NET_F_MAC | 1ull << VIRTIO_NET_F_STATUS) < 0)
		return -1;
	static const uint8_t default_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	memcpy(mac, default_mac, 6);
	if (dev.negotiated & (1ull << VIRTIO_NET_F_MAC))
		for (int i = 0; i < 6; i++)
			mac[i] = mmio_read8(dev.base + VIRTIO_MMIO_CONFIG + i);
	if (virtio_queue_init("net.probe", &dev, &rxq, 0, RX_BUFS) < 0 ||
	    virtio_queue_init("net.probe", &dev, &txq, 1, 8) < 0 || virtio_irq_setup("net.probe", &dev, 1) < 0)
		return -1;
	for (unsigned i = 0; i < rxq.size; i++)
		rx_post(dma_alloc(BUF_SIZE, 64));
	tx_hdr = dma_alloc(NET_HDR_LEN, 16);
	tx_frame = dma_alloc(BUF_SIZE, 64);
	virtio_driver_ok(&dev);
	virtq_kick(&dev, &rxq);
	if (dev.negotiated & (1ull << VIRTIO_NET_F_STATUS)) {
		uint16_t st = mmio_read8(dev.base + VIRTIO_MMIO_CONFIG + 6) |
			      mmio_read8(dev.base + VIRTIO_MMIO_CONFIG + 7) << 8;
		if (!(st & VIRTIO_NET_S_LINK_UP)) {
			fail("net.probe", "link down (config status 0x%x)", st);
			return -1;
		}
	}
	char m[18];
	fmt_mac(m, mac);
	ok("net.probe", "base=0x%lx gsi=%u mac=%s features=0x%lx rx_bufs=%u", (uint64_t)dev.base, dev.gsi, m,
	   dev.features, rxq.size);
	return 0;
}

void test_main(void)
{
	const char *token = param_str("net_token", "machina");
	uint16_t port = (uint16_t)param_u64("net_port", 0);
	char m[18], payload[96];
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, zero[6] = { 0 };

	my_ip = parse_ip(param_str("net_ip", "10.0.2.15"));
	gw_ip = parse_ip(param_str("net_gw", "10.0.2.2"));
	lapic_init();
	if (probe() < 0)
		return;

	/* ARP, by polling */
	if (send_frame("net.arp", arp_build(tx_frame, 1, zero, gw_ip, bcast)) < 0 ||
	    receive("net.arp", match_arp_reply, 0, WAIT_POLL) < 0)
		return;
	fmt_mac(m, gw_mac);
	ok("net.arp", "gw_mac=%s", m);

	/* from here on, by interrupt */
	uint32_t isr = vio_read(&dev, VIRTIO_MMIO_INTERRUPT_STATUS);
	if (isr)
		vio_write(&dev, VIRTIO_MMIO_INTERRUPT_ACK, isr);
	virtio_irq_mask(&dev, 0);
	irq_enable();

	/* ICMP echo (RFC 792): type 8, code 0, checksum, id, sequence, data */
	struct icmp_ctx ic = { 0x4d41, 1, payload };
	fmt(payload, sizeof(payload), "machina-icmp %s", token);
	size_t n = strlen(payload), off = ip_build(tx_frame, 1, 8 + n);
	uint8_t *icmp = tx_frame + off;
	icmp[0] = 8;
	icmp[1] = 0;
	put16(icmp + 2, 0);
	put16(icmp + 4, ic.id);
	put16(icmp + 6, ic.seq);
	memcpy(icmp + 8, payload, n);
	put16(icmp + 2, csum_fold(csum_add(0, icmp, 8 + n)));
	if (send_frame("net.icmp", off + 8 + n) == 0 && receive("net.icmp", match_echo_reply, &ic, WAIT_IRQ) == 0)
		ok("net.icmp", "echo reply id=0x%x seq=%u payload=\"%s\"", ic.id, ic.seq, payload);

	/* UDP (RFC 768) to the host's server through slirp */
	if (!port) {
		fail("net.udp", "no net_port= on the command line");
	} else {
		struct udp_ctx uc = { .port = port };
		fmt(payload, sizeof(payload), "machina-udp-ping %s", token);
		n = strlen(payload);
		off = ip_build(tx_frame, 17, 8 + n);
		uint8_t *u = tx_frame + off, ph[12];
		put16(u, UDP_SRC_PORT);
		put16(u + 2, port);
		put16(u + 4, (uint16_t)(8 + n));
		put16(u + 6, 0);
		memcpy(u + 8, payload, n);
		put32(ph, my_ip);
		put32(ph + 4, gw_ip);
		ph[8] = 0;
		ph[9] = 17;
		put16(ph + 10, (uint16_t)(8 + n));
		uint16_t c = csum_fold(csum_add(csum_add(0, ph, 12), u, 8 + n));
		put16(u + 6, c ? c : 0xffff);
		if (send_frame("net.udp", off + 8 + n) == 0 && receive("net.udp", match_udp, &uc, WAIT_IRQ) == 0)
			ok("net.udp", "sent=\"%s\" reply=\"%s\"", payload, uc.reply);
	}

	irq_disable();
	if (!dev.irqs || !(dev.isr_seen & 1))
		fail("net.irq", "no device interrupt (irqs %lu, InterruptStatus bits seen 0x%x)", (uint64_t)dev.irqs,
		     dev.isr_seen);
	else
		ok("net.irq", "irqs=%lu isr=0x%x arp_replies=%u", (uint64_t)dev.irqs, dev.isr_seen,
		   arp_replies_sent);
	virtio_irq_mask(&dev, 1);
	virtio_reset(&dev);
}
