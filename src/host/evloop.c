/* evloop.c - poll(2)-based event loop. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "host/evloop.h"

void evloop_init(struct evloop *l)
{
	memset(l, 0, sizeof(*l));
	l->wake_fd = -1;
}

void evloop_set_lock(struct evloop *l, pthread_mutex_t *lock)
{
	l->lock = lock;
}

int evloop_enable_wake(struct evloop *l)
{
	if (l->wake_fd >= 0)
		return 0;
	l->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return l->wake_fd < 0 ? -errno : 0;
}

void evloop_wake(struct evloop *l)
{
	uint64_t one = 1;

	if (l->wake_fd >= 0 && write(l->wake_fd, &one, sizeof(one)) < 0) {
		/* EAGAIN: the counter is saturated, a wake-up is pending anyway */
	}
}

void evloop_destroy(struct evloop *l)
{
	if (l->wake_fd >= 0)
		close(l->wake_fd);
	l->wake_fd = -1;
}

int evloop_add(struct evloop *l, struct evloop_source src)
{
	if (l->nr_sources >= EVLOOP_MAX_SOURCES)
		return -ENOSPC;
	l->src[l->nr_sources++] = src;
	return 0;
}

void evloop_poll(struct evloop *l, uint64_t timeout_ns)
{
	int n = 0, r;

	if (l->lock)
		pthread_mutex_lock(l->lock);
	if (l->wake_fd >= 0) {
		l->fds[0] = (struct pollfd){ .fd = l->wake_fd, .events = POLLIN };
		n = 1;
	}
	for (int i = 0; i < l->nr_sources; i++) {
		int k = 0;

		if (l->src[i].prepare)
			k = l->src[i].prepare(l->src[i].opaque, l->fds + n, EVLOOP_MAX_FDS - n,
					      &timeout_ns);
		l->first[i] = n;
		l->count[i] = k;
		n += k;
	}
	struct timespec ts = { (time_t)(timeout_ns / 1000000000ull), (long)(timeout_ns % 1000000000ull) };

	if (l->lock)
		pthread_mutex_unlock(l->lock);
	r = ppoll(l->fds, (nfds_t)n, &ts, NULL);
	if (r < 0)
		for (int i = 0; i < n; i++)
			l->fds[i].revents = 0;
	if (l->wake_fd >= 0 && l->fds[0].revents) {
		uint64_t v;

		if (read(l->wake_fd, &v, sizeof(v)) < 0) {
			/* EAGAIN: another reader drained it */
		}
	}
	if (l->lock)
		pthread_mutex_lock(l->lock);
	for (int i = 0; i < l->nr_sources; i++)
		if (l->src[i].dispatch)
			l->src[i].dispatch(l->src[i].opaque, l->fds + l->first[i], l->count[i]);
	if (l->lock)
		pthread_mutex_unlock(l->lock);
}
