/* as.c - guest-physical address space: region table and MMIO dispatch. */
#include <errno.h>
#include <string.h>

#include "core/as.h"
#include "core/vm.h"

void as_init(struct address_space *as, struct vm *vm)
{
	memset(as, 0, sizeof(*as));
	as->vm = vm;
}

static bool range_ok(gpa_t base, uint64_t size)
{
	return size != 0 && base + size - 1 >= base;
}

static int as_add(struct address_space *as, const struct as_region *r)
{
	if (!range_ok(r->base, r->size))
		return -EINVAL;
	if (as->nr_regions >= AS_MAX_REGIONS)
		return -ENOSPC;
	/* regions of the same kind must not overlap; MMIO may overlay RAM */
	for (int i = 0; i < as->nr_regions; i++) {
		const struct as_region *o = &as->regions[i];

		if (o->kind == r->kind && r->base <= o->base + o->size - 1 &&
		    o->base <= r->base + r->size - 1)
			return -EEXIST;
	}
	as->regions[as->nr_regions++] = *r;
	return 0;
}

int as_add_ram(struct address_space *as, gpa_t base, uint64_t size, uint8_t *host,
	       const char *name)
{
	struct as_region r = { .kind = AS_RAM, .base = base, .size = size, .host = host, .name = name };

	return as_add(as, &r);
}

