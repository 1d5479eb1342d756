/* test_kvm_exit.c - the KVM engine's exit handler (src/engine/kvm/kvm_exit.c)
 * driven with fake struct kvm_run contents, no /dev/kvm: port I/O (single
 * and string), MMIO reads and writes, unassigned accesses, malformed exits,
 * and the exits that stop the VM. Also the i8042 reset line and the x86
 * kernel command line builder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kvm.h>

#include "core/vm.h"
#include "dev/i8042.h"
#include "dev/virtio/virtio_mmio.h"
#include "dev/virtio/virtio_rng.h"
#include "engine/kvm/kvm.h"
#include "machine/x86_pc.h"

#define RUN_SIZE 8192	/* a kvm_run mapping: the struct then I/O data */

/* a recording device: remembers the last access, answers reads with a
 * value derived from the offset */
struct rec_dev {
	uint64_t last_off, last_val;
	unsigned last_size;
	int writes, reads;
	uint8_t bytes[64];	/* byte sink for string I/O */
	int nbytes;
};

static uint64_t rec_read(void *opaque, uint64_t off, unsigned size)
{
	struct rec_dev *d = opaque;

	d->reads++;
	d->last_off = off;
	d->last_size = size;
	return 0x1122334455667788ull >> (8 * (8 - size)) ^ off;
}

static void rec_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct rec_dev *d = opaque;

	d->writes++;
	d->last_off = off;
	d->last_val = val;
	d->last_size = size;
	if (size == 1 && d->nbytes < (int)sizeof(d->bytes))
		d->bytes[d->nbytes++] = (uint8_t)val;
}

static const struct mmio_ops rec_ops = {
	.read = rec_read, .write = rec_write,
	.valid_min = 1, .valid_max = 8, .impl_min = 1, .impl_max = 8,
};

struct fix {
	struct vm vm;
	struct address_space pio;
	struct rec_dev port_dev, mmio_dev;
	struct kvm_exit_ctx ctx;
	struct kvm_run *run;
	int resets;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(vm_init(&f->vm, "test"), 0);
	f->vm.log_level = LOG_ERROR;
	as_init(&f->pio, &f->vm);
	assert_int_equal(as_add_mmio(&f->pio, 0x3f8, 8, &rec_ops, &f->port_dev, "port"), 0);
	assert_int_equal(as_add_mmio(&f->vm.as, 0xd0000000, 0x1000, &rec_ops, &f->mmio_dev, "mmio"),
			 0);
	f->run = aligned_alloc(4096, RUN_SIZE);
	assert_non_null(f->run);
	memset(f->run, 0, RUN_SIZE);
	f->ctx = (struct kvm_exit_ctx){ .vm = &f->vm, .mmio = &f->vm.as, .pio = &f->pio,
					.vcpu_id = 0, .run_size = RUN_SIZE };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	vm_destroy(&f->vm);
	free(f->run);
	free(f);
	return 0;
}

static uint8_t *io_data(struct fix *f)
{
	return (uint8_t *)f->run + f->run->io.data_offset;
}

static void set_io(struct fix *f, uint8_t dir, uint16_t port, uint8_t size, uint32_t count)
{
	f->run->exit_reason = KVM_EXIT_IO;
	f->run->io.direction = dir;
	f->run->io.port = port;
	f->run->io.size = size;
	f->run->io.count = count;
	f->run->io.data_offset = 4096;
}

static void test_port_out_byte(void **state)
{
	struct fix *f = *state;

	set_io(f, KVM_EXIT_IO_OUT, 0x3f8 + 3, 1, 1);
	io_data(f)[0] = 0x83;
	assert_int_equal(kvm_handle_exit(&f->ctx, f->run), 0);
	assert_int_equal(f->port_dev.writes, 1);
	assert_int_equal(f->port_dev.last_off, 3);
	assert_int_equal(f->port_dev.last_val, 0x83);
	assert_int_equal(f->ctx.nr_io_exits, 1);
	assert_int_equal(f->vm.stop_reason, VM_RUNNING);
}

