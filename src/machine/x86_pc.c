/* x86_pc.c - the x86-64 microVM (see x86_pc.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "machine/x86_pc.h"

#define X86_IDLE_POLL_NS 100000000ull	/* the I/O loop's longest sleep: 100 ms */

/* interrupt lines are edges on KVM's IOAPIC/PIC: the ISA pins this machine
 * uses are edge-triggered, so a line going high becomes one irqfd write.
 * A device whose line stays high gets no new edge: the 16550 and
 * virtio-mmio drivers service all causes before the line drops (the virtio
 * ISR is acknowledged before the queues are scanned), as on real ISA. */
static void x86_irq_set(void *opaque, int gsi, int level)
{
	struct x86_pc *m = opaque;
	uint64_t one = 1;

	if (gsi < 0 || gsi >= X86_NR_GSI || m->irq_fd[gsi] < 0)
		return;
	if (level && !m->irq_level[gsi] && write(m->irq_fd[gsi], &one, sizeof(one)) < 0) {
		/* EAGAIN: the counter is saturated, an edge is pending anyway */
	}
	m->irq_level[gsi] = level != 0;
}

static int irq_line(struct x86_pc *m, int gsi, struct irq_line *line)
{
	if (gsi < 0 || gsi >= X86_NR_GSI)
		return -EINVAL;
	if (m->irq_fd[gsi] < 0) {
		int ret = kvm_engine_irqfd(&m->kvm, gsi, &m->irq_fd[gsi]);

		if (ret)
			return ret;
	}
	*line = (struct irq_line){ x86_irq_set, m, gsi };
	return 0;
}

static struct irq_line slot_next_irq(void *opaque)
{
	struct x86_pc *m = opaque;
	struct irq_line line = { 0 };

	/* an irqfd that cannot be made leaves the line unwired: slot_add
	 * then fails for the same reason */
	if (irq_line(m, X86_VIRTIO_GSI_BASE + m->nr_virtio, &line))
		line = (struct irq_line){ 0 };
	return line;
}

/* a queue went live (a vCPU's MMIO exit, device lock held): from now on
 * its notifications are an ioeventfd the I/O loop reads. Without one (the
 * ioctl failed, or the bound is reached) they keep coming as MMIO exits,
 * which the same transport handles: slower, still correct. */
static void queue_ready(void *opaque, struct virtio_mmio *t, uint32_t q)
{
	struct x86_pc *m = opaque;
	int slot = (int)(t - m->virtio);
	struct x86_notify *n;
	int ret;

	for (int i = 0; i < m->nr_notify; i++)
		if (m->notify[i].slot == slot && m->notify[i].queue == q)
			return;		/* re-enabled after a reset: still registered */
	if (m->nr_notify >= X86_MAX_NOTIFY)	/* slots x queues: cannot happen */
		return;
	n = &m->notify[m->nr_notify];
	ret = kvm_engine_ioeventfd(&m->kvm, X86_VIRTIO_BASE + (gpa_t)slot * X86_VIRTIO_STRIDE +
				   VIRTIO_MMIO_QUEUE_NOTIFY, q, &n->fd);
	if (ret) {
		vm_log(m->vm, LOG_WARN, "virtio slot %d queue %u: no ioeventfd (%s): notifications "
		       "take the slow path", slot, q, strerror(-ret));
		return;
	}
	n->slot = slot;
	n->queue = q;
	m->nr_notify++;
	evloop_wake(&m->loop);	/* the I/O loop polls the new eventfd */
}

static int slot_add(void *opaque, struct virtio_dev *vdev)
{
	struct x86_pc *m = opaque;
	int slot = m->nr_virtio;
	gpa_t base = X86_VIRTIO_BASE + (gpa_t)slot * X86_VIRTIO_STRIDE;
	int ret;

	if (slot >= X86_VIRTIO_SLOTS)
		return -ENOSPC;
	if (m->irq_fd[X86_VIRTIO_GSI_BASE + slot] < 0)
		return -EIO;
	virtio_mmio_init(&m->virtio[slot], vdev);
	ret = as_add_mmio(&m->vm->as, base, X86_VIRTIO_STRIDE, &virtio_mmio_ops, &m->virtio[slot],
			  vdev->ops->name);
	if (ret)
		return ret;
	/* queue notifications get their ioeventfd when the driver makes the
	 * queue live: each KVM_IOEVENTFD waits for a grace period in the
	 * kernel, which is better spent while the guest boots than before it
	 * starts, and only on the queues the guest uses */
	m->virtio[slot].queue_ready = queue_ready;
	m->virtio[slot].queue_ready_opaque = m;
	m->nr_virtio++;
	return 0;
}

