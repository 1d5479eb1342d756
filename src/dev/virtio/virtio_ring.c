/* virtio_ring.c - split virtqueues (virtio 1.2 section 2.7) and the
 * transport-independent device state. Every index and address in the rings
 * comes from the guest and is checked before use. */
#include <errno.h>
#include <string.h>

#include "core/vm.h"
#include "dev/virtio/virtio.h"

#define DESC_SIZE 16

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

void virtio_dev_init(struct virtio_dev *vdev, const struct virtio_dev_ops *ops, void *opaque,
		     struct vm *vm, struct irq_line irq)
{
	memset(vdev, 0, sizeof(*vdev));
	vdev->ops = ops;
	vdev->opaque = opaque;
	vdev->vm = vm;
	vdev->as = &vm->as;
	vdev->irq = irq;
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		vdev->vq[q].num_max = q < ops->num_queues ? ops->queue_max : 0;
}

uint64_t virtio_dev_features(const struct virtio_dev *vdev)
{
	return vdev->ops->features | (1ull << VIRTIO_F_VERSION_1) |
	       (1ull << VIRTIO_F_RING_INDIRECT_DESC) | (1ull << VIRTIO_F_RING_EVENT_IDX);
}

bool virtio_has_feature(const struct virtio_dev *vdev, unsigned bit)
{
	return (vdev->driver_features >> bit) & 1;
}

void virtio_update_irq(struct virtio_dev *vdev)
{
	irq_set(&vdev->irq, vdev->isr != 0);
}

void virtio_dev_reset(struct virtio_dev *vdev)
{
	if (vdev->ops->reset)
		vdev->ops->reset(vdev);
	vdev->status = 0;
	vdev->driver_features = 0;
	vdev->isr = 0;
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++) {
		struct virtq *vq = &vdev->vq[q];
		uint16_t max = vq->num_max;

		memset(vq, 0, sizeof(*vq));
		vq->num_max = max;
	}
	virtio_update_irq(vdev);
}

bool virtio_dev_ok(const struct virtio_dev *vdev)
{
	return (vdev->status & VIRTIO_STATUS_DRIVER_OK) &&
	       !(vdev->status & (VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED));
}

void virtio_config_changed(struct virtio_dev *vdev)
{
	vdev->config_generation++;
	if (vdev->status & VIRTIO_STATUS_DRIVER_OK) {
		vdev->isr |= VIRTIO_ISR_CONFIG;
		virtio_update_irq(vdev);
	}
}

void virtio_dev_error(struct virtio_dev *vdev, const char *why)
{
	vm_log_ratelimited(vdev->vm, &vdev->rl, LOG_WARN, "%s: %s: device needs reset",
			   vdev->ops->name, why);
	vdev->status |= VIRTIO_STATUS_NEEDS_RESET;
	if (vdev->status & VIRTIO_STATUS_DRIVER_OK) {
		vdev->isr |= VIRTIO_ISR_CONFIG;
		virtio_update_irq(vdev);
	}
}

void virtio_set_status(struct virtio_dev *vdev, uint32_t status)
{
	uint32_t old = vdev->status;

	if (status == 0) {
		virtio_dev_reset(vdev);
		return;
	}
	/* FEATURES_OK only sticks when the driver accepted a subset of what
	 * we offer that includes VERSION_1 (section 3.1.1); the driver reads
	 * the status back to find out */
	if ((status & VIRTIO_STATUS_FEATURES_OK) && !(old & VIRTIO_STATUS_FEATURES_OK)) {
		uint64_t f = vdev->driver_features;

		if ((f & ~virtio_dev_features(vdev)) || !(f & (1ull << VIRTIO_F_VERSION_1)))
			status &= ~VIRTIO_STATUS_FEATURES_OK;
	}
	/* a device only goes live on features it accepted (section 3.1.1) */
	if ((status & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK) &&
	    !(status & VIRTIO_STATUS_FEATURES_OK)) {
		vm_log_ratelimited(vdev->vm, &vdev->rl, LOG_WARN,
				   "%s: DRIVER_OK without FEATURES_OK ignored", vdev->ops->name);
		status &= ~VIRTIO_STATUS_DRIVER_OK;
	}
	/* the device owns NEEDS_RESET */
	vdev->status = (status & ~VIRTIO_STATUS_NEEDS_RESET) | (old & VIRTIO_STATUS_NEEDS_RESET);
	if ((status & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK) &&
	    vdev->ops->driver_ok)
		vdev->ops->driver_ok(vdev);
}

