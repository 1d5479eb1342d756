/* virtio_blk.c - virtio block device on a raw image.
 *
 * Threads: everything here runs on the device-owner thread (MMIO callbacks,
 * event-loop callbacks), including the small reads and writes done at once
 * (blk_now). The only work done elsewhere is the file I/O of a
 * submitted request, on the image's I/O threads, which see nothing but the
 * struct blockfile_req: the iovecs (checked guest RAM, from virtq_pop) and
 * the segment ranges (copied and checked here). Request slots are taken
 * from a free list of VIRTIO_BLK_QUEUE_SIZE, so at most that many requests
 * are in flight however the guest fills its ring.
 */
#include <endian.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vm.h"
#include "dev/virtio/virtio_blk.h"

#define container_of(p, type, member) ((type *)(void *)((char *)(p) - offsetof(type, member)))

struct virtio_blk_req {
	struct blockfile_req io;
	struct virtio_blk_req *next_free;
	uint8_t *status;		/* the request's last device-writable byte (guest RAM) */
	uint32_t used_len;		/* used-ring length when it succeeds */
	uint32_t type;
	uint64_t sector;
	struct blockfile_range ranges[VIRTIO_BLK_MAX_DWZ_SEG];
	struct virtq_elem elem;		/* last: its iovec array is large */
};

/* struct virtio_blk_req_hdr and struct virtio_blk_discard_write_zeroes */
struct blk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

struct blk_seg {
	uint64_t sector;
	uint32_t num_sectors;
	uint32_t flags;
};

/* what blk_start() decided besides a status to complete with at once */
enum { BLK_SUBMITTED = 0x100, BLK_MALFORMED = 0x101 };

static void put_le32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}

static void put_le64(uint8_t *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, 8);
}

static const char *type_name(uint32_t type)
{
	switch (type) {
	case VIRTIO_BLK_T_IN: return "read";
	case VIRTIO_BLK_T_OUT: return "write";
	case VIRTIO_BLK_T_FLUSH: return "flush";
	case VIRTIO_BLK_T_DISCARD: return "discard";
	case VIRTIO_BLK_T_WRITE_ZEROES: return "write-zeroes";
	}
	return "request";
}

/* a request the guest got wrong: IOERR, and a note for whoever debugs the driver */
static int reject(struct virtio_blk *b, struct virtio_blk_req *r, const char *why)
{
	vm_log_ratelimited(b->vm, &b->rl, LOG_DEBUG, "virtio-blk: %s at sector %llu failed: %s",
			   type_name(r->type), (unsigned long long)r->sector, why);
	return VIRTIO_BLK_S_IOERR;
}

/* drop the first len bytes of an iovec array (they were the header) */
static void iov_drop_front(struct iovec **iov, unsigned *n, size_t len)
{
	while (*n && len >= (*iov)->iov_len) {
		len -= (*iov)->iov_len;
		(*iov)++;
		(*n)--;
	}
	if (*n && len) {
		(*iov)->iov_base = (uint8_t *)(*iov)->iov_base + len;
		(*iov)->iov_len -= len;
	}
}

/* Is [sector, sector + len bytes) a whole number of sectors inside the disk? */
static const char *check_range(const struct virtio_blk *b, uint64_t sector, uint64_t len)
{
	/* data moves in whole 512-byte sectors (section 5.2.6) */
	if (len % VIRTIO_BLK_SECTOR)
		return "data length is not a multiple of 512";
	/* sector and length come from the guest: compared in sectors, nothing
	 * overflows (capacity < 2^55, and sector * 512 is only formed for
	 * sectors inside the disk) */
	if (sector > b->capacity || len / VIRTIO_BLK_SECTOR > b->capacity - sector)
		return "past the end of the disk";
	return NULL;
}

static int start_rw(struct virtio_blk *b, struct virtio_blk_req *r, bool write,
		    struct iovec *iov, unsigned n, uint64_t len)
{
	const char *why = check_range(b, r->sector, len);

