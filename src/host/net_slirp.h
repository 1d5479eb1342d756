/* net_slirp.h - user-mode networking through libslirp (QEMU's "-netdev
 * user"): the guest sits on 10.0.2.0/24 behind a NAT made of host sockets;
 * 10.0.2.2 is the host, 10.0.2.3 the DNS proxy, DHCP hands out 10.0.2.15
 * (and fec0::/64 by router advertisements, as QEMU). Needs no privilege.
 *
 * libslirp keeps a little process-wide state (its clock and the cached host
 * DNS address) that is not thread-safe: with VMs on several threads, only
 * one of them may use user networking.
 * libslirp writes to host sockets with send(2) without MSG_NOSIGNAL: the
 * process must ignore SIGPIPE (main() does, as QEMU).
 */
#ifndef MACHINA_HOST_NET_SLIRP_H
#define MACHINA_HOST_NET_SLIRP_H

#include "host/net_opts.h"

struct vm;

/* Create the back end for cfg (kind NET_USER) with its host forwards; frames
 * for the guest go to peer. Returns 0 with *out set, or -errno with a
 * message in err (a forward whose host port cannot be bound names it). */
int must_check net_slirp_create(struct net_backend **out, struct vm *vm,
				const struct net_config *cfg, struct net_peer peer,
				char *err, size_t errlen);

#endif
