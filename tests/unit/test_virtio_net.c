/* test_virtio_net.c - the --net option parser (src/host/net_opts.c) and the
 * virtio-net device (src/dev/virtio/virtio_net.c) driven as a guest driver
 * would: registers through as_read/as_write on the virtio-mmio transport,
 * rings and buffers laid out by hand in guest RAM. Back ends: a fake that
 * records frames (deterministic TX/RX checks), libslirp itself (a DHCP
 * exchange, ARP, a host forward) and, when the host allows it, a real tap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/vm.h"
#include "dev/virtio/virtio_mmio.h"
#include "dev/virtio/virtio_net.h"
#include "host/evloop.h"
#include "host/net_opts.h"

/* ================= option parser ================= */

static void test_parse_user(void **state)
{
	struct net_config c;
	char err[256];

	assert_int_equal(net_parse_option("user", &c, err, sizeof(err)), 0);
	assert_int_equal(c.kind, NET_USER);
	assert_false(c.mac_set);
	assert_int_equal(c.nr_hostfwd, 0);

	assert_int_equal(net_parse_option("user,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=udp::5353-:53,"
					  "mac=52:54:00:AB:cd:01,hostfwd=::2222-10.0.2.15:22",
					  &c, err, sizeof(err)), 0);
	assert_int_equal(c.kind, NET_USER);
	assert_true(c.mac_set);
	const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0x01 };
	assert_memory_equal(c.mac, mac, 6);
	assert_int_equal(c.nr_hostfwd, 3);
	assert_false(c.hostfwd[0].udp);
	assert_int_equal(c.hostfwd[0].host_addr.s_addr, htonl(INADDR_LOOPBACK));
	assert_int_equal(c.hostfwd[0].host_port, 8080);
	assert_int_equal(c.hostfwd[0].guest_port, 80);
	assert_true(c.hostfwd[1].udp);
	assert_int_equal(c.hostfwd[1].host_addr.s_addr, htonl(INADDR_LOOPBACK));
	assert_int_equal(c.hostfwd[1].host_port, 5353);
	assert_int_equal(c.hostfwd[1].guest_port, 53);
	assert_false(c.hostfwd[2].udp);	/* empty protocol: tcp */
	assert_int_equal(c.hostfwd[2].host_port, 2222);
	assert_int_equal(c.hostfwd[2].guest_port, 22);

	assert_int_equal(net_parse_option("user,hostfwd=tcp:0.0.0.0:65535-:1", &c, err, sizeof(err)), 0);
	assert_int_equal(c.hostfwd[0].host_addr.s_addr, 0);
	assert_int_equal(c.hostfwd[0].host_port, 65535);
	assert_int_equal(c.hostfwd[0].guest_port, 1);

	/* the same port on two protocols is two forwards */
	assert_int_equal(net_parse_option("user,hostfwd=tcp::80-:80,hostfwd=udp::80-:80", &c, err,
					  sizeof(err)), 0);
	assert_int_equal(c.nr_hostfwd, 2);

	/* exactly the maximum */
	char buf[1024] = "user";
	for (int i = 0; i < NET_MAX_HOSTFWD; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ",hostfwd=tcp::%d-:%d", 9000 + i, i + 1);
	assert_int_equal(net_parse_option(buf, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nr_hostfwd, NET_MAX_HOSTFWD);
	assert_int_equal(c.hostfwd[15].host_port, 9015);
}

static void test_parse_tap(void **state)
{
	struct net_config c;
	char err[256];

	assert_int_equal(net_parse_option("tap,ifname=tap0", &c, err, sizeof(err)), 0);
	assert_int_equal(c.kind, NET_TAP);
	assert_string_equal(c.ifname, "tap0");
	assert_false(c.mac_set);

	assert_int_equal(net_parse_option("tap,mac=02:00:00:00:00:01,ifname=abcdefghijklmno", &c, err,
					  sizeof(err)), 0);
	assert_string_equal(c.ifname, "abcdefghijklmno");	/* 15 characters: the limit */
	assert_true(c.mac_set);
	assert_int_equal(c.mac[0], 2);
	assert_int_equal(c.mac[5], 1);
}

static void test_parse_bad(void **state)
{
	static const struct {
		const char *in, *msg;
	} cases[] = {
		{ "", "empty" },
		{ "slirp", "unknown network back end 'slirp'" },
		{ "User", "unknown network back end 'User'" },
		{ "user,", "empty option" },
		{ "user,,mac=52:54:00:12:34:56", "empty option" },
		{ "user,mac", "option 'mac' needs a value" },
		{ "user,foo=1", "unknown option 'foo' for user networking" },
		{ "tap,ifname=t0,hostfwd=tcp::1-:1", "hostfwd is only for user networking" },
		{ "user,ifname=t0", "ifname is only for tap networking" },
		{ "tap", "tap needs ifname" },
		{ "tap,mac=52:54:00:12:34:56", "tap needs ifname" },
		{ "tap,ifname=", "ifname is empty" },
		{ "tap,ifname=abcdefghijklmnop", "ifname 'abcdefghijklmnop' is longer than 15" },
		{ "tap,ifname=a/b", "ifname 'a/b' is not a valid interface name" },
		{ "tap,ifname=a b", "ifname 'a b' is not a valid" },
		{ "tap,ifname=..", "ifname '..' is not a valid" },
		{ "tap,ifname=a,ifname=b", "ifname given twice" },
		{ "user,mac=52:54:00:12:34", "mac '52:54:00:12:34' is not six hex bytes" },
		{ "user,mac=52:54:00:12:34:5g", "mac '52:54:00:12:34:5g' is not six hex bytes" },
		{ "user,mac=52-54-00-12-34-56", "mac '52-54-00-12-34-56' is not six hex bytes" },
		{ "user,mac=52:54:00:12:34:567", "is not six hex bytes" },
		{ "user,mac=01:00:5e:00:00:01", "mac '01:00:5e:00:00:01' is a multicast address" },
		{ "user,mac=00:00:00:00:00:00", "is all zeros" },
		{ "user,mac=52:54:00:12:34:56,mac=52:54:00:12:34:57", "mac given twice" },
		{ "user,hostfwd=tcp:127.0.0.1:8080", "hostfwd 'tcp:127.0.0.1:8080' is not [tcp|udp]" },
		{ "user,hostfwd=8080-:80", "hostfwd '8080-:80' is not [tcp|udp]" },
		{ "user,hostfwd=sctp::1-:1", "protocol 'sctp' is not tcp or udp" },
		{ "user,hostfwd=tcp:localhost:8080-:80", "host address 'localhost' is not an IPv4 address" },
		{ "user,hostfwd=tcp:1.2.3:8080-:80", "host address '1.2.3' is not" },
		{ "user,hostfwd=tcp::0-:80", "host port '0' is not a number in 1-65535" },
		{ "user,hostfwd=tcp::65536-:80", "host port '65536' is not a number" },
		{ "user,hostfwd=tcp::-1-:80", "host port '' is not a number" },
		{ "user,hostfwd=tcp::80x-:80", "host port '80x' is not a number" },
		{ "user,hostfwd=tcp::+80-:80", "host port '+80' is not a number" },
		{ "user,hostfwd=tcp::8080-:", "guest port '' is not a number" },
		{ "user,hostfwd=tcp::8080-:99999", "guest port '99999' is not a number" },
		{ "user,hostfwd=tcp::8080-10.0.2.16:80", "guest address '10.0.2.16' is not supported" },
		{ "user,hostfwd=tcp::8080-:80,hostfwd=tcp:127.0.0.1:8080-:81", "tcp host port 8080 is forwarded twice" },
	};
	struct net_config c;
	char err[256];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(err, 0, sizeof(err));
		int r = net_parse_option(cases[i].in, &c, err, sizeof(err));

		if (r != -EINVAL || !strstr(err, cases[i].msg))
			fail_msg("'%s': got %d '%s', expected -EINVAL with '%s'", cases[i].in, r, err,
				 cases[i].msg);
	}
	/* too many forwards */
	char buf[1024] = "user";
	for (int i = 0; i <= NET_MAX_HOSTFWD; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ",hostfwd=tcp::%d-:%d", 9000 + i, i + 1);
	assert_int_equal(net_parse_option(buf, &c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "too many hostfwd options (at most 16)"));
	/* NULL and a tiny error buffer are safe */
	assert_int_equal(net_parse_option(NULL, &c, err, sizeof(err)), -EINVAL);
	assert_int_equal(net_parse_option("bogus", &c, err, 4), -EINVAL);
	assert_int_equal(strlen(err), 3);
	assert_int_equal(net_parse_option("bogus", &c, NULL, 0), -EINVAL);
}

/* ================= device fixture ================= */

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (8ull << 20)
#define DEV_BASE 0x10001000ull
#define QSZ 256