bool virtq_ready(const struct virtio_dev *vdev, unsigned q)
{
	return q < vdev->ops->num_queues && vdev->vq[q].ready && virtio_dev_ok(vdev);
}

/* ring pointers, checked on every use: the driver may move the rings only
 * while the queue is not ready, but checking is cheap and keeps one rule */
static uint8_t *avail_ring(const struct virtio_dev *vdev, const struct virtq *vq)
{
	return as_ram_ptr(vdev->as, vq->avail_addr, 6 + 2ull * vq->num);
}

static uint8_t *used_ring(const struct virtio_dev *vdev, const struct virtq *vq)
{
	return as_ram_ptr(vdev->as, vq->used_addr, 6 + 8ull * vq->num);
}

static uint16_t load16_acquire(const uint8_t *p)
{
	return __atomic_load_n((const uint16_t *)p, __ATOMIC_ACQUIRE);
}

bool virtq_has_request(struct virtio_dev *vdev, unsigned q)
{
	struct virtq *vq = &vdev->vq[q];
	const uint8_t *avail;

	if (!virtq_ready(vdev, q) || !(avail = avail_ring(vdev, vq)))
		return false;
	return load16_acquire(avail + 2) != vq->last_avail;
}

static int chain_error(struct virtio_dev *vdev, const char *why)
{
	virtio_dev_error(vdev, why);
	return -EINVAL;
}

int virtq_pop(struct virtio_dev *vdev, unsigned q, struct virtq_elem *elem)
{
	struct virtq *vq = &vdev->vq[q];
	const uint8_t *avail, *table;
	uint8_t *used;
	uint16_t avail_idx, head, i;
	unsigned max, count = 0;
	bool indirect = false;

	if (!virtq_ready(vdev, q))
		return 0;
	avail = avail_ring(vdev, vq);
	used = used_ring(vdev, vq);
	table = as_ram_ptr(vdev->as, vq->desc_addr, (uint64_t)DESC_SIZE * vq->num);
	if (!avail || !used || !table)
		return chain_error(vdev, "a ring lies outside guest RAM");
	avail_idx = load16_acquire(avail + 2);
	if ((uint16_t)(avail_idx - vq->last_avail) > vq->num)
		return chain_error(vdev, "avail index moved by more than the queue size");
	if (avail_idx == vq->last_avail)
		return 0;
	memcpy(&head, avail + 4 + 2 * (vq->last_avail % vq->num), 2);
	if (head >= vq->num)
		return chain_error(vdev, "head descriptor index out of range");
	vq->last_avail++;
	if (virtio_has_feature(vdev, VIRTIO_F_RING_EVENT_IDX)) {
		/* avail_event: notify us when the driver goes past this */
		uint16_t ev = vq->last_avail;

		__atomic_store_n((uint16_t *)(void *)(used + 4 + 8 * vq->num), ev, __ATOMIC_RELEASE);
	}

	elem->head = head;
	elem->out_num = elem->in_num = 0;
	elem->out_len = elem->in_len = 0;
	i = head;
	max = vq->num;
	for (;;) {
		struct vring_desc d;
		void *p;

		/* a chain visits each descriptor at most once: more steps than the
		 * table has entries means a loop */
		if (++count > max)
			return chain_error(vdev, "descriptor chain loops or is too long");
		memcpy(&d, table + (uint64_t)DESC_SIZE * i, DESC_SIZE);
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			if (!virtio_has_feature(vdev, VIRTIO_F_RING_INDIRECT_DESC) || indirect ||
			    (d.flags & VIRTQ_DESC_F_NEXT))
				return chain_error(vdev, "invalid indirect descriptor");
			/* an indirect table is limited to the queue size like a chain */
			if (d.len == 0 || d.len % DESC_SIZE || d.len / DESC_SIZE > VIRTQ_MAX_SIZE)
				return chain_error(vdev, "indirect table has a bad length");
			table = as_ram_ptr(vdev->as, d.addr, d.len);
			if (!table)
				return chain_error(vdev, "indirect table lies outside guest RAM");
			indirect = true;
			max = d.len / DESC_SIZE;
			count = 0;
			i = 0;
			continue;
		}
		if (d.len) {
			if (elem->out_num + elem->in_num >= VIRTQ_MAX_IOV)
				return chain_error(vdev, "too many buffers in one request");
			p = as_ram_ptr(vdev->as, d.addr, d.len);
			if (!p)
				return chain_error(vdev, "buffer lies outside guest RAM");
			if (d.flags & VIRTQ_DESC_F_WRITE) {
				elem->iov[elem->out_num + elem->in_num] = (struct iovec){ p, d.len };
				elem->in_num++;
				elem->in_len += d.len;
			} else {
				/* section 2.7.4.2: readable buffers come before writable ones */
				if (elem->in_num)
					return chain_error(vdev, "readable buffer after a writable one");
				elem->iov[elem->out_num] = (struct iovec){ p, d.len };
				elem->out_num++;
				elem->out_len += d.len;
			}
		}
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			break;
		i = d.next;
		if (i >= max)
			return chain_error(vdev, "next descriptor index out of range");
	}
	return 1;
}