/* the I/O loop's source for queue notifications */
static int notify_prepare(void *opaque, struct pollfd *fds, int max, uint64_t *timeout_ns)
{
	struct x86_pc *m = opaque;
	int n = m->nr_notify < max ? m->nr_notify : max;

	(void)timeout_ns;
	for (int i = 0; i < n; i++)
		fds[i] = (struct pollfd){ .fd = m->notify[i].fd, .events = POLLIN };
	return n;
}

static void notify_dispatch(void *opaque, struct pollfd *fds, int n)
{
	struct x86_pc *m = opaque;

	for (int i = 0; i < n; i++) {
		uint64_t v;

		if (!(fds[i].revents & POLLIN) || read(m->notify[i].fd, &v, sizeof(v)) != sizeof(v))
			continue;
		virtio_mmio_queue_notify(&m->virtio[m->notify[i].slot], m->notify[i].queue);
	}
}

static size_t uart_sink_receive(void *opaque, const uint8_t *buf, size_t len)
{
	return uart_receive(opaque, buf, len);
}

static unsigned uart_sink_space(void *opaque)
{
	return uart_rx_space(opaque);
}

/* i8042 reset: a microVM has no power button (no ACPI), so the guest's
 * reboot (Linux reboot=k) ends the VM, as in Firecracker */
static void x86_reset(void *opaque)
{
	struct x86_pc *m = opaque;

	vm_request_stop(m->vm, VM_STOP_POWEROFF, 0);
}

/* after each vCPU exit, with the device lock held */
static void x86_after_exit(void *opaque)
{
	struct x86_pc *m = opaque;

	if (m->console.out_len)
		console_flush(&m->console);
	if (console_input_unblocked(&m->console))
		evloop_wake(&m->loop);
}

static void x86_stop_notify(void *opaque)
{
	struct x86_pc *m = opaque;

	for (int i = 0; i < m->kvm.nr_vcpus; i++)
		kvm_vcpu_set_state(&m->kvm.vcpu[i], KVM_VCPU_STOPPED);
	evloop_wake(&m->loop);
}

int x86_pc_cmdline(char *buf, size_t len, int nr_virtio, const char *user)
{
	size_t used = 0;

	if (!len)
		return -E2BIG;
	buf[0] = 0;
	for (int i = 0; i < nr_virtio; i++) {
		int n = snprintf(buf + used, len - used, "virtio_mmio.device=4K@0x%llx:%d ",
				 (unsigned long long)(X86_VIRTIO_BASE + (gpa_t)i * X86_VIRTIO_STRIDE),
				 X86_VIRTIO_GSI_BASE + i);

		if (n < 0 || (size_t)n >= len - used)
			return -E2BIG;
		used += (size_t)n;
	}
	int n = snprintf(buf + used, len - used, "%s", user ? user : "");

	if (n < 0 || (size_t)n >= len - used)
		return -E2BIG;
	/* no trailing blank when there is no user part */
	used += (size_t)n;
	while (used && buf[used - 1] == ' ')
		buf[--used] = 0;
	return 0;
}

/* Giving KVM its memory slots takes milliseconds (the kernel waits for an
 * SRCU grace period), during which nothing else needs them: they are
 * registered on a short-lived thread while the devices, the kernel and the
 * vCPUs are set up, and joined before the vCPUs run. */
static void *map_ram_thread(void *arg)
{
	struct x86_pc *m = arg;
	int ret = kvm_engine_map_ram(&m->kvm, 0, m->low_ram, m->vm->ram);

	if (!ret && m->high_ram)
		ret = kvm_engine_map_ram(&m->kvm, X86_HIGH_RAM_BASE, m->high_ram,
					 m->vm->ram + m->low_ram);
	m->map_ret = ret;
	return NULL;
}

static int join_map_ram(struct x86_pc *m, char *err, size_t errlen)
{
	if (!m->map_started)
		return 0;
	pthread_join(m->map_thread, NULL);
	m->map_started = false;
	if (m->map_ret && err)
		snprintf(err, errlen, "cannot give guest RAM to KVM: %s", strerror(-m->map_ret));
	return m->map_ret;
}

