/* blockfile.h - raw disk images on the host, and the I/O threads that serve
 * them.
 *
 * blockfile_open() checks the image (regular file or block device, size a
 * multiple of 512 bytes, writable unless read-only), takes an OFD lock on it
 * (shared when read-only, exclusive otherwise) so two VMs cannot write one
 * image, probes which fallocate(2) modes the host file supports, and starts
 * BLOCKFILE_THREADS I/O threads.
 *
 * Requests (struct blockfile_req, owned by the caller) are handed to the I/O
 * threads with blockfile_submit(); each runs as one large preadv/pwritev over
 * its whole iovec array, an fdatasync or fallocate calls. Finished requests
 * go to a completion list and the event fd (blockfile_event_fd(), an
 * eventfd) becomes readable; the owner thread takes them with
 * blockfile_reap(). The I/O threads touch nothing but the file and the
 * request's iovecs: the caller keeps the memory they point to alive until
 * the request is reaped or blockfile_drain() returns.
 *
 * All functions but the I/O threads themselves run on one owner thread (the
 * thread that owns the VM's device state).
 */
#ifndef MACHINA_HOST_BLOCKFILE_H
#define MACHINA_HOST_BLOCKFILE_H

#include <pthread.h>
#include <sys/uio.h>

#include "core/types.h"

#define BLOCKFILE_SECTOR 512
/* I/O threads per image: enough to overlap a flush with reads and to keep a
 * few requests on a real disk at once; the queue of waiting requests is
 * unbounded here, the device bounds how many it submits */
#define BLOCKFILE_THREADS 4

enum blockfile_op {
	BLOCKFILE_READ,		/* preadv into iov */
	BLOCKFILE_WRITE,	/* pwritev from iov */
	BLOCKFILE_FLUSH,	/* fdatasync */
	BLOCKFILE_DISCARD,	/* punch holes over ranges */
	BLOCKFILE_WRITE_ZEROES,	/* zero ranges (punch holes where range.unmap) */
};

struct blockfile_range {
	uint64_t offset, len;	/* bytes, inside the image */
	bool unmap;		/* WRITE_ZEROES: may deallocate (needs can_punch) */
};

struct blockfile_req {
	enum blockfile_op op;
	/* WRITE, DISCARD, WRITE_ZEROES: stable on the host's storage before the
	 * request completes (fdatasync after it) */
	bool fua;
	uint64_t offset;		/* READ, WRITE: byte offset in the image */
	struct iovec *iov;		/* READ, WRITE; modified by the I/O thread */
	unsigned iovcnt;
	const struct blockfile_range *ranges;	/* DISCARD, WRITE_ZEROES */
	unsigned nr_ranges;
	int ret;			/* result: 0 or -errno (-ECANCELED: dropped) */
	struct blockfile_req *next;	/* list link, owned by blockfile */
};

struct blockfile {
	bool opened;		/* blockfile_close() has something to undo */
	int fd;
	int efd;		/* eventfd: completions are waiting */
	bool readonly;
	bool is_blockdev;
	uint64_t size;		/* bytes, a multiple of BLOCKFILE_SECTOR */
	uint32_t block_size;	/* host file system block (allocation unit) */
	bool can_punch;		/* FALLOC_FL_PUNCH_HOLE works on this file */
	bool can_zero;		/* FALLOC_FL_ZERO_RANGE works on this file */
	bool flush_failed;	/* an fdatasync failed: every later flush fails */
	bool no_nowait;		/* preadv2(RWF_NOWAIT) is not supported here */
	uint64_t write_now_after;	/* host_clock_ns(): no blockfile_write_now() before */

	/* the I/O threads and their queues, under lock */
	bool sync_ready;	/* lock and conditions initialized */
	unsigned nr_threads;
	pthread_t threads[BLOCKFILE_THREADS];
	pthread_mutex_t lock;
	pthread_cond_t work;	/* submitted requests or stop */
	pthread_cond_t idle;	/* nothing queued and nothing running */
	struct blockfile_req *sq_head, **sq_tail;	/* submitted, not started */
	struct blockfile_req *cq_head, **cq_tail;	/* finished, not reaped */
	unsigned busy;		/* requests an I/O thread is running */
	bool stop;
};

/* Open an image. Returns 0, or -errno with a message in err. */
int must_check blockfile_open(struct blockfile *bf, const char *path, bool readonly, char *err,
			      size_t errlen);
/* Cancel queued requests, wait for running ones, stop the threads and close
 * the file. Safe after a failed or no blockfile_open() on a zeroed struct,
 * and twice. */
void blockfile_close(struct blockfile *bf);

void blockfile_submit(struct blockfile *bf, struct blockfile_req *req);
/* A READ served at once, on the calling thread, from the host's page cache
 * (preadv2 with RWF_NOWAIT, which never waits for the disk or a lock):
 * true when all of it was read (req->ret = 0, nothing to submit). false
 * otherwise: req->offset and req->iov then describe what is left, for
 * blockfile_submit(). Saves the round trip through an I/O thread and the
 * completion eventfd, which dominates small cached reads. */
bool blockfile_read_nowait(struct blockfile *bf, struct blockfile_req *req);
/* A small WRITE (not FUA) done at once on the calling thread: a pwritev
 * into the host's page cache, normally a few microseconds, where the round
 * trip through an I/O thread costs two thread wake-ups. It can block (dirty
 * page throttling, pages under writeback): one that slept and took longer
 * than BLOCKFILE_WRITE_NOW_SLOW_NS turns this off for
 * BLOCKFILE_WRITE_NOW_BACKOFF_NS. true when done (req->ret is the result),
 * false when the request is to be submitted. */
bool blockfile_write_now(struct blockfile *bf, struct blockfile_req *req);
#define BLOCKFILE_WRITE_NOW_SLOW_NS 1000000ull		/* 1 ms */
#define BLOCKFILE_WRITE_NOW_BACKOFF_NS 1000000000ull	/* 1 s */
/* Finished requests in completion order (a list through ->next), or NULL. */
struct blockfile_req *blockfile_reap(struct blockfile *bf);
/* Wait until no request is queued or running; with cancel, requests not yet
 * started finish with -ECANCELED instead of running. Afterwards the I/O
 * threads touch no request memory; the requests wait in blockfile_reap(). */
void blockfile_drain(struct blockfile *bf, bool cancel);
static inline int blockfile_event_fd(const struct blockfile *bf)
{
	return bf->efd;
}

#endif
