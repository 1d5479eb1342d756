/* board_virtio.h - the paravirtual devices a command line asks for, built
 * the same way on every machine: virtio-rng always, then virtio-console
 * (--console virtio), the disks in order (the first --disk is vda) and the
 * NICs. A machine only says where a device goes (its next slot's interrupt
 * line, and how to map a device into a slot). */
#ifndef MACHINA_MACHINE_BOARD_VIRTIO_H
#define MACHINA_MACHINE_BOARD_VIRTIO_H

#include "core/irq.h"
#include "dev/virtio/virtio_blk.h"
#include "dev/virtio/virtio_console.h"
#include "dev/virtio/virtio_net.h"
#include "dev/virtio/virtio_rng.h"
#include "host/console.h"
#include "host/evloop.h"
#include "host/net_opts.h"

#define BOARD_MAX_NICS 4
#define BOARD_MAX_DISKS 4

struct board_virtio_config {
	int nr_net;
	struct net_config net[BOARD_MAX_NICS];
	bool virtio_console;	/* console input/output through virtio-console (hvc0) */
	int nr_disks;
	struct board_disk_config {
		const char *path;
		bool readonly;
	} disk[BOARD_MAX_DISKS];
};

/* how the machine places devices */
struct board_virtio_slots {
	/* the interrupt line of the next free slot */
	struct irq_line (*next_irq)(void *opaque);
	/* map vdev into the next free slot; -ENOSPC when none is left */
	int (*add)(void *opaque, struct virtio_dev *vdev);
	void *opaque;
};

struct board_virtio {
	struct virtio_rng rng;
	int nr_net;
	struct virtio_net net[BOARD_MAX_NICS];
	int nr_disks;
	struct virtio_blk blk[BOARD_MAX_DISKS];
	bool has_vcon;
	struct virtio_console vcon;
};

/* Create the devices; on failure -errno and a message in err. Whatever was
 * created is released by board_virtio_destroy(), which is always safe. */
int must_check board_virtio_create(struct board_virtio *bv, struct vm *vm,
				   const struct board_virtio_config *cfg,
				   const struct board_virtio_slots *slots, struct evloop *loop,
				   struct host_console *console, char *err, size_t errlen);
/* stop I/O threads and close backends (before guest RAM goes away) */
void board_virtio_destroy(struct board_virtio *bv);

/* Parse a --disk FILE[,readonly] argument into cfg (arg is modified); -EINVAL
 * with a message in err. */
int must_check board_parse_disk(char *arg, struct board_virtio_config *cfg, char *err,
				size_t errlen);

#endif
