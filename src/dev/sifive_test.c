/* sifive_test.c - power-off / reset device of the virt board. */
#include "core/vm.h"
#include "dev/sifive_test.h"

static uint64_t test_read(void *opaque, uint64_t off, unsigned size)
{
	return 0;
}

static void test_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct sifive_test *t = opaque;

	if (off != 0)
		return;
	switch (val & 0xffff) {
	case SIFIVE_TEST_PASS:
		vm_request_stop(t->vm, VM_STOP_POWEROFF, 0);
		break;
	case SIFIVE_TEST_FAIL:
		/* a failure with code 0 still counts as a failure */
		vm_request_stop(t->vm, VM_STOP_POWEROFF, (int)((val >> 16) & 0xffff) ?: 1);
		break;
	case SIFIVE_TEST_RESET:
		vm_request_stop(t->vm, VM_STOP_REBOOT, 0);
		break;
	}
}

const struct mmio_ops sifive_test_ops = {
	.read = test_read, .write = test_write,
	.valid_min = 2, .valid_max = 4, .impl_min = 4, .impl_max = 4,
};
