/* blockfile.c - raw disk images and their I/O threads. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/falloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "host/blockfile.h"

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- the operations, run on an I/O thread ---- */

/* One request's data in as few system calls as the kernel allows: the whole
 * iovec array per call (IOV_MAX at a time), resuming after short transfers. */
static int do_rw(struct blockfile *bf, struct blockfile_req *r)
{
	struct iovec *iov = r->iov;
	unsigned n = r->iovcnt;
	off_t off = (off_t)r->offset;

	while (n) {
		int cnt = n > IOV_MAX ? IOV_MAX : (int)n;
		ssize_t k = r->op == BLOCKFILE_READ ? preadv(bf->fd, iov, cnt, off) :
						      pwritev(bf->fd, iov, cnt, off);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		/* no progress: the image shrank under us (someone else truncated it) */
		if (k == 0)
			return -EIO;
		off += k;
		while (n && (size_t)k >= iov->iov_len) {
			k -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n && k) {
			iov->iov_base = (uint8_t *)iov->iov_base + k;
			iov->iov_len -= (size_t)k;
		}
	}
	return 0;
}

static int do_sync(struct blockfile *bf)
{
	/* After a failed fdatasync the kernel may have dropped the dirty pages
	 * and the next fdatasync can succeed although data was lost: keep
	 * failing so the guest never believes a lost write is stable. */
	if (__atomic_load_n(&bf->flush_failed, __ATOMIC_ACQUIRE))
		return -EIO;
	while (fdatasync(bf->fd) < 0) {
		int e = errno;

		if (e == EINTR)
			continue;
		__atomic_store_n(&bf->flush_failed, true, __ATOMIC_RELEASE);
		return -e;
	}
	return 0;
}

/* Zeroes written out: only when ZERO_RANGE fails at run time although the
 * probe said it works (a file system with per-file restrictions). */
static int write_zeroes_slow(struct blockfile *bf, uint64_t off, uint64_t len)
{
	static const uint8_t zeros[4096];
	struct iovec iov[64];
	struct blockfile_req r = { .op = BLOCKFILE_WRITE };

	while (len) {
		uint64_t chunk = len < sizeof(zeros) * ARRAY_SIZE(iov) ? len :
			sizeof(zeros) * ARRAY_SIZE(iov);
		unsigned n = 0;
		int ret;

		for (uint64_t left = chunk; left; n++) {
			size_t k = left < sizeof(zeros) ? (size_t)left : sizeof(zeros);

			iov[n] = (struct iovec){ (void *)zeros, k };
			left -= k;
		}
		r.offset = off;
		r.iov = iov;
		r.iovcnt = n;
		ret = do_rw(bf, &r);
		if (ret)
			return ret;
		off += chunk;
		len -= chunk;
	}
	return 0;
}

static int do_ranges(struct blockfile *bf, struct blockfile_req *r)
{
	for (unsigned i = 0; i < r->nr_ranges; i++) {
		const struct blockfile_range *g = &r->ranges[i];
		bool punch = r->op == BLOCKFILE_DISCARD || (g->unmap && bf->can_punch);
		int mode = FALLOC_FL_KEEP_SIZE | (punch ? FALLOC_FL_PUNCH_HOLE : FALLOC_FL_ZERO_RANGE);

		if (!g->len)
			continue;
		while (fallocate(bf->fd, mode, (off_t)g->offset, (off_t)g->len) < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			if (r->op == BLOCKFILE_WRITE_ZEROES && (e == EOPNOTSUPP || e == ENOSYS)) {
				int ret = write_zeroes_slow(bf, g->offset, g->len);

				if (ret)
					return ret;
				break;
			}
			return -e;
		}
	}
	return 0;
}

static int execute(struct blockfile *bf, struct blockfile_req *r)
{
	int ret = -EINVAL;

	switch (r->op) {
	case BLOCKFILE_READ:
		return do_rw(bf, r);
	case BLOCKFILE_WRITE:
		ret = do_rw(bf, r);
		break;
	case BLOCKFILE_FLUSH:
		return do_sync(bf);
	case BLOCKFILE_DISCARD:
	case BLOCKFILE_WRITE_ZEROES:
		ret = do_ranges(bf, r);
		break;
	}
	if (!ret && r->fua)
		ret = do_sync(bf);
	return ret;
}