enum {
	REG_MAGIC = 0x000, REG_VERSION = 0x004, REG_DEVICE_ID = 0x008, REG_VENDOR_ID = 0x00c,
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

/* guest layout: queue q's rings at RAM_BASE + q * 0x10000, buffers from
 * RAM_BASE + 0x100000: queue q, descriptor d -> a 4 KiB slot */
#define Q_DESC(q) (RAM_BASE + (gpa_t)(q) * 0x10000)
#define Q_AVAIL(q) (Q_DESC(q) + 0x1000)
#define Q_USED(q) (Q_DESC(q) + 0x2000)
#define BUF(q, d) (RAM_BASE + 0x100000 + ((gpa_t)(q) * QSZ + (d)) * 0x1000)
#define BIG_BUF (RAM_BASE + 0x400000)	/* 4 MiB scratch for oversized frames */

struct drvq {
	uint16_t avail_idx;	/* next avail entry the driver fills */
	uint16_t used_seen;	/* used entries consumed by the test */
	uint16_t next_desc;
};

#define LOG_FRAMES 128
#define LOG_BYTES (256u << 10)

struct fake_be {
	struct net_backend be;
	int sent;
	size_t last_len;
	uint8_t last[NET_MAX_FRAME];
	/* every frame since the last log_reset(): up to LOG_FRAMES, LOG_BYTES */
	int log_n;
	size_t log_used, log_off[LOG_FRAMES], log_len[LOG_FRAMES];
	uint8_t log[LOG_BYTES];
	bool *destroyed;
};

struct fix {
	struct vm vm;
	struct evloop loop;
	struct virtio_net net;
	struct virtio_mmio mmio;
	bool net_live;		/* virtio_net_init succeeded: destroy in teardown */
	int level;		/* interrupt line */
	int irq_calls;
	struct drvq q[2];
	struct fake_be *fake;	/* when the fake back end is used */
	bool fake_destroyed;
};

static void rec_irq(void *opaque, int n, int level)
{
	struct fix *f = opaque;

	f->level = level;
	f->irq_calls++;
}

static void fake_send(struct net_backend *be, const uint8_t *frame, size_t len)
{
	struct fake_be *fb = (struct fake_be *)be;

	assert_true(len >= NET_ETH_HLEN && len <= NET_MAX_FRAME);
	fb->sent++;
	fb->last_len = len;
	memcpy(fb->last, frame, len);
	if (fb->log_n < LOG_FRAMES && len <= LOG_BYTES - fb->log_used) {
		fb->log_off[fb->log_n] = fb->log_used;
		fb->log_len[fb->log_n++] = len;
		memcpy(fb->log + fb->log_used, frame, len);
		fb->log_used += len;
	}
}

static void log_reset(struct fake_be *fb)
{
	fb->log_n = 0;
	fb->log_used = 0;
}

static void fake_destroy(struct net_backend *be)
{
	struct fake_be *fb = (struct fake_be *)be;

	*fb->destroyed = true;
	free(fb);
}

static const struct net_backend_ops fake_ops = {
	.name = "fake", .send = fake_send, .destroy = fake_destroy,
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f || vm_init(&f->vm, "net-test") || vm_alloc_ram(&f->vm, RAM_BASE, RAM_SIZE))
		return -1;
	evloop_init(&f->loop);
	f->level = -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	if (f->net_live)
		virtio_net_destroy(&f->net);
	if (f->fake)
		assert_true(f->fake_destroyed);
	vm_destroy(&f->vm);
	free(f);
	return 0;
}

static struct irq_line fix_irq(struct fix *f)
{
	return (struct irq_line){ rec_irq, f, 3 };
}

static void map_device(struct fix *f)
{
	virtio_mmio_init(&f->mmio, &f->net.vdev);
	assert_int_equal(as_add_mmio(&f->vm.as, DEV_BASE, VIRTIO_MMIO_SIZE, &virtio_mmio_ops, &f->mmio,
				     "virtio-net"), 0);
	f->net_live = true;
}

static void use_fake(struct fix *f)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	char err[256];

	f->fake = calloc(1, sizeof(*f->fake));
	assert_non_null(f->fake);
	f->fake->be.ops = &fake_ops;
	f->fake->destroyed = &f->fake_destroyed;
	assert_int_equal(virtio_net_init_backend(&f->net, &f->vm, fix_irq(f), &f->loop, mac,
						 &f->fake->be, err, sizeof(err)), 0);
	map_device(f);
}

static void use_slirp(struct fix *f, const struct net_config *cfg)
{
	char err[256] = "";
	int r = virtio_net_init(&f->net, &f->vm, fix_irq(f), &f->loop, cfg, 0, err, sizeof(err));

	if (r)
		fail_msg("virtio_net_init: %d %s", r, err);
	map_device(f);
}

static uint32_t rd(struct fix *f, uint64_t off, unsigned size)
{
	uint64_t v = 0;

	assert_int_equal(as_read(&f->vm.as, DEV_BASE + off, size, &v), 0);
	return (uint32_t)v;
}

static void wr(struct fix *f, uint64_t off, uint32_t v)
{
	assert_int_equal(as_write(&f->vm.as, DEV_BASE + off, 4, v), 0);
}

static uint8_t *ram(struct fix *f, gpa_t gpa, uint64_t len)
{
	uint8_t *p = as_ram_ptr(&f->vm.as, gpa, len);

	assert_non_null(p);
	return p;
}

static void put16(struct fix *f, gpa_t gpa, uint16_t v) { memcpy(ram(f, gpa, 2), &v, 2); }
static void put32(struct fix *f, gpa_t gpa, uint32_t v) { memcpy(ram(f, gpa, 4), &v, 4); }
static void put64(struct fix *f, gpa_t gpa, uint64_t v) { memcpy(ram(f, gpa, 8), &v, 8); }
static uint16_t get16(struct fix *f, gpa_t gpa) { uint16_t v; memcpy(&v, ram(f, gpa, 2), 2); return v; }
static uint32_t get32(struct fix *f, gpa_t gpa) { uint32_t v; memcpy(&v, ram(f, gpa, 4), 4); return v; }

/* the driver's side of section 3.1.1, with VERSION_1 and the given device
 * features; the queues set up with QSZ entries */