	if (why)
		return reject(b, r, why);
	/* the used ring reports a read's length, status byte included, in 32 bits */
	if (len > UINT32_MAX - VIRTIO_BLK_SECTOR)
		return reject(b, r, "more than 4 GiB in one request");
	if (!len)
		return VIRTIO_BLK_S_OK;
	r->io = (struct blockfile_req){
		.op = write ? BLOCKFILE_WRITE : BLOCKFILE_READ,
		/* without FLUSH negotiated the device must be writethrough (5.2.6.1) */
		.fua = write && !virtio_has_feature(&b->vdev, VIRTIO_BLK_F_FLUSH),
		.offset = r->sector * VIRTIO_BLK_SECTOR,
		.iov = iov,
		.iovcnt = n,
	};
	r->used_len = write ? 1 : (uint32_t)len + 1;
	return BLK_SUBMITTED;
}

static int start_dwz(struct virtio_blk *b, struct virtio_blk_req *r, struct iovec *out,
		     unsigned out_n, uint64_t out_len, uint64_t in_len)
{
	bool wz = r->type == VIRTIO_BLK_T_WRITE_ZEROES;
	struct blk_seg seg[VIRTIO_BLK_MAX_DWZ_SEG];
	unsigned nseg, nr = 0;

	/* they change the disk's data: failed like writes on a read-only disk */
	if (b->readonly)
		return reject(b, r, "the disk is read-only");
	if (!virtio_has_feature(&b->vdev, wz ? VIRTIO_BLK_F_WRITE_ZEROES : VIRTIO_BLK_F_DISCARD))
		return VIRTIO_BLK_S_UNSUPP;
	/* segments are device-readable; only the status byte is writable */
	if (in_len)
		return reject(b, r, "device-writable data buffers");
	if (!out_len || out_len % sizeof(struct blk_seg))
		return reject(b, r, "segment list is empty or not a multiple of 16 bytes");
	/* max_discard_seg / max_write_zeroes_seg in the configuration space */
	nseg = (unsigned)(out_len / sizeof(struct blk_seg));
	if (out_len / sizeof(struct blk_seg) > VIRTIO_BLK_MAX_DWZ_SEG)
		return reject(b, r, "too many segments");
	/* one copy out of guest memory: what is checked is what runs */
	iov_to_buf(out, out_n, 0, seg, out_len);
	/* section 5.2.6.2: unknown flags, and unmap on a discard, are UNSUPP */
	for (unsigned i = 0; i < nseg; i++) {
		uint32_t flags = le32toh(seg[i].flags);

		if ((flags & ~(uint32_t)VIRTIO_BLK_WZ_F_UNMAP) || (!wz && flags))
			return VIRTIO_BLK_S_UNSUPP;
	}
	for (unsigned i = 0; i < nseg; i++) {
		uint64_t sector = le64toh(seg[i].sector);
		uint32_t num = le32toh(seg[i].num_sectors);
		const char *why;

		/* max_discard_sectors / max_write_zeroes_sectors */
		if (num > VIRTIO_BLK_MAX_DWZ_SECTORS)
			return reject(b, r, "segment larger than the advertised maximum");
		why = check_range(b, sector, (uint64_t)num * VIRTIO_BLK_SECTOR);
		if (why)
			return reject(b, r, why);
		if (!num)
			continue;
		r->ranges[nr++] = (struct blockfile_range){
			.offset = sector * VIRTIO_BLK_SECTOR,
			.len = (uint64_t)num * VIRTIO_BLK_SECTOR,
			.unmap = wz && (le32toh(seg[i].flags) & VIRTIO_BLK_WZ_F_UNMAP),
		};
	}
	if (!nr)
		return VIRTIO_BLK_S_OK;
	r->io = (struct blockfile_req){
		.op = wz ? BLOCKFILE_WRITE_ZEROES : BLOCKFILE_DISCARD,
		.fua = !virtio_has_feature(&b->vdev, VIRTIO_BLK_F_FLUSH),
		.ranges = r->ranges,
		.nr_ranges = nr,
	};
	return BLK_SUBMITTED;
}

