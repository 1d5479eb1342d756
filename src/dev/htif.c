/* htif.c - HTIF tohost/fromhost device for bare-metal programs. */
#include "core/vm.h"
#include "dev/htif.h"
#include "dev/reg64.h"

#define SYS_WRITE 64

void htif_init(struct htif *h, struct vm *vm, struct chardev out)
{
	h->vm = vm;
	h->out = out;
	h->tohost = 0;
	h->fromhost = 0;
}

static void htif_syscall(struct htif *h, gpa_t block)
{
	uint64_t args[8];
	int64_t ret = -1;

	if (as_copy_from(&h->vm->as, args, block, sizeof(args)))
		return;
	if (args[0] == SYS_WRITE && (args[1] == 1 || args[1] == 2)) {
		/* bounded by guest RAM: the buffer must lie in RAM as a whole */
		const uint8_t *p = as_ram_ptr(&h->vm->as, args[2], args[3]);

		if (args[3] == 0) {
			ret = 0;
		} else if (p) {
			chardev_write(&h->out, p, args[3]);
			ret = (int64_t)args[3];
		}
	}
	args[0] = (uint64_t)ret;
	if (as_copy_to(&h->vm->as, block, args, 8))
		return;
	h->fromhost = 1;
}

static void htif_request(struct htif *h)
{
	uint64_t v = h->tohost;
	unsigned dev = v >> 56, cmd = (v >> 48) & 0xff;
	uint64_t payload = v & ((1ull << 48) - 1);

	if (dev == 0 && cmd == 0) {
		if (payload & 1) {
			int code = (int)(payload >> 1);

			vm_request_stop(h->vm, VM_STOP_POWEROFF, code);
		} else {
			htif_syscall(h, payload);
		}
		h->tohost = 0;
	} else if (dev == 1 && cmd == 1) {
		uint8_t ch = (uint8_t)payload;

		chardev_write(&h->out, &ch, 1);
		h->fromhost = (1ull << 56) | (1ull << 48) | 0x100 | ch;
		h->tohost = 0;
	}
	/* other requests (console input) stay pending: nothing answers them */
}

static uint64_t tohost_read(void *opaque, uint64_t off, unsigned size)
{
	return reg64_read(((struct htif *)opaque)->tohost, off, size);
}

static void tohost_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct htif *h = opaque;

	h->tohost = reg64_write(h->tohost, off, val, size);
	/* riscv-tests write the low word then the high word: act on the high
	 * word (or on a whole 8-byte write) */
	if (size == 4 && !(off & 4))
		return;
	if (h->tohost)
		htif_request(h);
}

static uint64_t fromhost_read(void *opaque, uint64_t off, unsigned size)
{
	return reg64_read(((struct htif *)opaque)->fromhost, off, size);
}

static void fromhost_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct htif *h = opaque;

	h->fromhost = reg64_write(h->fromhost, off, val, size);
}

const struct mmio_ops htif_tohost_ops = {
	.read = tohost_read, .write = tohost_write,
	.valid_min = 4, .valid_max = 8, .impl_min = 4, .impl_max = 8,
};

const struct mmio_ops htif_fromhost_ops = {
	.read = fromhost_read, .write = fromhost_write,
	.valid_min = 4, .valid_max = 8, .impl_min = 4, .impl_max = 8,
};