static void driver_up(struct fix *f, uint64_t features)
{
	uint64_t offered;

	wr(f, REG_STATUS, 0);
	assert_int_equal(rd(f, REG_MAGIC, 4), 0x74726976);
	assert_int_equal(rd(f, REG_VERSION, 4), 2);
	assert_int_equal(rd(f, REG_DEVICE_ID, 4), 1);
	wr(f, REG_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(f, REG_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(f, REG_DEVICE_FEATURES_SEL, 0);
	offered = rd(f, REG_DEVICE_FEATURES, 4);
	wr(f, REG_DEVICE_FEATURES_SEL, 1);
	offered |= (uint64_t)rd(f, REG_DEVICE_FEATURES, 4) << 32;
	features |= 1ull << VIRTIO_F_VERSION_1;
	assert_int_equal(features & ~offered, 0);
	wr(f, REG_DRIVER_FEATURES_SEL, 0);
	wr(f, REG_DRIVER_FEATURES, (uint32_t)features);
	wr(f, REG_DRIVER_FEATURES_SEL, 1);
	wr(f, REG_DRIVER_FEATURES, (uint32_t)(features >> 32));
	wr(f, REG_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	assert_true(rd(f, REG_STATUS, 4) & VIRTIO_STATUS_FEATURES_OK);
	memset(ram(f, RAM_BASE, 0x20000), 0, 0x20000);
	memset(f->q, 0, sizeof(f->q));
	for (unsigned q = 0; q < 2; q++) {
		wr(f, REG_QUEUE_SEL, q);
		assert_int_equal(rd(f, REG_QUEUE_NUM_MAX, 4), QSZ);
		assert_int_equal(rd(f, REG_QUEUE_READY, 4), 0);
		wr(f, REG_QUEUE_NUM, QSZ);
		wr(f, REG_QUEUE_DESC_LOW, (uint32_t)Q_DESC(q));
		wr(f, REG_QUEUE_DESC_HIGH, (uint32_t)(Q_DESC(q) >> 32));
		wr(f, REG_QUEUE_DRIVER_LOW, (uint32_t)Q_AVAIL(q));
		wr(f, REG_QUEUE_DRIVER_HIGH, (uint32_t)(Q_AVAIL(q) >> 32));
		wr(f, REG_QUEUE_DEVICE_LOW, (uint32_t)Q_USED(q));
		wr(f, REG_QUEUE_DEVICE_HIGH, (uint32_t)(Q_USED(q) >> 32));
		wr(f, REG_QUEUE_READY, 1);
		assert_int_equal(rd(f, REG_QUEUE_READY, 4), 1);
	}
	wr(f, REG_QUEUE_SEL, 2);
	assert_int_equal(rd(f, REG_QUEUE_NUM_MAX, 4), 0);	/* no control queue */
	wr(f, REG_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
			  VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	assert_int_equal(rd(f, REG_STATUS, 4) & VIRTIO_STATUS_NEEDS_RESET, 0);
}

struct seg {
	gpa_t addr;
	uint32_t len;
	bool write;
};

/* make a chain available in queue q (no notify) */
static uint16_t add_chain(struct fix *f, unsigned q, const struct seg *s, int n)
{
	struct drvq *dq = &f->q[q];
	uint16_t head = dq->next_desc % QSZ;

	for (int i = 0; i < n; i++) {
		uint16_t d = dq->next_desc++ % QSZ;
		gpa_t da = Q_DESC(q) + 16ull * d;

		put64(f, da, s[i].addr);
		put32(f, da + 8, s[i].len);
		put16(f, da + 12, (uint16_t)((i + 1 < n ? VIRTQ_DESC_F_NEXT : 0) |
					     (s[i].write ? VIRTQ_DESC_F_WRITE : 0)));
		put16(f, da + 14, (uint16_t)(dq->next_desc % QSZ));
	}
	put16(f, Q_AVAIL(q) + 4 + 2 * (dq->avail_idx % QSZ), head);
	dq->avail_idx++;
	put16(f, Q_AVAIL(q) + 2, dq->avail_idx);
	return head;
}

static uint16_t used_idx(struct fix *f, unsigned q)
{
	return get16(f, Q_USED(q) + 2);
}

/* next used entry of queue q: returns its length, the head in *id */
static uint32_t take_used(struct fix *f, unsigned q, uint16_t *id)
{
	struct drvq *dq = &f->q[q];
	gpa_t e;

	assert_true(used_idx(f, q) != dq->used_seen);
	e = Q_USED(q) + 4 + 8ull * (dq->used_seen % QSZ);
	dq->used_seen++;
	if (id)
		*id = (uint16_t)get32(f, e);
	return get32(f, e + 4);
}

/* post one 4 KiB receive buffer per call, returns its head */
static uint16_t post_rx(struct fix *f)
{
	uint16_t d = f->q[0].next_desc % QSZ;
	struct seg s = { BUF(0, d), 0x1000, true };

	return add_chain(f, 0, &s, 1);
}

static void notify(struct fix *f, unsigned q)
{
	wr(f, REG_QUEUE_NOTIFY, q);
}

/* TX of hdr + frame in one buffer; returns the used length */
static uint32_t tx_frame(struct fix *f, const void *frame, size_t len)
{
	uint16_t d = f->q[1].next_desc % QSZ;
	gpa_t b = BUF(1, d);
	struct seg s = { b, (uint32_t)(VIRTIO_NET_HDR_LEN + len), false };

	assert_true(VIRTIO_NET_HDR_LEN + len <= 0x1000);
	memset(ram(f, b, VIRTIO_NET_HDR_LEN), 0, VIRTIO_NET_HDR_LEN);
	memcpy(ram(f, b + VIRTIO_NET_HDR_LEN, len), frame, len);
	add_chain(f, 1, &s, 1);
	notify(f, 1);
	return take_used(f, 1, NULL);
}

static void ack_irq(struct fix *f)
{
	uint32_t isr = rd(f, REG_INTERRUPT_STATUS, 4);

	wr(f, REG_INTERRUPT_ACK, isr);
	assert_int_equal(f->level, 0);
}

/* ================= packets ================= */

static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static uint16_t ip_csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* DHCPDISCOVER from guest_mac: Ethernet + IPv4 + UDP 68->67 + BOOTP with
 * the full 312-byte options field (libslirp wants a whole struct bootp_t) */
static size_t build_dhcp_discover(uint8_t *p, uint32_t xid)
{
	const size_t bootp_len = 236 + 312, udp_len = 8 + bootp_len, ip_len = 20 + udp_len;
	uint8_t *ip = p + 14, *udp = ip + 20, *bp = udp + 8;

	memset(p, 0, 14 + ip_len);
	memset(p, 0xff, 6);
	memcpy(p + 6, guest_mac, 6);
	p[12] = 0x08;
	p[13] = 0x00;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(ip_len >> 8);
	ip[3] = (uint8_t)ip_len;
	ip[8] = 64;
	ip[9] = 17;
	memset(ip + 16, 0xff, 4);	/* 0.0.0.0 -> 255.255.255.255 */
	uint16_t c = ip_csum(ip, 20);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	udp[1] = 68;
	udp[3] = 67;
	udp[4] = (uint8_t)(udp_len >> 8);
	udp[5] = (uint8_t)udp_len;	/* checksum 0: none */
	bp[0] = 1;	/* BOOTREQUEST */
	bp[1] = 1;	/* Ethernet */
	bp[2] = 6;
	memcpy(bp + 4, &xid, 4);
	memcpy(bp + 28, guest_mac, 6);	/* chaddr */
	uint8_t *o = bp + 236;
	o[0] = 99; o[1] = 130; o[2] = 83; o[3] = 99;	/* magic cookie */
	o[4] = 53; o[5] = 1; o[6] = 1;			/* DHCPDISCOVER */
	o[7] = 255;
	return 14 + ip_len;
}

/* ARP request "who has tip" from guest_mac / 10.0.2.15 */
static size_t build_arp_request(uint8_t *p, uint32_t tip)
{
	memset(p, 0, 60);
	memset(p, 0xff, 6);
	memcpy(p + 6, guest_mac, 6);
	p[12] = 0x08; p[13] = 0x06;
	uint8_t *a = p + 14;
	a[1] = 1; a[2] = 0x08; a[4] = 6; a[5] = 4; a[7] = 1;	/* Ethernet/IPv4, request */
	memcpy(a + 8, guest_mac, 6);
	uint32_t sip = htonl(0x0a00020f);
	memcpy(a + 14, &sip, 4);
	tip = htonl(tip);
	memcpy(a + 24, &tip, 4);
	return 60;
}

/* TCP SYN 10.0.2.15:sport -> dst:dport */
static size_t build_tcp_syn(uint8_t *p, uint32_t dst, uint16_t sport, uint16_t dport)
{
	uint8_t *ip = p + 14, *tcp = ip + 20, ph[12 + 20];
	uint32_t src = htonl(0x0a00020f);
	uint16_t c;

	memset(p, 0, 14 + 40);
	memcpy(p, "\x52\x55\x0a\x00\x02\x02", 6);	/* the gateway's MAC */
	memcpy(p + 6, guest_mac, 6);
	p[12] = 0x08;
	ip[0] = 0x45;
	ip[3] = 40;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, &src, 4);
	dst = htonl(dst);
	memcpy(ip + 16, &dst, 4);
	c = ip_csum(ip, 20);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	tcp[0] = (uint8_t)(sport >> 8);
	tcp[1] = (uint8_t)sport;
	tcp[2] = (uint8_t)(dport >> 8);
	tcp[3] = (uint8_t)dport;
	tcp[7] = 100;		/* seq */
	tcp[12] = 5 << 4;
	tcp[13] = 0x02;		/* SYN */
	tcp[14] = 0xff;
	tcp[15] = 0xff;		/* window */
	/* checksum over the pseudo header and the segment */
	memcpy(ph, ip + 12, 8);
	ph[8] = 0;
	ph[9] = 6;
	ph[10] = 0;
	ph[11] = 20;
	memcpy(ph + 12, tcp, 20);
	c = ip_csum(ph, sizeof(ph));
	tcp[16] = (uint8_t)(c >> 8);
	tcp[17] = (uint8_t)c;
	return 14 + 40;
}

/* run the event loop until queue q's used index moves, up to timeout_ms */
static bool wait_used(struct fix *f, unsigned q, int timeout_ms)
{
	uint64_t end = host_clock_ns() + (uint64_t)timeout_ms * 1000000u;

	while (used_idx(f, q) == f->q[q].used_seen) {
		if (host_clock_ns() > end)
			return false;
		evloop_poll(&f->loop, 10000000u);
	}
	return true;
}

/* ================= device tests ================= */

static void test_config_space(void **state)
{
	struct fix *f = *state;
	struct net_config cfg = { .kind = NET_USER };
	char err[256];
	uint64_t feat;

	use_slirp(f, &cfg);
	assert_int_equal(rd(f, REG_DEVICE_ID, 4), VIRTIO_ID_NET);
	assert_int_equal(rd(f, REG_VENDOR_ID, 4), 0x554d4551);
	wr(f, REG_DEVICE_FEATURES_SEL, 0);
	feat = rd(f, REG_DEVICE_FEATURES, 4);
	wr(f, REG_DEVICE_FEATURES_SEL, 1);
	feat |= (uint64_t)rd(f, REG_DEVICE_FEATURES, 4) << 32;
	assert_true(feat & (1ull << VIRTIO_NET_F_MAC));
	assert_true(feat & (1ull << VIRTIO_NET_F_STATUS));
	assert_true(feat & (1ull << VIRTIO_F_VERSION_1));
	assert_false(feat & (1ull << VIRTIO_NET_F_MRG_RXBUF));
	assert_true(feat & (1ull << VIRTIO_NET_F_CSUM));	/* transmit checksum offload */
	assert_true(feat & (1ull << VIRTIO_NET_F_GUEST_CSUM));	/* receive checksums verified */
	assert_false(feat & 0xc);	/* no CTRL_GUEST_OFFLOADS, MTU */
	/* TCP segmentation offload for transmit (bits 11, 12); no receive
	 * offloads (7..10), no ECN or UFO (13, 14) */
	assert_int_equal(feat & 0x7f80, (1u << VIRTIO_NET_F_HOST_TSO4) | (1u << VIRTIO_NET_F_HOST_TSO6));
	assert_false(feat & (1ull << 17));	/* no control queue */
	/* default MAC of NIC 0, byte by byte as Linux reads it */
	for (int i = 0; i < 6; i++)
		assert_int_equal(rd(f, REG_CONFIG + i, 1), guest_mac[i]);
	assert_int_equal(rd(f, REG_CONFIG + 6, 2), VIRTIO_NET_S_LINK_UP);
	assert_int_equal(rd(f, REG_CONFIG + 4, 4), 0x00015634);	/* mac[4..5], status */
	/* beyond the config space: zero; writes are ignored */
	assert_int_equal(rd(f, REG_CONFIG + 8, 4), 0);
	assert_int_equal(rd(f, REG_CONFIG + 7, 2), 0);
	assert_int_equal(as_write(&f->vm.as, DEV_BASE + REG_CONFIG, 1, 0xaa), 0);
	assert_int_equal(rd(f, REG_CONFIG, 1), 0x52);
	virtio_net_destroy(&f->net);

	/* the second NIC: ...:57; a configured MAC wins */
	assert_int_equal(virtio_net_init(&f->net, &f->vm, fix_irq(f), &f->loop, &cfg, 1, err,
					 sizeof(err)), 0);
	assert_int_equal(rd(f, REG_CONFIG + 5, 1), 0x57);
	virtio_net_destroy(&f->net);
	assert_int_equal(net_parse_option("user,mac=02:11:22:33:44:55", &cfg, err, sizeof(err)), 0);
	assert_int_equal(virtio_net_init(&f->net, &f->vm, fix_irq(f), &f->loop, &cfg, 3, err,
					 sizeof(err)), 0);
	assert_int_equal(rd(f, REG_CONFIG + 0, 4), 0x33221102);
	assert_int_equal(rd(f, REG_CONFIG + 4, 2), 0x5544);
	/* a NIC index whose default MAC does not exist */
	struct virtio_net other;
	cfg.mac_set = false;
	assert_int_equal(virtio_net_init(&other, &f->vm, fix_irq(f), &f->loop, &cfg, 200, err,
					 sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "index 200"));
}

static void test_dhcp_via_slirp(void **state)
{
	struct fix *f = *state;
	struct net_config cfg = { .kind = NET_USER };
	uint8_t frame[1024];
	uint32_t xid = 0x12345678;
	uint16_t head, id;
	size_t len;

	use_slirp(f, &cfg);
	driver_up(f, (1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_STATUS) |
		     (1ull << VIRTIO_F_RING_EVENT_IDX));
	for (int i = 0; i < 8; i++)
		post_rx(f);
	notify(f, 0);
	head = 0;

	len = build_dhcp_discover(frame, xid);
	f->irq_calls = 0;
	assert_int_equal(tx_frame(f, frame, len), 0);
	assert_int_equal(f->net.stats.tx_frames, 1);
	assert_true(wait_used(f, 0, 3000));
	assert_int_equal(f->level, 1);

	uint32_t ulen = take_used(f, 0, &id);
	assert_int_equal(id, head);
	assert_true(ulen > VIRTIO_NET_HDR_LEN + 14 + 20 + 8 + 240);
	const uint8_t *b = ram(f, BUF(0, head), 0x1000);
	/* header: no flags, no GSO, num_buffers = 1 */
	static const uint8_t hdr[12] = { [10] = 1 };
	assert_memory_equal(b, hdr, 12);
	const uint8_t *eth = b + 12, *ip = eth + 14, *udp = ip + 20, *bp = udp + 8;
	assert_int_equal(eth[12], 0x08);
	assert_int_equal(eth[13], 0x00);
	assert_int_equal(ip[9], 17);
	assert_int_equal(udp[0] << 8 | udp[1], 67);
	assert_int_equal(udp[2] << 8 | udp[3], 68);
	assert_int_equal(bp[0], 2);			/* BOOTREPLY */
	assert_memory_equal(bp + 4, &xid, 4);
	assert_memory_equal(bp + 16, "\x0a\x00\x02\x0f", 4);	/* yiaddr 10.0.2.15 */
	assert_memory_equal(bp + 236, "\x63\x82\x53\x63", 4);
	/* option 53 (message type) = 2 (OFFER) */
	bool offer = false;
	for (size_t o = 240; o + 2 < ulen - 12 - 42 && bp[o] != 255;) {
		if (bp[o] == 0) {
			o++;
			continue;
		}
		if (bp[o] == 53 && bp[o + 1] == 1 && bp[o + 2] == 2)
			offer = true;
		o += 2u + bp[o + 1];
	}
	assert_true(offer);
	assert_int_equal(f->net.stats.rx_frames, 1);
	ack_irq(f);

	/* ARP for the gateway is answered at once with 52:55:0a:00:02:02 */
	len = build_arp_request(frame, 0x0a000202);
	assert_int_equal(tx_frame(f, frame, len), 0);
	assert_true(wait_used(f, 0, 1000));
	ulen = take_used(f, 0, &id);
	b = ram(f, BUF(0, id), 0x1000);
	assert_true(ulen >= 12 + 42);
	assert_memory_equal(b + 12, guest_mac, 6);
	assert_int_equal(b[12 + 12], 0x08);
	assert_int_equal(b[12 + 13], 0x06);
	assert_int_equal(b[12 + 14 + 7], 2);	/* ARP reply */
	assert_memory_equal(b + 12 + 14 + 8, "\x52\x55\x0a\x00\x02\x02", 6);
	assert_int_equal(f->net.stats.tx_dropped, 0);
	assert_int_equal(f->net.stats.rx_dropped, 0);
}

/* VIRTIO_NET_F_CSUM: a UDP/IPv4 frame sent with NEEDS_CSUM and the pseudo-
 * header sum in the checksum field leaves the device with the full UDP
 * checksum; offsets outside the frame drop it. */
static void test_tx_csum_offload(void **state)
{
	struct fix *f = *state;
	uint8_t frame[14 + 20 + 8 + 5];
	uint8_t hdr[VIRTIO_NET_HDR_LEN] = { 0 };
	uint16_t start = 14 + 20, off = 6;
	gpa_t b;

	use_fake(f);
	driver_up(f, 1ull << VIRTIO_NET_F_CSUM);
	memset(frame, 0, sizeof(frame));
	frame[12] = 0x08;				/* IPv4 */
	frame[14] = 0x45;
	frame[14 + 9] = 17;				/* UDP */
	memcpy(frame + 14 + 12, "\x0a\x00\x02\x0f\x0a\x00\x02\x02", 8);	/* 10.0.2.15 -> 10.0.2.2 */
	memcpy(frame + start, "\x30\x39\x00\x35\x00\x0d", 6);		/* ports 12345 -> 53, len 13 */
	memcpy(frame + start + 8, "hello", 5);
	/* the pseudo-header sum the driver leaves in the field:
	 * 0a00 + 020f + 0a00 + 0202 + 0011 + 000d = 0x182f */
	frame[start + off] = 0x18;
	frame[start + off + 1] = 0x2f;
	hdr[0] = 1;					/* NEEDS_CSUM */
	memcpy(hdr + 6, &start, 2);
	memcpy(hdr + 8, &off, 2);

	b = BUF(1, 7);
	memcpy(ram(f, b, sizeof(hdr)), hdr, sizeof(hdr));
	memcpy(ram(f, b + sizeof(hdr), sizeof(frame)), frame, sizeof(frame));
	struct seg sg = { b, (uint32_t)(sizeof(hdr) + sizeof(frame)), false };

	add_chain(f, 1, &sg, 1);
	notify(f, 1);
	assert_int_equal(take_used(f, 1, NULL), 0);
	assert_int_equal(f->fake->sent, 1);
	/* ones' complement over the UDP header+data with the pseudo-header:
	 * verified independently: summing the sent segment plus the pseudo
	 * header again must give 0xffff */
	{
		const uint8_t *u = f->fake->last + start;
		uint32_t sum = 0x0a00 + 0x020f + 0x0a00 + 0x0202 + 0x0011 + 0x000d;

		for (unsigned i = 0; i + 1 < 13; i += 2)
			sum += (uint32_t)u[i] << 8 | u[i + 1];
		sum += (uint32_t)u[12] << 8;
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		assert_int_equal(sum, 0xffff);
	}
	/* checksum field beyond the frame: dropped, device stays usable */
	off = 200;
	memcpy(hdr + 8, &off, 2);
	memcpy(ram(f, b, sizeof(hdr)), hdr, sizeof(hdr));
	add_chain(f, 1, &sg, 1);
	notify(f, 1);
	assert_int_equal(take_used(f, 1, NULL), 0);
	assert_int_equal(f->fake->sent, 1);
	assert_int_equal(rd(f, REG_STATUS, 4) & VIRTIO_STATUS_NEEDS_RESET, 0);
}

static void test_tx_checks(void **state)
{
	struct fix *f = *state;
	uint8_t frame[100];

	use_fake(f);
	driver_up(f, 0);
	for (size_t i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)i;

	/* a good frame arrives whole, header stripped */
	assert_int_equal(tx_frame(f, frame, 60), 0);
	assert_int_equal(f->fake->sent, 1);
	assert_int_equal(f->fake->last_len, 60);
	assert_memory_equal(f->fake->last, frame, 60);
	assert_int_equal(f->level, 1);
	ack_irq(f);

	/* header and frame split over odd descriptors (ANY_LAYOUT) */
	gpa_t b = BUF(1, 100);
	memset(ram(f, b, 12), 0, 12);
	memcpy(ram(f, b + 12, 100), frame, 100);
	struct seg split[4] = { { b, 5, false }, { b + 5, 9, false }, { b + 14, 1, false },
				{ b + 15, 97, false } };
	add_chain(f, 1, split, 4);
	notify(f, 1);
	assert_int_equal(take_used(f, 1, NULL), 0);
	assert_int_equal(f->fake->sent, 2);
	assert_int_equal(f->fake->last_len, 100);
	assert_memory_equal(f->fake->last, frame, 100);

	/* shorter than the header, header only, header + runt: dropped */
	struct seg s = { b, 10, false };
	add_chain(f, 1, &s, 1);
	s.len = 12;
	add_chain(f, 1, &s, 1);
	s.len = 12 + 13;
	add_chain(f, 1, &s, 1);
	/* a device-writable buffer in a transmit request */
	struct seg w[2] = { { b, 12 + 60, false }, { b + 0x800, 64, true } };
	add_chain(f, 1, w, 2);
	/* 12 + 65537 bytes: one byte over the frame bound (17 x 4 KiB) */
	struct seg big[17];
	for (int i = 0; i < 17; i++)
		big[i] = (struct seg){ BIG_BUF + 0x1000ull * i, 0x1000, false };
	big[16].len = 12 + 65537 - 16 * 0x1000;
	add_chain(f, 1, big, 17);
	notify(f, 1);
	for (int i = 0; i < 5; i++)
		assert_int_equal(take_used(f, 1, NULL), 0);
	assert_int_equal(f->fake->sent, 2);
	assert_int_equal(f->net.stats.tx_dropped, 5);
	assert_int_equal(rd(f, REG_STATUS, 4) & VIRTIO_STATUS_NEEDS_RESET, 0);

	/* exactly 65536 bytes is fine */
	big[16].len = 12 + 65536 - 16 * 0x1000;
	memset(ram(f, BIG_BUF, 17 * 0x1000), 0xab, 17 * 0x1000);
	memset(ram(f, BIG_BUF, 12), 0, 12);	/* no offloads asked for */
	add_chain(f, 1, big, 17);
	notify(f, 1);
	assert_int_equal(take_used(f, 1, NULL), 0);
	assert_int_equal(f->fake->sent, 3);
	assert_int_equal(f->fake->last_len, 65536);
	assert_int_equal(f->fake->last[65535], 0xab);

	/* a full queue of requests in one notification */
	for (int i = 0; i < QSZ; i++) {
		struct seg one = { BUF(1, i), 12 + 60, false };
		memset(ram(f, BUF(1, i), 12 + 60), i, 12 + 60);
		add_chain(f, 1, &one, 1);
	}
	notify(f, 1);
	assert_int_equal(used_idx(f, 1), f->q[1].used_seen + QSZ);
	f->q[1].used_seen += QSZ;
	assert_int_equal(f->fake->sent, 3 + QSZ);
	assert_false(f->net.tx_more);

	/* a notification for a queue that does not exist is ignored */
	notify(f, 7);
	assert_int_equal(rd(f, REG_STATUS, 4) & VIRTIO_STATUS_NEEDS_RESET, 0);
}

/* ================= TCP segmentation offload ================= */

#define GSO_TCPV4 1
#define GSO_TCPV6 4
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_PSH 0x08
#define TH_ACK 0x10
#define TH_CWR 0x80

static uint8_t pat(size_t i)
{
	return (uint8_t)(i * 7 + 3);
}

/* Ethernet + IPv4 (id 0x1234, DF) or IPv6 + TCP with optlen bytes of options
 * (NOPs) + plen payload bytes pat(0..). The checksum fields get
 * `tcp_csum_garbage` (the device must not depend on them) or, when
 * false, valid values. Returns the frame length; *l4 = TCP offset. */
struct tcpspec {
	bool v6;
	uint32_t src, dst;		/* IPv4; IPv6 uses fec0::15 -> fec0::2 */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	size_t optlen;			/* multiple of 4 */
	size_t plen;
	const uint8_t *payload;		/* NULL: pat() */
	bool garbage_csum;
};

static uint64_t sum16(uint64_t acc, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		acc += (uint32_t)p[len - 1] << 8;
	return acc;
}

static uint16_t fold(uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

static size_t build_tcp(uint8_t *p, const struct tcpspec *t, size_t *l4)
{
	size_t l3 = 14, iphl = t->v6 ? 40 : 20, thl = 20 + t->optlen;
	uint8_t *ip = p + l3, *tcp = ip + iphl;
	size_t len = l3 + iphl + thl + t->plen;

	memset(p, 0, l3 + iphl + thl);
	memcpy(p, "\x52\x55\x0a\x00\x02\x02", 6);
	memcpy(p + 6, guest_mac, 6);
	if (t->v6) {
		p[12] = 0x86; p[13] = 0xdd;
		ip[0] = 0x60;
		ip[4] = (uint8_t)((thl + t->plen) >> 8);
		ip[5] = (uint8_t)(thl + t->plen);
		ip[6] = 6;
		ip[7] = 64;
		memcpy(ip + 8, "\xfe\xc0\0\0\0\0\0\0\0\0\0\0\0\0\0\x15", 16);
		memcpy(ip + 24, "\xfe\xc0\0\0\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
	} else {
		uint32_t a;

		p[12] = 0x08;
		ip[0] = 0x45;
		ip[2] = (uint8_t)((len - l3) >> 8);
		ip[3] = (uint8_t)(len - l3);
		ip[4] = 0x12; ip[5] = 0x34;	/* id */
		ip[6] = 0x40;			/* DF */
		ip[8] = 64;
		ip[9] = 6;
		a = htonl(t->src);
		memcpy(ip + 12, &a, 4);
		a = htonl(t->dst);
		memcpy(ip + 16, &a, 4);
		uint16_t c = ip_csum(ip, 20);
		ip[10] = (uint8_t)(c >> 8);
		ip[11] = (uint8_t)c;
	}
	tcp[0] = (uint8_t)(t->sport >> 8); tcp[1] = (uint8_t)t->sport;
	tcp[2] = (uint8_t)(t->dport >> 8); tcp[3] = (uint8_t)t->dport;
	uint32_t v = htonl(t->seq);
	memcpy(tcp + 4, &v, 4);
	v = htonl(t->ack);
	memcpy(tcp + 8, &v, 4);
	tcp[12] = (uint8_t)((thl / 4) << 4);
	tcp[13] = t->flags;
	tcp[14] = 0xff; tcp[15] = 0xff;	/* window */
	memset(tcp + 20, 1, t->optlen);	/* NOPs */
	for (size_t i = 0; i < t->plen; i++)
		tcp[thl + i] = t->payload ? t->payload[i] : pat(i);
	if (t->garbage_csum) {
		tcp[16] = 0xde; tcp[17] = 0xad;
	} else {
		uint64_t acc = t->v6 ? sum16(0, ip + 8, 32) : sum16(0, ip + 12, 8);
		uint16_t c;

		acc += 6 + thl + t->plen;
		c = (uint16_t)~fold(sum16(acc, tcp, thl + t->plen));
		tcp[16] = (uint8_t)(c >> 8);
		tcp[17] = (uint8_t)c;
	}
	*l4 = l3 + iphl;
	return len;
}

/* a frame as a guest would see it on the wire: lengths and checksums right;
 * returns the TCP payload length, *tcp_out the TCP header */
static size_t check_tcp_frame(const uint8_t *f, size_t len, bool v6, const uint8_t **tcp_out)
{
	const uint8_t *ip = f + 14, *tcp;
	uint64_t acc;
	size_t thl;

	if (v6) {
		assert_int_equal(f[12] << 8 | f[13], 0x86dd);
		assert_int_equal(ip[4] << 8 | ip[5], len - 14 - 40);
		tcp = ip + 40;
		acc = sum16(0, ip + 8, 32);
	} else {
		assert_int_equal(f[12] << 8 | f[13], 0x0800);
		assert_int_equal(ip[2] << 8 | ip[3], len - 14);
		assert_int_equal(fold(sum16(0, ip, 20)), 0xffff);	/* header checksum */
		tcp = ip + 20;
		acc = sum16(0, ip + 12, 8);
	}
	acc += 6 + (size_t)(f + len - tcp);
	assert_int_equal(fold(sum16(acc, tcp, (size_t)(f + len - tcp))), 0xffff);
	thl = (size_t)(tcp[12] >> 4) * 4;
	*tcp_out = tcp;
	return (size_t)(f + len - tcp) - thl;
}

static uint32_t tcp_seq(const uint8_t *tcp)
{
	uint32_t v;

	memcpy(&v, tcp + 4, 4);
	return ntohl(v);
}

/* Transmit hdr + frame from BIG_BUF, split into descriptors of 1000 bytes
 * (a header on its own, then pieces that cut through the packet headers).
 * Returns the used length. */
static uint32_t tx_gso(struct fix *f, const uint8_t *frame, size_t len, uint8_t gso_type,
		       uint16_t gso_size, uint16_t csum_start)
{
	uint8_t hdr[VIRTIO_NET_HDR_LEN] = { 0 };
	uint16_t csum_off = 16;
	struct seg sg[80];
	int n = 0;

	hdr[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	hdr[1] = gso_type;
	memcpy(hdr + 2, &csum_start, 2);	/* hdr_len: a hint */
	memcpy(hdr + 4, &gso_size, 2);
	memcpy(hdr + 6, &csum_start, 2);
	memcpy(hdr + 8, &csum_off, 2);
	memcpy(ram(f, BIG_BUF, sizeof(hdr)), hdr, sizeof(hdr));
	memcpy(ram(f, BIG_BUF + 0x1000, len), frame, len);
	sg[n++] = (struct seg){ BIG_BUF, sizeof(hdr), false };
	for (size_t off = 0; off < len; off += 1000) {
		size_t k = len - off < 1000 ? len - off : 1000;

		assert_true(n < 80);
		sg[n++] = (struct seg){ BIG_BUF + 0x1000 + off, (uint32_t)k, false };
	}
	add_chain(f, 1, sg, n);
	notify(f, 1);
	return take_used(f, 1, NULL);
}

/* TSO frames split into MSS-sized segments when the back end wants
 * ordinary frames (tap, the fake here), for IPv4 and IPv6; whole IPv4
 * segments when it takes them (libslirp) */
static void test_tx_tso_segments(void **state)
{
	struct fix *f = *state;
	static uint8_t frame[VIRTIO_NET_GSO_MAX_FRAME];
	struct tcpspec t = { .src = 0x0a00020f, .dst = 0x0a000202, .sport = 40000, .dport = 5000,
			     .seq = 0xfffff000u, .ack = 77, .optlen = 12, .garbage_csum = true };
	size_t l4, len, mss = 1448;
	const uint8_t *tcp;

	use_fake(f);
	driver_up(f, (1ull << VIRTIO_NET_F_CSUM) | (1ull << VIRTIO_NET_F_HOST_TSO4) |
		     (1ull << VIRTIO_NET_F_HOST_TSO6));

	/* IPv4, 4000 bytes: 1448 + 1448 + 1104, the sequence wrapping */
	t.plen = 4000;
	t.flags = TH_ACK | TH_PSH | TH_FIN | TH_CWR;
	len = build_tcp(frame, &t, &l4);
	log_reset(f->fake);
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV4, (uint16_t)mss, (uint16_t)l4), 0);
	assert_int_equal(f->fake->log_n, 3);
	for (int i = 0; i < 3; i++) {
		const uint8_t *s = f->fake->log + f->fake->log_off[i];
		size_t want = i < 2 ? mss : 4000 - 2 * mss;

		assert_int_equal(check_tcp_frame(s, f->fake->log_len[i], false, &tcp), want);
		assert_int_equal(f->fake->log_len[i], l4 + 32 + want);
		assert_memory_equal(s, frame, 14 + 2);		/* MACs, type, IP version, TOS */
		assert_int_equal(s[14 + 4] << 8 | s[14 + 5], 0x1234 + i);	/* IP id */
		assert_memory_equal(s + 14 + 6, frame + 14 + 6, 4);	/* DF, TTL, protocol */
		assert_memory_equal(s + 14 + 12, frame + 14 + 12, 8);	/* addresses */
		assert_int_equal(tcp_seq(tcp), (uint32_t)(t.seq + i * mss));
		assert_memory_equal(tcp + 8, frame + l4 + 8, 5);	/* ack, data offset */
		assert_int_equal(tcp[13], i == 0 ? (TH_ACK | TH_CWR) :
					  i == 1 ? TH_ACK : (TH_ACK | TH_PSH | TH_FIN));
		assert_memory_equal(tcp + 20, frame + l4 + 20, 12);	/* options */
		for (size_t k = 0; k < want; k++)
			assert_int_equal(tcp[32 + k], pat(i * mss + k));
	}
	assert_int_equal(f->net.stats.tx_frames, 3);

	/* IPv6, 3000 bytes in segments of 1000: exactly three */
	t.v6 = true;
	t.plen = 3000;
	t.flags = TH_ACK | TH_PSH;
	len = build_tcp(frame, &t, &l4);
	log_reset(f->fake);
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV6, 1000, (uint16_t)l4), 0);
	assert_int_equal(f->fake->log_n, 3);
	for (int i = 0; i < 3; i++) {
		const uint8_t *s = f->fake->log + f->fake->log_off[i];

		assert_int_equal(check_tcp_frame(s, f->fake->log_len[i], true, &tcp), 1000);
		assert_memory_equal(s + 14 + 6, frame + 14 + 6, 34);	/* next header, hops, addresses */
		assert_int_equal(tcp_seq(tcp), (uint32_t)(t.seq + i * 1000));
		assert_int_equal(tcp[13], i < 2 ? TH_ACK : (TH_ACK | TH_PSH));
		for (size_t k = 0; k < 1000; k++)
			assert_int_equal(tcp[32 + k], pat(i * 1000 + k));
	}

	/* no more payload than one MSS: one frame, checksummed */
	t.v6 = false;
	t.plen = 1000;
	len = build_tcp(frame, &t, &l4);
	log_reset(f->fake);
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV4, (uint16_t)mss, (uint16_t)l4), 0);
	assert_int_equal(f->fake->log_n, 1);
	assert_int_equal(check_tcp_frame(f->fake->log, f->fake->log_len[0], false, &tcp), 1000);

	/* a back end that takes whole segments (libslirp) gets a 60000-byte
	 * IPv4 segment as one packet, intact and checksummed; IPv6 is still
	 * segmented */
	f->net.be_whole_tcp4 = true;
	t.plen = 60000;
	len = build_tcp(frame, &t, &l4);
	log_reset(f->fake);
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV4, (uint16_t)mss, (uint16_t)l4), 0);
	assert_int_equal(f->fake->log_n, 1);
	assert_int_equal(f->fake->log_len[0], len);
	assert_int_equal(check_tcp_frame(f->fake->log, len, false, &tcp), 60000);
	assert_memory_equal(f->fake->log, frame, l4 + 16);	/* all but the TCP checksum */
	assert_memory_equal(f->fake->log + l4 + 18, frame + l4 + 18, len - l4 - 18);
	t.v6 = true;
	len = build_tcp(frame, &t, &l4);
	log_reset(f->fake);
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV6, 1000, (uint16_t)l4), 0);
	assert_int_equal(f->fake->log_n, 60);
	for (int i = 0; i < 60; i++) {
		const uint8_t *s = f->fake->log + f->fake->log_off[i];

		assert_int_equal(check_tcp_frame(s, f->fake->log_len[i], true, &tcp), 1000);
		assert_int_equal(tcp[32 + 999], pat(i * 1000 + 999));
	}
	assert_int_equal(f->net.stats.tx_dropped, 0);
	assert_int_equal(rd(f, REG_STATUS, 4) & VIRTIO_STATUS_NEEDS_RESET, 0);
}

