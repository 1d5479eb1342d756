/* virtio_mmio.c - the virtio-mmio transport (version 2, no legacy). */
#include "core/vm.h"
#include "dev/virtio/virtio_mmio.h"

enum {
	REG_MAGIC = 0x000, REG_VERSION = 0x004, REG_DEVICE_ID = 0x008, REG_VENDOR_ID = 0x00c,
	REG_DEVICE_FEATURES = 0x010, REG_DEVICE_FEATURES_SEL = 0x014,
	REG_DRIVER_FEATURES = 0x020, REG_DRIVER_FEATURES_SEL = 0x024,
	REG_QUEUE_SEL = 0x030, REG_QUEUE_NUM_MAX = 0x034, REG_QUEUE_NUM = 0x038,
	REG_QUEUE_READY = 0x044, REG_QUEUE_NOTIFY = 0x050,
	REG_INTERRUPT_STATUS = 0x060, REG_INTERRUPT_ACK = 0x064, REG_STATUS = 0x070,
	REG_QUEUE_DESC_LOW = 0x080, REG_QUEUE_DESC_HIGH = 0x084,
	REG_QUEUE_DRIVER_LOW = 0x090, REG_QUEUE_DRIVER_HIGH = 0x094,
	REG_QUEUE_DEVICE_LOW = 0x0a0, REG_QUEUE_DEVICE_HIGH = 0x0a4,
	REG_SHM_SEL = 0x0ac, REG_SHM_LEN_LOW = 0x0b0, REG_SHM_LEN_HIGH = 0x0b4,
	REG_SHM_BASE_LOW = 0x0b8, REG_SHM_BASE_HIGH = 0x0bc,
	REG_QUEUE_RESET = 0x0c0,
	REG_CONFIG_GENERATION = 0x0fc, REG_CONFIG = 0x100,
};

#define VIRTIO_MMIO_MAGIC 0x74726976	/* "virt" */
#define VIRTIO_MMIO_VENDOR 0x554d4551	/* "QEMU", as Linux expects nothing else */

void virtio_mmio_queue_notify(struct virtio_mmio *t, uint32_t q)
{
	struct virtio_dev *vdev = t->vdev;

	/* notifications before DRIVER_OK or for absent queues are dropped:
	 * the work one notification causes is bounded by the queue size */
	if (q < vdev->ops->num_queues && virtq_ready(vdev, q) && vdev->ops->queue_notify)
		vdev->ops->queue_notify(vdev, q);
}

void virtio_mmio_init(struct virtio_mmio *t, struct virtio_dev *vdev)
{
	t->vdev = vdev;
	t->device_features_sel = t->driver_features_sel = t->queue_sel = 0;
}

static struct virtq *selected(struct virtio_mmio *t)
{
	return t->queue_sel < t->vdev->ops->num_queues ? &t->vdev->vq[t->queue_sel] : NULL;
}

static uint64_t mmio_read(void *opaque, uint64_t off, unsigned size)
{
	struct virtio_mmio *t = opaque;
	struct virtio_dev *vdev = t->vdev;
	struct virtq *vq = selected(t);

	if (off >= REG_CONFIG) {
		uint64_t v = 0;
		uint32_t coff = (uint32_t)(off - REG_CONFIG);

		if (coff < vdev->ops->config_size && size <= vdev->ops->config_size - coff &&
		    vdev->ops->read_config)
			vdev->ops->read_config(vdev, coff, &v, size);
		return v;
	}
	if (size != 4)
		return 0;	/* section 4.2.2.2: registers are 32-bit */
	switch (off) {
	case REG_MAGIC: return VIRTIO_MMIO_MAGIC;
	case REG_VERSION: return 2;
	case REG_DEVICE_ID: return vdev->ops->device_id;
	case REG_VENDOR_ID: return VIRTIO_MMIO_VENDOR;
	case REG_DEVICE_FEATURES:
		return t->device_features_sel < 2 ?
			(uint32_t)(virtio_dev_features(vdev) >> (32 * t->device_features_sel)) : 0;
	case REG_QUEUE_NUM_MAX: return vq ? vq->num_max : 0;
	case REG_QUEUE_READY: return vq ? vq->ready : 0;
	case REG_INTERRUPT_STATUS: return vdev->isr;
	case REG_STATUS: return vdev->status;
	case REG_QUEUE_DESC_LOW: return vq ? (uint32_t)vq->desc_addr : 0;
	case REG_QUEUE_DESC_HIGH: return vq ? (uint32_t)(vq->desc_addr >> 32) : 0;
	case REG_QUEUE_DRIVER_LOW: return vq ? (uint32_t)vq->avail_addr : 0;
	case REG_QUEUE_DRIVER_HIGH: return vq ? (uint32_t)(vq->avail_addr >> 32) : 0;
	case REG_QUEUE_DEVICE_LOW: return vq ? (uint32_t)vq->used_addr : 0;
	case REG_QUEUE_DEVICE_HIGH: return vq ? (uint32_t)(vq->used_addr >> 32) : 0;
	case REG_SHM_LEN_LOW: case REG_SHM_LEN_HIGH:
	case REG_SHM_BASE_LOW: case REG_SHM_BASE_HIGH:
		return 0xffffffff;	/* no shared memory regions */
	case REG_CONFIG_GENERATION: return vdev->config_generation;
	}
	return 0;
}

