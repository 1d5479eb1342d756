/* net_slirp.c - user-mode networking back end on libslirp.
 *
 * libslirp is driven entirely from the NIC's evloop source: prepare() asks it
 * for the sockets to poll (slirp_pollfds_fill) and for its next timeout,
 * dispatch() hands back the poll results (slirp_pollfds_poll), which also
 * runs its TCP timers, and fires our timers. Frames for the guest come out
 * of send_packet, synchronously, from inside slirp_input() (a reply to a
 * guest frame) or slirp_pollfds_poll() (data from a host socket): always on
 * the evloop thread.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slirp/libslirp.h>

#include "core/log.h"
#include "core/vm.h"
#include "host/net_slirp.h"

/* QEMU's defaults for -netdev user */
#define SLIRP_NET 0x0a000200u		/* 10.0.2.0 */
#define SLIRP_MASK 0xffffff00u		/* /24 */
#define SLIRP_HOST 0x0a000202u		/* 10.0.2.2 */
#define SLIRP_DHCP_START 0x0a00020fu	/* 10.0.2.15: the guest */
#define SLIRP_DNS 0x0a000203u		/* 10.0.2.3 */
#define SLIRP_GUEST SLIRP_DHCP_START

/* pollfds one user-mode back end takes from the evloop at most (it has
 * EVLOOP_MAX_FDS for all sources, and the guest decides how many sockets
 * libslirp opens): the rest stays for the sources polled after this one */
#define SLIRP_MAX_POLLFDS 32

/* timers libslirp may fire back-to-back in one dispatch: a callback that
 * re-arms its timer in the past must not spin the loop */
#define SLIRP_MAX_TIMER_RUNS 16

struct slirp_timer {
	struct slirp_timer *next;
	bool by_id;			/* timer_new_opaque: fire with slirp_handle_timer */
	SlirpTimerId id;
	SlirpTimerCb cb;		/* timer_new */
	void *cb_opaque;
	bool armed;
	int64_t expire_ms;		/* on host_clock_ns() / 1e6 */
};

/* libslirp, and the glib it pulls in, is loaded when a VM first asks for
 * user networking: a VM without it (most microVMs) neither maps nor starts
 * them, which keeps its start-up time and resident memory small. Each user
 * holds its own dlopen() reference (no process-wide state of ours). */
#define SLIRP_SONAME "libslirp.so.0"

struct slirp_lib {
	void *handle;
	__typeof__(slirp_new) *new_;
	__typeof__(slirp_cleanup) *cleanup;
	__typeof__(slirp_input) *input;
	__typeof__(slirp_pollfds_fill) *pollfds_fill;
	__typeof__(slirp_pollfds_poll) *pollfds_poll;
	__typeof__(slirp_add_hostfwd) *add_hostfwd;
	__typeof__(slirp_handle_timer) *handle_timer;
	__typeof__(slirp_version_string) *version_string;
};

static int slirp_lib_load(struct slirp_lib *l, char *err, size_t errlen)
{
	l->handle = dlopen(SLIRP_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!l->handle) {
		snprintf(err, errlen, "net user: cannot load %s (apt-get install libslirp0): %s",
			 SLIRP_SONAME, dlerror());
		return -ENOENT;
	}
#define SYM(field, name) \
	if (!(*(void **)&l->field = dlsym(l->handle, name))) \
		goto missing
	SYM(new_, "slirp_new");
	SYM(cleanup, "slirp_cleanup");
	SYM(input, "slirp_input");
	SYM(pollfds_fill, "slirp_pollfds_fill");
	SYM(pollfds_poll, "slirp_pollfds_poll");
	SYM(add_hostfwd, "slirp_add_hostfwd");
	SYM(handle_timer, "slirp_handle_timer");
	SYM(version_string, "slirp_version_string");
#undef SYM
	return 0;
missing:
	snprintf(err, errlen, "net user: %s is too old (libslirp 4.7 or later needed)", SLIRP_SONAME);
	dlclose(l->handle);
	l->handle = NULL;
	return -ENOTSUP;
}

