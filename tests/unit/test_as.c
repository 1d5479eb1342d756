/* test_as.c - unit tests for the guest-physical address space
 * (src/core/as.c): RAM access, as_ram_ptr bounds, MMIO dispatch with the
 * valid/impl size rules, region table errors and as_copy_to/from.
 *
 * The fake device below is 64 bytes of little-endian registers that also
 * records every callback (offset, size, value), so the tests can see exactly
 * how the address space split, widened or dropped an access.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/as.h"
#include "core/vm.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1ull << 20)

/* ---- fake device ---- */

struct call {
	char kind;	/* 'r' or 'w' */
	uint64_t off;
	unsigned size;
	uint64_t val;	/* value written, or returned */
};

struct fake_dev {
	uint8_t regs[64];
	int n;
	struct call calls[32];
};

static uint64_t fake_read(void *opaque, uint64_t off, unsigned size)
{
	struct fake_dev *d = opaque;
	uint64_t v = 0;

	assert_true(size == 1 || size == 2 || size == 4 || size == 8);
	assert_true(off + size <= sizeof(d->regs));
	memcpy(&v, d->regs + off, size);
	assert_true(d->n < (int)ARRAY_SIZE(d->calls));
	d->calls[d->n++] = (struct call){ 'r', off, size, v };
	return v;
}

static void fake_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct fake_dev *d = opaque;

	assert_true(size == 1 || size == 2 || size == 4 || size == 8);
	assert_true(off + size <= sizeof(d->regs));
	/* contract: the value is in the low `size` bytes */
	if (size < 8)
		assert_int_equal(val >> (size * 8), 0);
	memcpy(d->regs + off, &val, size);
	assert_true(d->n < (int)ARRAY_SIZE(d->calls));
	d->calls[d->n++] = (struct call){ 'w', off, size, val };
}

static void fake_init(struct fake_dev *d)
{
	memset(d, 0, sizeof(*d));
	for (unsigned i = 0; i < sizeof(d->regs); i++)
		d->regs[i] = (uint8_t)(0x10 + i);	/* regs[i] = 0x10 + i */
}

static void expect_call(const struct fake_dev *d, int i, char kind, uint64_t off, unsigned size,
			uint64_t val)
{
	assert_true(i < d->n);
	assert_int_equal(d->calls[i].kind, kind);
	assert_int_equal(d->calls[i].off, off);
	assert_int_equal(d->calls[i].size, size);
	assert_int_equal(d->calls[i].val, val);
}

#define OPS(name, vmin, vmax, imin, imax)                                                    \
	static const struct mmio_ops name = { .read = fake_read, .write = fake_write,          \
					      .valid_min = vmin, .valid_max = vmax,            \
					      .impl_min = imin, .impl_max = imax }

OPS(ops_any, 1, 8, 1, 8);	/* takes everything as is */
OPS(ops_impl4, 1, 8, 4, 4);	/* 32-bit registers, bus accepts any size */
OPS(ops_only4, 4, 4, 4, 4);	/* 32-bit accesses only */
OPS(ops_impl12, 1, 8, 1, 2);	/* implements bytes and halves */
OPS(ops_impl8, 1, 8, 8, 8);	/* 64-bit registers only */

struct fixture {
	struct vm vm;
	struct fake_dev dev;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(vm_init(&f->vm, "as-test"), 0);
	f->vm.log_level = LOG_ERROR;	/* bad-access warnings are expected here */
	assert_int_equal(vm_alloc_ram(&f->vm, RAM_BASE, RAM_SIZE), 0);
	fake_init(&f->dev);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vm_destroy(&f->vm);
	free(f);
	return 0;
}

/* ---- RAM ---- */