/* TSO requests that are wrong are dropped one by one; the device goes on */
static void test_tx_tso_checks(void **state)
{
	struct fix *f = *state;
	static uint8_t frame[VIRTIO_NET_GSO_MAX_FRAME + 16];
	struct tcpspec t = { .src = 0x0a00020f, .dst = 0x0a000202, .sport = 1, .dport = 2,
			     .flags = TH_ACK, .plen = 3000 };
	size_t l4, len;
	uint64_t dropped = 0;

	use_fake(f);
	/* without TSO negotiated gso_type is ignored: one frame, as it is */
	driver_up(f, 1ull << VIRTIO_NET_F_CSUM);
	len = build_tcp(frame, &t, &l4);
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV4, 1000, (uint16_t)l4), 0);
	assert_int_equal(f->fake->sent, 1);
	assert_int_equal(f->fake->last_len, len);
	f->fake->sent = 0;

	/* TSO4 only: IPv6 segmentation, UDP fragmentation offload refused */
	driver_up(f, (1ull << VIRTIO_NET_F_CSUM) | (1ull << VIRTIO_NET_F_HOST_TSO4));
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV6, 1000, (uint16_t)l4), 0);
	assert_int_equal(tx_gso(f, frame, len, 3 /* UDP */, 1000, (uint16_t)l4), 0);
	dropped += 2;
	/* gso_size 0; csum_start not at the TCP header */
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV4, 0, (uint16_t)l4), 0);
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV4, 1000, (uint16_t)(l4 + 4)), 0);
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV4, 1000, (uint16_t)(l4 + 4000)), 0);
	dropped += 3;
	/* not TCP; a TCP header longer than the frame; an IPv6 frame as TCPV4 */
	frame[14 + 9] = 17;
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV4, 1000, (uint16_t)l4), 0);
	frame[14 + 9] = 6;
	t.plen = 0;
	len = build_tcp(frame, &t, &l4);
	frame[l4 + 12] = 0xf0;
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV4, 1000, (uint16_t)l4), 0);
	t.v6 = true;
	t.plen = 3000;
	len = build_tcp(frame, &t, &l4);
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV4, 1000, (uint16_t)l4), 0);
	dropped += 3;
	/* an IP packet beyond 65535 bytes */
	t.v6 = false;
	t.plen = 65536 - 40;
	len = build_tcp(frame, &t, &l4);
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV4, 1000, (uint16_t)l4), 0);
	dropped++;
	assert_int_equal(f->net.stats.tx_dropped, dropped);
	assert_int_equal(f->fake->sent, 0);
	assert_int_equal(rd(f, REG_STATUS, 4) & VIRTIO_STATUS_NEEDS_RESET, 0);

	/* and a good one still goes out */
	t.plen = 3000;
	len = build_tcp(frame, &t, &l4);
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV4, 1000, (uint16_t)l4), 0);
	assert_int_equal(f->fake->sent, 3);
}