struct net_slirp {
	struct net_backend be;
	struct vm *vm;
	struct slirp_lib lib;
	Slirp *slirp;
	struct slirp_timer *timers;
	/* the pollfd array between slirp_pollfds_fill and slirp_pollfds_poll */
	struct pollfd *fds;
	int nfds, maxfds;
	uint64_t poll_overflow;		/* sockets not polled for lack of pollfds */
	uint64_t rx_dropped;		/* frames for the guest longer than NET_MAX_FRAME */
	struct ratelimit rl;
};

/* ---- libslirp callbacks ---- */

static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
	struct net_slirp *s = opaque;

	/* slirp builds frames of at most its MRU (1500 + header): the check
	 * only keeps the peer's contract */
	if (len < NET_ETH_HLEN || len > NET_MAX_FRAME) {
		s->rx_dropped++;
		return (ssize_t)len;
	}
	if (s->be.peer.receive)
		s->be.peer.receive(s->be.peer.opaque, buf, len);
	return (ssize_t)len;
}

static void cb_guest_error(const char *msg, void *opaque)
{
	struct net_slirp *s = opaque;

	/* guest-triggered: rate-limited */
	vm_log_ratelimited(s->vm, &s->rl, LOG_WARN, "net user: guest error: %s", msg);
}

static int64_t cb_clock_get_ns(void *opaque)
{
	return (int64_t)host_clock_ns();
}

static struct slirp_timer *timer_alloc(struct net_slirp *s)
{
	struct slirp_timer *t = calloc(1, sizeof(*t));

	/* libslirp cannot handle failure here (QEMU's g_new aborts); a
	 * missing timer only loses IPv6 router advertisements */
	if (!t) {
		vm_log(s->vm, LOG_ERROR, "net user: out of memory for a timer");
		return NULL;
	}
	t->next = s->timers;
	s->timers = t;
	return t;
}

static void *cb_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	struct slirp_timer *t = timer_alloc(opaque);

	if (t) {
		t->cb = cb;
		t->cb_opaque = cb_opaque;
	}
	return t;
}

static void *cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	struct slirp_timer *t = timer_alloc(opaque);

	if (t) {
		t->by_id = true;
		t->id = id;
		t->cb_opaque = cb_opaque;
	}
	return t;
}

static void cb_timer_free(void *timer, void *opaque)
{
	struct net_slirp *s = opaque;

	for (struct slirp_timer **p = &s->timers; *p; p = &(*p)->next) {
		if (*p == timer) {
			*p = (*p)->next;
			free(timer);
			return;
		}
	}
}

static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	struct slirp_timer *t = timer;

	if (!t)
		return;
	t->armed = true;
	t->expire_ms = expire_ms;
}

/* sockets are polled afresh in every prepare(): nothing to register */
static void cb_register_poll_fd(int fd, void *opaque)
{
}

static void cb_unregister_poll_fd(int fd, void *opaque)
{
}

/* the evloop thread is the one calling libslirp: nothing to wake */
static void cb_notify(void *opaque)
{
}

static const SlirpCb slirp_callbacks = {
	.send_packet = cb_send_packet,
	.guest_error = cb_guest_error,
	.clock_get_ns = cb_clock_get_ns,
	.timer_new = cb_timer_new,
	.timer_free = cb_timer_free,
	.timer_mod = cb_timer_mod,
	.register_poll_fd = cb_register_poll_fd,
	.unregister_poll_fd = cb_unregister_poll_fd,
	.notify = cb_notify,
	.timer_new_opaque = cb_timer_new_opaque,
};

/* ---- polling ---- */

static int add_poll(int fd, int events, void *opaque)
{
	struct net_slirp *s = opaque;
	short ev = 0;

	/* bounded (SLIRP_MAX_POLLFDS, and what the evloop has left): sockets
	 * beyond it are not polled this round (libslirp accepts -1) and get
	 * their turn when others close; TCP retransmits cover the delay */
	if (s->nfds >= s->maxfds) {
		if (s->poll_overflow++ == 0)
			vm_log(s->vm, LOG_WARN, "net user: more sockets than pollfds; some wait");
		return -1;
	}
	if (events & SLIRP_POLL_IN)
		ev |= POLLIN;
	if (events & SLIRP_POLL_OUT)
		ev |= POLLOUT;
	if (events & SLIRP_POLL_PRI)
		ev |= POLLPRI;
	/* POLLERR and POLLHUP are always reported */
	s->fds[s->nfds] = (struct pollfd){ .fd = fd, .events = ev };
	return s->nfds++;
}