static bool access_size_ok(unsigned size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

int as_add_mmio(struct address_space *as, gpa_t base, uint64_t size, const struct mmio_ops *ops,
		void *opaque, const char *name)
{
	struct as_region r = { .kind = AS_MMIO, .base = base, .size = size, .ops = ops,
			       .opaque = opaque, .name = name };

	if (!ops || !ops->read || !ops->write || !access_size_ok(ops->impl_min) ||
	    !access_size_ok(ops->impl_max) || ops->impl_min > ops->impl_max ||
	    !access_size_ok(ops->valid_min) || !access_size_ok(ops->valid_max) ||
	    ops->valid_min > ops->valid_max)
		return -EINVAL;
	return as_add(as, &r);
}

static bool contains(const struct as_region *r, gpa_t gpa, uint64_t len)
{
	return gpa >= r->base && gpa - r->base < r->size && len <= r->size - (gpa - r->base);
}

static bool overlaps(const struct as_region *r, gpa_t gpa, uint64_t len)
{
	return gpa <= r->base + r->size - 1 && r->base <= gpa + len - 1;
}

const struct as_region *as_find(const struct address_space *as, gpa_t gpa)
{
	const struct as_region *ram = NULL;

	for (int i = 0; i < as->nr_regions; i++) {
		const struct as_region *r = &as->regions[i];

		if (!contains(r, gpa, 1))
			continue;
		if (r->kind == AS_MMIO)
			return r;
		ram = r;
	}
	return ram;
}

const struct as_region *as_ram_region(const struct address_space *as, gpa_t gpa)
{
	for (int i = 0; i < as->nr_regions; i++) {
		const struct as_region *r = &as->regions[i];

		if (r->kind == AS_RAM && contains(r, gpa, 1))
			return r;
	}
	return NULL;
}

uint8_t *as_ram_ptr(const struct address_space *as, gpa_t gpa, uint64_t len)
{
	const struct as_region *ram = NULL;

	if (!range_ok(gpa, len))
		return NULL;
	for (int i = 0; i < as->nr_regions; i++) {
		const struct as_region *r = &as->regions[i];

		if (r->kind == AS_MMIO && overlaps(r, gpa, len))
			return NULL;
		if (r->kind == AS_RAM && contains(r, gpa, len))
			ram = r;
	}
	return ram ? ram->host + (gpa - ram->base) : NULL;
}

int as_copy_to(struct address_space *as, gpa_t gpa, const void *src, uint64_t len)
{
	uint8_t *p;

	if (len == 0)
		return 0;
	p = as_ram_ptr(as, gpa, len);
	if (!p)
		return -EFAULT;
	memcpy(p, src, len);
	return 0;
}

int as_copy_from(struct address_space *as, void *dst, gpa_t gpa, uint64_t len)
{
	const uint8_t *p;

	if (len == 0)
		return 0;
	p = as_ram_ptr(as, gpa, len);
	if (!p)
		return -EFAULT;
	memcpy(dst, p, len);
	return 0;
}

static uint64_t ram_load(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;

	memcpy(&v, p, size);	/* little-endian host */
	return v;
}

static void bad_access(struct address_space *as, const struct as_region *r, gpa_t gpa,
		       unsigned size, const char *what)
{
	vm_log_ratelimited(as->vm, &as->bad_access_rl, LOG_WARN,
			   "%s: %u-byte %s at 0x%llx not supported by the device", r->name, size,
			   what, (unsigned long long)gpa);
}

/* Split or widen an access into the sizes the device implements. */
static uint64_t mmio_read(struct address_space *as, const struct as_region *r, gpa_t gpa,
			  unsigned size)
{
	const struct mmio_ops *ops = r->ops;
	uint64_t off = gpa - r->base;

	if (size < ops->valid_min || size > ops->valid_max || (off & (size - 1))) {
		bad_access(as, r, gpa, size, "read");
		return 0;
	}
	if (size >= ops->impl_min && size <= ops->impl_max)
		return ops->read(r->opaque, off, size);
	if (size < ops->impl_min) {
		unsigned w = ops->impl_min;
		uint64_t aligned = off & ~(uint64_t)(w - 1);
		uint64_t v = ops->read(r->opaque, aligned, w);

		return (v >> ((off - aligned) * 8)) & (size == 8 ? ~0ull : (1ull << (size * 8)) - 1);
	}
	/* wider than implemented: little-endian pieces of impl_max bytes */
	uint64_t v = 0;

	for (unsigned done = 0; done < size; done += ops->impl_max)
		v |= ops->read(r->opaque, off + done, ops->impl_max) << (done * 8);
	return v;
}

static void mmio_write(struct address_space *as, const struct as_region *r, gpa_t gpa,
		       unsigned size, uint64_t val)
{
	const struct mmio_ops *ops = r->ops;
	uint64_t off = gpa - r->base;

	if (size < ops->valid_min || size > ops->valid_max || (off & (size - 1))) {
		bad_access(as, r, gpa, size, "write");
		return;
	}
	if (size < 8)
		val &= (1ull << (size * 8)) - 1;
	if (size >= ops->impl_min && size <= ops->impl_max) {
		ops->write(r->opaque, off, val, size);
		return;
	}
	if (size < ops->impl_min) {
		unsigned w = ops->impl_min;
		uint64_t aligned = off & ~(uint64_t)(w - 1);

		ops->write(r->opaque, aligned, val << ((off - aligned) * 8), w);
		return;
	}
	for (unsigned done = 0; done < size; done += ops->impl_max)
		ops->write(r->opaque, off + done,
			   (val >> (done * 8)) & ((ops->impl_max == 8) ? ~0ull :
						  (1ull << (ops->impl_max * 8)) - 1),
			   ops->impl_max);
}

int as_read(struct address_space *as, gpa_t gpa, unsigned size, uint64_t *val)
{
	const struct as_region *r = as_find(as, gpa);

	if (!r || !contains(r, gpa, size))
		return -EFAULT;
	if (r->kind == AS_RAM) {
		/* an MMIO window may start inside this access */
		if (!as_ram_ptr(as, gpa, size)) {
			uint64_t v = 0, b;

			for (unsigned i = 0; i < size; i++) {
				if (as_read(as, gpa + i, 1, &b))
					return -EFAULT;
				v |= b << (i * 8);
			}
			*val = v;
			return 0;
		}
		*val = ram_load(r->host + (gpa - r->base), size);
		return 0;
	}
	*val = mmio_read(as, r, gpa, size);
	return 0;
}

int as_write(struct address_space *as, gpa_t gpa, unsigned size, uint64_t val)
{
	const struct as_region *r = as_find(as, gpa);

	if (!r || !contains(r, gpa, size))
		return -EFAULT;
	if (r->kind == AS_RAM) {
		uint8_t *p = as_ram_ptr(as, gpa, size);

		if (!p) {
			for (unsigned i = 0; i < size; i++)
				if (as_write(as, gpa + i, 1, val >> (i * 8)))
					return -EFAULT;
			return 0;
		}
		memcpy(p, &val, size);
		return 0;
	}
	mmio_write(as, r, gpa, size, val);
	return 0;
}