static void test_port_in_word(void **state)
{
	struct fix *f = *state;

	set_io(f, KVM_EXIT_IO_IN, 0x3f8 + 2, 2, 1);
	memset(io_data(f), 0xee, 8);
	assert_int_equal(kvm_handle_exit(&f->ctx, f->run), 0);
	assert_int_equal(f->port_dev.reads, 1);
	assert_int_equal(f->port_dev.last_size, 2);
	uint16_t v;

	memcpy(&v, io_data(f), 2);
	assert_int_equal(v, (0x1122334455667788ull >> 48) ^ 2);
	assert_int_equal(io_data(f)[2], 0xee);	/* nothing beyond the access */
}

static void test_port_string_out(void **state)
{
	struct fix *f = *state;

	/* rep outsb of "hello": five elements in one exit */
	set_io(f, KVM_EXIT_IO_OUT, 0x3f8, 1, 5);
	memcpy(io_data(f), "hello", 5);
	assert_int_equal(kvm_handle_exit(&f->ctx, f->run), 0);
	assert_int_equal(f->port_dev.nbytes, 5);
	assert_memory_equal(f->port_dev.bytes, "hello", 5);
}

static void test_port_unassigned(void **state)
{
	struct fix *f = *state;
	uint32_t v;

	set_io(f, KVM_EXIT_IO_IN, 0x2f8, 4, 1);
	memset(io_data(f), 0, 4);
	assert_int_equal(kvm_handle_exit(&f->ctx, f->run), 0);
	memcpy(&v, io_data(f), 4);
	assert_int_equal(v, 0xffffffffu);	/* floating bus */
	set_io(f, KVM_EXIT_IO_OUT, 0x80, 1, 1);
	assert_int_equal(kvm_handle_exit(&f->ctx, f->run), 0);
	assert_int_equal(f->port_dev.writes, 0);
	assert_int_equal(f->vm.stop_reason, VM_RUNNING);
}

static void test_port_malformed(void **state)
{
	struct fix *f = *state;

	/* data beyond the kvm_run mapping: refused, the VM stops */
	set_io(f, KVM_EXIT_IO_OUT, 0x3f8, 4, 1025);	/* 4100 bytes from 4096 */
	assert_int_equal(kvm_handle_exit(&f->ctx, f->run), 1);
	assert_int_equal(f->port_dev.writes, 0);
	assert_int_equal(f->vm.stop_reason, VM_STOP_ERROR);
}

static void test_port_bad_size(void **state)
{
	struct fix *f = *state;

	set_io(f, KVM_EXIT_IO_OUT, 0x3f8, 3, 1);
	assert_int_equal(kvm_handle_exit(&f->ctx, f->run), 1);
	assert_int_equal(f->vm.stop_reason, VM_STOP_ERROR);
}

static void test_mmio_write_read(void **state)
{
	struct fix *f = *state;
	uint64_t v = 0x0102030405060708ull;

	f->run->exit_reason = KVM_EXIT_MMIO;
	f->run->mmio.phys_addr = 0xd0000050;
	f->run->mmio.len = 4;
	f->run->mmio.is_write = 1;
	memcpy(f->run->mmio.data, &v, 8);
	assert_int_equal(kvm_handle_exit(&f->ctx, f->run), 0);
	assert_int_equal(f->mmio_dev.writes, 1);
	assert_int_equal(f->mmio_dev.last_off, 0x50);
	assert_int_equal(f->mmio_dev.last_val, 0x05060708);
	assert_int_equal(f->mmio_dev.last_size, 4);

	f->run->mmio.phys_addr = 0xd0000008;
	f->run->mmio.len = 8;
	f->run->mmio.is_write = 0;
	memset(f->run->mmio.data, 0xaa, 8);
	assert_int_equal(kvm_handle_exit(&f->ctx, f->run), 0);
	memcpy(&v, f->run->mmio.data, 8);
	assert_int_equal(v, 0x1122334455667788ull ^ 8);
	assert_int_equal(f->ctx.nr_mmio_exits, 2);
}

static void test_mmio_unassigned_and_bad_len(void **state)
{
	struct fix *f = *state;
	uint64_t v;

	f->run->exit_reason = KVM_EXIT_MMIO;
	f->run->mmio.phys_addr = 0xe0000000;
	f->run->mmio.len = 4;
	f->run->mmio.is_write = 0;
	memset(f->run->mmio.data, 0xaa, 8);
	assert_int_equal(kvm_handle_exit(&f->ctx, f->run), 0);
	memcpy(&v, f->run->mmio.data, 8);
	assert_int_equal(v, 0);
	f->run->mmio.phys_addr = 0xd0000000;
	f->run->mmio.len = 3;	/* not an access size: ignored, reads zero */
	memset(f->run->mmio.data, 0xaa, 8);
	assert_int_equal(kvm_handle_exit(&f->ctx, f->run), 0);
	memcpy(&v, f->run->mmio.data, 8);
	assert_int_equal(v, 0);
	assert_int_equal(f->mmio_dev.reads, 0);
	assert_int_equal(f->vm.stop_reason, VM_RUNNING);
}

