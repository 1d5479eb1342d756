/* virtio_rng.c - virtio entropy device. */
#include <sys/random.h>

#include "dev/virtio/virtio_rng.h"

#define VIRTIO_ID_RNG 4
/* bytes served per request at most: a request asking for more gets a
 * partial answer, as the spec allows (the driver asks again) */
#define RNG_MAX_PER_REQUEST 65536

static void rng_notify(struct virtio_dev *vdev, unsigned q)
{
	struct virtio_rng *r = vdev->opaque;
	int ret = 0;

	/* at most a queue's worth of requests per notification */
	for (unsigned k = 0; k < vdev->vq[q].num && (ret = virtq_pop(vdev, q, &r->elem)) > 0; k++) {
		struct virtq_elem *e = &r->elem;
		uint32_t done = 0;

		for (unsigned i = e->out_num; i < e->out_num + e->in_num && done < RNG_MAX_PER_REQUEST; i++) {
			size_t want = e->iov[i].iov_len;

			if (want > RNG_MAX_PER_REQUEST - done)
				want = RNG_MAX_PER_REQUEST - done;
			ssize_t n = getrandom(e->iov[i].iov_base, want, 0);

			if (n <= 0)
				break;
			done += (uint32_t)n;
			if ((size_t)n < want)
				break;
		}
		virtq_push(vdev, q, e, done);
	}
	virtq_notify(vdev, q);
}

static const struct virtio_dev_ops rng_ops = {
	.name = "virtio-rng",
	.device_id = VIRTIO_ID_RNG,
	.features = 0,
	.num_queues = 1,
	.queue_max = 256,
	.config_size = 0,
	.queue_notify = rng_notify,
};

void virtio_rng_init(struct virtio_rng *r, struct vm *vm, struct irq_line irq)
{
	virtio_dev_init(&r->vdev, &rng_ops, r, vm, irq);
}
