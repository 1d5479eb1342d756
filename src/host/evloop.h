/* evloop.h - a VM's host event loop: file descriptors and timers polled
 * between interpreter slices (and slept on in WFI). Sources register a
 * prepare/dispatch pair: prepare() adds pollfds (and may shorten the
 * timeout), dispatch() handles the results. All callbacks run on the thread
 * that owns the VM's device state; when the device state is shared with
 * other threads (KVM vCPUs), evloop_set_lock() names the mutex that guards
 * it and the loop holds it around prepare and dispatch (never while it
 * sleeps in ppoll). */
#ifndef MACHINA_HOST_EVLOOP_H
#define MACHINA_HOST_EVLOOP_H

#include <poll.h>
#include <pthread.h>

#include "core/types.h"

#define EVLOOP_MAX_SOURCES 16
#define EVLOOP_MAX_FDS 64	/* bounded: slirp adds one per socket it polls */

struct evloop_source {
	/* fill fds[0..max) and return how many were used; may lower *timeout_ns
	 * (relative, ns) when the source has a timer due */
	int (*prepare)(void *opaque, struct pollfd *fds, int max, uint64_t *timeout_ns);
	/* fds as filled by prepare, with revents set (poll error: revents 0) */
	void (*dispatch)(void *opaque, struct pollfd *fds, int n);
	void *opaque;
};

struct evloop {
	int nr_sources;
	struct evloop_source src[EVLOOP_MAX_SOURCES];
	struct pollfd fds[EVLOOP_MAX_FDS];
	int first[EVLOOP_MAX_SOURCES], count[EVLOOP_MAX_SOURCES];
	pthread_mutex_t *lock;	/* the device-state lock, or NULL (one thread) */
	int wake_fd;		/* eventfd that ends a ppoll early, or -1 */
};

void evloop_init(struct evloop *l);
void evloop_set_lock(struct evloop *l, pthread_mutex_t *lock);
/* create the wake-up eventfd (for loops that other threads must wake) */
int must_check evloop_enable_wake(struct evloop *l);
/* end the current or next evloop_poll() sleep early (any thread) */
void evloop_wake(struct evloop *l);
void evloop_destroy(struct evloop *l);
int must_check evloop_add(struct evloop *l, struct evloop_source src);
/* poll all sources for at most timeout_ns and dispatch what is ready */
void evloop_poll(struct evloop *l, uint64_t timeout_ns);

#endif
