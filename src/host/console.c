/* console.c - guest console on host file descriptors. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
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

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };

	nanosleep(&ts, NULL);
}

void console_poll(struct host_console *c, uint64_t timeout_ns)
{
	struct pollfd pfd;
	unsigned space;
	int r;

	console_flush(c);
	deliver(c);
	space = c->sink.space ? c->sink.space(c->sink.opaque) : 0;
	if (c->in_eof || c->pending_len || !space || c->vm->stop_reason != VM_RUNNING) {
		/* nothing to read now: just wait */
		if (timeout_ns)
			sleep_ns(timeout_ns);
		return;
	}
	pfd.fd = c->in_fd;
	pfd.events = POLLIN;
	r = poll(&pfd, 1, (int)((timeout_ns + 999999) / 1000000));
	if (r <= 0)
		return;
	if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
		uint8_t buf[sizeof(c->pending)];
		size_t want = space < sizeof(buf) ? space : sizeof(buf);
		ssize_t n = read(c->in_fd, buf, want);

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			c->in_eof = true;	/* stdin closed: the guest keeps running */
			return;
		}
		if (n > 0) {
			size_t kept = filter_escapes(c, buf, (size_t)n);

			memcpy(c->pending, buf, kept);
			c->pending_len = kept;
			deliver(c);
		}
	}
}