static void test_ram_rw_sizes(void **state)
{
	struct fixture *f = *state;
	struct address_space *as = &f->vm.as;
	uint64_t v;

	assert_int_equal(as_write(as, RAM_BASE + 0x100, 8, 0x8877665544332211ull), 0);
	/* little-endian in the backing memory */
	assert_int_equal(f->vm.ram[0x100], 0x11);
	assert_int_equal(f->vm.ram[0x107], 0x88);
	assert_int_equal(as_read(as, RAM_BASE + 0x100, 8, &v), 0);
	assert_int_equal(v, 0x8877665544332211ull);
	/* narrower reads are zero-extended, never sign-extended */
	assert_int_equal(as_read(as, RAM_BASE + 0x107, 1, &v), 0);
	assert_int_equal(v, 0x88);
	assert_int_equal(as_read(as, RAM_BASE + 0x106, 2, &v), 0);
	assert_int_equal(v, 0x8877);
	assert_int_equal(as_read(as, RAM_BASE + 0x104, 4, &v), 0);
	assert_int_equal(v, 0x88776655);

	/* narrower writes touch only their bytes (value bits above are ignored) */
	assert_int_equal(as_write(as, RAM_BASE + 0x100, 1, 0xffffffffffffffaaull), 0);
	assert_int_equal(as_write(as, RAM_BASE + 0x102, 2, 0xffffffffffffbbccull), 0);
	assert_int_equal(as_write(as, RAM_BASE + 0x104, 4, 0xffffffffddeeff00ull), 0);
	assert_int_equal(as_read(as, RAM_BASE + 0x100, 8, &v), 0);
	assert_int_equal(v, 0xddeeff00bbcc22aaull);
	assert_int_equal(f->vm.ram[0x108], 0);

	/* misaligned RAM access is fine at this level */
	assert_int_equal(as_write(as, RAM_BASE + 0x203, 8, 0x0102030405060708ull), 0);
	assert_int_equal(as_read(as, RAM_BASE + 0x203, 8, &v), 0);
	assert_int_equal(v, 0x0102030405060708ull);
	assert_int_equal(as_read(as, RAM_BASE + 0x205, 2, &v), 0);
	assert_int_equal(v, 0x0506);

	/* the last bytes of RAM */
	assert_int_equal(as_write(as, RAM_BASE + RAM_SIZE - 8, 8, 0xcafef00dull), 0);
	assert_int_equal(as_read(as, RAM_BASE + RAM_SIZE - 8, 8, &v), 0);
	assert_int_equal(v, 0xcafef00dull);
	assert_int_equal(as_read(as, RAM_BASE + RAM_SIZE - 1, 1, &v), 0);
	assert_int_equal(v, 0);
}

static void test_ram_out_of_bounds(void **state)
{
	struct fixture *f = *state;
	struct address_space *as = &f->vm.as;
	uint64_t v = 0x1234;

	/* straddling the end of RAM: no region holds the whole access */
	assert_int_equal(as_read(as, RAM_BASE + RAM_SIZE - 4, 8, &v), -EFAULT);
	assert_int_equal(as_write(as, RAM_BASE + RAM_SIZE - 1, 2, 0xffff), -EFAULT);
	assert_int_equal(f->vm.ram[RAM_SIZE - 1], 0);	/* nothing written */
	/* straddling the start */
	assert_int_equal(as_read(as, RAM_BASE - 4, 8, &v), -EFAULT);
	assert_int_equal(as_write(as, RAM_BASE - 1, 4, 0xffffffff), -EFAULT);
	assert_int_equal(f->vm.ram[0], 0);
	/* unmapped */
	assert_int_equal(as_read(as, 0, 4, &v), -EFAULT);
	assert_int_equal(as_read(as, RAM_BASE + RAM_SIZE, 1, &v), -EFAULT);
	assert_int_equal(as_write(as, 0x1000, 8, 1), -EFAULT);
	assert_int_equal(as_read(as, ~0ull, 1, &v), -EFAULT);
	assert_int_equal(as_read(as, ~0ull - 3, 8, &v), -EFAULT);	/* wraps */
	assert_null(as_find(as, 0));
	assert_null(as_find(as, RAM_BASE + RAM_SIZE));
	assert_null(as_ram_region(as, RAM_BASE - 1));
}

static void test_ram_ptr_bounds(void **state)
{
	struct fixture *f = *state;
	struct address_space *as = &f->vm.as;

	assert_ptr_equal(as_ram_ptr(as, RAM_BASE, RAM_SIZE), f->vm.ram);
	assert_ptr_equal(as_ram_ptr(as, RAM_BASE + 0x1234, 16), f->vm.ram + 0x1234);
	assert_ptr_equal(as_ram_ptr(as, RAM_BASE + RAM_SIZE - 1, 1), f->vm.ram + RAM_SIZE - 1);
	/* straddling either end */
	assert_null(as_ram_ptr(as, RAM_BASE + RAM_SIZE - 4, 8));
	assert_null(as_ram_ptr(as, RAM_BASE, RAM_SIZE + 1));
	assert_null(as_ram_ptr(as, RAM_BASE - 1, 2));
	assert_null(as_ram_ptr(as, RAM_BASE + RAM_SIZE, 1));
	/* zero-length ranges are not handed out */
	assert_null(as_ram_ptr(as, RAM_BASE, 0));
	assert_null(as_ram_ptr(as, RAM_BASE + 0x1000, 0));
	/* ranges that wrap around 2^64 */
	assert_null(as_ram_ptr(as, RAM_BASE, ~0ull));
	assert_null(as_ram_ptr(as, RAM_BASE + 0x10, ~0ull - 0x8));
	assert_null(as_ram_ptr(as, ~0ull - 0xf, 0x20));
	assert_null(as_ram_ptr(as, 0, 0x10));

	/* a region ending exactly at 2^64 is usable up to its last byte */
	static uint8_t top[0x1000];
	const gpa_t top_base = ~0ull - sizeof(top) + 1;

	assert_int_equal(as_add_ram(as, top_base, sizeof(top), top, "top"), 0);
	assert_ptr_equal(as_ram_ptr(as, top_base, sizeof(top)), top);
	assert_ptr_equal(as_ram_ptr(as, ~0ull, 1), top + sizeof(top) - 1);
	assert_null(as_ram_ptr(as, top_base, sizeof(top) + 1));
	assert_null(as_ram_ptr(as, ~0ull, 2));

	uint64_t v;

	assert_int_equal(as_write(as, ~0ull - 7, 8, 0x1122334455667788ull), 0);
	assert_int_equal(as_read(as, ~0ull - 7, 8, &v), 0);
	assert_int_equal(v, 0x1122334455667788ull);
	assert_int_equal(top[sizeof(top) - 1], 0x11);
	assert_int_equal(as_read(as, ~0ull - 3, 8, &v), -EFAULT);
}

