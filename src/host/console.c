/* console.c - guest console on host file descriptors. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "core/vm.h"
#include "host/console.h"

#define CTRL_A 0x01

void console_init(struct host_console *c, struct vm *vm, int in_fd, int out_fd)
{
	memset(c, 0, sizeof(*c));
	c->vm = vm;
	c->in_fd = in_fd;
	c->out_fd = out_fd;
	c->in_eof = in_fd < 0;
}

void console_flush(struct host_console *c)
{
	size_t done = 0;

	while (done < c->out_len) {
		ssize_t n = write(c->out_fd, c->out + done, c->out_len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* output gone (closed pipe): drop, keep running */
		done += (size_t)n;
	}
	c->out_len = 0;
}

static void console_write(void *opaque, const uint8_t *buf, size_t len)
{
	struct host_console *c = opaque;

	while (len) {
		size_t n = CONSOLE_OUTBUF - c->out_len;

		if (n > len)
			n = len;
		memcpy(c->out + c->out_len, buf, n);
		c->out_len += n;
		buf += n;
		len -= n;
		if (c->out_len == CONSOLE_OUTBUF)
			console_flush(c);
	}
}

struct chardev console_chardev(struct host_console *c)
{
	return (struct chardev){ console_write, c };
}

void console_set_sink(struct host_console *c, struct console_sink sink)
{
	c->sink = sink;
}

static void say(struct host_console *c, const char *s)
{
	console_write(c, (const uint8_t *)s, strlen(s));
	console_flush(c);
}

/* escape processing; returns the number of bytes kept in buf */
static size_t filter_escapes(struct host_console *c, uint8_t *buf, size_t len)
{
	size_t out = 0;

	for (size_t i = 0; i < len; i++) {
		uint8_t ch = buf[i];

		if (!c->escape) {
			if (ch == CTRL_A)
				c->escape = true;
			else
				buf[out++] = ch;
			continue;
		}
		c->escape = false;
		switch (ch) {
		case 'x':
			say(c, "\r\nmachina: terminated (Ctrl-A x)\r\n");
			vm_request_stop(c->vm, VM_STOP_USER, 0);
			return out;
		case 'h':
			say(c, "\r\nC-a h    print this help\r\n"
			       "C-a x    exit machina\r\n"
			       "C-a C-a  send C-a to the guest (also C-a a)\r\n");
			break;
		case 'a':
		case CTRL_A:
			buf[out++] = CTRL_A;
			break;
		default:
			break;	/* unknown escape: ignored, as QEMU does */
		}
	}
	return out;
}

static void deliver(struct host_console *c)
{
	if (!c->pending_len || !c->sink.receive)
		return;
	size_t n = c->sink.receive(c->sink.opaque, c->pending, c->pending_len);

	memmove(c->pending, c->pending + n, c->pending_len - n);
	c->pending_len -= n;
}

static int console_prepare(void *opaque, struct pollfd *fds, int max, uint64_t *timeout_ns)
{
	struct host_console *c = opaque;
	unsigned space;

	console_flush(c);
	deliver(c);
	space = c->sink.space ? c->sink.space(c->sink.opaque) : 0;
	c->input_throttled = !c->in_eof && (c->pending_len || !space);
	/* read only what the device can take: the rest waits in the host pipe */
	if (c->in_eof || c->pending_len || !space || max < 1 || c->vm->stop_reason != VM_RUNNING)
		return 0;
	fds[0] = (struct pollfd){ .fd = c->in_fd, .events = POLLIN };
	return 1;
}

static void console_dispatch(void *opaque, struct pollfd *fds, int n)
{
	struct host_console *c = opaque;
	uint8_t buf[sizeof(c->pending)];
	unsigned space;
	ssize_t r;

	if (n < 1 || !(fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	space = c->sink.space ? c->sink.space(c->sink.opaque) : 0;
	r = read(c->in_fd, buf, space < sizeof(buf) ? space : sizeof(buf));
	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
		c->in_eof = true;	/* stdin closed: the guest keeps running */
		return;
	}
	if (r > 0) {
		size_t kept = filter_escapes(c, buf, (size_t)r);

		memcpy(c->pending, buf, kept);
		c->pending_len = kept;
		deliver(c);
	}
}

bool console_input_unblocked(struct host_console *c)
{
	if (!c->input_throttled || !c->sink.space || !c->sink.space(c->sink.opaque))
		return false;
	c->input_throttled = false;
	return true;
}

struct evloop_source console_source(struct host_console *c)
{
	return (struct evloop_source){ console_prepare, console_dispatch, c };
}