void virtq_push(struct virtio_dev *vdev, unsigned q, const struct virtq_elem *elem, uint32_t len)
{
	struct virtq *vq = &vdev->vq[q];
	uint8_t *used = used_ring(vdev, vq);
	uint32_t entry[2] = { elem->head, len };

	if (!used || !vq->num) {
		virtio_dev_error(vdev, "used ring lies outside guest RAM");
		return;
	}
	memcpy(used + 4 + 8 * (vq->used_idx % vq->num), entry, 8);
	vq->used_idx++;
	/* the entry must be visible before the index */
	__atomic_store_n((uint16_t *)(void *)(used + 2), vq->used_idx, __ATOMIC_RELEASE);
}

/* section 2.7.10: interrupt when used moved past used_event since last time */
static bool need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

void virtq_notify(struct virtio_dev *vdev, unsigned q)
{
	struct virtq *vq = &vdev->vq[q];
	const uint8_t *avail = avail_ring(vdev, vq);
	bool notify;

	if (!avail)
		return;
	if (virtio_has_feature(vdev, VIRTIO_F_RING_EVENT_IDX)) {
		uint16_t used_event, old = vq->signalled_used;
		bool valid = vq->signalled_used_valid;

		memcpy(&used_event, avail + 4 + 2 * vq->num, 2);
		vq->signalled_used = vq->used_idx;
		vq->signalled_used_valid = true;
		notify = !valid || need_event(used_event, vq->used_idx, old);
	} else {
		uint16_t flags;

		memcpy(&flags, avail, 2);
		/* nothing returned since the last interrupt: none is due (Linux
		 * counts interrupts without work and may disable the line) */
		notify = !(flags & VIRTQ_AVAIL_F_NO_INTERRUPT) &&
			 (!vq->signalled_used_valid || vq->signalled_used != vq->used_idx);
		vq->signalled_used = vq->used_idx;
		vq->signalled_used_valid = true;
	}
	if (notify) {
		vdev->isr |= VIRTIO_ISR_QUEUE;
		virtio_update_irq(vdev);
	}
}

/* copy between part of an iovec array and a flat buffer, either way */
static size_t iov_copy(const struct iovec *iov, unsigned n, size_t off, uint8_t *buf, size_t len,
		       bool to_buf)
{
	size_t done = 0;

	for (unsigned i = 0; i < n && done < len; i++) {
		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		size_t k = iov[i].iov_len - off;
		uint8_t *p = (uint8_t *)iov[i].iov_base + off;

		if (k > len - done)
			k = len - done;
		if (to_buf)
			memcpy(buf + done, p, k);
		else
			memcpy(p, buf + done, k);
		done += k;
		off = 0;
	}
	return done;
}

size_t iov_to_buf(const struct iovec *iov, unsigned n, size_t off, void *buf, size_t len)
{
	return iov_copy(iov, n, off, buf, len, true);
}

size_t iov_from_buf(const struct iovec *iov, unsigned n, size_t off, const void *buf, size_t len)
{
	/* iov_copy only reads buf in this direction */
	return iov_copy(iov, n, off, (uint8_t *)(uintptr_t)buf, len, false);
}