/* ---- MMIO over RAM ---- */

#define WIN (RAM_BASE + 0x2000)	/* 16-byte MMIO window inside RAM */

static void test_mmio_overlay_on_ram(void **state)
{
	struct fixture *f = *state;
	struct address_space *as = &f->vm.as;
	const struct as_region *r;
	uint64_t v;

	assert_int_equal(as_add_mmio(as, WIN, 16, &ops_any, &f->dev, "win"), 0);

	/* no host pointer for a range touching the window ... */
	assert_null(as_ram_ptr(as, WIN, 4));
	assert_null(as_ram_ptr(as, WIN + 15, 1));
	assert_null(as_ram_ptr(as, WIN - 8, 9));
	assert_null(as_ram_ptr(as, WIN + 15, 8));
	assert_null(as_ram_ptr(as, RAM_BASE, RAM_SIZE));
	assert_null(as_ram_ptr(as, WIN & ~0xfffull, 0x1000));
	/* ... but the rest of RAM is still handed out, right up to the window */
	assert_ptr_equal(as_ram_ptr(as, WIN - 8, 8), f->vm.ram + 0x2000 - 8);
	assert_ptr_equal(as_ram_ptr(as, WIN + 16, 8), f->vm.ram + 0x2010);
	assert_ptr_equal(as_ram_ptr(as, RAM_BASE + 0x1000, 0x1000), f->vm.ram + 0x1000);
	assert_ptr_equal(as_ram_ptr(as, RAM_BASE, 0x2000), f->vm.ram);
	assert_ptr_equal(as_ram_ptr(as, WIN + 16, RAM_SIZE - 0x2010), f->vm.ram + 0x2010);

	/* as_find: MMIO first; as_ram_region ignores MMIO */
	r = as_find(as, WIN + 4);
	assert_non_null(r);
	assert_int_equal(r->kind, AS_MMIO);
	r = as_find(as, WIN + 16);
	assert_non_null(r);
	assert_int_equal(r->kind, AS_RAM);
	r = as_ram_region(as, WIN + 4);
	assert_non_null(r);
	assert_int_equal(r->kind, AS_RAM);
	assert_ptr_equal(r->host, f->vm.ram);

	/* accesses inside the window go to the device, not to RAM */
	f->vm.ram[0x2000] = 0xee;
	assert_int_equal(as_read(as, WIN, 4, &v), 0);
	assert_int_equal(v, 0x13121110);
	assert_int_equal(f->dev.n, 1);
	expect_call(&f->dev, 0, 'r', 0, 4, 0x13121110);
	assert_int_equal(as_write(as, WIN + 8, 8, 0xa1a2a3a4a5a6a7a8ull), 0);
	expect_call(&f->dev, 1, 'w', 8, 8, 0xa1a2a3a4a5a6a7a8ull);
	assert_int_equal(f->vm.ram[0x2008], 0);
	assert_int_equal(f->vm.ram[0x2000], 0xee);

	/* a RAM access running into the window: the RAM bytes come from RAM,
	 * the others from the device, one byte at a time */
	f->dev.n = 0;
	memcpy(f->vm.ram + 0x1ffc, "\x01\x02\x03\x04", 4);
	assert_int_equal(as_read(as, WIN - 4, 8, &v), 0);
	assert_int_equal(v, 0x1312111004030201ull);
	assert_int_equal(f->dev.n, 4);
	for (int i = 0; i < 4; i++)
		expect_call(&f->dev, i, 'r', (uint64_t)i, 1, 0x10u + (unsigned)i);

	f->dev.n = 0;
	assert_int_equal(as_write(as, WIN - 2, 4, 0xd4c3b2a1), 0);
	assert_int_equal(f->vm.ram[0x1ffe], 0xa1);
	assert_int_equal(f->vm.ram[0x1fff], 0xb2);
	assert_int_equal(f->dev.n, 2);
	expect_call(&f->dev, 0, 'w', 0, 1, 0xc3);
	expect_call(&f->dev, 1, 'w', 1, 1, 0xd4);
	assert_int_equal(f->vm.ram[0x2000], 0xee);	/* RAM under the window untouched */
}

