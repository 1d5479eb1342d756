/* virtio_console.h - console device (virtio 1.2 section 5.3), one port, no
 * multiport: receiveq 0 carries input to the guest, transmitq 1 output from
 * it. Output goes to a struct chardev; input comes from the host console
 * through its struct console_sink:
 *
 *   console_set_sink(&console, (struct console_sink){
 *           virtio_console_receive, virtio_console_space, &vcon });
 *
 * Linux drives it as hvc0 (CONFIG_VIRTIO_CONSOLE, console=hvc0).
 */
#ifndef MACHINA_DEV_VIRTIO_CONSOLE_H
#define MACHINA_DEV_VIRTIO_CONSOLE_H

#include "core/chardev.h"
#include "dev/virtio/virtio.h"

struct vm;

struct virtio_console {
	struct virtio_dev vdev;
	/* wiring */
	struct chardev out;
	struct ratelimit rl;
	/* a receive buffer taken from receiveq by virtio_console_space() and
	 * not yet returned: input goes there first */
	bool rx_held;
	struct virtq_elem rx;
	/* scratch for the transmit path */
	struct virtq_elem tx;
};

void virtio_console_init(struct virtio_console *c, struct vm *vm, struct irq_line irq,
			 struct chardev out);
/* struct console_sink: take up to len input bytes into the guest's receive
 * buffers; returns the number of bytes taken (0 when the driver has no
 * buffers or is not running) */
size_t virtio_console_receive(void *opaque, const uint8_t *buf, size_t len);
/* bytes the guest can take now: 0 without receive buffers or before
 * DRIVER_OK, else the room in the next buffer, at most VIRTIO_CONSOLE_SPACE_MAX */
unsigned virtio_console_space(void *opaque);

#define VIRTIO_CONSOLE_SPACE_MAX 4096

#endif
