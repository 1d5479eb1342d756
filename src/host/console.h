/* console.h - the host side of a guest console on file descriptors
 * (stdin/stdout, a pty, a pipe). Output is buffered and flushed at least
 * once per engine iteration; input is read only as fast as the guest device
 * takes it. QEMU's escapes are understood on input:
 *   Ctrl-A x  quit (the VM stops with VM_STOP_USER)
 *   Ctrl-A h  list the escapes
 *   Ctrl-A a  send a literal Ctrl-A
 */
#ifndef MACHINA_HOST_CONSOLE_H
#define MACHINA_HOST_CONSOLE_H

#include "core/chardev.h"
#include "core/types.h"
#include "host/evloop.h"

struct vm;

/* where input goes: the guest device (UART, virtio-console) */
struct console_sink {
	size_t (*receive)(void *opaque, const uint8_t *buf, size_t len);
	unsigned (*space)(void *opaque);
	void *opaque;
};

#define CONSOLE_OUTBUF 4096

struct host_console {
	struct vm *vm;
	int in_fd;		/* -1: no input */
	int out_fd;
	bool in_eof;
	bool escape;		/* saw Ctrl-A */
	uint8_t pending[64];	/* input read but not yet taken by the device */
	size_t pending_len;
	uint8_t out[CONSOLE_OUTBUF];
	size_t out_len;
	struct console_sink sink;
	bool input_throttled;	/* the last prepare skipped input: the sink was full */
};

void console_init(struct host_console *c, struct vm *vm, int in_fd, int out_fd);
/* the chardev a device writes into */
struct chardev console_chardev(struct host_console *c);
void console_set_sink(struct host_console *c, struct console_sink sink);
void console_flush(struct host_console *c);
/* True once when input was held back for lack of device space and the
 * device now has room: the I/O loop should be woken to read more (for
 * machines whose devices run on other threads than the loop). */
bool console_input_unblocked(struct host_console *c);
/* the console as an event-loop source: flushes output, reads input as fast
 * as the sink takes it */
struct evloop_source console_source(struct host_console *c);

#endif