/* Parse a popped request. Returns BLK_SUBMITTED when r->io is ready for the
 * I/O threads, a status byte to complete with now, or BLK_MALFORMED. */
static int blk_start(struct virtio_blk *b, struct virtio_blk_req *r)
{
	struct virtq_elem *e = &r->elem;
	struct iovec *out = e->iov, *in = e->iov + e->out_num, *last;
	unsigned out_n = e->out_num, in_n = e->in_num;
	uint64_t out_len = e->out_len, in_len = e->in_len;
	struct blk_hdr hdr;

	r->used_len = 1;
	r->type = 0;
	r->sector = 0;
	/* the status byte is the last device-writable byte; without one the
	 * request cannot even fail: the chain is malformed */
	if (!in_len)
		return BLK_MALFORMED;
	last = &in[in_n - 1];
	r->status = (uint8_t *)last->iov_base + last->iov_len - 1;
	if (--last->iov_len == 0)
		in_n--;
	in_len--;
	/* the 16-byte header comes first and is device-readable (a header in
	 * a writable buffer leaves fewer than 16 readable bytes) */
	if (out_len < sizeof(hdr))
		return reject(b, r, "request header missing or device-writable");
	iov_to_buf(out, out_n, 0, &hdr, sizeof(hdr));
	iov_drop_front(&out, &out_n, sizeof(hdr));
	out_len -= sizeof(hdr);
	r->type = le32toh(hdr.type);
	r->sector = le64toh(hdr.sector);

	switch (r->type) {
	case VIRTIO_BLK_T_IN:
		/* a read fills device-writable buffers only */
		if (out_len)
			return reject(b, r, "device-readable data buffers");
		return start_rw(b, r, false, in, in_n, in_len);
	case VIRTIO_BLK_T_OUT:
		/* section 5.2.6.2: IOERR on a read-only device, nothing written */
		if (b->readonly)
			return reject(b, r, "the disk is read-only");
		/* a write takes device-readable buffers only */
		if (in_len)
			return reject(b, r, "device-writable data buffers");
		return start_rw(b, r, true, out, out_n, out_len);
	case VIRTIO_BLK_T_FLUSH:
		/* a read-only disk has nothing of the guest's to make stable */
		if (b->readonly)
			return VIRTIO_BLK_S_OK;
		r->io = (struct blockfile_req){ .op = BLOCKFILE_FLUSH };
		return BLK_SUBMITTED;
	case VIRTIO_BLK_T_GET_ID: {
		size_t n = in_len < VIRTIO_BLK_ID_BYTES ? (size_t)in_len : VIRTIO_BLK_ID_BYTES;

		if (!n)
			return reject(b, r, "no buffer for the ID");
		iov_from_buf(in, in_n, 0, b->serial, n);
		r->used_len = (uint32_t)n + 1;
		return VIRTIO_BLK_S_OK;
	}
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES:
		return start_dwz(b, r, out, out_n, out_len, in_len);
	}
	return VIRTIO_BLK_S_UNSUPP;
}

/* Do a submitted-to-be request right here, on the notifying thread, when
 * that is cheap and safe; true when it is done (r->io.ret set). The round
 * trip through an I/O thread and back through the event loop costs two
 * thread wake-ups, and the guest goes to sleep waiting for it: for a small
 * request that is most of its latency.
 * - reads the host has in its page cache (up to VIRTIO_BLK_NOWAIT_READ_MAX;
 *   a non-blocking preadv2, whatever else is in flight; a read only partly
 *   cached leaves the rest to the I/O threads);
 * - small writes (up to VIRTIO_BLK_WRITE_NOW_MAX, not write-through) when
 *   nothing else is in flight: a pwritev into the page cache, with a
 *   back-off when one had to wait for the host's storage. */
