/* chardev.h - byte-stream sink between a device and a host backend
 * (stdio, pty, file). The device calls chardev_write(); input flows the other
 * way through the device's own receive function, driven by the backend. */
#ifndef MACHINA_CHARDEV_H
#define MACHINA_CHARDEV_H

#include <stddef.h>
#include <stdint.h>

struct chardev {
	void (*write)(void *opaque, const uint8_t *buf, size_t len);
	void *opaque;
};

static inline void chardev_write(const struct chardev *c, const uint8_t *buf, size_t len)
{
	if (c->write)
		c->write(c->opaque, buf, len);
}

#endif