/* ---- MMIO dispatch: valid and impl sizes ---- */

#define DEV 0x10000000ull

static void test_mmio_exact_sizes(void **state)
{
	struct fixture *f = *state;
	struct address_space *as = &f->vm.as;
	uint64_t v;

	assert_int_equal(as_add_mmio(as, DEV, 64, &ops_any, &f->dev, "dev"), 0);
	assert_int_equal(as_read(as, DEV + 1, 1, &v), 0);
	assert_int_equal(v, 0x11);
	assert_int_equal(as_read(as, DEV + 2, 2, &v), 0);
	assert_int_equal(v, 0x1312);
	assert_int_equal(as_read(as, DEV + 4, 4, &v), 0);
	assert_int_equal(v, 0x17161514);
	assert_int_equal(as_read(as, DEV + 56, 8, &v), 0);
	assert_int_equal(v, 0x4f4e4d4c4b4a4948ull);
	assert_int_equal(f->dev.n, 4);
	expect_call(&f->dev, 0, 'r', 1, 1, 0x11);
	expect_call(&f->dev, 1, 'r', 2, 2, 0x1312);
	expect_call(&f->dev, 2, 'r', 4, 4, 0x17161514);
	expect_call(&f->dev, 3, 'r', 56, 8, 0x4f4e4d4c4b4a4948ull);

	/* writes pass the value truncated to the access size */
	f->dev.n = 0;
	assert_int_equal(as_write(as, DEV + 3, 1, 0x1234567890abcdefull), 0);
	assert_int_equal(as_write(as, DEV + 6, 2, 0x1234567890abcdefull), 0);
	assert_int_equal(as_write(as, DEV + 12, 4, 0x1234567890abcdefull), 0);
	assert_int_equal(as_write(as, DEV + 16, 8, 0x1234567890abcdefull), 0);
	assert_int_equal(f->dev.n, 4);
	expect_call(&f->dev, 0, 'w', 3, 1, 0xef);
	expect_call(&f->dev, 1, 'w', 6, 2, 0xcdef);
	expect_call(&f->dev, 2, 'w', 12, 4, 0x90abcdef);
	expect_call(&f->dev, 3, 'w', 16, 8, 0x1234567890abcdefull);

	/* the end of the region */
	assert_int_equal(as_read(as, DEV + 64, 1, &v), -EFAULT);
	assert_int_equal(as_read(as, DEV - 8, 8, &v), -EFAULT);
	assert_int_equal(as_write(as, DEV + 64, 4, 0), -EFAULT);
	assert_int_equal(f->dev.n, 4);
}