static bool blk_now(struct virtio_blk *b, struct virtio_blk_req *r)
{
	/* a read's used length is its data and the status byte; a write's
	 * data length is not kept: read it off the iovecs */
	uint64_t len = 0;

	if (r->io.op == BLOCKFILE_READ)
		return r->used_len - 1 <= VIRTIO_BLK_NOWAIT_READ_MAX &&
		       blockfile_read_nowait(&b->bf, &r->io);
	if (r->io.op != BLOCKFILE_WRITE || r->io.fua || b->in_flight)
		return false;
	for (unsigned i = 0; i < r->io.iovcnt && len <= VIRTIO_BLK_WRITE_NOW_MAX; i++)
		len += r->io.iov[i].iov_len;
	return len <= VIRTIO_BLK_WRITE_NOW_MAX && blockfile_write_now(&b->bf, &r->io);
}

static void free_req(struct virtio_blk *b, struct virtio_blk_req *r)
{
	r->next_free = b->free_reqs;
	b->free_reqs = r;
}

/* Write the status and return the request to the driver. Only while the
 * queue lives: after a ring error (NEEDS_RESET) or with the queue disabled
 * the request is dropped, the driver resets the device. Returns whether
 * something was pushed. */
static bool blk_complete(struct virtio_blk *b, struct virtio_blk_req *r, uint8_t status)
{
	bool pushed = false;

	if (virtq_ready(&b->vdev, 0)) {
		*r->status = status;
		virtq_push(&b->vdev, 0, &r->elem, status == VIRTIO_BLK_S_OK ? r->used_len : 1);
		pushed = true;
	}
	free_req(b, r);
	return pushed;
}

/* The file I/O of a request is done: complete it with its result. */
static bool blk_io_done(struct virtio_blk *b, struct virtio_blk_req *r)
{
	if (r->io.ret)
		vm_log_ratelimited(b->vm, &b->rl, LOG_WARN, "virtio-blk: %s at sector %llu failed: %s",
				   type_name(r->type), (unsigned long long)r->sector,
				   strerror(-r->io.ret));
	return blk_complete(b, r, r->io.ret ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK);
}

/* Pop and start requests until the ring is empty, the slots run out or the
 * budget is spent. */
static void blk_process(struct virtio_blk *b)
{
	struct virtio_dev *vdev = &b->vdev;
	/* at most a queue's worth of requests per call: a guest refilling the
	 * ring from another hart cannot keep the owner thread here; the rest
	 * goes on at the next event-loop poll */
	unsigned budget = vdev->vq[0].num;
	bool pushed = false;

	b->resume = b->wait_slot = false;
	while (virtq_ready(vdev, 0)) {
		struct virtio_blk_req *r = b->free_reqs;
		int ret;

		if (!r || !budget) {
			/* no slot: a completion frees one and resumes; no budget: next poll */
			if (virtq_has_request(vdev, 0)) {
				if (r)
					b->resume = true;
				else
					b->wait_slot = true;
			}
			break;
		}
		budget--;
		ret = virtq_pop(vdev, 0, &r->elem);
		if (ret <= 0)
			break;	/* empty, or malformed ring (NEEDS_RESET set by virtq_pop) */
		b->free_reqs = r->next_free;
		ret = blk_start(b, r);
		if (ret == BLK_SUBMITTED) {
			if (blk_now(b, r)) {
				pushed |= blk_io_done(b, r);
				continue;
			}
			b->in_flight++;
			blockfile_submit(&b->bf, &r->io);
		} else if (ret == BLK_MALFORMED) {
			free_req(b, r);
			virtio_dev_error(vdev, "request without a device-writable status byte");
			break;
		} else {
			pushed |= blk_complete(b, r, (uint8_t)ret);
		}
	}
	if (pushed)
		virtq_notify(vdev, 0);
}

