/* virtio.h - virtio 1.2 device model: split virtqueues and the device side
 * of feature negotiation, status and configuration space. Transport-neutral:
 * virtio_mmio.c puts a device behind the MMIO transport (version 2); a PCI
 * transport would drive the same struct virtio_dev.
 *
 * A device is a struct virtio_dev plus one `static const struct
 * virtio_dev_ops`. The device reads requests with virtq_pop(), which checks
 * every descriptor against guest RAM and returns host iovecs, and completes
 * them with virtq_push() + virtq_notify(). Guest memory is reached only
 * through as_ram_ptr(). Malformed rings put the device in NEEDS_RESET.
 *
 * All functions run on the thread that owns the VM's device state (the vCPU
 * thread of the interpreter); backends doing blocking I/O hand results back
 * to that thread (see virtio_blk.c).
 */
#ifndef MACHINA_DEV_VIRTIO_H
#define MACHINA_DEV_VIRTIO_H

#include <sys/uio.h>

#include "core/as.h"
#include "core/irq.h"
#include "core/log.h"

/* device status bits (virtio 1.2 section 2.1) */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED 0x80

/* transport-independent feature bits (section 6) */
#define VIRTIO_F_RING_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32

/* descriptor flags */
#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_DESC_F_INDIRECT 4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY 1

/* interrupt status bits */
#define VIRTIO_ISR_QUEUE 1
#define VIRTIO_ISR_CONFIG 2

/* The largest queue a device offers. Bounds the work one notification can
 * cause: a chain is at most this many descriptors (a longer one must loop). */
#define VIRTQ_MAX_SIZE 1024
#define VIRTIO_MAX_QUEUES 4
/* iovecs in one request: a chain (direct or indirect) never has more
 * descriptors than the queue size, and indirect tables are limited to it */
#define VIRTQ_MAX_IOV VIRTQ_MAX_SIZE

struct virtq {
	/* guest-visible configuration (set by the driver through the transport) */
	uint16_t num;		/* queue size, power of two, <= num_max */
	uint16_t num_max;
	bool ready;
	gpa_t desc_addr, avail_addr, used_addr;
	/* device-side state */
	uint16_t last_avail;	/* next avail ring entry to consume */
	uint16_t used_idx;	/* next used ring entry to fill */
	uint16_t signalled_used;	/* used_idx when the guest was last interrupted */
	bool signalled_used_valid;
};

/* One request: the buffers of a descriptor chain, readable ones first. */
struct virtq_elem {
	uint16_t head;		/* descriptor index to return in the used ring */
	unsigned out_num;	/* device-readable iovecs in iov[0..out_num) */
	unsigned in_num;	/* device-writable iovecs in iov[out_num..) */
	uint64_t out_len, in_len;	/* total bytes of each kind */
	struct iovec iov[VIRTQ_MAX_IOV];
};

struct virtio_dev;

struct virtio_dev_ops {
	const char *name;
	uint32_t device_id;		/* section 5 */
	uint64_t features;		/* device-specific features offered */
	unsigned num_queues;
	uint16_t queue_max;
	/* configuration space (section 4.2.2.2: device-specific layout) */
	void (*read_config)(struct virtio_dev *vdev, uint32_t off, void *buf, uint32_t len);
	void (*write_config)(struct virtio_dev *vdev, uint32_t off, const void *buf, uint32_t len);
	uint32_t config_size;
	/* the driver made buffers available in queue q */
	void (*queue_notify)(struct virtio_dev *vdev, unsigned q);
	/* the driver set DRIVER_OK (optional) */
	void (*driver_ok)(struct virtio_dev *vdev);
	/* the device was reset: drop in-flight state (optional) */
	void (*reset)(struct virtio_dev *vdev);
};

struct virtio_dev {
	const struct virtio_dev_ops *ops;
	void *opaque;			/* the device's own state */
	struct address_space *as;
	struct vm *vm;
	struct irq_line irq;
	/* guest-visible */
	uint32_t status;
	uint64_t driver_features;
	uint32_t isr;
	uint32_t config_generation;
	struct virtq vq[VIRTIO_MAX_QUEUES];
	struct ratelimit rl;
};

void virtio_dev_init(struct virtio_dev *vdev, const struct virtio_dev_ops *ops, void *opaque,
		     struct vm *vm, struct irq_line irq);
/* all features offered: device ones plus VERSION_1, INDIRECT_DESC, EVENT_IDX */
uint64_t virtio_dev_features(const struct virtio_dev *vdev);
bool virtio_has_feature(const struct virtio_dev *vdev, unsigned bit);
void virtio_dev_reset(struct virtio_dev *vdev);
/* the driver wrote the status register */
void virtio_set_status(struct virtio_dev *vdev, uint32_t status);
/* the device is broken by the guest: NEEDS_RESET and a config interrupt */
void virtio_dev_error(struct virtio_dev *vdev, const char *why);
/* the device changed its configuration space */
void virtio_config_changed(struct virtio_dev *vdev);
/* is the device live (DRIVER_OK and not NEEDS_RESET)? */
bool virtio_dev_ok(const struct virtio_dev *vdev);
/* lower the interrupt line if nothing is pending (after an ISR ack) */
void virtio_update_irq(struct virtio_dev *vdev);

/* Next available request of queue q. Returns 1 with *elem filled, 0 when the
 * queue is empty, or -EINVAL when the ring is malformed (the device is then
 * put in NEEDS_RESET). */
int must_check virtq_pop(struct virtio_dev *vdev, unsigned q, struct virtq_elem *elem);
/* Return a request; len = bytes written into its device-writable buffers. */
void virtq_push(struct virtio_dev *vdev, unsigned q, const struct virtq_elem *elem, uint32_t len);
/* Interrupt the driver for queue q if it wants one (EVENT_IDX / NO_INTERRUPT). */
void virtq_notify(struct virtio_dev *vdev, unsigned q);
/* Is queue q usable (ready, device live)? */
bool virtq_ready(const struct virtio_dev *vdev, unsigned q);
/* Will the next virtq_pop() find a request? */
bool virtq_has_request(struct virtio_dev *vdev, unsigned q);

/* iovec helpers: copy between a flat buffer and part of an iovec array */
size_t iov_to_buf(const struct iovec *iov, unsigned n, size_t off, void *buf, size_t len);
size_t iov_from_buf(const struct iovec *iov, unsigned n, size_t off, const void *buf, size_t len);

#endif
