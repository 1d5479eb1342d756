/* virtio_blk.h - virtio block device (virtio 1.2 section 5.2) on a raw
 * image file or block device.
 *
 * One request queue of VIRTIO_BLK_QUEUE_SIZE entries. The queue_notify
 * callback pops and checks requests on the device-owner thread and hands
 * file I/O to the image's I/O threads (host/blockfile.h) with the request's
 * host iovecs, which point straight into guest RAM. Completions come back
 * through an eventfd polled by the VM's event loop, whose dispatch writes
 * the status byte and fills the used ring on the owner thread. Small
 * requests skip all that when it is cheap: reads of up to
 * VIRTIO_BLK_NOWAIT_READ_MAX that the host has in its page cache (a
 * non-blocking preadv2), and writes of up to VIRTIO_BLK_WRITE_NOW_MAX when
 * no other request is in flight (a pwritev into the page cache, turned off
 * for a while when one has to wait for the host's storage), are done in the
 * notification itself and completed at once: that takes two thread
 * wake-ups, the wait for the next event-loop poll and the guest's sleep out
 * of a small request's latency. At most
 * VIRTIO_BLK_QUEUE_SIZE requests are in flight; a device reset cancels the
 * queued ones and waits for the running ones, so nothing is written into
 * guest memory after the reset.
 *
 * Lifetime: struct virtio_blk must not move after virtio_blk_init() (the
 * event loop and the I/O threads hold pointers into it). The event loop
 * cannot drop a source: after virtio_blk_destroy() the source stays
 * registered but idle, so keep the struct alive as long as the event loop is
 * polled (destroy it with the machine). Destroy before vm_destroy(): the I/O
 * threads may be writing into guest RAM until destroy returns.
 */
#ifndef MACHINA_DEV_VIRTIO_BLK_H
#define MACHINA_DEV_VIRTIO_BLK_H

#include "dev/virtio/virtio.h"
#include "host/blockfile.h"
#include "host/evloop.h"

#define VIRTIO_ID_BLOCK 2

/* feature bits (section 5.2.3) */
#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_GEOMETRY 4
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_F_TOPOLOGY 10
#define VIRTIO_BLK_F_CONFIG_WCE 11
#define VIRTIO_BLK_F_MQ 12
#define VIRTIO_BLK_F_DISCARD 13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

/* request types (section 5.2.6) */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_T_GET_LIFETIME 10
#define VIRTIO_BLK_T_DISCARD 11
#define VIRTIO_BLK_T_WRITE_ZEROES 13
#define VIRTIO_BLK_T_SECURE_ERASE 14

/* status byte */
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2

/* discard / write-zeroes segment flags */
#define VIRTIO_BLK_WZ_F_UNMAP 1

/* configuration space offsets (struct virtio_blk_config, section 5.2.4) */
#define VIRTIO_BLK_CFG_CAPACITY 0		/* le64, 512-byte sectors */
#define VIRTIO_BLK_CFG_SIZE_MAX 8		/* le32 */
#define VIRTIO_BLK_CFG_SEG_MAX 12		/* le32 */
#define VIRTIO_BLK_CFG_BLK_SIZE 20		/* le32 */
#define VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS 36	/* le32 */
#define VIRTIO_BLK_CFG_MAX_DISCARD_SEG 40	/* le32 */
#define VIRTIO_BLK_CFG_DISCARD_ALIGN 44		/* le32, sectors */
#define VIRTIO_BLK_CFG_MAX_WZ_SECTORS 48	/* le32 */
#define VIRTIO_BLK_CFG_MAX_WZ_SEG 52		/* le32 */
#define VIRTIO_BLK_CFG_WZ_MAY_UNMAP 56		/* u8 */
#define VIRTIO_BLK_CONFIG_SIZE 60		/* up to unused1[3]; no secure erase or zones */

#define VIRTIO_BLK_SECTOR 512
#define VIRTIO_BLK_ID_BYTES 20
#define VIRTIO_BLK_QUEUE_SIZE 256
/* seg_max: a direct chain has at most a queue's worth of descriptors, two
 * of which carry the header and the status byte */
#define VIRTIO_BLK_SEG_MAX (VIRTIO_BLK_QUEUE_SIZE - 2)
/* reads up to this size are first tried on the notifying thread, from the
 * host page cache without blocking (blockfile_read_nowait): at most a
 * memcpy of 1 MiB (tens of microseconds) in the notification */
#define VIRTIO_BLK_NOWAIT_READ_MAX (1u << 20)
/* writes up to this size, alone in flight, are done on the notifying thread
 * (blockfile_write_now) */
#define VIRTIO_BLK_WRITE_NOW_MAX (64u << 10)
/* discard / write-zeroes: segments per request (copied out of guest memory
 * into the request slot, so the guest cannot change them in flight) and
 * sectors per segment (2 GiB: one fallocate call per segment) */
#define VIRTIO_BLK_MAX_DWZ_SEG 16
#define VIRTIO_BLK_MAX_DWZ_SECTORS (1u << 22)

struct virtio_blk_req;

struct virtio_blk {
	struct virtio_dev vdev;
	/* per-device copy of the ops: the features depend on the image */
	struct virtio_dev_ops ops;
	struct vm *vm;
	struct blockfile bf;
	bool readonly;
	bool live;		/* event source active: init done, not destroyed */
	uint64_t capacity;	/* 512-byte sectors */
	uint8_t config[VIRTIO_BLK_CONFIG_SIZE];	/* little-endian, fixed at init */
	char serial[VIRTIO_BLK_ID_BYTES];	/* GET_ID: NUL-padded ASCII */
	/* request slots: one per request in flight, VIRTIO_BLK_QUEUE_SIZE */
	struct virtio_blk_req *reqs;
	struct virtio_blk_req *free_reqs;
	unsigned in_flight;
	bool resume;		/* stopped popping with budget spent: go on at the next poll */
	bool wait_slot;		/* stopped popping with all slots busy: go on after a completion */
	struct ratelimit rl;
};

/* Open the image at path and set up the device on its event loop. Returns 0
 * or -errno with a message in err. */
int must_check virtio_blk_init(struct virtio_blk *b, struct vm *vm, struct irq_line irq,
			       struct evloop *loop, const char *path, bool readonly, char *err,
			       size_t errlen);
/* Stop the I/O threads (cancel queued requests, wait for running ones) and
 * close the file. Safe after a failed init, and twice. */
void virtio_blk_destroy(struct virtio_blk *b);

#endif
