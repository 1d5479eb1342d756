/* blk: a virtio-blk driver at CPL3 over virtio-mmio version 2.
 *
 * The host fills the disk with a pattern (host.py mkimage: byte i of sector
 * s is (s * 131 + i * 7 + (s >> 8)) & 0xff) and checks the image after the
 * run. The guest
 *   blk.probe     finds device id 2 on the command line, negotiates
 *                 VERSION_1 (+ FLUSH, RO when offered), reads the capacity
 *   blk.read-poll reads sectors 0-7 in one request, completion by polling
 *                 the used ring with the IOAPIC pin masked
 *   blk.read-irq  reads sectors 8-15 into two buffers (split inside a
 *                 sector), completion by the device interrupt: IOAPIC entry
 *                 for the GSI of the command line, handler reads
 *                 InterruptStatus, writes InterruptACK, EOIs
 *   blk.write     writes `blk_count` (2) sectors at `blk_write` (100) with
 *                 byte i of sector s = (s * 17 + i * 3 + blk_seed) & 0xff
 *   blk.flush     VIRTIO_BLK_T_FLUSH (the device must offer FLUSH)
 *   blk.readback  reads them back and compares
 *   blk.oob       reads at and across the capacity: both must fail
 *   blk.irq       interrupts were taken and InterruptStatus had bit 0
 *   blk.bench     with blk_bench=N: N more 4 KiB reads (by interrupt, or by
 *                 polling with blk_bench_poll=1) for the exit-count benchmark
 * With `blk_ro=1` (a read-only disk) the device must offer VIRTIO_BLK_F_RO,
 * the write must fail with VIRTIO_BLK_S_IOERR and leave the data alone
 * (blk.ro); flush and readback are not done. Every read checks the pattern
 * and prints a CRC-32 the host recomputes from the image. */
#include "rt/virtio.h"

const char test_name[] = "blk";

#define VIRTIO_BLK_F_RO		5
#define VIRTIO_BLK_F_FLUSH	9
#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4
#define VIRTIO_BLK_S_OK		0
#define VIRTIO_BLK_S_IOERR	1
#define VIRTIO_BLK_S_UNSUPP	2
#define SECTOR			512
#define TIMEOUT_MS		5000

/* a request is a chain: this header (device-readable), the data buffers
 * (device-writable for reads), one status byte (device-writable) */
struct blk_req_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

static struct virtio_dev dev;
static struct virtq vq;
static struct blk_req_hdr *hdr;
static volatile uint8_t *status;
static uint8_t *data;			/* 8 KiB of DMA memory */
static int irq_requests;

static uint8_t disk_pattern(uint64_t s, unsigned i) { return (uint8_t)(s * 131 + i * 7 + (s >> 8)); }
static uint8_t write_pattern(uint64_t s, unsigned i, unsigned seed) { return (uint8_t)(s * 17 + i * 3 + seed); }

/* One request, data split into `nsplit` (1 or 2) buffers. Returns the status
 * byte, or -1 after printing FAIL as `name` (timeout, wrong used element). */
static int blk_request(const char *name, uint32_t type, uint64_t sector, void *buf, uint32_t len,
		       int nsplit, enum wait_mode mode)
{
	struct vbuf b[4];
	int n = 0;
	uint32_t head, used_len, first = nsplit > 1 ? len / 2 - 512 / 3 : len;

	hdr->type = type;
	hdr->reserved = 0;
	hdr->sector = sector;
	*status = 0xff;
	b[n++] = (struct vbuf){ hdr, sizeof(*hdr), 0 };
	if (len) {
		b[n++] = (struct vbuf){ buf, first, type == VIRTIO_BLK_T_IN };
		if (nsplit > 1)
			b[n++] = (struct vbuf){ (char *)buf + first, len - first, type == VIRTIO_BLK_T_IN };
	}
	b[n++] = (struct vbuf){ (void *)status, 1, 1 };
	int h = virtq_add(&vq, b, n);
	if (h < 0) {
		fail(name, "no free descriptors");
		return -1;
	}
	if (mode == WAIT_IRQ)
		irq_requests++;
	virtq_kick(&dev, &vq);
	if (virtq_wait(&dev, &vq, mode, TIMEOUT_MS, &head, &used_len) < 0) {
		fail(name, "no completion within %d ms (%s; used.idx %u, InterruptStatus 0x%x, irqs %lu)",
		     TIMEOUT_MS, mode == WAIT_IRQ ? "waiting for the interrupt" : "polling",
		     vq.used->idx, vio_read(&dev, VIRTIO_MMIO_INTERRUPT_STATUS), (uint64_t)dev.irqs);
		return -1;
	}
	if (head != (uint32_t)h) {
		fail(name, "used element names descriptor %u, the request was %d", head, h);
		return -1;
	}
	/* used.len: bytes written into the device-writable buffers */
	uint32_t want = (type == VIRTIO_BLK_T_IN ? len : 0) + 1;
	if (*status == VIRTIO_BLK_S_OK && used_len != want) {
		fail(name, "used.len %u, expected %u (data written + status byte)", used_len, want);
		return -1;
	}
	if (*status > VIRTIO_BLK_S_UNSUPP) {
		fail(name, "status byte 0x%x not written or invalid", *status);
		return -1;
	}
	return *status;
}