static void *io_thread(void *opaque)
{
	struct blockfile *bf = opaque;
	const uint64_t one = 1;

	pthread_mutex_lock(&bf->lock);
	for (;;) {
		struct blockfile_req *r;

		while (!bf->sq_head && !bf->stop)
			pthread_cond_wait(&bf->work, &bf->lock);
		if (bf->stop)
			break;
		r = bf->sq_head;
		bf->sq_head = r->next;
		if (!bf->sq_head)
			bf->sq_tail = &bf->sq_head;
		bf->busy++;
		pthread_mutex_unlock(&bf->lock);

		r->ret = execute(bf, r);

		pthread_mutex_lock(&bf->lock);
		bf->busy--;
		r->next = NULL;
		*bf->cq_tail = r;
		bf->cq_tail = &r->next;
		if (!bf->busy && !bf->sq_head)
			pthread_cond_broadcast(&bf->idle);
		pthread_mutex_unlock(&bf->lock);
		/* cannot fail: the counter would need 2^64 - 1 completions unread */
		if (write(bf->efd, &one, sizeof(one)) < 0) {
			/* nothing to do: the owner also reaps on drain */
		}
		pthread_mutex_lock(&bf->lock);
	}
	pthread_mutex_unlock(&bf->lock);
	return NULL;
}

/* ---- the owner side ---- */

bool blockfile_read_nowait(struct blockfile *bf, struct blockfile_req *r)
{
	if (r->op != BLOCKFILE_READ || bf->no_nowait)
		return false;
	while (r->iovcnt) {
		int cnt = r->iovcnt > IOV_MAX ? IOV_MAX : (int)r->iovcnt;
		ssize_t k = preadv2(bf->fd, r->iov, cnt, (off_t)r->offset, RWF_NOWAIT);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			/* EAGAIN: not all in the page cache (or a lock is
			 * busy); anything else, including a kernel or file
			 * without RWF_NOWAIT, is left to the I/O threads,
			 * which report real errors */
			if (errno == EOPNOTSUPP || errno == ENOSYS || errno == EINVAL)
				bf->no_nowait = true;
			return false;
		}
		if (k == 0)
			return false;	/* past the end: the I/O thread fails it */
		r->offset += (uint64_t)k;
		while (r->iovcnt && (size_t)k >= r->iov->iov_len) {
			k -= (ssize_t)r->iov->iov_len;
			r->iov++;
			r->iovcnt--;
		}
		if (r->iovcnt && k) {
			r->iov->iov_base = (uint8_t *)r->iov->iov_base + k;
			r->iov->iov_len -= (size_t)k;
		}
	}
	r->ret = 0;
	return true;
}

/* voluntary context switches of the calling thread: it went to sleep */
static long sleeps(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) ? 0 : ru.ru_nvcsw;
}

bool blockfile_write_now(struct blockfile *bf, struct blockfile_req *r)
{
	uint64_t t0, t;
	long s0;

	if (r->op != BLOCKFILE_WRITE || r->fua)
		return false;
	t0 = host_clock_ns();
	if (t0 < bf->write_now_after)
		return false;
	s0 = sleeps();
	r->ret = do_rw(bf, r);
	t = host_clock_ns();
	/* it slept, long (dirty-page throttling, pages under writeback, the
	 * journal): the host's storage is busy, let the I/O threads wait for
	 * it for a while. Time lost to preemption (a busy host CPU) does not
	 * count: an I/O thread would not have done better. */
	if (t - t0 > BLOCKFILE_WRITE_NOW_SLOW_NS && sleeps() != s0)
		bf->write_now_after = t + BLOCKFILE_WRITE_NOW_BACKOFF_NS;
	return true;
}

void blockfile_submit(struct blockfile *bf, struct blockfile_req *req)
{
	req->next = NULL;
	req->ret = 0;
	pthread_mutex_lock(&bf->lock);
	*bf->sq_tail = req;
	bf->sq_tail = &req->next;
	pthread_cond_signal(&bf->work);
	pthread_mutex_unlock(&bf->lock);
}