static int create_ram(struct x86_pc *m, uint64_t size, char *err, size_t errlen)
{
	struct vm *vm = m->vm;
	int ret;

	if (size < (16ull << 20) || size > X86_MAX_RAM || (size & 0xfffff)) {
		snprintf(err, errlen, "--memory must be a multiple of 1 MiB between 16 MiB and 1 TiB");
		return -EINVAL;
	}
	ret = vm_alloc_ram_backing(vm, size);
	if (ret) {
		snprintf(err, errlen, "cannot allocate %llu MiB of guest RAM: %s",
			 (unsigned long long)(size >> 20), strerror(-ret));
		return ret;
	}
	/* 2 MiB pages for the guest where the host can (fewer TLB misses
	 * for the guest's and KVM's page walks); advice only */
	madvise(vm->ram, size, MADV_HUGEPAGE);
	x86_ram_split(size, &m->low_ram, &m->high_ram);
	ret = as_add_ram(&vm->as, 0, m->low_ram, vm->ram, "ram-low");
	if (!ret && m->high_ram)
		ret = as_add_ram(&vm->as, X86_HIGH_RAM_BASE, m->high_ram, vm->ram + m->low_ram,
				 "ram-high");
	if (ret) {
		snprintf(err, errlen, "cannot map guest RAM: %s", strerror(-ret));
		return ret;
	}
	return 0;
}

/* after the devices: their ioeventfds and irqfds would otherwise wait for
 * the memory slots' grace period, as KVM serialises them */
static int start_map_ram(struct x86_pc *m, char *err, size_t errlen)
{
	pthread_attr_t attr;
	int ret;

	/* a few ioctls: a small stack keeps the resident memory down */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	ret = -pthread_create(&m->map_thread, &attr, map_ram_thread, m);
	pthread_attr_destroy(&attr);
	if (ret) {
		map_ram_thread(m);	/* no thread: do it here */
		return join_map_ram(m, err, errlen);
	}
	m->map_started = true;
	return 0;
}

static int create_devices(struct x86_pc *m, const struct x86_pc_config *cfg, char *err,
			  size_t errlen)
{
	struct irq_line com1;
	int ret;

	console_init(&m->console, m->vm, cfg->console_in_fd, cfg->console_out_fd);
	ret = evloop_add(&m->loop, console_source(&m->console));
	if (!ret)
		ret = evloop_add(&m->loop, (struct evloop_source){ notify_prepare, notify_dispatch, m });
	if (!ret)
		ret = irq_line(m, X86_COM1_GSI, &com1);
	if (ret) {
		snprintf(err, errlen, "cannot set up the event loop / interrupts: %s", strerror(-ret));
		return ret;
	}
	uart_init(&m->uart, com1, console_chardev(&m->console));
	console_set_sink(&m->console, (struct console_sink){ uart_sink_receive, uart_sink_space,
							       &m->uart });
	i8042_init(&m->i8042, x86_reset, m);
	as_init(&m->pio, m->vm);
	if ((ret = as_add_mmio(&m->pio, X86_COM1_PORT, 8, &uart_ops, &m->uart, "com1")) ||
	    (ret = as_add_mmio(&m->pio, X86_I8042_DATA_PORT, I8042_REGION_SIZE, &i8042_ops,
			       &m->i8042, "i8042"))) {
		snprintf(err, errlen, "cannot map the I/O ports: %s", strerror(-ret));
		return ret;
	}
	const struct board_virtio_slots slots = { slot_next_irq, slot_add, m };

	return board_virtio_create(&m->pv, m->vm, &cfg->dev, &slots, &m->loop, &m->console, err,
				   errlen);
}

