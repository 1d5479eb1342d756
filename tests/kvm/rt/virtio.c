/* virtio.c - virtio-mmio v2 transport and split virtqueues (see virtio.h) */
#include "virtio.h"

int virtio_find(const char *name, uint32_t device_id, struct virtio_dev *d)
{
	for (int i = 0; i < cmdline_nr_virtio; i++) {
		uintptr_t base = cmdline_virtio[i].base;
		if (mmio_read32(base + VIRTIO_MMIO_MAGIC) != VIRTIO_MAGIC)
			continue;
		if (mmio_read32(base + VIRTIO_MMIO_DEVICE_ID) != device_id)
			continue;
		*d = (struct virtio_dev){
			.base = base, .gsi = cmdline_virtio[i].irq, .slot = i,
			.vector = VEC_VIRTIO + i, .device_id = device_id,
			.version = mmio_read32(base + VIRTIO_MMIO_VERSION),
		};
		if (d->version != 2) {
			fail(name, "device %u at 0x%lx has virtio-mmio version %u, not 2 (modern)",
			     device_id, (uint64_t)base, d->version);
			return -1;
		}
		return 0;
	}
	fail(name, "no virtio-mmio device with id %u among the %d virtio_mmio.device= on the command line",
	     device_id, cmdline_nr_virtio);
	return -1;
}

void virtio_reset(struct virtio_dev *d)
{
	vio_write(d, VIRTIO_MMIO_STATUS, 0);
	uint64_t dl = deadline_ms(1000);	/* reset completes when status reads 0 */
	while (vio_read(d, VIRTIO_MMIO_STATUS) && !expired(dl))
		cpu_relax();
}

int virtio_negotiate(const char *name, struct virtio_dev *d, uint64_t wanted)
{
	virtio_reset(d);
	if (vio_read(d, VIRTIO_MMIO_STATUS) != 0) {
		fail(name, "status 0x%x after reset", vio_read(d, VIRTIO_MMIO_STATUS));
		return -1;
	}
	vio_write(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	vio_write(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	d->features = 0;
	for (unsigned sel = 0; sel < 2; sel++) {
		vio_write(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, sel);
		d->features |= (uint64_t)vio_read(d, VIRTIO_MMIO_DEVICE_FEATURES) << (32 * sel);
	}
	if (!(d->features & (1ull << VIRTIO_F_VERSION_1))) {
		fail(name, "device does not offer VIRTIO_F_VERSION_1 (features 0x%lx)", d->features);
		return -1;
	}
	d->negotiated = d->features & (wanted | 1ull << VIRTIO_F_VERSION_1);
	for (unsigned sel = 0; sel < 2; sel++) {
		vio_write(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, sel);
		vio_write(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(d->negotiated >> (32 * sel)));
	}
	vio_write(d, VIRTIO_MMIO_STATUS,
		  VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	uint32_t st = vio_read(d, VIRTIO_MMIO_STATUS);
	if (!(st & VIRTIO_STATUS_FEATURES_OK)) {
		fail(name, "device refused features 0x%lx (status 0x%x)", d->negotiated, st);
		return -1;
	}
	return 0;
}

static size_t align_up(size_t v, size_t a) { return (v + a - 1) & ~(a - 1); }

int virtio_queue_init(const char *name, struct virtio_dev *d, struct virtq *q, unsigned index, unsigned size)
{
	vio_write(d, VIRTIO_MMIO_QUEUE_SEL, index);
	if (vio_read(d, VIRTIO_MMIO_QUEUE_READY)) {
		fail(name, "queue %u is ready before set-up", index);
		return -1;
	}
	unsigned max = vio_read(d, VIRTIO_MMIO_QUEUE_NUM_MAX);
	if (max == 0) {
		fail(name, "queue %u does not exist (QueueNumMax 0)", index);
		return -1;
	}
	if (size > max)
		size = max;
	/* one allocation: descriptors, available ring, used ring */
	size_t desc_sz = 16 * size, avail_sz = 6 + 2 * size, used_sz = 6 + 8 * size;
	size_t avail_off = desc_sz, used_off = align_up(avail_off + avail_sz, 4);
	char *mem = dma_alloc(used_off + used_sz, 4096);

	*q = (struct virtq){
		.index = index, .size = size,
		.desc = (void *)mem, .avail = (void *)(mem + avail_off), .used = (void *)(mem + used_off),
		.free_head = 0, .nr_free = size,
	};
	for (unsigned i = 0; i < size; i++)
		q->desc[i].next = i + 1;
	vio_write(d, VIRTIO_MMIO_QUEUE_NUM, size);
	vio_write(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)(uintptr_t)q->desc);
	vio_write(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)((uintptr_t)q->desc >> 32));
	vio_write(d, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)(uintptr_t)q->avail);
	vio_write(d, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, (uint32_t)((uintptr_t)q->avail >> 32));
	vio_write(d, VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)(uintptr_t)q->used);
	vio_write(d, VIRTIO_MMIO_QUEUE_USED_HIGH, (uint32_t)((uintptr_t)q->used >> 32));
	vio_write(d, VIRTIO_MMIO_QUEUE_READY, 1);
	if (vio_read(d, VIRTIO_MMIO_QUEUE_READY) != 1) {
		fail(name, "queue %u does not read back ready", index);
		return -1;
	}
	return 0;
}