static void set_addr(uint64_t *a, bool high, uint32_t v)
{
	*a = high ? (*a & 0xffffffffull) | ((uint64_t)v << 32) : (*a & ~0xffffffffull) | v;
}

/* QueueReady = 1: the queue's configuration must make sense */
static void queue_enable(struct virtio_mmio *t, struct virtq *vq)
{
	struct virtio_dev *vdev = t->vdev;

	if (!vq->num || vq->num > vq->num_max || (vq->num & (vq->num - 1))) {
		virtio_dev_error(vdev, "queue size is zero, too large or not a power of two");
		return;
	}
	/* section 2.7: descriptor table 16-, avail 2-, used ring 4-byte aligned
	 * (the ring code does naturally aligned atomic accesses) */
	if ((vq->desc_addr & 15) || (vq->avail_addr & 1) || (vq->used_addr & 3)) {
		virtio_dev_error(vdev, "queue rings are misaligned");
		return;
	}
	if (!as_ram_ptr(vdev->as, vq->desc_addr, 16ull * vq->num) ||
	    !as_ram_ptr(vdev->as, vq->avail_addr, 6 + 2ull * vq->num) ||
	    !as_ram_ptr(vdev->as, vq->used_addr, 6 + 8ull * vq->num)) {
		virtio_dev_error(vdev, "queue rings lie outside guest RAM");
		return;
	}
	vq->ready = true;
	vq->last_avail = vq->used_idx = 0;
	vq->signalled_used_valid = false;
}

static void mmio_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct virtio_mmio *t = opaque;
	struct virtio_dev *vdev = t->vdev;
	struct virtq *vq = selected(t);
	uint32_t v = (uint32_t)val;

	if (off >= REG_CONFIG) {
		uint32_t coff = (uint32_t)(off - REG_CONFIG);

		if (coff < vdev->ops->config_size && size <= vdev->ops->config_size - coff &&
		    vdev->ops->write_config)
			vdev->ops->write_config(vdev, coff, &val, size);
		return;
	}
	if (size != 4)
		return;
	switch (off) {
	case REG_DEVICE_FEATURES_SEL: t->device_features_sel = v; return;
	case REG_DRIVER_FEATURES:
		/* features are fixed once FEATURES_OK is set */
		if (t->driver_features_sel < 2 && !(vdev->status & VIRTIO_STATUS_FEATURES_OK)) {
			unsigned sh = 32 * t->driver_features_sel;

			vdev->driver_features = (vdev->driver_features & ~(0xffffffffull << sh)) |
						((uint64_t)v << sh);
		}
		return;
	case REG_DRIVER_FEATURES_SEL: t->driver_features_sel = v; return;
	case REG_QUEUE_SEL: t->queue_sel = v; return;
	case REG_STATUS: virtio_set_status(vdev, v); return;
	case REG_INTERRUPT_ACK:
		vdev->isr &= ~v;
		virtio_update_irq(vdev);
		return;
	case REG_QUEUE_NOTIFY:
		virtio_mmio_queue_notify(t, v);
		return;
	}
	if (!vq)
		return;
	/* a live queue's configuration cannot change (section 4.2.2.3) */
	if (vq->ready && off != REG_QUEUE_READY && off != REG_QUEUE_RESET)
		return;
	switch (off) {
	case REG_QUEUE_NUM: vq->num = (uint16_t)(v > 0xffff ? 0 : v); return;
	case REG_QUEUE_READY:
		if (v & 1) {
			if (!vq->ready) {
				queue_enable(t, vq);
				if (vq->ready && t->queue_ready)
					t->queue_ready(t->queue_ready_opaque, t, t->queue_sel);
			}
		} else {
			vq->ready = false;
		}
		return;
	case REG_QUEUE_DESC_LOW: set_addr(&vq->desc_addr, false, v); return;
	case REG_QUEUE_DESC_HIGH: set_addr(&vq->desc_addr, true, v); return;
	case REG_QUEUE_DRIVER_LOW: set_addr(&vq->avail_addr, false, v); return;
	case REG_QUEUE_DRIVER_HIGH: set_addr(&vq->avail_addr, true, v); return;
	case REG_QUEUE_DEVICE_LOW: set_addr(&vq->used_addr, false, v); return;
	case REG_QUEUE_DEVICE_HIGH: set_addr(&vq->used_addr, true, v); return;
	}
}

/* registers are 32-bit; config space may be read with 1, 2 or 4 bytes (and
 * 8 as two 4-byte reads by the address space) */
const struct mmio_ops virtio_mmio_ops = {
	.read = mmio_read, .write = mmio_write,
	.valid_min = 1, .valid_max = 8, .impl_min = 1, .impl_max = 4,
};