static void inject(struct fix *f, uint16_t seq, size_t len)
{
	uint8_t fr[1514];

	memset(fr, 0, sizeof(fr));
	memcpy(fr, guest_mac, 6);
	fr[12] = 0x88;
	fr[13] = 0xb5;	/* local experimental ethertype */
	fr[14] = (uint8_t)(seq >> 8);
	fr[15] = (uint8_t)seq;
	f->fake->be.peer.receive(f->fake->be.peer.opaque, fr, len);
}

/* the next used RX entry holds the frame with this sequence number */
static void expect_rx(struct fix *f, uint16_t seq, size_t len)
{
	uint16_t id;
	uint32_t ulen = take_used(f, 0, &id);
	const uint8_t *b = ram(f, BUF(0, id), 0x1000);

	assert_int_equal(ulen, 12 + len);
	assert_int_equal(b[10], 1);
	assert_int_equal(b[11], 0);
	assert_int_equal(b[12 + 14] << 8 | b[12 + 15], seq);
}

static void test_rx_buffering(void **state)
{
	struct fix *f = *state;
	struct net_peer *peer;

	use_fake(f);
	peer = &f->fake->be.peer;
	/* before DRIVER_OK: nobody listens */
	assert_false(peer->can_receive(peer->opaque));
	inject(f, 0, 60);
	assert_int_equal(f->net.stats.rx_dropped, 1);
	assert_int_equal(f->net.pending_count, 0);

	driver_up(f, 0);
	assert_true(peer->can_receive(peer->opaque));
	/* a buffer available: straight in, with an interrupt */
	post_rx(f);
	notify(f, 0);
	inject(f, 1, 60);
	expect_rx(f, 1, 60);
	assert_int_equal(f->level, 1);
	ack_irq(f);

	/* no buffers: 256 frames wait, the rest are dropped */
	for (int i = 0; i < 300; i++)
		inject(f, (uint16_t)(100 + i), 1514);
	assert_int_equal(f->net.pending_count, VIRTIO_NET_RX_PENDING_MAX);
	assert_int_equal(f->net.stats.rx_dropped, 1 + 300 - VIRTIO_NET_RX_PENDING_MAX);
	assert_false(peer->can_receive(peer->opaque));
	assert_int_equal(f->level, 0);

	/* 100 buffers: the 100 oldest, in order */
	for (int i = 0; i < 100; i++)
		post_rx(f);
	notify(f, 0);
	assert_int_equal(used_idx(f, 0), f->q[0].used_seen + 100);
	for (int i = 0; i < 100; i++)
		expect_rx(f, (uint16_t)(100 + i), 1514);
	assert_int_equal(f->net.pending_count, VIRTIO_NET_RX_PENDING_MAX - 100);
	assert_true(peer->can_receive(peer->opaque));
	assert_int_equal(f->level, 1);
	ack_irq(f);

	/* a new frame queues behind the older ones */
	inject(f, 999, 60);
	assert_int_equal(f->net.pending_count, VIRTIO_NET_RX_PENDING_MAX - 99);

	/* buffers made available without a notification are found by the
	 * evloop */
	for (int i = 0; i < 200; i++)
		post_rx(f);
	evloop_poll(&f->loop, 0);
	for (int i = 100; i < VIRTIO_NET_RX_PENDING_MAX; i++)
		expect_rx(f, (uint16_t)(100 + i), 1514);
	expect_rx(f, 999, 60);
	assert_int_equal(f->net.pending_count, 0);
	assert_int_equal(f->net.pending_bytes, 0);
	assert_int_equal(f->net.stats.rx_frames, 1 + VIRTIO_NET_RX_PENDING_MAX + 1);

	/* a buffer too small for the frame: the frame is dropped, the buffer
	 * returned empty, the next frame takes the next buffer */
	uint64_t dropped = f->net.stats.rx_dropped;
	while (used_idx(f, 0) != f->q[0].used_seen || f->q[0].avail_idx != f->q[0].used_seen) {
		inject(f, 1, 60);	/* use up the remaining buffers */
		take_used(f, 0, NULL);
	}
	struct seg small = { BUF(0, 0), 12 + 59, true };
	add_chain(f, 0, &small, 1);
	post_rx(f);
	notify(f, 0);
	inject(f, 7, 60);
	assert_int_equal(take_used(f, 0, NULL), 0);
	inject(f, 8, 60);
	expect_rx(f, 8, 60);
	assert_int_equal(f->net.stats.rx_dropped, dropped + 1);

	/* reset drops what waits */
	inject(f, 9, 60);
	assert_int_equal(f->net.pending_count, 1);
	wr(f, REG_STATUS, 0);
	assert_int_equal(f->net.pending_count, 0);
	assert_false(peer->can_receive(peer->opaque));
}