static int get_revents(int idx, void *opaque)
{
	struct net_slirp *s = opaque;
	short rev;
	int r = 0;

	if (idx < 0 || idx >= s->nfds)
		return 0;
	rev = s->fds[idx].revents;
	if (rev & POLLIN)
		r |= SLIRP_POLL_IN;
	if (rev & POLLOUT)
		r |= SLIRP_POLL_OUT;
	if (rev & POLLPRI)
		r |= SLIRP_POLL_PRI;
	if (rev & (POLLERR | POLLNVAL))
		r |= SLIRP_POLL_ERR;
	if (rev & POLLHUP)
		r |= SLIRP_POLL_HUP;
	return r;
}

static int slirp_prepare(struct net_backend *be, struct pollfd *fds, int max, uint64_t *timeout_ns)
{
	struct net_slirp *s = (struct net_slirp *)be;
	uint64_t ms = *timeout_ns / 1000000u, now;
	uint32_t t = ms >= UINT32_MAX ? UINT32_MAX : (uint32_t)ms;

	s->fds = fds;
	s->maxfds = max < 0 ? 0 : max > SLIRP_MAX_POLLFDS ? SLIRP_MAX_POLLFDS : max;
	s->nfds = 0;
	s->lib.pollfds_fill(s->slirp, &t, add_poll, s);
	if ((uint64_t)t * 1000000u < *timeout_ns)
		*timeout_ns = (uint64_t)t * 1000000u;
	now = host_clock_ns();
	for (struct slirp_timer *tm = s->timers; tm; tm = tm->next) {
		uint64_t due;

		if (!tm->armed)
			continue;
		due = tm->expire_ms <= 0 ? 0 : (uint64_t)tm->expire_ms * 1000000u;
		if (due <= now)
			*timeout_ns = 0;
		else if (due - now < *timeout_ns)
			*timeout_ns = due - now;
	}
	return s->nfds;
}

static void run_timers(struct net_slirp *s)
{
	int64_t now_ms = (int64_t)(host_clock_ns() / 1000000u);

	for (int runs = 0; runs < SLIRP_MAX_TIMER_RUNS; runs++) {
		struct slirp_timer *t;

		for (t = s->timers; t; t = t->next)
			if (t->armed && t->expire_ms <= now_ms)
				break;
		if (!t)
			return;
		/* the callback may re-arm or free the timer: nothing of t is
		 * used after it */
		t->armed = false;
		if (t->by_id)
			s->lib.handle_timer(s->slirp, t->id, t->cb_opaque);
		else if (t->cb)
			t->cb(t->cb_opaque);
	}
}

static void slirp_dispatch(struct net_backend *be, struct pollfd *fds, int n)
{
	struct net_slirp *s = (struct net_slirp *)be;

	/* fds is what prepare() filled; the evloop reports a failed poll as
	 * all revents zero, which libslirp takes as "nothing ready" */
	s->fds = fds;
	s->nfds = n < s->nfds ? n : s->nfds;
	s->lib.pollfds_poll(s->slirp, 0, get_revents, s);
	s->nfds = 0;
	run_timers(s);
}

static void slirp_send(struct net_backend *be, const uint8_t *frame, size_t len)
{
	struct net_slirp *s = (struct net_slirp *)be;

	/* the NIC bounds len to NET_MAX_FRAME (< INT_MAX); libslirp parses
	 * the frame with its own checks */
	s->lib.input(s->slirp, frame, (int)len);
}

static void slirp_destroy(struct net_backend *be)
{
	struct net_slirp *s = (struct net_slirp *)be;

	if (s->slirp)
		s->lib.cleanup(s->slirp);
	while (s->timers) {
		struct slirp_timer *t = s->timers;

		s->timers = t->next;
		free(t);
	}
	if (s->lib.handle)
		dlclose(s->lib.handle);
	free(s);
}

