/* net_tap.c - tap back end. The fd is non-blocking: reads happen in the
 * NIC's evloop dispatch when poll says the fd is readable, writes are
 * write(2) of one frame each (a full host queue drops the frame, as a wire
 * would). */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/log.h"
#include "core/vm.h"
#include "host/net_tap.h"

#define TUN_PATH "/dev/net/tun"
/* frames read per dispatch at most: the guest gets the CPU back between
 * batches even when the host floods the interface */
#define TAP_MAX_READS 64

struct net_tap {
	struct net_backend be;
	struct vm *vm;
	int fd;
	bool read_failed;		/* the interface went away: stop polling it */
	bool write_failing;		/* log a failing write once until one succeeds */
	char ifname[IFNAMSIZ];
	uint64_t rx_dropped, tx_dropped;
	struct ratelimit rl;
	/* one byte more than the largest frame: a read that fills it was
	 * longer than NET_MAX_FRAME (tun truncates silently) */
	uint8_t buf[NET_MAX_FRAME + 1];
};

static bool peer_can_receive(struct net_tap *t)
{
	return t->be.peer.can_receive ? t->be.peer.can_receive(t->be.peer.opaque) : true;
}

static int tap_prepare(struct net_backend *be, struct pollfd *fds, int max, uint64_t *timeout_ns)
{
	struct net_tap *t = (struct net_tap *)be;

	/* flow control: while the NIC cannot take frames, leave them in the
	 * kernel's queue (which drops beyond its txqueuelen) */
	if (max < 1 || t->fd < 0 || t->read_failed || !peer_can_receive(t))
		return 0;
	fds[0] = (struct pollfd){ .fd = t->fd, .events = POLLIN };
	return 1;
}

static void tap_dispatch(struct net_backend *be, struct pollfd *fds, int n)
{
	struct net_tap *t = (struct net_tap *)be;

	if (n < 1 || !(fds[0].revents & (POLLIN | POLLERR | POLLHUP)))
		return;
	for (int i = 0; i < TAP_MAX_READS && peer_can_receive(t); i++) {
		ssize_t r = read(t->fd, t->buf, sizeof(t->buf));

		if (r < 0) {
			/* anything but "nothing there" would make poll report
			 * the fd again at once: give up on reading rather than
			 * spin (the guest can still send) */
			if (errno != EAGAIN && errno != EINTR) {
				vm_log(t->vm, LOG_ERROR, "net tap %s: read: %s; no more frames from the host",
				       t->ifname, strerror(errno));
				t->read_failed = true;
			}
			return;
		}
		if (r == 0)
			return;
		if ((size_t)r > NET_MAX_FRAME || (size_t)r < NET_ETH_HLEN) {
			t->rx_dropped++;
			continue;
		}
		if (t->be.peer.receive)
			t->be.peer.receive(t->be.peer.opaque, t->buf, (size_t)r);
	}
}

static void tap_send(struct net_backend *be, const uint8_t *frame, size_t len)
{
	struct net_tap *t = (struct net_tap *)be;
	ssize_t r;

	do {
		r = write(t->fd, frame, len);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		t->tx_dropped++;
		/* EAGAIN: the host queue is full, TCP retransmits. Other errors
		 * (EIO: the interface is down) last: say so once, not per frame */
		if (errno != EAGAIN && !t->write_failing)
			vm_log_ratelimited(t->vm, &t->rl, LOG_WARN,
					   "net tap %s: write: %s; dropping frames until it works",
					   t->ifname, strerror(errno));
		t->write_failing = errno != EAGAIN;
	} else {
		t->write_failing = false;
	}
}

static void tap_destroy(struct net_backend *be)
{
	struct net_tap *t = (struct net_tap *)be;

	if (t->fd >= 0)
		close(t->fd);
	free(t);
}

static const struct net_backend_ops tap_ops = {
	.name = "tap",
	.prepare = tap_prepare,
	.dispatch = tap_dispatch,
	.send = tap_send,
	.destroy = tap_destroy,
};

int net_tap_create(struct net_backend **out, struct vm *vm, const struct net_config *cfg,
		   struct net_peer peer, char *err, size_t errlen)
{
	struct net_tap *t;
	struct ifreq ifr;
	int fd, e;

	if (cfg->kind != NET_TAP || !cfg->ifname[0] ||
	    strnlen(cfg->ifname, sizeof(cfg->ifname)) >= IFNAMSIZ) {
		snprintf(err, errlen, "net tap: an interface name of 1-%d characters is needed",
			 IFNAMSIZ - 1);
		return -EINVAL;
	}
	fd = open(TUN_PATH, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		if (e == ENOENT || e == ENODEV || e == ENXIO)
			snprintf(err, errlen,
				 "net tap %s: %s is missing (load the tun module: modprobe tun; "
				 "in a container, pass the device in)", cfg->ifname, TUN_PATH);
		else if (e == EACCES || e == EPERM)
			snprintf(err, errlen,
				 "net tap %s: permission denied opening %s (needs read/write access "
				 "to it; try user networking, --net user)", cfg->ifname, TUN_PATH);
		else
			snprintf(err, errlen, "net tap %s: cannot open %s: %s", cfg->ifname,
				 TUN_PATH, strerror(e));
		return -e;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, cfg->ifname, strnlen(cfg->ifname, IFNAMSIZ - 1));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		e = errno;
		if (e == EPERM || e == EACCES)
			snprintf(err, errlen,
				 "net tap %s: permission denied (creating a tap needs CAP_NET_ADMIN; "
				 "or create it beforehand: ip tuntap add dev %s mode tap user $USER)",
				 cfg->ifname, cfg->ifname);
		else if (e == EBUSY)
			snprintf(err, errlen, "net tap %s: the interface is in use by another "
				 "process", cfg->ifname);
		else if (e == EINVAL)
			snprintf(err, errlen, "net tap %s: not a tap interface (a tun or another "
				 "kind of device has this name)", cfg->ifname);
		else
			snprintf(err, errlen, "net tap %s: TUNSETIFF: %s", cfg->ifname, strerror(e));
		close(fd);
		return -e;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		close(fd);
		snprintf(err, errlen, "net tap %s: out of memory", cfg->ifname);
		return -ENOMEM;
	}
	t->be.ops = &tap_ops;
	t->be.peer = peer;
	t->vm = vm;
	t->fd = fd;
	memcpy(t->ifname, ifr.ifr_name, IFNAMSIZ - 1);
	*out = &t->be;
	return 0;
}
