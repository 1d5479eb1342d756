/* board_virtio.c - the command line's virtio devices, for any machine. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "machine/board_virtio.h"

int board_virtio_create(struct board_virtio *bv, struct vm *vm, const struct board_virtio_config *cfg,
			const struct board_virtio_slots *slots, struct evloop *loop,
			struct host_console *console, char *err, size_t errlen)
{
	int ret;

	if (cfg->nr_net > BOARD_MAX_NICS || cfg->nr_disks > BOARD_MAX_DISKS) {
		snprintf(err, errlen, "at most %d --disk and %d --net devices", BOARD_MAX_DISKS,
			 BOARD_MAX_NICS);
		return -EINVAL;
	}
	/* entropy for every guest */
	virtio_rng_init(&bv->rng, vm, slots->next_irq(slots->opaque));
	ret = slots->add(slots->opaque, &bv->rng.vdev);
	if (ret)
		goto full;
	if (cfg->virtio_console) {
		/* the console's input goes to the guest's hvc0; the UART stays for
		 * firmware output */
		virtio_console_init(&bv->vcon, vm, slots->next_irq(slots->opaque),
				    console_chardev(console));
		console_set_sink(console, (struct console_sink){ virtio_console_receive,
								   virtio_console_space, &bv->vcon });
		ret = slots->add(slots->opaque, &bv->vcon.vdev);
		if (ret)
			goto full;
		bv->has_vcon = true;
	}
	for (int i = 0; i < cfg->nr_disks; i++) {
		ret = virtio_blk_init(&bv->blk[i], vm, slots->next_irq(slots->opaque), loop,
				      cfg->disk[i].path, cfg->disk[i].readonly, err, errlen);
		bv->nr_disks = i + 1;	/* destroy is safe after a failed init */
		if (ret)
			return ret;
		ret = slots->add(slots->opaque, &bv->blk[i].vdev);
		if (ret)
			goto full;
	}
	for (int i = 0; i < cfg->nr_net; i++) {
		ret = virtio_net_init(&bv->net[i], vm, slots->next_irq(slots->opaque), loop,
				      &cfg->net[i], i, err, errlen);
		if (ret)
			return ret;
		bv->nr_net = i + 1;
		ret = slots->add(slots->opaque, &bv->net[i].vdev);
		if (ret)
			goto full;
	}
	return 0;
full:
	if (ret != -ENOSPC) {
		snprintf(err, errlen, "cannot map a virtio device: %s", strerror(-ret));
		return ret;
	}
	snprintf(err, errlen, "too many virtio devices for the machine's slots");
	return -ENOSPC;
}

void board_virtio_destroy(struct board_virtio *bv)
{
	/* I/O threads may write guest RAM until their device is destroyed */
	for (int i = 0; i < bv->nr_disks; i++)
		virtio_blk_destroy(&bv->blk[i]);
	bv->nr_disks = 0;
	for (int i = 0; i < bv->nr_net; i++)
		virtio_net_destroy(&bv->net[i]);
	bv->nr_net = 0;
}

int board_parse_disk(char *arg, struct board_virtio_config *cfg, char *err, size_t errlen)
{
	char *comma = strrchr(arg, ',');

	if (cfg->nr_disks >= BOARD_MAX_DISKS) {
		snprintf(err, errlen, "at most %d --disk options", BOARD_MAX_DISKS);
		return -EINVAL;
	}
	cfg->disk[cfg->nr_disks].readonly = false;
	if (comma && (!strcmp(comma + 1, "readonly") || !strcmp(comma + 1, "ro"))) {
		*comma = 0;
		cfg->disk[cfg->nr_disks].readonly = true;
	} else if (comma && !strchr(comma + 1, '/') && !strchr(comma + 1, '.')) {
		snprintf(err, errlen, "unknown disk option '%s' (only 'readonly')", comma + 1);
		return -EINVAL;
	}
	if (!*arg) {
		snprintf(err, errlen, "--disk needs a file name");
		return -EINVAL;
	}
	cfg->disk[cfg->nr_disks++].path = arg;
	return 0;
}
