/* evloop.c - poll(2)-based event loop. */
#include <errno.h>
#include <time.h>
#include <string.h>

#include "host/evloop.h"

void evloop_init(struct evloop *l)
{
	memset(l, 0, sizeof(*l));
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

	r = ppoll(l->fds, (nfds_t)n, &ts, NULL);
	if (r < 0)
		for (int i = 0; i < n; i++)
			l->fds[i].revents = 0;
	for (int i = 0; i < l->nr_sources; i++)
		if (l->src[i].dispatch)
			l->src[i].dispatch(l->src[i].opaque, l->fds + l->first[i], l->count[i]);
}