static void check_stop(struct fix *f, uint32_t reason, int want_ret, enum vm_stop_reason want)
{
	f->vm.stop_reason = VM_RUNNING;
	f->run->exit_reason = reason;
	assert_int_equal(kvm_handle_exit(&f->ctx, f->run), want_ret);
	assert_int_equal(f->vm.stop_reason, want);
}

static void test_stopping_exits(void **state)
{
	struct fix *f = *state;

	check_stop(f, KVM_EXIT_SHUTDOWN, 1, VM_STOP_REBOOT);
	check_stop(f, KVM_EXIT_FAIL_ENTRY, 1, VM_STOP_ERROR);
	check_stop(f, KVM_EXIT_INTERNAL_ERROR, 1, VM_STOP_ERROR);
	check_stop(f, KVM_EXIT_HLT, 1, VM_STOP_POWEROFF);
	check_stop(f, 0xdead, -22, VM_STOP_ERROR);
	f->run->system_event.type = KVM_SYSTEM_EVENT_SHUTDOWN;
	check_stop(f, KVM_EXIT_SYSTEM_EVENT, 1, VM_STOP_POWEROFF);
	f->run->system_event.type = KVM_SYSTEM_EVENT_RESET;
	check_stop(f, KVM_EXIT_SYSTEM_EVENT, 1, VM_STOP_REBOOT);
	f->run->system_event.type = KVM_SYSTEM_EVENT_CRASH;
	check_stop(f, KVM_EXIT_SYSTEM_EVENT, 1, VM_STOP_ERROR);
	check_stop(f, KVM_EXIT_INTR, 0, VM_RUNNING);
}

static void count_reset(void *opaque)
{
	(*(int *)opaque)++;
}

static void test_i8042_reset_through_ports(void **state)
{
	struct fix *f = *state;
	struct i8042 kbd;
	uint64_t v;

	i8042_init(&kbd, count_reset, &f->resets);
	assert_int_equal(as_add_mmio(&f->pio, 0x60, I8042_REGION_SIZE, &i8042_ops, &kbd, "i8042"), 0);
	/* self-test answers 0x55 through the data port */
	set_io(f, KVM_EXIT_IO_OUT, 0x64, 1, 1);
	io_data(f)[0] = 0xaa;
	assert_int_equal(kvm_handle_exit(&f->ctx, f->run), 0);
	assert_int_equal(as_read(&f->pio, 0x64, 1, &v), 0);
	assert_true(v & 1);	/* output buffer full */
	assert_int_equal(as_read(&f->pio, 0x60, 1, &v), 0);
	assert_int_equal(v, 0x55);
	assert_int_equal(f->resets, 0);
	/* output port write with bit 0 set: no reset; clear: reset */
	assert_int_equal(as_write(&f->pio, 0x64, 1, 0xd1), 0);
	assert_int_equal(as_write(&f->pio, 0x60, 1, 0x03), 0);
	assert_int_equal(f->resets, 0);
	assert_int_equal(as_write(&f->pio, 0x64, 1, 0xd1), 0);
	assert_int_equal(as_write(&f->pio, 0x60, 1, 0x02), 0);
	assert_int_equal(f->resets, 1);
	/* the classic pulse */
	set_io(f, KVM_EXIT_IO_OUT, 0x64, 1, 1);
	io_data(f)[0] = 0xfe;
	assert_int_equal(kvm_handle_exit(&f->ctx, f->run), 0);
	assert_int_equal(f->resets, 2);
}

struct ready_rec {
	int calls;
	uint32_t q;
	struct virtio_mmio *t;
};

static void rec_ready(void *opaque, struct virtio_mmio *t, uint32_t q)
{
	struct ready_rec *r = opaque;

	r->calls++;
	r->q = q;
	r->t = t;
}

/* the transport's queue-ready hook, which the x86 machine uses to register
 * a queue's ioeventfd: called once when a queue goes live, not for a queue
 * the device refuses, not for a queue that is already live */