struct blockfile_req *blockfile_reap(struct blockfile *bf)
{
	struct blockfile_req *list;
	uint64_t count;

	/* clear the event first: a completion arriving after it sets it again */
	if (read(bf->efd, &count, sizeof(count)) < 0) {
		/* EAGAIN: nothing was signalled (or a drain already took it all) */
	}
	pthread_mutex_lock(&bf->lock);
	list = bf->cq_head;
	bf->cq_head = NULL;
	bf->cq_tail = &bf->cq_head;
	pthread_mutex_unlock(&bf->lock);
	return list;
}

void blockfile_drain(struct blockfile *bf, bool cancel)
{
	if (!bf->sync_ready)
		return;
	pthread_mutex_lock(&bf->lock);
	if (cancel) {
		while (bf->sq_head) {
			struct blockfile_req *r = bf->sq_head;

			bf->sq_head = r->next;
			r->ret = -ECANCELED;
			r->next = NULL;
			*bf->cq_tail = r;
			bf->cq_tail = &r->next;
		}
		bf->sq_tail = &bf->sq_head;
	}
	while (bf->busy || bf->sq_head)
		pthread_cond_wait(&bf->idle, &bf->lock);
	pthread_mutex_unlock(&bf->lock);
}

/* Does fallocate(mode) work on this file? Tried past the end with KEEP_SIZE,
 * where it cannot change the image's data or size. */
static bool probe_fallocate(int fd, int mode, uint64_t size)
{
	int r;

	do
		r = fallocate(fd, mode | FALLOC_FL_KEEP_SIZE, (off_t)size, BLOCKFILE_SECTOR);
	while (r < 0 && errno == EINTR);
	return r == 0;
}

static void probe_features(struct blockfile *bf)
{
	struct stat before, after;

	/* a block device cannot be probed without changing its data (it has
	 * no "past the end"): discard and write-zeroes stay off there */
	if (bf->readonly || bf->is_blockdev || fstat(bf->fd, &before) < 0)
		return;
	bf->can_punch = probe_fallocate(bf->fd, FALLOC_FL_PUNCH_HOLE, bf->size);
	bf->can_zero = probe_fallocate(bf->fd, FALLOC_FL_ZERO_RANGE, bf->size);
	/* ZERO_RANGE with KEEP_SIZE may preallocate a block past the end:
	 * give it back (truncating to the same size frees blocks past EOF) */
	if (fstat(bf->fd, &after) == 0 && after.st_blocks > before.st_blocks &&
	    ftruncate(bf->fd, (off_t)bf->size) < 0) {
		/* harmless: one block stays allocated past the end */
	}
}

