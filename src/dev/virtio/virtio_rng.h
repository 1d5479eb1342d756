/* virtio_rng.h - entropy device (virtio 1.2 section 5.4), fed from the host's
 * getrandom(2). */
#ifndef MACHINA_DEV_VIRTIO_RNG_H
#define MACHINA_DEV_VIRTIO_RNG_H

#include "dev/virtio/virtio.h"

struct virtio_rng {
	struct virtio_dev vdev;
	struct virtq_elem elem;
};

void virtio_rng_init(struct virtio_rng *r, struct vm *vm, struct irq_line irq);

#endif