int x86_pc_create(struct x86_pc *m, struct vm *vm, const struct x86_pc_config *cfg, char *err,
		  size_t errlen)
{
	struct x86_boot_config bc;
	int ret;

	/* m arrives zero-filled (calloc): not cleared again, so the pages of
	 * devices this VM does not use are never touched (resident memory) */
	m->vm = vm;
	vm->machine = m;
	for (int i = 0; i < X86_NR_GSI; i++)
		m->irq_fd[i] = -1;
	evloop_init(&m->loop);
	pthread_mutex_init(&m->lock, NULL);
	m->lock_init = true;
	evloop_set_lock(&m->loop, &m->lock);
	ret = evloop_enable_wake(&m->loop);
	if (ret) {
		snprintf(err, errlen, "cannot create an eventfd: %s", strerror(-ret));
		return ret;
	}
	if (cfg->nr_cpus < 1 || cfg->nr_cpus > X86_MAX_CPUS) {
		snprintf(err, errlen, "--cpus must be between 1 and %d", X86_MAX_CPUS);
		return -EINVAL;
	}
	if (!cfg->kernel) {
		snprintf(err, errlen, "an x86_64 guest needs --kernel (a bzImage or an ELF64 vmlinux)");
		return -EINVAL;
	}
	ret = kvm_engine_open(&m->kvm, vm, &m->pio, &m->lock, err, errlen);
	if (ret)
		return ret;
	m->kvm_open = true;
	m->kvm.after_exit = x86_after_exit;
	m->kvm.after_exit_opaque = m;
	ret = create_ram(m, cfg->ram_size, err, errlen);
	if (ret)
		return ret;
	ret = create_devices(m, cfg, err, errlen);
	if (ret)
		return ret;
	ret = start_map_ram(m, err, errlen);
	if (ret)
		return ret;
	ret = x86_pc_cmdline(m->cmdline, sizeof(m->cmdline), m->nr_virtio, cfg->append);
	if (ret) {
		snprintf(err, errlen, "the kernel command line is longer than %llu bytes",
			 (unsigned long long)X86_CMDLINE_MAX - 1);
		return ret;
	}
	bc = (struct x86_boot_config){
		.kernel = cfg->kernel, .initrd = cfg->initrd, .cmdline = m->cmdline,
		.ram_size = cfg->ram_size,
	};
	ret = x86_boot_load(vm, &bc, &m->boot, err, errlen);
	if (ret)
		return ret;
	ret = x86_mptable_write(vm, cfg->nr_cpus);
	if (ret) {
		snprintf(err, errlen, "cannot write the MP table: %s", strerror(-ret));
		return ret;
	}
	ret = kvm_engine_create_vcpus(&m->kvm, cfg->nr_cpus, &m->boot.cpu, err, errlen);
	if (ret)
		return ret;
	ret = join_map_ram(m, err, errlen);
	if (ret)
		return ret;
	vm->stop_notify = x86_stop_notify;
	vm->stop_opaque = m;
	return 0;
}

int x86_pc_run(struct x86_pc *m)
{
	struct vm *vm = m->vm;
	int ret = kvm_engine_start(&m->kvm);

	if (ret) {
		vm_log(vm, LOG_ERROR, "cannot start the vCPU threads: %s", strerror(-ret));
		vm_request_stop(vm, VM_STOP_ERROR, 0);
	}
	while (!vm_stopping(vm)) {
		uint64_t now = host_clock_ns(), timeout = X86_IDLE_POLL_NS;

		if (vm->deadline_ns) {
			if (now >= vm->deadline_ns) {
				vm_request_stop(vm, VM_STOP_TIMEOUT, 0);
				break;
			}
			if (vm->deadline_ns - now < timeout)
				timeout = vm->deadline_ns - now;
		}
		evloop_poll(&m->loop, timeout);
	}
	kvm_engine_stop(&m->kvm);
	pthread_mutex_lock(&m->lock);
	console_flush(&m->console);
	pthread_mutex_unlock(&m->lock);
	return 0;
}

void x86_pc_destroy(struct x86_pc *m)
{
	(void)join_map_ram(m, NULL, 0);	/* a failed create may leave it running */
	if (m->kvm_open)
		kvm_engine_stop(&m->kvm);
	/* I/O threads may write guest RAM until their device is destroyed */
	board_virtio_destroy(&m->pv);
	if (m->kvm_open)
		kvm_engine_close(&m->kvm);
	m->kvm_open = false;
	for (int i = 0; i < m->nr_notify; i++)
		close(m->notify[i].fd);
	m->nr_notify = 0;
	for (int i = 0; i < X86_NR_GSI; i++) {
		if (m->irq_fd[i] >= 0)
			close(m->irq_fd[i]);
		m->irq_fd[i] = -1;
	}
	evloop_destroy(&m->loop);
	if (m->lock_init)
		pthread_mutex_destroy(&m->lock);
	m->lock_init = false;
}
