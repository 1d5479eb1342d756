/* i8042.h - the PS/2 controller of a PC, as far as a microVM needs it: the
 * reset line. Ports 0x60 (data) and 0x64 (status / command) are one 5-byte
 * region (offset 0 = 0x60, offset 4 = 0x64). Command 0xfe (pulse the reset
 * line) and command 0xd1 followed by an output-port byte with bit 0 clear
 * reset the machine: Linux's reboot=k path. Also answered, so a driver that
 * probes finds a sane controller without a keyboard: 0x20/0x60 read/write the
 * configuration byte, 0xaa self-test (0x55), 0xab/0xa9 port tests (0x00).
 * Engine-neutral; what a reset means is the machine's choice (the x86
 * machine ends the VM, like Firecracker). */
#ifndef MACHINA_DEV_I8042_H
#define MACHINA_DEV_I8042_H

#include "core/as.h"

struct i8042 {
	/* guest-visible state */
	uint8_t ctr;		/* configuration byte */
	uint8_t out;		/* output buffer */
	bool out_full;
	uint8_t pending_cmd;	/* command waiting for its data byte, or 0 */
	/* wiring */
	void (*reset)(void *opaque);
	void *opaque;
};

#define I8042_REGION_SIZE 5

extern const struct mmio_ops i8042_ops;

void i8042_init(struct i8042 *k, void (*reset)(void *opaque), void *opaque);

#endif