/* rx one frame through the fake back end; returns the header's flags */
static uint8_t rx_flags(struct fix *f, const uint8_t *frame, size_t len)
{
	uint16_t id;
	uint32_t ulen;
	const uint8_t *b;

	post_rx(f);
	notify(f, 0);
	f->fake->be.peer.receive(f->fake->be.peer.opaque, frame, len);
	ulen = take_used(f, 0, &id);
	b = ram(f, BUF(0, id), 0x1000);
	assert_int_equal(ulen, 12 + len);
	assert_memory_equal(b + 12, frame, len);
	assert_int_equal(b[1], 0);	/* GSO_NONE */
	assert_int_equal(b[10], 1);	/* num_buffers */
	return b[0];
}

/* VIRTIO_NET_F_GUEST_CSUM: DATA_VALID on TCP/UDP packets whose checksum the
 * device verified, nothing on the rest */
static void test_rx_csum(void **state)
{
	struct fix *f = *state;
	uint8_t fr[2048];
	struct tcpspec t = { .src = 0x0a000202, .dst = 0x0a00020f, .sport = 80, .dport = 4000,
			     .flags = TH_ACK, .plen = 1401 };
	size_t l4, len;

	use_fake(f);
	driver_up(f, 1ull << VIRTIO_NET_F_GUEST_CSUM);
	len = build_tcp(fr, &t, &l4);
	assert_int_equal(rx_flags(f, fr, len), VIRTIO_NET_HDR_F_DATA_VALID);
	/* Ethernet padding after the IP packet does not count */
	memset(fr + len, 0, 6);
	assert_int_equal(rx_flags(f, fr, len + 6), VIRTIO_NET_HDR_F_DATA_VALID);
	/* one bit off in the payload, or in the pseudo header */
	fr[len - 1] ^= 1;
	assert_int_equal(rx_flags(f, fr, len), 0);
	fr[len - 1] ^= 1;
	fr[14 + 15] ^= 1;	/* source address (the IP checksum is Linux's own check) */
	assert_int_equal(rx_flags(f, fr, len), 0);
	fr[14 + 15] ^= 1;
	/* a fragment is not checked */
	fr[14 + 6] = 0x20;	/* MF */
	assert_int_equal(rx_flags(f, fr, len), 0);
	fr[14 + 6] = 0x40;
	/* IPv6 */
	t.v6 = true;
	len = build_tcp(fr, &t, &l4);
	assert_int_equal(rx_flags(f, fr, len), VIRTIO_NET_HDR_F_DATA_VALID);
	fr[l4 + 16] ^= 0x80;
	assert_int_equal(rx_flags(f, fr, len), 0);
	/* UDP over IPv4 without a checksum; the same over IPv6 is invalid */
	t.v6 = false;
	t.plen = 0;
	len = build_tcp(fr, &t, &l4);
	fr[14 + 9] = 17;
	fr[14 + 10] = fr[14 + 11] = 0;
	{
		uint16_t c = ip_csum(fr + 14, 20);

		fr[14 + 10] = (uint8_t)(c >> 8);
		fr[14 + 11] = (uint8_t)c;
	}
	fr[l4 + 4] = 0; fr[l4 + 5] = 20;	/* UDP length: the 20 bytes */
	fr[l4 + 6] = fr[l4 + 7] = 0;
	assert_int_equal(rx_flags(f, fr, len), VIRTIO_NET_HDR_F_DATA_VALID);
	/* not IP at all */
	memset(fr, 0, 60);
	fr[12] = 0x88; fr[13] = 0xb5;
	assert_int_equal(rx_flags(f, fr, 60), 0);
	/* without GUEST_CSUM: never */
	driver_up(f, 0);
	t.plen = 100;
	len = build_tcp(fr, &t, &l4);
	assert_int_equal(rx_flags(f, fr, len), 0);
}

