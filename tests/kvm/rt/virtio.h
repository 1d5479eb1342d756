/* virtio.h - a minimal virtio-mmio (version 2, "modern") driver core for the
 * test guests: device probe from the command line, feature negotiation,
 * split virtqueues, completion by polling or by interrupt. Runs at CPL3;
 * only the interrupt handler (virtio_isr) runs at CPL0. */
#ifndef KVM_GUEST_VIRTIO_H
#define KVM_GUEST_VIRTIO_H

#include "rt.h"

/* virtio-mmio register offsets (virtio 1.2, 4.2.2) */
#define VIRTIO_MMIO_MAGIC		0x000	/* "virt" = 0x74726976 */
#define VIRTIO_MMIO_VERSION		0x004	/* 2 (1 = legacy) */
#define VIRTIO_MMIO_DEVICE_ID		0x008	/* 1 net, 2 block, 0 none */
#define VIRTIO_MMIO_VENDOR_ID		0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES	0x010	/* 32 bits selected by ..._SEL */
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL	0x014
#define VIRTIO_MMIO_DRIVER_FEATURES	0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL	0x024
#define VIRTIO_MMIO_QUEUE_SEL		0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_MMIO_QUEUE_NUM		0x038
#define VIRTIO_MMIO_QUEUE_READY		0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY	0x050	/* write the queue index */
#define VIRTIO_MMIO_INTERRUPT_STATUS	0x060	/* bit 0 used buffer, bit 1 config change */
#define VIRTIO_MMIO_INTERRUPT_ACK	0x064
#define VIRTIO_MMIO_STATUS		0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW	0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH	0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW	0x090	/* "driver area" */
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH	0x094
#define VIRTIO_MMIO_QUEUE_USED_LOW	0x0a0	/* "device area" */
#define VIRTIO_MMIO_QUEUE_USED_HIGH	0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION	0x0fc
#define VIRTIO_MMIO_CONFIG		0x100	/* device-specific configuration */

#define VIRTIO_MAGIC			0x74726976

/* device status bits */
#define VIRTIO_STATUS_ACKNOWLEDGE	1
#define VIRTIO_STATUS_DRIVER		2
#define VIRTIO_STATUS_DRIVER_OK		4
#define VIRTIO_STATUS_FEATURES_OK	8
#define VIRTIO_STATUS_NEEDS_RESET	64
#define VIRTIO_STATUS_FAILED		128

#define VIRTIO_F_VERSION_1		32

/* ---- split virtqueue (virtio 1.2, 2.7): three areas in guest memory.
 *
 *  descriptor table  size x 16 bytes, 16-aligned: buffers; a request is a
 *                    chain linked by `next` while flags has NEXT; WRITE
 *                    marks buffers the device writes (device-writable ones
 *                    come after the device-readable ones in a chain)
 *  available ring    2-aligned, written by the driver: flags, idx (free
 *                    running), ring[size] = heads of chains offered
 *  used ring         4-aligned, written by the device: flags, idx (free
 *                    running), ring[size] = {id: head, len: bytes written}
 *
 * The driver fills descriptors, puts the head in avail.ring[avail.idx %
 * size], then increments avail.idx (after a barrier) and writes the queue
 * index to QueueNotify. The device consumes the chain and appends {head,
 * len} to the used ring, increments used.idx and (unless suppressed)
 * raises its interrupt with InterruptStatus bit 0. */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
#define VIRTQ_DESC_F_NEXT	1
#define VIRTQ_DESC_F_WRITE	2

struct virtq_avail {
	uint16_t flags;		/* 1 = VIRTQ_AVAIL_F_NO_INTERRUPT (a hint) */
	uint16_t idx;
	uint16_t ring[];	/* then used_event, with VIRTIO_F_EVENT_IDX only */
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
};

struct virtq {
	unsigned index, size;
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	uint16_t free_head, nr_free;	/* free descriptors, linked by next */
	uint16_t avail_idx;		/* our copy of avail->idx */
	uint16_t last_used;		/* used entries consumed so far */
};

struct virtio_dev {
	uintptr_t base;
	unsigned gsi, vector, slot;	/* slot: index on the command line */
	uint32_t version, device_id;
	uint64_t features;		/* offered by the device */
	uint64_t negotiated;
	volatile uint64_t irqs;		/* interrupts taken */
	volatile uint32_t isr_seen;	/* InterruptStatus bits seen by the handler */
	uint64_t irq_mark;		/* irqs at the last kick or wakeup */
};

struct vbuf {
	const void *addr;
	uint32_t len;
	int device_writes;
};

static inline uint32_t vio_read(struct virtio_dev *d, unsigned reg) { return mmio_read32(d->base + reg); }
static inline void vio_write(struct virtio_dev *d, unsigned reg, uint32_t v) { mmio_write32(d->base + reg, v); }

/* Find the first command-line device with this id; checks magic and
 * version (2 required). Prints FAIL as `name` and returns -1 when none. */
int virtio_find(const char *name, uint32_t device_id, struct virtio_dev *d);
/* Reset, ACKNOWLEDGE | DRIVER, read the offered features, write `wanted &
 * offered` (VIRTIO_F_VERSION_1 must be offered), FEATURES_OK and check it
 * stuck. -1 with FAIL printed on error. */
int virtio_negotiate(const char *name, struct virtio_dev *d, uint64_t wanted);
/* Allocate and register queue `index` with up to `size` entries. */
int virtio_queue_init(const char *name, struct virtio_dev *d, struct virtq *q, unsigned index, unsigned size);
void virtio_driver_ok(struct virtio_dev *d);
void virtio_reset(struct virtio_dev *d);

/* Route the device's GSI through the IOAPIC to VEC_VIRTIO + slot (masked
 * or not) with virtio_isr as handler. */
int virtio_irq_setup(const char *name, struct virtio_dev *d, int masked);
void virtio_irq_mask(struct virtio_dev *d, int masked);
/* the CPL0 handler: read InterruptStatus, write it to InterruptACK */
void virtio_isr(struct irq_frame *f, void *arg);

/* Add a chain of buffers (device-readable first); returns the head or -1
 * when descriptors run out. virtq_kick notifies the device. */
int virtq_add(struct virtq *q, const struct vbuf *bufs, int n);
void virtq_kick(struct virtio_dev *d, struct virtq *q);
/* Take the next used element if there is one: 1 and its head and length,
 * the chain's descriptors freed; 0 when the used ring has nothing new. */
int virtq_get(struct virtq *q, uint32_t *head, uint32_t *len);

static inline int virtq_has_used(struct virtq *q) { return q->used->idx != q->last_used; }

/* Wait until there may be something in the used ring, until a TSC deadline.
 * Poll mode spins on the used ring; interrupt mode waits for a device
 * interrupt taken after the last kick or wakeup (the used ring is looked at
 * only after one arrived, so a device that completes without interrupting
 * fails). 0, or -1 at the deadline. */
enum wait_mode { WAIT_POLL, WAIT_IRQ };
int virtio_wait(struct virtio_dev *d, struct virtq *q, enum wait_mode mode, uint64_t deadline);
/* virtio_wait, then take the used element: for one request in flight */
int virtq_wait(struct virtio_dev *d, struct virtq *q, enum wait_mode mode, uint64_t timeout_ms,
	       uint32_t *head, uint32_t *len);

#endif