static int start_threads(struct blockfile *bf, char *err, size_t errlen)
{
	sigset_t all, old;
	int ret = 0;

	if (pthread_mutex_init(&bf->lock, NULL))
		goto fail_sync;
	if (pthread_cond_init(&bf->work, NULL)) {
		pthread_mutex_destroy(&bf->lock);
		goto fail_sync;
	}
	if (pthread_cond_init(&bf->idle, NULL)) {
		pthread_cond_destroy(&bf->work);
		pthread_mutex_destroy(&bf->lock);
		goto fail_sync;
	}
	bf->sync_ready = true;
	bf->sq_tail = &bf->sq_head;
	bf->cq_tail = &bf->cq_head;

	/* signals (SIGINT, SIGTERM, ...) stay with the VM's threads */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (unsigned i = 0; i < BLOCKFILE_THREADS; i++) {
		ret = -pthread_create(&bf->threads[i], NULL, io_thread, bf);
		if (ret)
			break;
		bf->nr_threads++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		set_err(err, errlen, "cannot start a disk I/O thread: %s", strerror(-ret));
	return ret;

fail_sync:
	set_err(err, errlen, "cannot create disk I/O thread state");
	return -ENOMEM;
}

int blockfile_open(struct blockfile *bf, const char *path, bool readonly, char *err,
		   size_t errlen)
{
	struct flock fl = { .l_whence = SEEK_SET };	/* the whole file */
	struct stat st;
	off_t end;
	int ret;

	memset(bf, 0, sizeof(*bf));
	bf->opened = true;
	bf->fd = bf->efd = -1;
	bf->readonly = readonly;

	if (!path || !*path) {
		set_err(err, errlen, "no disk image file given");
		ret = -EINVAL;
		goto fail;
	}
	/* the type first: opening a FIFO would block, a directory fail oddly */
	if (stat(path, &st) < 0) {
		ret = -errno;
		set_err(err, errlen, "cannot open disk image '%s': %s", path, strerror(-ret));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		set_err(err, errlen, "disk image '%s' is not a regular file or block device", path);
		ret = -EINVAL;
		goto fail;
	}
	bf->fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (bf->fd < 0) {
		ret = -errno;
		if (!readonly && (ret == -EACCES || ret == -EPERM || ret == -EROFS || ret == -ETXTBSY))
			set_err(err, errlen,
				"cannot open disk image '%s' read-write: %s (add ,readonly to use it read-only)",
				path, strerror(-ret));
		else
			set_err(err, errlen, "cannot open disk image '%s': %s", path, strerror(-ret));
		goto fail;
	}
	/* again on what was opened: the path may have changed in between */
	if (fstat(bf->fd, &st) < 0 || (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
		set_err(err, errlen, "disk image '%s' is not a regular file or block device", path);
		ret = -EINVAL;
		goto fail;
	}
	bf->is_blockdev = S_ISBLK(st.st_mode);
	/* works for block devices too, where st_size is 0 */
	end = lseek(bf->fd, 0, SEEK_END);
	if (end < 0) {
		ret = -errno;
		set_err(err, errlen, "cannot get the size of disk image '%s': %s", path, strerror(-ret));
		goto fail;
	}
	if (end % BLOCKFILE_SECTOR) {
		set_err(err, errlen, "disk image '%s': image size %lld is not a multiple of %d bytes",
			path, (long long)end, BLOCKFILE_SECTOR);
		ret = -EINVAL;
		goto fail;
	}
	bf->size = (uint64_t)end;
	/* allocation unit, for the discard alignment hint: a sane power of two */
	bf->block_size = BLOCKFILE_SECTOR;
	if (st.st_blksize >= BLOCKFILE_SECTOR && st.st_blksize <= (1 << 20) &&
	    !(st.st_blksize & (st.st_blksize - 1)))
		bf->block_size = (uint32_t)st.st_blksize;

	/* one writer or any number of readers per image, as QEMU does: two VMs
	 * writing one image corrupt it */
	fl.l_type = readonly ? F_RDLCK : F_WRLCK;
	if (fcntl(bf->fd, F_OFD_SETLK, &fl) < 0) {
		if (errno == EAGAIN || errno == EACCES) {
			set_err(err, errlen, "disk image '%s' is in use by another VM or process%s", path,
				readonly ? "" : " (several VMs may share an image only with ,readonly)");
			ret = -EBUSY;
			goto fail;
		}
		/* file systems without locking (ENOLCK, EINVAL): go on unlocked */
	}

	probe_features(bf);

	bf->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (bf->efd < 0) {
		ret = -errno;
		set_err(err, errlen, "cannot create an eventfd for disk image '%s': %s", path,
			strerror(-ret));
		goto fail;
	}
	ret = start_threads(bf, err, errlen);
	if (ret)
		goto fail;
	return 0;

fail:
	blockfile_close(bf);
	return ret;
}

void blockfile_close(struct blockfile *bf)
{
	if (!bf->opened)
		return;
	if (bf->sync_ready) {
		blockfile_drain(bf, true);
		pthread_mutex_lock(&bf->lock);
		bf->stop = true;
		pthread_cond_broadcast(&bf->work);
		pthread_mutex_unlock(&bf->lock);
		for (unsigned i = 0; i < bf->nr_threads; i++)
			pthread_join(bf->threads[i], NULL);
		bf->nr_threads = 0;
		pthread_cond_destroy(&bf->idle);
		pthread_cond_destroy(&bf->work);
		pthread_mutex_destroy(&bf->lock);
		bf->sync_ready = false;
	}
	if (bf->efd >= 0)
		close(bf->efd);
	if (bf->fd >= 0)
		close(bf->fd);	/* drops the OFD lock */
	bf->efd = bf->fd = -1;
	bf->opened = false;
}