static void test_rx_bad_ring(void **state)
{
	struct fix *f = *state;

	use_fake(f);
	driver_up(f, 0);
	/* a device-readable receive buffer breaks the device, not the host */
	struct seg s = { BUF(0, 0), 0x1000, false };
	add_chain(f, 0, &s, 1);
	notify(f, 0);
	inject(f, 1, 60);
	assert_true(rd(f, REG_STATUS, 4) & VIRTIO_STATUS_NEEDS_RESET);
	assert_int_equal(used_idx(f, 0), 0);
	assert_int_equal(f->net.stats.rx_dropped, 1);
	inject(f, 2, 60);
	assert_int_equal(f->net.stats.rx_dropped, 2);
	/* a reset brings it back */
	driver_up(f, 0);
	post_rx(f);
	notify(f, 0);
	inject(f, 3, 60);
	expect_rx(f, 3, 60);

	/* a transmit ring pointing outside RAM */
	put16(f, Q_DESC(1) + 0, 0);
	put64(f, Q_DESC(1), 0x1000);	/* not RAM */
	put32(f, Q_DESC(1) + 8, 100);
	put16(f, Q_DESC(1) + 12, 0);
	put16(f, Q_AVAIL(1) + 4, 0);
	put16(f, Q_AVAIL(1) + 2, 1);
	notify(f, 1);
	assert_true(rd(f, REG_STATUS, 4) & VIRTIO_STATUS_NEEDS_RESET);
	assert_int_equal(f->fake->sent, 0);
}

/* a guest connection to the host through 10.0.2.2: libslirp connects a
 * host socket without blocking and answers the guest's SYN only when poll
 * reports the connection done (the pollfd and revents plumbing) */
static void test_tcp_to_host(void **state)
{
	struct fix *f = *state;
	struct net_config cfg = { .kind = NET_USER };
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	uint8_t frame[128];
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	assert_true(ls >= 0);
	assert_int_equal(bind(ls, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(ls, 1), 0);
	assert_int_equal(getsockname(ls, (struct sockaddr *)&a, &al), 0);
	uint16_t port = ntohs(a.sin_port);

	use_slirp(f, &cfg);
	driver_up(f, 1ull << VIRTIO_F_RING_EVENT_IDX);
	for (int i = 0; i < 16; i++)
		post_rx(f);
	notify(f, 0);
	/* a gratuitous ARP: slirp learns the guest's MAC */
	assert_int_equal(tx_frame(f, frame, build_arp_request(frame, 0x0a00020f)), 0);
	assert_int_equal(tx_frame(f, frame, build_tcp_syn(frame, 0x0a000202, 40000, port)), 0);

	bool synack = false;
	for (int i = 0; i < 16 && !synack; i++) {
		if (!wait_used(f, 0, 3000))
			break;
		uint16_t id;
		uint32_t ulen = take_used(f, 0, &id);
		const uint8_t *e = ram(f, BUF(0, id), 0x1000) + 12, *ip = e + 14, *tcp = ip + 20;

		if (ulen < 12 + 54 || e[12] != 0x08 || e[13] != 0 || ip[9] != 6)
			continue;
		assert_memory_equal(e, guest_mac, 6);
		assert_memory_equal(ip + 12, "\x0a\x00\x02\x02", 4);
		assert_memory_equal(ip + 16, "\x0a\x00\x02\x0f", 4);
		assert_int_equal(tcp[0] << 8 | tcp[1], port);
		assert_int_equal(tcp[2] << 8 | tcp[3], 40000);
		assert_int_equal(tcp[13] & 0x12, 0x12);	/* SYN|ACK */
		assert_int_equal(tcp[11], 101);		/* acknowledges our seq + 1 */
		synack = true;
	}
	assert_true(synack);
	/* and the host side has the connection */
	int c = accept(ls, NULL, NULL);
	assert_true(c >= 0);
	close(c);
	close(ls);
}

/* TSO through libslirp: a 40000-byte IPv4 segment (in one request, with
 * the partial checksum a driver leaves) reaches the host socket intact, and
 * libslirp acknowledges all of it at once */
static void test_tso_via_slirp(void **state)
{
	struct fix *f = *state;
	struct net_config cfg = { .kind = NET_USER };
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	static uint8_t frame[VIRTIO_NET_GSO_MAX_FRAME], got[40000];
	struct tcpspec t = { .src = 0x0a00020f, .dst = 0x0a000202, .sport = 40001, .seq = 100,
			     .flags = TH_SYN };
	uint32_t isn = 0;
	size_t l4, len;
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	assert_true(ls >= 0);
	assert_int_equal(bind(ls, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(ls, 1), 0);
	assert_int_equal(getsockname(ls, (struct sockaddr *)&a, &al), 0);
	t.dport = ntohs(a.sin_port);

	use_slirp(f, &cfg);
	assert_true(f->net.be_whole_tcp4);
	driver_up(f, (1ull << VIRTIO_F_RING_EVENT_IDX) | (1ull << VIRTIO_NET_F_CSUM) |
		     (1ull << VIRTIO_NET_F_HOST_TSO4));
	for (int i = 0; i < 32; i++)
		post_rx(f);
	notify(f, 0);
	assert_int_equal(tx_frame(f, frame, build_arp_request(frame, 0x0a00020f)), 0);
	len = build_tcp(frame, &t, &l4);
	assert_int_equal(tx_frame(f, frame, len), 0);

	/* the SYN-ACK gives libslirp's initial sequence number */
	for (int i = 0; i < 16 && !isn; i++) {
		if (!wait_used(f, 0, 3000))
			break;
		uint16_t id;
		uint32_t ulen = take_used(f, 0, &id);
		const uint8_t *e = ram(f, BUF(0, id), 0x1000) + 12, *tcp = e + 14 + 20;

		if (ulen >= 12 + 54 && e[12] == 0x08 && e[14 + 9] == 6 && (tcp[13] & 0x12) == 0x12)
			isn = tcp_seq(tcp);
	}
	assert_true(isn != 0);
	t.seq = 101;
	t.ack = isn + 1;
	t.flags = TH_ACK;
	len = build_tcp(frame, &t, &l4);
	assert_int_equal(tx_frame(f, frame, len), 0);
	int c = -1;
	for (int i = 0; i < 300 && c < 0; i++) {
		evloop_poll(&f->loop, 10000000u);
		c = accept(ls, NULL, NULL);
	}
	assert_true(c >= 0);

	/* the segment, its checksum field holding the pseudo-header sum as
	 * Linux leaves it (here: garbage, which must not matter either) */
	t.flags = TH_ACK | TH_PSH;
	t.plen = sizeof(got);
	t.garbage_csum = true;
	len = build_tcp(frame, &t, &l4);
	assert_int_equal(tx_gso(f, frame, len, GSO_TCPV4, 1460, (uint16_t)l4), 0);
	assert_int_equal(f->net.stats.tx_dropped, 0);

	/* the host reads it all */
	size_t have = 0;
	for (int i = 0; i < 300 && have < sizeof(got); i++) {
		ssize_t k = recv(c, got + have, sizeof(got) - have, MSG_DONTWAIT);

		if (k > 0)
			have += (size_t)k;
		else
			evloop_poll(&f->loop, 10000000u);
	}
	assert_int_equal(have, sizeof(got));
	for (size_t i = 0; i < sizeof(got); i++)
		if (got[i] != pat(i))
			fail_msg("byte %zu: %u, expected %u", i, got[i], pat(i));

	/* the first acknowledgement covers the whole segment (segmented, it
	 * would acknowledge the first 1460 bytes) */
	bool acked = false, seen = false;
	for (int i = 0; i < 16 && !seen; i++) {
		if (used_idx(f, 0) == f->q[0].used_seen && !wait_used(f, 0, 3000))
			break;
		uint16_t id;
		uint32_t ulen = take_used(f, 0, &id);
		const uint8_t *e = ram(f, BUF(0, id), 0x1000) + 12, *tcp = e + 14 + 20;
		uint32_t ack;

		if (ulen < 12 + 54 || e[12] != 0x08 || e[14 + 9] != 6)
			continue;
		memcpy(&ack, tcp + 8, 4);
		seen = true;
		acked = ntohl(ack) == 101 + sizeof(got);
	}
	assert_true(acked);
	close(c);
	close(ls);
}

static uint16_t free_tcp_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&a, &l), 0);
	close(s);
	return ntohs(a.sin_port);
}