static const struct net_backend_ops slirp_ops = {
	.name = "user",
	.prepare = slirp_prepare,
	.dispatch = slirp_dispatch,
	.send = slirp_send,
	.destroy = slirp_destroy,
};

int net_slirp_create(struct net_backend **out, struct vm *vm, const struct net_config *cfg,
		     struct net_peer peer, char *err, size_t errlen)
{
	struct net_slirp *s;
	SlirpConfig sc;

	if (cfg->kind != NET_USER || cfg->nr_hostfwd < 0 || cfg->nr_hostfwd > NET_MAX_HOSTFWD) {
		snprintf(err, errlen, "net user: bad configuration");
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "net user: out of memory");
		return -ENOMEM;
	}
	s->be.ops = &slirp_ops;
	s->be.peer = peer;
	s->vm = vm;
	if (slirp_lib_load(&s->lib, err, errlen)) {
		free(s);
		return -ENOENT;
	}

	memset(&sc, 0, sizeof(sc));
	/* version 4: timer_new_opaque and disable_dhcp exist (libslirp 4.7) */
	sc.version = SLIRP_CONFIG_VERSION_MAX < 4 ? SLIRP_CONFIG_VERSION_MAX : 4;
	sc.restricted = 0;
	sc.in_enabled = true;
	sc.vnetwork.s_addr = htonl(SLIRP_NET);
	sc.vnetmask.s_addr = htonl(SLIRP_MASK);
	sc.vhost.s_addr = htonl(SLIRP_HOST);
	sc.vdhcp_start.s_addr = htonl(SLIRP_DHCP_START);
	sc.vnameserver.s_addr = htonl(SLIRP_DNS);
	/* IPv6 as QEMU: fec0::/64, host fec0::2, DNS fec0::3 */
	sc.in6_enabled = true;
	inet_pton(AF_INET6, "fec0::", &sc.vprefix_addr6);
	sc.vprefix_len = 64;
	inet_pton(AF_INET6, "fec0::2", &sc.vhost6);
	inet_pton(AF_INET6, "fec0::3", &sc.vnameserver6);
	/* if_mtu/if_mru 0: libslirp's default 1500. The NIC still hands it
	 * IPv4 TCP segments of up to 64 KiB (TSO, virtio_net.c): libslirp 4.7
	 * checks no MTU on IPv4 input and its TCP takes a segment of any size
	 * (and acknowledges it at once). A larger if_mtu would not help IPv6
	 * (ip6_input refuses packets above if_mtu, so the NIC segments those)
	 * and would make libslirp send the guest unfragmented UDP datagrams
	 * larger than the guest's 1500-byte receive buffers. */
	sc.disable_host_loopback = false;	/* 10.0.2.2 reaches the host's 127.0.0.1, as QEMU */
	sc.enable_emu = false;			/* libslirp: "not safe" */

	s->slirp = s->lib.new_(&sc, &slirp_callbacks, s);
	if (!s->slirp) {
		snprintf(err, errlen, "net user: libslirp %s refused the configuration",
			 s->lib.version_string());
		slirp_destroy(&s->be);
		return -EINVAL;
	}
	for (int i = 0; i < cfg->nr_hostfwd; i++) {
		const struct net_hostfwd *f = &cfg->hostfwd[i];
		struct in_addr guest = { htonl(SLIRP_GUEST) };
		char addr[INET_ADDRSTRLEN] = "?";
		int e;

		errno = 0;
		if (s->lib.add_hostfwd(s->slirp, f->udp, f->host_addr, f->host_port, guest,
				      f->guest_port) == 0)
			continue;
		e = errno ? errno : EADDRINUSE;
		inet_ntop(AF_INET, &f->host_addr, addr, sizeof(addr));
		snprintf(err, errlen,
			 "net user: hostfwd %s:%s:%u-:%u: cannot listen on host port %u (%s)",
			 f->udp ? "udp" : "tcp", addr, f->host_port, f->guest_port, f->host_port,
			 strerror(e));
		slirp_destroy(&s->be);
		return -e;
	}
	*out = &s->be;
	return 0;
}