static void test_queue_ready_hook(void **state)
{
	struct fix *f = *state;
	struct virtio_rng rng;
	struct virtio_mmio t = { 0 };
	struct ready_rec r = { 0 };
	const gpa_t base = 0x10000000;

	assert_int_equal(vm_alloc_ram(&f->vm, 0x80000000, 1 << 20), 0);
	virtio_rng_init(&rng, &f->vm, (struct irq_line){ 0 });
	virtio_mmio_init(&t, &rng.vdev);
	t.queue_ready = rec_ready;
	t.queue_ready_opaque = &r;
	assert_int_equal(as_add_mmio(&f->vm.as, base, VIRTIO_MMIO_SIZE, &virtio_mmio_ops, &t, "rng"), 0);
	assert_int_equal(as_write(&f->vm.as, base + 0x070, 4, 1 | 2), 0);	/* ACK | DRIVER */
	assert_int_equal(as_write(&f->vm.as, base + 0x024, 4, 1), 0);		/* features hi */
	assert_int_equal(as_write(&f->vm.as, base + 0x020, 4, 1), 0);		/* VERSION_1 */
	assert_int_equal(as_write(&f->vm.as, base + 0x070, 4, 1 | 2 | 8), 0);	/* FEATURES_OK */
	assert_int_equal(as_write(&f->vm.as, base + 0x030, 4, 0), 0);		/* QueueSel */
	/* a queue size that is not a power of two: refused, no hook */
	assert_int_equal(as_write(&f->vm.as, base + 0x038, 4, 3), 0);
	assert_int_equal(as_write(&f->vm.as, base + 0x044, 4, 1), 0);
	assert_int_equal(r.calls, 0);
	virtio_dev_reset(&rng.vdev);
	assert_int_equal(as_write(&f->vm.as, base + 0x070, 4, 1 | 2), 0);
	assert_int_equal(as_write(&f->vm.as, base + 0x024, 4, 1), 0);
	assert_int_equal(as_write(&f->vm.as, base + 0x020, 4, 1), 0);
	assert_int_equal(as_write(&f->vm.as, base + 0x070, 4, 1 | 2 | 8), 0);
	assert_int_equal(as_write(&f->vm.as, base + 0x030, 4, 0), 0);
	assert_int_equal(as_write(&f->vm.as, base + 0x038, 4, 8), 0);
	assert_int_equal(as_write(&f->vm.as, base + 0x080, 4, 0x80000000), 0);	/* desc */
	assert_int_equal(as_write(&f->vm.as, base + 0x090, 4, 0x80001000), 0);	/* avail */
	assert_int_equal(as_write(&f->vm.as, base + 0x0a0, 4, 0x80002000), 0);	/* used */
	assert_int_equal(as_write(&f->vm.as, base + 0x044, 4, 1), 0);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.q, 0);
	assert_ptr_equal(r.t, &t);
	assert_int_equal(as_write(&f->vm.as, base + 0x044, 4, 1), 0);	/* already live */
	assert_int_equal(r.calls, 1);
}

static void test_cmdline(void **state)
{
	char buf[256];

	(void)state;
	assert_int_equal(x86_pc_cmdline(buf, sizeof(buf), 2, "console=ttyS0 -- echo hi"), 0);
	assert_string_equal(buf, "virtio_mmio.device=4K@0xd0000000:5 "
				 "virtio_mmio.device=4K@0xd0001000:6 console=ttyS0 -- echo hi");
	assert_int_equal(x86_pc_cmdline(buf, sizeof(buf), 1, NULL), 0);
	assert_string_equal(buf, "virtio_mmio.device=4K@0xd0000000:5");
	assert_int_equal(x86_pc_cmdline(buf, sizeof(buf), 0, ""), 0);
	assert_string_equal(buf, "");
	assert_int_equal(x86_pc_cmdline(buf, 40, 2, "x"), -E2BIG);
	assert_int_equal(x86_pc_cmdline(buf, 36, 1, NULL), 0);	/* exactly fits */
	assert_int_equal(x86_pc_cmdline(buf, 35, 1, NULL), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_port_out_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_in_word, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_string_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_unassigned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_bad_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_write_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_unassigned_and_bad_len, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stopping_exits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_i8042_reset_through_ports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_ready_hook, setup, teardown),
		cmocka_unit_test(test_cmdline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