/* libslirp's sockets beyond the pollfds offered are left out, not written
 * past the array; they are polled again when there is room */
static void test_slirp_pollfd_bound(void **state)
{
	struct fix *f = *state;
	struct net_config cfg;
	char opt[256], err[256];
	uint16_t port[4];
	struct pollfd fds[8];
	uint64_t timeout = 1000000000u;

	for (int i = 0; i < 4; i++)
		port[i] = free_tcp_port();
	snprintf(opt, sizeof(opt), "user,hostfwd=tcp::%u-:1,hostfwd=tcp::%u-:2,hostfwd=tcp::%u-:3,"
		 "hostfwd=tcp::%u-:4", port[0], port[1], port[2], port[3]);
	assert_int_equal(net_parse_option(opt, &cfg, err, sizeof(err)), 0);
	use_slirp(f, &cfg);
	assert_int_equal(f->loop.nr_sources, 1);
	memset(fds, 0x5a, sizeof(fds));
	int n = f->loop.src[0].prepare(f->loop.src[0].opaque, fds, 2, &timeout);
	assert_int_equal(n, 2);
	for (int i = 0; i < 2; i++) {
		assert_true(fds[i].fd >= 0);
		assert_int_equal(fds[i].events, POLLIN);
	}
	assert_int_equal(fds[2].fd, 0x5a5a5a5a);	/* untouched */
	fds[0].revents = fds[1].revents = 0;
	f->loop.src[0].dispatch(f->loop.src[0].opaque, fds, n);
	/* with room, all four listeners are polled */
	n = f->loop.src[0].prepare(f->loop.src[0].opaque, fds, 8, &timeout);
	assert_int_equal(n, 4);
	f->loop.src[0].dispatch(f->loop.src[0].opaque, fds, 0);
	/* max 0 is fine too */
	n = f->loop.src[0].prepare(f->loop.src[0].opaque, fds, 0, &timeout);
	assert_int_equal(n, 0);
	f->loop.src[0].dispatch(f->loop.src[0].opaque, fds, 0);
}

static void test_hostfwd(void **state)
{
	struct fix *f = *state;
	struct net_config cfg;
	char opt[128], err[256];
	uint16_t port = free_tcp_port();

	snprintf(opt, sizeof(opt), "user,hostfwd=tcp::%u-:80", port);
	assert_int_equal(net_parse_option(opt, &cfg, err, sizeof(err)), 0);
	use_slirp(f, &cfg);
	driver_up(f, 0);
	for (int i = 0; i < 4; i++)
		post_rx(f);
	notify(f, 0);

	/* a second forward of the same port fails with a clear message */
	struct virtio_net other;
	int r = virtio_net_init(&other, &f->vm, fix_irq(f), &f->loop, &cfg, 1, err, sizeof(err));
	assert_true(r < 0);
	char want[64];
	snprintf(want, sizeof(want), "cannot listen on host port %u", port);
	if (!strstr(err, want))
		fail_msg("error message: %s", err);
	assert_int_equal(f->loop.nr_sources, 1);	/* nothing registered for the failed NIC */

	/* a host connection becomes an ARP request for the guest, then a SYN */
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(s >= 0);
	r = connect(s, (struct sockaddr *)&a, sizeof(a));
	assert_true(r == 0 || errno == EINPROGRESS);
	assert_true(wait_used(f, 0, 3000));
	uint16_t id;
	uint32_t ulen = take_used(f, 0, &id);
	const uint8_t *b = ram(f, BUF(0, id), 0x1000) + 12;
	assert_true(ulen >= 12 + 42);
	assert_int_equal(b[12] << 8 | b[13], 0x0806);		/* ARP */
	assert_int_equal(b[14 + 7], 1);				/* request */
	assert_memory_equal(b + 14 + 24, "\x0a\x00\x02\x0f", 4);	/* who has 10.0.2.15 */
	close(s);
}

static void test_tap(void **state)
{
	struct fix *f = *state;
	struct net_config cfg;
	char opt[64], err[256];
	int r;

	/* an interface that exists and is no tap */
	assert_int_equal(net_parse_option("tap,ifname=lo", &cfg, err, sizeof(err)), 0);
	r = virtio_net_init(&f->net, &f->vm, fix_irq(f), &f->loop, &cfg, 0, err, sizeof(err));
	if (r == -ENOENT || r == -EACCES || r == -EPERM) {
		print_message("tap: %s (skipped)\n", err);
		skip();
	}
	assert_int_equal(r, -EINVAL);
	assert_non_null(strstr(err, "net tap lo: not a tap interface"));

	snprintf(opt, sizeof(opt), "tap,ifname=mtest%d", (int)(getpid() % 100000));
	assert_int_equal(net_parse_option(opt, &cfg, err, sizeof(err)), 0);
	r = virtio_net_init(&f->net, &f->vm, fix_irq(f), &f->loop, &cfg, 0, err, sizeof(err));
	if (r == -EPERM || r == -EACCES) {
		assert_non_null(strstr(err, "permission denied"));
		print_message("tap: %s (skipped)\n", err);
		skip();
	}
	if (r)
		fail_msg("tap: %d %s", r, err);
	map_device(f);
	driver_up(f, 0);
	for (int i = 0; i < 4; i++)
		post_rx(f);
	notify(f, 0);

	/* bring the interface up and listen on it with a packet socket */
	int ps = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (ps < 0) {
		print_message("tap: no packet socket (%s), skipped\n", strerror(errno));
		skip();
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", cfg.ifname);
	assert_int_equal(ioctl(ps, SIOCGIFFLAGS, &ifr), 0);
	ifr.ifr_flags |= IFF_UP;
	assert_int_equal(ioctl(ps, SIOCSIFFLAGS, &ifr), 0);
	assert_int_equal(ioctl(ps, SIOCGIFINDEX, &ifr), 0);
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = ifr.ifr_ifindex, .sll_halen = 6 };
	assert_int_equal(bind(ps, (struct sockaddr *)&ll, sizeof(ll)), 0);

	/* guest -> host */
	uint8_t fr[60], got[2048];
	memset(fr, 0, sizeof(fr));
	memset(fr, 0xff, 6);
	memcpy(fr + 6, guest_mac, 6);
	fr[12] = 0x88; fr[13] = 0xb5;
	memcpy(fr + 14, "machina-tx", 10);
	assert_int_equal(tx_frame(f, fr, sizeof(fr)), 0);
	bool seen = false;
	for (int i = 0; i < 300 && !seen; i++) {
		ssize_t n = recv(ps, got, sizeof(got), 0);
		if (n == (ssize_t)sizeof(fr) && !memcmp(got, fr, sizeof(fr)))
			seen = true;
		else if (n < 0)
			usleep(10000);
	}
	assert_true(seen);

	/* host -> guest: a frame sent on the interface comes out of the tap */
	memcpy(fr, guest_mac, 6);
	memcpy(fr + 6, "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(fr + 14, "machina-rx", 10);
	assert_int_equal(sendto(ps, fr, sizeof(fr), 0, (struct sockaddr *)&ll, sizeof(ll)),
			 (ssize_t)sizeof(fr));
	seen = false;
	for (int i = 0; i < 100 && !seen; i++) {
		if (!wait_used(f, 0, 3000))
			break;
		uint16_t id;
		uint32_t ulen = take_used(f, 0, &id);
		const uint8_t *b = ram(f, BUF(0, id), 0x1000);
		/* the kernel may send its own frames (IPv6 router solicitations) */
		if (ulen == 12 + sizeof(fr) && !memcmp(b + 12, fr, sizeof(fr)))
			seen = true;
		else {
			post_rx(f);
			notify(f, 0);
		}
	}
	assert_true(seen);
	close(ps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_user),
		cmocka_unit_test(test_parse_tap),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test_setup_teardown(test_config_space, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dhcp_via_slirp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_csum_offload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_tso_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_tso_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_buffering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_csum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_bad_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_to_host, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tso_via_slirp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostfwd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slirp_pollfd_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tap, setup, teardown),
	};

	/* libslirp writes to host sockets without MSG_NOSIGNAL */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