/* Finished file I/O: complete the requests and interrupt the driver once. */
static void blk_reap(struct virtio_blk *b)
{
	struct blockfile_req *io = blockfile_reap(&b->bf);
	bool pushed = false;

	while (io) {
		struct virtio_blk_req *r = container_of(io, struct virtio_blk_req, io);

		io = io->next;
		b->in_flight--;
		pushed |= blk_io_done(b, r);
	}
	if (pushed)
		virtq_notify(&b->vdev, 0);
}

static int blk_prepare(void *opaque, struct pollfd *fds, int max, uint64_t *timeout_ns)
{
	struct virtio_blk *b = opaque;

	if (!b->live)
		return 0;
	if (b->resume)
		*timeout_ns = 0;
	if (max < 1) {
		/* no pollfd left in the loop: look for completions every millisecond */
		if (b->in_flight && *timeout_ns > 1000000)
			*timeout_ns = 1000000;
		return 0;
	}
	fds[0] = (struct pollfd){ .fd = blockfile_event_fd(&b->bf), .events = POLLIN };
	return 1;
}

static void blk_dispatch(void *opaque, struct pollfd *fds, int n)
{
	struct virtio_blk *b = opaque;

	if (!b->live)
		return;
	if (n < 1 ? b->in_flight != 0 : (fds[0].revents & POLLIN) != 0)
		blk_reap(b);
	if (b->resume || (b->wait_slot && b->free_reqs))
		blk_process(b);
}

static void blk_queue_notify(struct virtio_dev *vdev, unsigned q)
{
	if (q == 0)
		blk_process(vdev->opaque);
}

/* Device reset: nothing of the old requests may reach guest memory once
 * this returns. Queued requests are cancelled, running ones waited for
 * (bounded: BLOCKFILE_THREADS system calls), and all are dropped without
 * touching the rings, which the reset forgets. */
static void blk_reset(struct virtio_dev *vdev)
{
	struct virtio_blk *b = vdev->opaque;
	struct blockfile_req *io;

	if (!b->live)
		return;
	blockfile_drain(&b->bf, true);
	io = blockfile_reap(&b->bf);
	while (io) {
		struct virtio_blk_req *r = container_of(io, struct virtio_blk_req, io);

		io = io->next;
		b->in_flight--;
		free_req(b, r);
	}
	b->resume = b->wait_slot = false;
}

static void blk_read_config(struct virtio_dev *vdev, uint32_t off, void *buf, uint32_t len)
{
	struct virtio_blk *b = vdev->opaque;

	/* the transport checked off + len against config_size */
	memcpy(buf, b->config + off, len);
}

static const struct virtio_dev_ops blk_ops_template = {
	.name = "virtio-blk",
	.device_id = VIRTIO_ID_BLOCK,
	.num_queues = 1,
	.queue_max = VIRTIO_BLK_QUEUE_SIZE,
	.read_config = blk_read_config,
	.write_config = NULL,		/* every field is read-only (no CONFIG_WCE) */
	.config_size = VIRTIO_BLK_CONFIG_SIZE,
	.queue_notify = blk_queue_notify,
	.reset = blk_reset,
};

/* GET_ID: the image's file name, printable ASCII, at most 20 bytes */
static void make_serial(char serial[VIRTIO_BLK_ID_BYTES], const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n = 0;

	base = base ? base + 1 : path;
	memset(serial, 0, VIRTIO_BLK_ID_BYTES);
	for (; *base && n < VIRTIO_BLK_ID_BYTES; base++)
		serial[n++] = *base > ' ' && *base < 0x7f ? *base : '_';
}

