/* net_tap.h - tap back end: Ethernet frames to and from a host tap
 * interface (/dev/net/tun, IFF_TAP | IFF_NO_PI, no virtio header). The
 * interface is created if it does not exist (needs CAP_NET_ADMIN) or
 * attached to if it does (a persistent tap owned by the user, as made by
 * `ip tuntap add dev NAME mode tap user USER`). Configuring it (address,
 * bridge, up) is the host's business.
 */
#ifndef MACHINA_HOST_NET_TAP_H
#define MACHINA_HOST_NET_TAP_H

#include "host/net_opts.h"

struct vm;

/* Open cfg->ifname (kind NET_TAP); frames from the host go to peer, read only
 * while peer.can_receive() says so. Returns 0 with *out set, or -errno with
 * a message in err that says what to do (missing /dev/net/tun, no
 * permission, interface busy). */
int must_check net_tap_create(struct net_backend **out, struct vm *vm,
			      const struct net_config *cfg, struct net_peer peer,
			      char *err, size_t errlen);

#endif