/* read and verify `count` sectors of the host's pattern, print the CRC */
static int check_read(const char *name, uint64_t sector, unsigned count, int nsplit, enum wait_mode mode)
{
	memset(data, 0xee, count * SECTOR);
	int st = blk_request(name, VIRTIO_BLK_T_IN, sector, data, count * SECTOR, nsplit, mode);
	if (st < 0)
		return -1;
	if (st != VIRTIO_BLK_S_OK) {
		fail(name, "status %d reading sectors %lu-%lu", st, sector, sector + count - 1);
		return -1;
	}
	for (unsigned i = 0; i < count * SECTOR; i++)
		if (data[i] != disk_pattern(sector + i / SECTOR, i % SECTOR)) {
			fail(name, "sector %lu byte %u is 0x%02x, the image has 0x%02x", sector + i / SECTOR,
			     i % SECTOR, data[i], disk_pattern(sector + i / SECTOR, i % SECTOR));
			return -1;
		}
	ok(name, "sectors=%lu-%lu crc32=0x%08x buffers=%d", sector, sector + count - 1,
	   crc32(0, data, count * SECTOR), nsplit);
	return 0;
}

static int probe(int ro, uint64_t *capacity)
{
	if (virtio_find("blk.probe", 2, &dev) < 0 ||
	    virtio_negotiate("blk.probe", &dev, 1ull << VIRTIO_BLK_F_FLUSH | 1ull << VIRTIO_BLK_F_RO) < 0)
		return -1;
	int dev_ro = !!(dev.features & (1ull << VIRTIO_BLK_F_RO));
	if (dev_ro != ro) {
		fail("blk.probe", "the device %s VIRTIO_BLK_F_RO, the disk is %s", dev_ro ? "offers" : "does not offer",
		     ro ? "read-only" : "writable");
		return -1;
	}
	/* capacity: le64 in 512-byte sectors at config offset 0, read as two
	 * dwords inside a stable configuration generation */
	uint32_t gen, lo, hi;
	do {
		gen = vio_read(&dev, VIRTIO_MMIO_CONFIG_GENERATION);
		lo = vio_read(&dev, VIRTIO_MMIO_CONFIG + 0);
		hi = vio_read(&dev, VIRTIO_MMIO_CONFIG + 4);
	} while (gen != vio_read(&dev, VIRTIO_MMIO_CONFIG_GENERATION));
	*capacity = (uint64_t)hi << 32 | lo;
	if (virtio_queue_init("blk.probe", &dev, &vq, 0, 16) < 0 ||
	    virtio_irq_setup("blk.probe", &dev, 1) < 0)
		return -1;
	virtio_driver_ok(&dev);
	if (vio_read(&dev, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET) {
		fail("blk.probe", "device needs reset after DRIVER_OK");
		return -1;
	}
	ok("blk.probe", "base=0x%lx gsi=%u capacity=%lu features=0x%lx queue_size=%u", (uint64_t)dev.base,
	   dev.gsi, *capacity, dev.features, vq.size);
	return 0;
}

void test_main(void)
{
	uint64_t wsec = param_u64("blk_write", 100), wcount = param_u64("blk_count", 2);
	unsigned seed = (unsigned)param_u64("blk_seed", 0xa5);
	int ro = param_u64("blk_ro", 0) != 0;
	uint64_t capacity;

	lapic_init();
	hdr = dma_alloc(sizeof(*hdr), 16);
	status = dma_alloc(1, 1);
	data = dma_alloc(8192, 4096);
	if (probe(ro, &capacity) < 0)
		return;
	if (capacity < 16 || wcount < 1 || wcount > 16 || wsec + wcount > capacity) {
		fail("blk.probe", "capacity %lu too small for the test (write at %lu, %lu sectors)", capacity, wsec,
		     wcount);
		return;
	}

	/* 1. polling, the interrupt masked in the IOAPIC */
	if (check_read("blk.read-poll", 0, 8, 1, WAIT_POLL) < 0)
		return;

	/* 2. interrupts: acknowledge what polling left pending, unmask, sti */
	uint32_t isr = vio_read(&dev, VIRTIO_MMIO_INTERRUPT_STATUS);
	if (isr)
		vio_write(&dev, VIRTIO_MMIO_INTERRUPT_ACK, isr);
	virtio_irq_mask(&dev, 0);
	irq_enable();
	if (check_read("blk.read-irq", 8, 8, 2, WAIT_IRQ) < 0)
		return;

	/* 2b. for bench/kvm_bench.py: `blk_bench` more 4 KiB reads, completed by
	 * interrupt (or by polling with blk_bench_poll=1), so the host can count
	 * the exits to user space one virtio request costs */
	uint64_t nbench = param_u64("blk_bench", 0);
	enum wait_mode bmode = param_u64("blk_bench_poll", 0) ? WAIT_POLL : WAIT_IRQ;

	for (uint64_t i = 0; i < nbench; i++)
		if (blk_request("blk.bench", VIRTIO_BLK_T_IN, 8 * (i % 2), data, 4096, 1, bmode) != 0)
			return;
	if (nbench)
		ok("blk.bench", "requests=%lu mode=%s", nbench, bmode == WAIT_POLL ? "poll" : "irq");

	/* 3. write (rejected on a read-only disk) */
	for (unsigned i = 0; i < wcount * SECTOR; i++)
		data[i] = write_pattern(wsec + i / SECTOR, i % SECTOR, seed);
	int st = blk_request("blk.write", VIRTIO_BLK_T_OUT, wsec, data, wcount * SECTOR, 1, WAIT_IRQ);
	if (st < 0)
		return;
	if (ro) {
		if (st != VIRTIO_BLK_S_IOERR) {
			fail("blk.ro", "write to a read-only disk: status %d, expected %d (IOERR)", st,
			     VIRTIO_BLK_S_IOERR);
			return;
		}
		if (check_read("blk.ro-readback", wsec, wcount, 1, WAIT_IRQ) < 0)
			return;
		ok("blk.ro", "write rejected with status=%d, data unchanged", st);
	} else {
		if (st != VIRTIO_BLK_S_OK) {
			fail("blk.write", "status %d writing sectors %lu-%lu", st, wsec, wsec + wcount - 1);
			return;
		}
		ok("blk.write", "sectors=%lu-%lu seed=0x%x crc32=0x%08x", wsec, wsec + wcount - 1, seed,
		   crc32(0, data, wcount * SECTOR));

		/* 4. flush, by polling this time */
		if (!(dev.negotiated & (1ull << VIRTIO_BLK_F_FLUSH))) {
			fail("blk.flush", "the device does not offer VIRTIO_BLK_F_FLUSH (features 0x%lx)",
			     dev.features);
		} else {
			st = blk_request("blk.flush", VIRTIO_BLK_T_FLUSH, 0, 0, 0, 1, WAIT_POLL);
			if (st == VIRTIO_BLK_S_OK)
				ok("blk.flush", "status=0");
			else if (st > 0)
				fail("blk.flush", "status %d", st);
		}

		/* 5. read back what was written */
		memset(data, 0, wcount * SECTOR);
		st = blk_request("blk.readback", VIRTIO_BLK_T_IN, wsec, data, wcount * SECTOR, 1, WAIT_IRQ);
		if (st < 0)
			return;
		unsigned bad = 0;
		for (unsigned i = 0; i < wcount * SECTOR; i++)
			bad += data[i] != write_pattern(wsec + i / SECTOR, i % SECTOR, seed);
		if (st != VIRTIO_BLK_S_OK || bad)
			fail("blk.readback", "status %d, %u bytes differ from what was written", st, bad);
		else
			ok("blk.readback", "sectors=%lu-%lu match", wsec, wsec + wcount - 1);
	}

	/* 6. out of bounds: at the capacity, and straddling it */
	int st1 = blk_request("blk.oob", VIRTIO_BLK_T_IN, capacity, data, SECTOR, 1, WAIT_POLL);
	int st2 = blk_request("blk.oob", VIRTIO_BLK_T_IN, capacity - 1, data, 2 * SECTOR, 1, WAIT_POLL);
	if (st1 == 0 || st2 == 0)
		fail("blk.oob", "reads beyond the capacity succeeded (status %d at %lu, %d at %lu)", st1, capacity,
		     st2, capacity - 1);
	else if (st1 > 0 && st2 > 0)
		ok("blk.oob", "status=%d,%d", st1, st2);

	irq_disable();
	if (dev.irqs < (uint64_t)irq_requests || !(dev.isr_seen & 1))
		fail("blk.irq", "%lu interrupts for %d interrupt-driven requests, InterruptStatus bits seen 0x%x",
		     (uint64_t)dev.irqs, irq_requests, dev.isr_seen);
	else
		ok("blk.irq", "irqs=%lu requests=%d isr=0x%x", (uint64_t)dev.irqs, irq_requests, dev.isr_seen);
	virtio_irq_mask(&dev, 1);
	virtio_reset(&dev);
}
