/* as.h - the guest-physical address space: RAM regions and MMIO dispatch.
 *
 * One address space per VM. Both engines funnel every guest-physical access
 * that is not a direct RAM hit into as_read()/as_write(): the interpreter from
 * its slow path, KVM from its MMIO exits.
 *
 * Device contract (QEMU's MemoryRegionOps valid/impl split):
 *   read(opaque, offset, size) / write(opaque, offset, value, size) with the
 *   offset relative to the region base, size in bytes (1, 2, 4 or 8) and the
 *   value in the low `size` bytes. Each device has one static const ops
 *   table. `valid_*` are the access sizes the bus accepts for the device;
 *   others are logged (rate-limited) and read as zero / ignored. `impl_*` are
 *   the sizes the callbacks implement; the address space splits wider
 *   accesses into several and widens narrower ones (read-modify-write is NOT
 *   done: a narrow write is passed as a wider write of the containing
 *   naturally-aligned unit only when impl_min > size; devices that need
 *   byte writes declare impl_min = 1).
 *   Callbacks never fail: a device returns 0 for registers it does not have.
 *
 * MMIO regions take priority over RAM where they overlap (e.g. the HTIF
 * tohost window inside a bare-metal program's RAM); RAM pages overlapped by
 * MMIO are never handed out as host pointers.
 */
#ifndef MACHINA_AS_H
#define MACHINA_AS_H

#include "core/log.h"
#include "core/types.h"

struct mmio_ops {
	uint64_t (*read)(void *opaque, uint64_t offset, unsigned size);
	void (*write)(void *opaque, uint64_t offset, uint64_t value, unsigned size);
	uint8_t valid_min, valid_max;	/* accepted access sizes in bytes */
	uint8_t impl_min, impl_max;	/* sizes the callbacks implement */
};

enum as_region_kind { AS_RAM, AS_MMIO };

struct as_region {
	enum as_region_kind kind;
	gpa_t base;
	uint64_t size;
	const char *name;
	uint8_t *host;			/* AS_RAM: backing memory */
	const struct mmio_ops *ops;	/* AS_MMIO */
	void *opaque;
};

/* a VM has a handful of regions; the fixed bound keeps dispatch a short scan */
#define AS_MAX_REGIONS 32

struct address_space {
	struct vm *vm;			/* for diagnostics */
	int nr_regions;
	struct as_region regions[AS_MAX_REGIONS];
	struct ratelimit bad_access_rl;
};

void as_init(struct address_space *as, struct vm *vm);
int must_check as_add_ram(struct address_space *as, gpa_t base, uint64_t size, uint8_t *host,
			  const char *name);
int must_check as_add_mmio(struct address_space *as, gpa_t base, uint64_t size,
			   const struct mmio_ops *ops, void *opaque, const char *name);

/* The region containing gpa (MMIO before RAM), or NULL. */
const struct as_region *as_find(const struct address_space *as, gpa_t gpa);

/* Access of `size` (1, 2, 4, 8) bytes at gpa. Returns 0, or -EFAULT when no
 * region contains the whole access (the CPU turns that into an access fault).
 * Accesses to a device with a size it does not accept are logged and read as
 * zero / dropped, but return 0: the bus answered. */
int must_check as_read(struct address_space *as, gpa_t gpa, unsigned size, uint64_t *val);
int must_check as_write(struct address_space *as, gpa_t gpa, unsigned size, uint64_t val);

/* The one checked guest-physical-to-host helper: a host pointer to
 * [gpa, gpa + len) when that range lies entirely inside one RAM region and no
 * MMIO region overlaps it, else NULL. Overflowing ranges return NULL.
 * Devices reach guest memory only through this. */
uint8_t *as_ram_ptr(const struct address_space *as, gpa_t gpa, uint64_t len);

/* The RAM region holding gpa (ignoring MMIO overlap), or NULL. */
const struct as_region *as_ram_region(const struct address_space *as, gpa_t gpa);

/* Copy to/from guest RAM through as_ram_ptr; -EFAULT if not all RAM. */
int must_check as_copy_to(struct address_space *as, gpa_t gpa, const void *src, uint64_t len);
int must_check as_copy_from(struct address_space *as, void *dst, gpa_t gpa, uint64_t len);

#endif