void virtio_driver_ok(struct virtio_dev *d)
{
	vio_write(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
		  VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

/* CPL0, interrupts off: acknowledge what the device reports. Reading
 * InterruptStatus and writing InterruptACK are two exits; the dispatcher
 * sends the EOI afterwards. */
void virtio_isr(struct irq_frame *f, void *arg)
{
	struct virtio_dev *d = arg;
	uint32_t isr = vio_read(d, VIRTIO_MMIO_INTERRUPT_STATUS);

	(void)f;
	if (isr)
		vio_write(d, VIRTIO_MMIO_INTERRUPT_ACK, isr);
	d->isr_seen |= isr;
	d->irqs++;
}

int virtio_irq_setup(const char *name, struct virtio_dev *d, int masked)
{
	irq_register(d->vector, virtio_isr, d);
	if (ioapic_route(d->gsi, d->vector, masked) < 0) {
		fail(name, "GSI %u is beyond the IOAPIC's %u pins", d->gsi, ioapic_entries());
		return -1;
	}
	return 0;
}

void virtio_irq_mask(struct virtio_dev *d, int masked)
{
	ioapic_route(d->gsi, d->vector, masked);
}

int virtq_add(struct virtq *q, const struct vbuf *bufs, int n)
{
	if (n <= 0 || n > q->nr_free)
		return -1;
	/* free descriptors are linked by `next`: the chain follows that list,
	 * so only addr, len and flags are written */
	uint16_t head = q->free_head, i = head;
	for (int k = 0; k < n; k++) {
		volatile struct virtq_desc *dsc = &q->desc[i];
		dsc->addr = (uintptr_t)bufs[k].addr;
		dsc->len = bufs[k].len;
		dsc->flags = (bufs[k].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
			     (k + 1 < n ? VIRTQ_DESC_F_NEXT : 0);
		i = dsc->next;
	}
	q->free_head = i;
	q->nr_free -= n;
	q->avail->ring[q->avail_idx % q->size] = head;
	q->avail_idx++;
	barrier();		/* x86 keeps stores in order: the compiler must too */
	q->avail->idx = q->avail_idx;
	return head;
}

void virtq_kick(struct virtio_dev *d, struct virtq *q)
{
	d->irq_mark = d->irqs;
	mb();
	vio_write(d, VIRTIO_MMIO_QUEUE_NOTIFY, q->index);
}

int virtq_get(struct virtq *q, uint32_t *head, uint32_t *len)
{
	if (!virtq_has_used(q))
		return 0;
	barrier();	/* read the element after the index */
	volatile struct virtq_used_elem *e = &q->used->ring[q->last_used % q->size];
	uint32_t id = e->id, l = e->len;
	q->last_used++;
	if (id >= q->size)
		return -1;
	/* return the chain to the free list: find its tail, link it in front */
	uint16_t tail = id, n = 1;
	while ((q->desc[tail].flags & VIRTQ_DESC_F_NEXT) && n < q->size)
		tail = q->desc[tail].next, n++;
	q->desc[tail].next = q->free_head;
	q->free_head = id;
	q->nr_free += n;
	if (head)
		*head = id;
	if (len)
		*len = l;
	return 1;
}

int virtio_wait(struct virtio_dev *d, struct virtq *q, enum wait_mode mode, uint64_t deadline)
{
	for (;;) {
		if (mode == WAIT_POLL && virtq_has_used(q))
			return 0;
		if (mode == WAIT_IRQ && d->irqs != d->irq_mark) {
			d->irq_mark = d->irqs;
			return 0;
		}
		if (expired(deadline))
			return -1;
		cpu_relax();
	}
}

int virtq_wait(struct virtio_dev *d, struct virtq *q, enum wait_mode mode, uint64_t timeout_ms,
	       uint32_t *head, uint32_t *len)
{
	uint64_t dl = deadline_ms(timeout_ms);
	for (;;) {	/* wait first: in interrupt mode only an interrupt ends a wait */
		if (virtio_wait(d, q, mode, dl) < 0)
			return -1;
		int r = virtq_get(q, head, len);
		if (r)
			return r > 0 ? 0 : -1;
	}
}