static void test_mmio_outside_valid_sizes(void **state)
{
	struct fixture *f = *state;
	struct address_space *as = &f->vm.as;
	uint64_t v;

	assert_int_equal(as_add_mmio(as, DEV, 64, &ops_only4, &f->dev, "only4"), 0);
	/* the bus answers (0) but the device never sees the access */
	v = 0x5555;
	assert_int_equal(as_read(as, DEV + 8, 1, &v), 0);
	assert_int_equal(v, 0);
	v = 0x5555;
	assert_int_equal(as_read(as, DEV + 8, 2, &v), 0);
	assert_int_equal(v, 0);
	v = 0x5555;
	assert_int_equal(as_read(as, DEV + 8, 8, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(as_write(as, DEV + 8, 1, 0xff), 0);
	assert_int_equal(as_write(as, DEV + 8, 2, 0xffff), 0);
	assert_int_equal(as_write(as, DEV + 8, 8, ~0ull), 0);
	assert_int_equal(f->dev.n, 0);
	assert_int_equal(f->dev.regs[8], 0x18);
	/* the accepted size works */
	assert_int_equal(as_read(as, DEV + 8, 4, &v), 0);
	assert_int_equal(v, 0x1b1a1918);
	assert_int_equal(f->dev.n, 1);
}

static void test_mmio_split_wide(void **state)
{
	struct fixture *f = *state;
	struct address_space *as = &f->vm.as;
	uint64_t v;

	assert_int_equal(as_add_mmio(as, DEV, 64, &ops_impl4, &f->dev, "impl4"), 0);
	assert_int_equal(as_add_mmio(as, DEV + 0x1000, 64, &ops_impl12, &f->dev, "impl12"), 0);

	/* 8 bytes to a 4-byte device: low half first, little-endian */
	assert_int_equal(as_read(as, DEV + 8, 8, &v), 0);
	assert_int_equal(v, 0x1f1e1d1c1b1a1918ull);
	assert_int_equal(f->dev.n, 2);
	expect_call(&f->dev, 0, 'r', 8, 4, 0x1b1a1918);
	expect_call(&f->dev, 1, 'r', 12, 4, 0x1f1e1d1c);

	f->dev.n = 0;
	assert_int_equal(as_write(as, DEV + 16, 8, 0x1122334455667788ull), 0);
	assert_int_equal(f->dev.n, 2);
	expect_call(&f->dev, 0, 'w', 16, 4, 0x55667788);
	expect_call(&f->dev, 1, 'w', 20, 4, 0x11223344);

	/* 8 and 4 bytes to a device implementing at most 2 */
	f->dev.n = 0;
	assert_int_equal(as_read(as, DEV + 0x1000 + 24, 8, &v), 0);
	assert_int_equal(v, 0x2f2e2d2c2b2a2928ull);
	assert_int_equal(f->dev.n, 4);
	for (int i = 0; i < 4; i++)
		expect_call(&f->dev, i, 'r', 24 + 2 * (uint64_t)i, 2,
			    (0x29u + 2 * (unsigned)i) << 8 | (0x28u + 2 * (unsigned)i));
	f->dev.n = 0;
	assert_int_equal(as_write(as, DEV + 0x1000 + 32, 4, 0xfffffffff00dbeefull), 0);
	assert_int_equal(f->dev.n, 2);
	expect_call(&f->dev, 0, 'w', 32, 2, 0xbeef);
	expect_call(&f->dev, 1, 'w', 34, 2, 0xf00d);
	/* sizes it implements go through unchanged */
	f->dev.n = 0;
	assert_int_equal(as_read(as, DEV + 0x1000 + 5, 1, &v), 0);
	assert_int_equal(v, 0x15);
	expect_call(&f->dev, 0, 'r', 5, 1, 0x15);
}

static void test_mmio_widen_narrow(void **state)
{
	struct fixture *f = *state;
	struct address_space *as = &f->vm.as;
	uint64_t v;

	assert_int_equal(as_add_mmio(as, DEV, 64, &ops_impl4, &f->dev, "impl4"), 0);
	assert_int_equal(as_add_mmio(as, DEV + 0x1000, 64, &ops_impl8, &f->dev, "impl8"), 0);

	/* byte 1 of the register at 8: the device sees a 4-byte read at 8 */
	assert_int_equal(as_read(as, DEV + 9, 1, &v), 0);
	assert_int_equal(v, 0x19);
	assert_int_equal(as_read(as, DEV + 11, 1, &v), 0);
	assert_int_equal(v, 0x1b);
	assert_int_equal(as_read(as, DEV + 14, 2, &v), 0);
	assert_int_equal(v, 0x1f1e);
	assert_int_equal(f->dev.n, 3);
	expect_call(&f->dev, 0, 'r', 8, 4, 0x1b1a1918);
	expect_call(&f->dev, 1, 'r', 8, 4, 0x1b1a1918);
	expect_call(&f->dev, 2, 'r', 12, 4, 0x1f1e1d1c);

	/* narrow writes: the containing unit, value shifted into place, the
	 * other bytes zero (no read-modify-write) */
	f->dev.n = 0;
	assert_int_equal(as_write(as, DEV + 5, 1, 0xab), 0);
	assert_int_equal(as_write(as, DEV + 6, 2, 0xfffffffffffbeefull), 0);
	assert_int_equal(as_write(as, DEV + 4, 2, 0x1234), 0);
	assert_int_equal(f->dev.n, 3);
	expect_call(&f->dev, 0, 'w', 4, 4, 0xab00);
	expect_call(&f->dev, 1, 'w', 4, 4, 0xbeef0000);
	expect_call(&f->dev, 2, 'w', 4, 4, 0x1234);

	/* 64-bit-only device */
	f->dev.n = 0;
	assert_int_equal(as_read(as, DEV + 0x1000 + 15, 1, &v), 0);
	assert_int_equal(v, 0x1f);
	assert_int_equal(as_read(as, DEV + 0x1000 + 12, 4, &v), 0);
	assert_int_equal(v, 0x1f1e1d1c);
	assert_int_equal(as_read(as, DEV + 0x1000 + 16, 2, &v), 0);
	assert_int_equal(v, 0x2120);
	expect_call(&f->dev, 0, 'r', 8, 8, 0x1f1e1d1c1b1a1918ull);
	expect_call(&f->dev, 1, 'r', 8, 8, 0x1f1e1d1c1b1a1918ull);
	expect_call(&f->dev, 2, 'r', 16, 8, 0x2726252423222120ull);
	f->dev.n = 0;
	assert_int_equal(as_write(as, DEV + 0x1000 + 4, 4, 0x89abcdef), 0);
	assert_int_equal(as_write(as, DEV + 0x1000 + 7, 1, 0x80), 0);
	expect_call(&f->dev, 0, 'w', 0, 8, 0x89abcdef00000000ull);
	expect_call(&f->dev, 1, 'w', 0, 8, 0x8000000000000000ull);
}

static void test_mmio_misaligned(void **state)
{
	struct fixture *f = *state;
	struct address_space *as = &f->vm.as;
	uint64_t v;

	assert_int_equal(as_add_mmio(as, DEV, 64, &ops_any, &f->dev, "any"), 0);
	assert_int_equal(as_add_mmio(as, DEV + 0x1000, 64, &ops_impl4, &f->dev, "impl4"), 0);

	/* misaligned relative to the region base: dropped, reads 0 */
	v = 1;
	assert_int_equal(as_read(as, DEV + 1, 2, &v), 0);
	assert_int_equal(v, 0);
	v = 1;
	assert_int_equal(as_read(as, DEV + 2, 4, &v), 0);
	assert_int_equal(v, 0);
	v = 1;
	assert_int_equal(as_read(as, DEV + 4, 8, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(as_write(as, DEV + 3, 2, 0xffff), 0);
	assert_int_equal(as_write(as, DEV + 12, 8, ~0ull), 0);
	/* also when the address space would have split or widened it */
	v = 1;
	assert_int_equal(as_read(as, DEV + 0x1000 + 4, 8, &v), 0);
	assert_int_equal(v, 0);
	v = 1;
	assert_int_equal(as_read(as, DEV + 0x1000 + 1, 2, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(as_write(as, DEV + 0x1000 + 3, 2, 0xffff), 0);
	assert_int_equal(f->dev.n, 0);
	assert_int_equal(f->dev.regs[3], 0x13);
	assert_int_equal(f->dev.regs[12], 0x1c);
}

/* ---- region table ---- */

static void test_overlap_rejected(void **state)
{
	struct fixture *f = *state;
	struct address_space *as = &f->vm.as;
	static uint8_t buf[0x3000];
	int n0 = as->nr_regions;

	/* RAM over RAM: identical, partial at either end, containing, contained */
	assert_int_equal(as_add_ram(as, RAM_BASE, RAM_SIZE, buf, "dup"), -EEXIST);
	assert_int_equal(as_add_ram(as, RAM_BASE - 0x1000, 0x1001, buf, "lo"), -EEXIST);
	assert_int_equal(as_add_ram(as, RAM_BASE + RAM_SIZE - 1, 0x1000, buf, "hi"), -EEXIST);
	assert_int_equal(as_add_ram(as, RAM_BASE - 0x1000, RAM_SIZE + 0x2000, buf, "big"), -EEXIST);
	assert_int_equal(as_add_ram(as, RAM_BASE + 0x1000, 0x1000, buf, "in"), -EEXIST);
	assert_int_equal(as->nr_regions, n0);
	/* adjacent is fine */
	assert_int_equal(as_add_ram(as, RAM_BASE - 0x1000, 0x1000, buf, "below"), 0);
	assert_int_equal(as_add_ram(as, RAM_BASE + RAM_SIZE, 0x1000, buf + 0x1000, "above"), 0);

	/* adjacent RAM regions are separate: an access spanning both faults,
	 * and no single host pointer covers both */
	uint64_t v;

	assert_null(as_ram_ptr(as, RAM_BASE - 4, 8));
	assert_int_equal(as_read(as, RAM_BASE - 4, 8, &v), -EFAULT);

	/* MMIO over MMIO */
	assert_int_equal(as_add_mmio(as, DEV, 0x100, &ops_any, &f->dev, "a"), 0);
	assert_int_equal(as_add_mmio(as, DEV, 0x100, &ops_any, &f->dev, "same"), -EEXIST);
	assert_int_equal(as_add_mmio(as, DEV + 0xff, 1, &ops_any, &f->dev, "last"), -EEXIST);
	assert_int_equal(as_add_mmio(as, DEV - 8, 9, &ops_any, &f->dev, "first"), -EEXIST);
	assert_int_equal(as_add_mmio(as, DEV + 0x100, 8, &ops_any, &f->dev, "next"), 0);
	assert_int_equal(as_add_mmio(as, DEV - 8, 8, &ops_any, &f->dev, "prev"), 0);
	/* MMIO over RAM and RAM under MMIO are allowed */
	assert_int_equal(as_add_mmio(as, RAM_BASE + 0x4000, 8, &ops_any, &f->dev, "ovl"), 0);
	assert_int_equal(as_add_ram(as, DEV - 0x10, 0x2000, buf, "under"), 0);

	/* bad ranges */
	assert_int_equal(as_add_ram(as, 0x1000, 0, buf, "empty"), -EINVAL);
	assert_int_equal(as_add_ram(as, ~0ull - 0xfff, 0x2000, buf, "wraps"), -EINVAL);
	assert_int_equal(as_add_mmio(as, 0x2000, 0, &ops_any, &f->dev, "empty"), -EINVAL);
	assert_int_equal(as_add_mmio(as, ~0ull, 2, &ops_any, &f->dev, "wraps"), -EINVAL);
}

static void test_bad_ops_rejected(void **state)
{
	struct fixture *f = *state;
	struct address_space *as = &f->vm.as;
	int n0 = as->nr_regions;
	static const struct mmio_ops no_read = { .write = fake_write, .valid_min = 1,
						 .valid_max = 8, .impl_min = 1, .impl_max = 8 };
	static const struct mmio_ops no_write = { .read = fake_read, .valid_min = 1,
						  .valid_max = 8, .impl_min = 1, .impl_max = 8 };
	static const struct mmio_ops valid_min0 = { fake_read, fake_write, 0, 8, 1, 8 };
	static const struct mmio_ops valid_inv = { fake_read, fake_write, 4, 2, 1, 8 };
	static const struct mmio_ops impl_min0 = { fake_read, fake_write, 1, 8, 0, 8 };
	static const struct mmio_ops impl_inv = { fake_read, fake_write, 1, 8, 8, 4 };

	assert_int_equal(as_add_mmio(as, DEV, 8, NULL, &f->dev, "null"), -EINVAL);
	assert_int_equal(as_add_mmio(as, DEV, 8, &no_read, &f->dev, "no_read"), -EINVAL);
	assert_int_equal(as_add_mmio(as, DEV, 8, &no_write, &f->dev, "no_write"), -EINVAL);
	assert_int_equal(as_add_mmio(as, DEV, 8, &valid_min0, &f->dev, "vmin0"), -EINVAL);
	assert_int_equal(as_add_mmio(as, DEV, 8, &valid_inv, &f->dev, "vinv"), -EINVAL);
	assert_int_equal(as_add_mmio(as, DEV, 8, &impl_min0, &f->dev, "imin0"), -EINVAL);
	assert_int_equal(as_add_mmio(as, DEV, 8, &impl_inv, &f->dev, "iinv"), -EINVAL);
	assert_int_equal(as->nr_regions, n0);
	assert_null(as_find(as, DEV));
}

/* KNOWN BUG (reported, not fixed yet): sizes that are not 1, 2, 4 or 8
 * break the split/widen arithmetic in mmio_read/mmio_write (an impl_max of
 * 3 splits an 8-byte access into overlapping 3-byte pieces, an impl_min of
 * 16 hands the device a 16-byte access); the contract allows only 1, 2, 4
 * and 8, but as_add_mmio accepts such tables. */
static void test_bad_ops_sizes_rejected(void **state)
{
	struct fixture *f = *state;

	struct address_space *as = &f->vm.as;
	static const struct mmio_ops impl3 = { fake_read, fake_write, 1, 8, 1, 3 };
	static const struct mmio_ops impl16 = { fake_read, fake_write, 1, 8, 16, 16 };
	static const struct mmio_ops valid16 = { fake_read, fake_write, 1, 16, 1, 8 };

	assert_int_equal(as_add_mmio(as, DEV, 8, &impl3, &f->dev, "impl3"), -EINVAL);
	assert_int_equal(as_add_mmio(as, DEV, 8, &impl16, &f->dev, "impl16"), -EINVAL);
	assert_int_equal(as_add_mmio(as, DEV, 8, &valid16, &f->dev, "valid16"), -EINVAL);
}

static void test_table_full(void **state)
{
	struct fixture *f = *state;
	struct address_space *as = &f->vm.as;
	int i;

	/* RAM is region 0; fill the rest with 16-byte MMIO windows */
	assert_int_equal(as->nr_regions, 1);
	for (i = 1; i < AS_MAX_REGIONS; i++)
		assert_int_equal(as_add_mmio(as, DEV + 0x100 * (uint64_t)i, 16, &ops_any, &f->dev,
					     "w"), 0);
	assert_int_equal(as->nr_regions, AS_MAX_REGIONS);
	assert_int_equal(as_add_mmio(as, 0x40000000, 16, &ops_any, &f->dev, "one more"), -ENOSPC);
	assert_int_equal(as_add_ram(as, 0x50000000, 0x1000, f->vm.ram, "one more"), -ENOSPC);
	assert_int_equal(as->nr_regions, AS_MAX_REGIONS);
	assert_null(as_find(as, 0x40000000));
	/* the last one added still works */
	uint64_t v;

	assert_int_equal(as_read(as, DEV + 0x100 * (AS_MAX_REGIONS - 1) + 4, 4, &v), 0);
	assert_int_equal(v, 0x17161514);
	assert_int_equal(f->dev.n, 1);
	expect_call(&f->dev, 0, 'r', 4, 4, 0x17161514);
}

/* ---- copies ---- */

static void test_copy(void **state)
{
	struct fixture *f = *state;
	struct address_space *as = &f->vm.as;
	uint8_t src[300], dst[300];

	for (unsigned i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(as_copy_to(as, RAM_BASE + 0x3001, src, sizeof(src)), 0);
	assert_memory_equal(f->vm.ram + 0x3001, src, sizeof(src));
	assert_int_equal(f->vm.ram[0x3000], 0);
	assert_int_equal(f->vm.ram[0x3001 + sizeof(src)], 0);
	memset(dst, 0, sizeof(dst));
	assert_int_equal(as_copy_from(as, dst, RAM_BASE + 0x3001, sizeof(dst)), 0);
	assert_memory_equal(dst, src, sizeof(src));

	/* to the very end of RAM */
	assert_int_equal(as_copy_to(as, RAM_BASE + RAM_SIZE - 16, src, 16), 0);
	assert_memory_equal(f->vm.ram + RAM_SIZE - 16, src, 16);

	/* zero-length copies succeed anywhere and touch nothing */
	assert_int_equal(as_copy_to(as, 0, src, 0), 0);
	assert_int_equal(as_copy_from(as, dst, 0, 0), 0);

	/* partly outside RAM: -EFAULT and nothing copied */
	memset(dst, 0x77, sizeof(dst));
	assert_int_equal(as_copy_to(as, RAM_BASE + RAM_SIZE - 8, src, 16), -EFAULT);
	assert_memory_equal(f->vm.ram + RAM_SIZE - 16, src, 16);
	assert_int_equal(as_copy_from(as, dst, RAM_BASE - 1, 16), -EFAULT);
	assert_int_equal(dst[0], 0x77);
	assert_int_equal(as_copy_to(as, 0x1000, src, 4), -EFAULT);
	assert_int_equal(as_copy_from(as, dst, ~0ull - 3, 8), -EFAULT);

	/* through an MMIO window: -EFAULT, the device is not touched */
	assert_int_equal(as_add_mmio(as, RAM_BASE + 0x5000, 8, &ops_any, &f->dev, "w"), 0);
	assert_int_equal(as_copy_to(as, RAM_BASE + 0x4ff0, src, 0x20), -EFAULT);
	assert_int_equal(as_copy_from(as, dst, RAM_BASE + 0x5004, 2), -EFAULT);
	assert_int_equal(f->dev.n, 0);
	assert_int_equal(f->vm.ram[0x4ff0], 0);
	assert_int_equal(as_copy_to(as, RAM_BASE + 0x4ff0, src, 0x10), 0);
}

static void test_vm_alloc_ram(void **state)
{
	struct fixture *f = *state;
	struct vm vm2;

	/* the fixture's RAM is region 0, named and backed by vm.ram */
	assert_int_equal(f->vm.as.nr_regions, 1);
	assert_int_equal(f->vm.as.regions[0].kind, AS_RAM);
	assert_int_equal(f->vm.as.regions[0].base, RAM_BASE);
	assert_int_equal(f->vm.as.regions[0].size, RAM_SIZE);
	assert_ptr_equal(f->vm.as.regions[0].host, f->vm.ram);
	assert_int_equal(f->vm.ram_base, RAM_BASE);
	assert_int_equal(f->vm.ram_size, RAM_SIZE);
	assert_ptr_equal(f->vm.as.vm, &f->vm);
	/* only once per VM */
	assert_int_equal(vm_alloc_ram(&f->vm, 0x40000000, 0x1000), -EINVAL);
	assert_int_equal(f->vm.as.nr_regions, 1);

	assert_int_equal(vm_init(&vm2, "second"), 0);
	vm2.log_level = LOG_ERROR;
	assert_int_equal(vm_alloc_ram(&vm2, RAM_BASE, 0), -EINVAL);
	assert_int_equal(vm_alloc_ram(&vm2, RAM_BASE, 0x1800), -EINVAL);	/* not pages */
	assert_null(vm2.ram);
	assert_int_equal(vm2.as.nr_regions, 0);
	/* a second VM's RAM is separate from the first's */
	assert_int_equal(vm_alloc_ram(&vm2, RAM_BASE, 0x2000), 0);
	assert_int_equal(as_write(&vm2.as, RAM_BASE, 8, 0x55), 0);
	assert_int_equal(vm2.ram[0], 0x55);
	assert_int_equal(f->vm.ram[0], 0);
	vm_destroy(&vm2);
	assert_null(vm2.ram);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ram_rw_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ram_out_of_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ram_ptr_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_overlay_on_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_exact_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_outside_valid_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_split_wide, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_widen_narrow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_misaligned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlap_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_ops_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_ops_sizes_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vm_alloc_ram, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