int virtio_blk_init(struct virtio_blk *b, struct vm *vm, struct irq_line irq, struct evloop *loop,
		    const char *path, bool readonly, char *err, size_t errlen)
{
	uint64_t features;
	uint8_t *c;
	int ret;

	memset(b, 0, sizeof(*b));
	b->vm = vm;
	b->readonly = readonly;
	if (!vm || !loop) {
		snprintf(err, errlen, "virtio-blk: no VM or event loop");
		return -EINVAL;
	}
	ret = blockfile_open(&b->bf, path, readonly, err, errlen);
	if (ret)
		return ret;
	b->capacity = b->bf.size / VIRTIO_BLK_SECTOR;

	b->reqs = calloc(VIRTIO_BLK_QUEUE_SIZE, sizeof(*b->reqs));
	if (!b->reqs) {
		snprintf(err, errlen, "virtio-blk: out of memory for request slots");
		ret = -ENOMEM;
		goto fail;
	}
	for (unsigned i = VIRTIO_BLK_QUEUE_SIZE; i-- > 0;)
		free_req(b, &b->reqs[i]);

	features = (1ull << VIRTIO_BLK_F_SEG_MAX) | (1ull << VIRTIO_BLK_F_BLK_SIZE) |
		   (1ull << VIRTIO_BLK_F_FLUSH);
	if (readonly)
		features |= 1ull << VIRTIO_BLK_F_RO;
	if (!readonly && b->bf.can_punch)
		features |= 1ull << VIRTIO_BLK_F_DISCARD;
	if (!readonly && b->bf.can_zero)
		features |= 1ull << VIRTIO_BLK_F_WRITE_ZEROES;
	b->ops = blk_ops_template;
	b->ops.features = features;

	c = b->config;
	put_le64(c + VIRTIO_BLK_CFG_CAPACITY, b->capacity);
	put_le32(c + VIRTIO_BLK_CFG_SEG_MAX, VIRTIO_BLK_SEG_MAX);
	/* the logical block size Linux uses: 512, what partition tables assume */
	put_le32(c + VIRTIO_BLK_CFG_BLK_SIZE, VIRTIO_BLK_SECTOR);
	if (features & (1ull << VIRTIO_BLK_F_DISCARD)) {
		put_le32(c + VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS, VIRTIO_BLK_MAX_DWZ_SECTORS);
		put_le32(c + VIRTIO_BLK_CFG_MAX_DISCARD_SEG, VIRTIO_BLK_MAX_DWZ_SEG);
		/* holes are punched in whole file-system blocks */
		put_le32(c + VIRTIO_BLK_CFG_DISCARD_ALIGN, b->bf.block_size / VIRTIO_BLK_SECTOR);
	}
	if (features & (1ull << VIRTIO_BLK_F_WRITE_ZEROES)) {
		put_le32(c + VIRTIO_BLK_CFG_MAX_WZ_SECTORS, VIRTIO_BLK_MAX_DWZ_SECTORS);
		put_le32(c + VIRTIO_BLK_CFG_MAX_WZ_SEG, VIRTIO_BLK_MAX_DWZ_SEG);
		c[VIRTIO_BLK_CFG_WZ_MAY_UNMAP] = b->bf.can_punch;
	}
	make_serial(b->serial, path);

	virtio_dev_init(&b->vdev, &b->ops, b, vm, irq);
	/* last: a registered source cannot be removed again */
	ret = evloop_add(loop, (struct evloop_source){ blk_prepare, blk_dispatch, b });
	if (ret) {
		snprintf(err, errlen, "virtio-blk: too many event-loop sources");
		goto fail;
	}
	b->live = true;
	return 0;

fail:
	virtio_blk_destroy(b);
	return ret;
}

void virtio_blk_destroy(struct virtio_blk *b)
{
	/* the event source stays registered but idle from now on */
	b->live = false;
	blockfile_close(&b->bf);
	free(b->reqs);
	b->reqs = NULL;
	b->free_reqs = NULL;
	b->in_flight = 0;
}
