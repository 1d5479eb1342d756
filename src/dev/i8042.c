/* i8042.c - PS/2 controller reset line (see i8042.h). */
#include <string.h>

#include "dev/i8042.h"

enum {
	I8042_DATA = 0,		/* port 0x60 */
	I8042_CMD = 4,		/* port 0x64: status on read, command on write */
	STATUS_OBF = 0x01,	/* output buffer full */
	STATUS_SYS = 0x04,	/* system flag: self-test passed */
	CMD_READ_CTR = 0x20,
	CMD_WRITE_CTR = 0x60,
	CMD_DISABLE_AUX = 0xa7,
	CMD_ENABLE_AUX = 0xa8,
	CMD_TEST_AUX = 0xa9,
	CMD_SELF_TEST = 0xaa,
	CMD_TEST_KBD = 0xab,
	CMD_DISABLE_KBD = 0xad,
	CMD_ENABLE_KBD = 0xae,
	CMD_WRITE_OUTPORT = 0xd1,
	CMD_PULSE_RESET = 0xfe,
	CTR_SYS = 0x04,
};

void i8042_init(struct i8042 *k, void (*reset)(void *opaque), void *opaque)
{
	memset(k, 0, sizeof(*k));
	k->ctr = CTR_SYS;
	k->reset = reset;
	k->opaque = opaque;
}

static void put_out(struct i8042 *k, uint8_t v)
{
	k->out = v;
	k->out_full = true;
}

static void do_reset(struct i8042 *k)
{
	if (k->reset)
		k->reset(k->opaque);
}

static uint64_t i8042_read(void *opaque, uint64_t offset, unsigned size)
{
	struct i8042 *k = opaque;

	(void)size;
	if (offset == I8042_CMD)
		return (k->out_full ? STATUS_OBF : 0) | STATUS_SYS;
	if (offset == I8042_DATA) {
		k->out_full = false;
		return k->out;
	}
	return 0xff;	/* 0x61-0x63 are not the controller's */
}

static void i8042_command(struct i8042 *k, uint8_t cmd)
{
	switch (cmd) {
	case CMD_READ_CTR:
		put_out(k, k->ctr);
		break;
	case CMD_WRITE_CTR:
	case CMD_WRITE_OUTPORT:
		k->pending_cmd = cmd;
		break;
	case CMD_SELF_TEST:
		put_out(k, 0x55);
		break;
	case CMD_TEST_KBD:
	case CMD_TEST_AUX:
		put_out(k, 0x00);
		break;
	case CMD_PULSE_RESET:
		do_reset(k);
		break;
	default:
		/* enable/disable ports and the rest: accepted, nothing attached */
		break;
	}
}

static void i8042_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
	struct i8042 *k = opaque;
	uint8_t v = (uint8_t)value;

	(void)size;
	if (offset == I8042_CMD) {
		k->pending_cmd = 0;
		i8042_command(k, v);
	} else if (offset == I8042_DATA) {
		uint8_t cmd = k->pending_cmd;

		k->pending_cmd = 0;
		if (cmd == CMD_WRITE_CTR)
			k->ctr = v;
		else if (cmd == CMD_WRITE_OUTPORT && !(v & 1))
			do_reset(k);	/* output port bit 0 is the reset line, active low */
		/* otherwise: a byte for a keyboard that is not there */
	}
}

const struct mmio_ops i8042_ops = {
	.read = i8042_read,
	.write = i8042_write,
	.valid_min = 1, .valid_max = 1,
	.impl_min = 1, .impl_max = 1,
};
