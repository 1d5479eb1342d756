/* virtio_mmio.h - virtio over MMIO, transport version 2 (virtio 1.2 section
 * 4.2.2): one 0x200-byte register window per device, config space at 0x100. */
#ifndef MACHINA_DEV_VIRTIO_MMIO_H
#define MACHINA_DEV_VIRTIO_MMIO_H

#include "dev/virtio/virtio.h"

#define VIRTIO_MMIO_SIZE 0x200

struct virtio_mmio {
	struct virtio_dev *vdev;
	uint32_t device_features_sel;
	uint32_t driver_features_sel;
	uint32_t queue_sel;
	/* optional, set by the machine: the driver made queue q live (the
	 * x86 machine registers the queue's ioeventfd then) */
	void (*queue_ready)(void *opaque, struct virtio_mmio *t, uint32_t q);
	void *queue_ready_opaque;
};

extern const struct mmio_ops virtio_mmio_ops;

void virtio_mmio_init(struct virtio_mmio *t, struct virtio_dev *vdev);
/* the driver notified queue q (a QueueNotify write, or its ioeventfd) */
void virtio_mmio_queue_notify(struct virtio_mmio *t, uint32_t q);

/* offset of the QueueNotify register (for ioeventfds) */
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050

#endif
