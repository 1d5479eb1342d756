/* net_opts.h - network back ends: the --net option and the interface between
 * a NIC model (src/dev/virtio/virtio_net.c) and a host back end (user-mode
 * networking through libslirp in net_slirp.c, a tap device in net_tap.c).
 *
 * A back end is a struct net_backend plus one `static const struct
 * net_backend_ops`. It does no polling of its own: the NIC registers one
 * evloop source per NIC that chains to the back end's prepare/dispatch, so
 * every frame in either direction moves on the thread that runs
 * evloop_poll() (the vCPU thread of the interpreter), the thread that owns
 * the device and its rings.
 */
#ifndef MACHINA_HOST_NET_OPTS_H
#define MACHINA_HOST_NET_OPTS_H

#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/types.h"

/* ---- configuration (one --net option) ---- */

#define NET_MAX_HOSTFWD 16

struct net_hostfwd {
	bool udp;
	struct in_addr host_addr;	/* network byte order */
	uint16_t host_port;
	uint16_t guest_port;		/* on the guest's address, 10.0.2.15 */
};

struct net_config {
	enum { NET_USER, NET_TAP } kind;
	char ifname[16];		/* tap: interface name (IFNAMSIZ with the NUL) */
	uint8_t mac[6];
	bool mac_set;			/* else 52:54:00:12:34:(56 + NIC index) */
	int nr_hostfwd;			/* user only */
	struct net_hostfwd hostfwd[NET_MAX_HOSTFWD];
};

/* Parse the value of one --net option:
 *   user[,hostfwd=tcp:127.0.0.1:8080-:80][,hostfwd=...][,mac=52:54:00:12:34:56]
 *   tap,ifname=NAME[,mac=...]
 * hostfwd is [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport; an empty
 * host address is 127.0.0.1, an empty protocol tcp, and the guest address
 * may only be empty or 10.0.2.15 (the address the built-in DHCP server hands
 * out). Returns 0, or -EINVAL with a message naming the bad part in err. */
int net_parse_option(const char *s, struct net_config *cfg, char *err, size_t errlen);

/* ---- back-end interface ---- */

/* Ethernet frames in either direction are at most this long (without the
 * virtio header): the largest frame the tap device can carry with a 64 KiB
 * MTU and more than any guest without GSO sends. Longer ones are dropped. */
#define NET_MAX_FRAME 65536
#define NET_ETH_HLEN 14		/* the shortest frame accepted in either direction */

/* where a back end delivers frames from the host network */
struct net_peer {
	/* one whole frame; the peer copies what it keeps */
	void (*receive)(void *opaque, const uint8_t *frame, size_t len);
	/* may the back end read more frames now? (flow control for back ends
	 * that can stop reading, like tap; slirp cannot and relies on the
	 * peer's bounded queue) */
	bool (*can_receive)(void *opaque);
	void *opaque;
};

struct net_backend;

struct net_backend_ops {
	const char *name;
	/* as struct evloop_source: add pollfds to fds[0..max), may lower
	 * *timeout_ns; returns how many fds were used */
	int (*prepare)(struct net_backend *be, struct pollfd *fds, int max, uint64_t *timeout_ns);
	void (*dispatch)(struct net_backend *be, struct pollfd *fds, int n);
	/* a frame from the guest, NET_ETH_HLEN..NET_MAX_FRAME bytes; the back
	 * end drops what it cannot send (the guest's TCP retransmits) */
	void (*send)(struct net_backend *be, const uint8_t *frame, size_t len);
	void (*destroy)(struct net_backend *be);
};

struct net_backend {
	const struct net_backend_ops *ops;
	struct net_peer peer;
};

#endif
