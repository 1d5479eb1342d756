/* test_dcache.c - unit tests for the decode cache (src/cpu/rv64/dcache.c):
 * insert / lookup / invalidate_page / flush, page_has_code, the arena. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cpu/rv64/cpu.h"
#include "cpu/rv64/dcache.h"

#define RAM_SIZE (1ull << 20)	/* 256 pages */
#define PAGE RV_PAGE_SIZE

struct fx {
	uint8_t *ram;
	struct rv_dcache *dc;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(f->ram != MAP_FAILED);
	assert_int_equal(rv_dcache_create(&f->dc, f->ram, RAM_SIZE), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	rv_dcache_destroy(f->dc);
	munmap(f->ram, RAM_SIZE);
	free(f);
	return 0;
}

/* Build and publish a block of n instructions (nops, the last one a jal)
 * (links live in the exit instructions, see insn.h). */
static struct rv_block *add_block(struct fx *f, uint64_t off, unsigned n, bool *first)
{
	struct rv_block *b = rv_dcache_alloc(f->dc);
	bool fp;

	assert_non_null(b);
	assert_int_equal((uintptr_t)b & 31, 0);	/* struct rv_insn alignment */
	assert_true(n >= 1 && n <= RV_BLOCK_MAX + 1);
	memset(b, 0, sizeof(*b));
	b->host_pc = f->ram + off;
	b->n = (uint16_t)n;
	for (unsigned i = 0; i < n; i++) {
		rv_decode(&b->insn[i], i + 1 < n ? 0x00000013 : 0x0000006f);
		b->insn[i].pc_off = (uint16_t)(4 * i);
	}
	fp = rv_dcache_insert(f->dc, b);
	if (first)
		*first = fp;
	return b;
}

static void test_empty(void **state)
{
	struct fx *f = *state;

	assert_null(rv_dcache_lookup(f->dc, f->ram));
	assert_null(rv_dcache_lookup(f->dc, f->ram + 0x1234));
	for (uint64_t p = 0; p < RAM_SIZE; p += PAGE)
		assert_false(rv_dcache_page_has_code(f->dc, f->ram + p));
	/* coverage */
	assert_true(rv_dcache_covers(f->dc, f->ram));
	assert_true(rv_dcache_covers(f->dc, f->ram + RAM_SIZE - 1));
	assert_false(rv_dcache_covers(f->dc, f->ram + RAM_SIZE));
	assert_false(rv_dcache_covers(f->dc, f->ram - 1));
	/* outside RAM: no code, and invalidating is harmless */
	assert_false(rv_dcache_page_has_code(f->dc, f->ram + RAM_SIZE));
	assert_false(rv_dcache_page_has_code(f->dc, f->ram - PAGE));
	rv_dcache_invalidate_page(f->dc, f->ram + RAM_SIZE);
	rv_dcache_invalidate_page(f->dc, f->ram - PAGE);
}

static void test_insert_lookup(void **state)
{
	struct fx *f = *state;
	struct rv_block *a, *b, *c;
	bool first;

	a = add_block(f, 0x1000, 3, &first);
	assert_true(first);	/* page 1 just became a code page */
	b = add_block(f, 0x1010, 5, &first);
	assert_false(first);	/* same page */
	c = add_block(f, 0x2ffe, 1, &first);
	assert_true(first);

	assert_ptr_equal(rv_dcache_lookup(f->dc, f->ram + 0x1000), a);
	assert_ptr_equal(rv_dcache_lookup(f->dc, f->ram + 0x1010), b);
	assert_ptr_equal(rv_dcache_lookup(f->dc, f->ram + 0x2ffe), c);
	/* only block starts are keys */
	assert_null(rv_dcache_lookup(f->dc, f->ram + 0x1004));
	assert_null(rv_dcache_lookup(f->dc, f->ram + 0x1002));
	assert_null(rv_dcache_lookup(f->dc, f->ram + 0x3000));
	assert_null(rv_dcache_lookup(f->dc, f->ram));

	assert_true(rv_dcache_page_has_code(f->dc, f->ram + 0x1000));
	assert_true(rv_dcache_page_has_code(f->dc, f->ram + 0x2000));
	assert_false(rv_dcache_page_has_code(f->dc, f->ram + 0x0000));
	assert_false(rv_dcache_page_has_code(f->dc, f->ram + 0x3000));

	/* blocks do not overlap in the arena: each one's instructions end
	 * before the next one starts */
	assert_true((uint8_t *)&a->insn[a->n] <= (uint8_t *)b);
	assert_true((uint8_t *)&b->insn[b->n] <= (uint8_t *)c);
	assert_int_equal(a->insn[2].op, RV_OP_JAL);
	assert_int_equal(b->insn[4].op, RV_OP_JAL);
	assert_int_equal(b->n, 5);
}

static void test_largest_blocks_do_not_overlap(void **state)
{
	struct fx *f = *state;
	struct rv_block *prev = NULL;

	/* RV_BLOCK_MAX + 1 entries: the most a block can take
	 * (RV_BLOCK_BYTES_MAX) */
	for (unsigned i = 0; i < 8; i++) {
		struct rv_block *b = add_block(f, 0x10000 + 0x100 * i, RV_BLOCK_MAX + 1, NULL);

		if (prev) {
			assert_true((uint8_t *)&prev->insn[prev->n] <= (uint8_t *)b);
			assert_true((uint8_t *)b - (uint8_t *)prev <=
				    (ptrdiff_t)RV_BLOCK_BYTES_MAX(sizeof(struct rv_block),
								  sizeof(struct rv_insn)) + 31);
		}
		prev = b;
	}
	/* everything still there and intact */
	for (unsigned i = 0; i < 8; i++) {
		struct rv_block *b = rv_dcache_lookup(f->dc, f->ram + 0x10000 + 0x100 * i);

		assert_non_null(b);
		assert_int_equal(b->n, RV_BLOCK_MAX + 1);
		assert_int_equal(b->insn[RV_BLOCK_MAX].op, RV_OP_JAL);
		assert_int_equal(b->insn[0].op, RV_OP_ADDI);
	}
}

static void test_invalidate_page(void **state)
{
	struct fx *f = *state;
	struct rv_block *a, *b, *c, *d;
	bool first;

	a = add_block(f, 0x5000, 2, NULL);
	b = add_block(f, 0x5800, 2, NULL);
	c = add_block(f, 0x5ffc, 1, NULL);
	d = add_block(f, 0x6000, 2, NULL);	/* next page */

	rv_dcache_invalidate_page(f->dc, f->ram + 0x5000);
	assert_null(rv_dcache_lookup(f->dc, f->ram + 0x5000));
	assert_null(rv_dcache_lookup(f->dc, f->ram + 0x5800));
	assert_null(rv_dcache_lookup(f->dc, f->ram + 0x5ffc));
	/* invalidated blocks are marked (links to them are never followed) */
	assert_null(a->host_pc);
	assert_null(b->host_pc);
	assert_null(c->host_pc);
	assert_false(rv_dcache_page_has_code(f->dc, f->ram + 0x5000));
	/* the neighbour page is untouched */
	assert_ptr_equal(rv_dcache_lookup(f->dc, f->ram + 0x6000), d);
	assert_ptr_equal(d->host_pc, f->ram + 0x6000);
	assert_true(rv_dcache_page_has_code(f->dc, f->ram + 0x6000));

	/* invalidating again, or an empty page, is harmless */
	rv_dcache_invalidate_page(f->dc, f->ram + 0x5000);
	rv_dcache_invalidate_page(f->dc, f->ram + 0x7000);
	assert_ptr_equal(rv_dcache_lookup(f->dc, f->ram + 0x6000), d);

	/* the page becomes a code page again with the next block */
	a = add_block(f, 0x5000, 2, &first);
	assert_true(first);
	assert_ptr_equal(rv_dcache_lookup(f->dc, f->ram + 0x5000), a);
	assert_null(rv_dcache_lookup(f->dc, f->ram + 0x5800));
	add_block(f, 0x5800, 2, &first);
	assert_false(first);
}

/* Many blocks, so that hash chains are long and mixed across pages:
 * invalidating one page must unlink exactly its blocks from every chain. */
static void test_invalidate_with_collisions(void **state)
{
	struct fx *f = *state;
	const uint64_t pages = 64, per_page = 512;	/* a block every 8 bytes */
	const uint64_t victim = 17;

	for (uint64_t p = 0; p < pages; p++)
		for (uint64_t i = 0; i < per_page; i++)
			add_block(f, p * PAGE + i * 8, 1, NULL);
	for (uint64_t p = 0; p < pages; p++)
		for (uint64_t i = 0; i < per_page; i++) {
			struct rv_block *b = rv_dcache_lookup(f->dc, f->ram + p * PAGE + i * 8);

			assert_non_null(b);
			assert_ptr_equal(b->host_pc, f->ram + p * PAGE + i * 8);
		}

	rv_dcache_invalidate_page(f->dc, f->ram + victim * PAGE);
	rv_dcache_invalidate_page(f->dc, f->ram + (victim + 1) * PAGE);
	for (uint64_t p = 0; p < pages; p++) {
		bool gone = p == victim || p == victim + 1;

		assert_int_equal(rv_dcache_page_has_code(f->dc, f->ram + p * PAGE), !gone);
		for (uint64_t i = 0; i < per_page; i++) {
			struct rv_block *b = rv_dcache_lookup(f->dc, f->ram + p * PAGE + i * 8);

			if (gone) {
				assert_null(b);
			} else {
				assert_non_null(b);
				assert_ptr_equal(b->host_pc, f->ram + p * PAGE + i * 8);
			}
		}
	}
}

static void test_flush(void **state)
{
	struct fx *f = *state;
	struct rv_block *first_alloc, *b;
	bool first;

	first_alloc = rv_dcache_alloc(f->dc);
	add_block(f, 0x1000, 4, NULL);
	add_block(f, 0x9000, 4, NULL);
	add_block(f, RAM_SIZE - PAGE, 4, NULL);	/* last page */
	assert_true(rv_dcache_page_has_code(f->dc, f->ram + RAM_SIZE - PAGE));

	rv_dcache_flush(f->dc);
	assert_null(rv_dcache_lookup(f->dc, f->ram + 0x1000));
	assert_null(rv_dcache_lookup(f->dc, f->ram + 0x9000));
	assert_null(rv_dcache_lookup(f->dc, f->ram + RAM_SIZE - PAGE));
	for (uint64_t p = 0; p < RAM_SIZE; p += PAGE)
		assert_false(rv_dcache_page_has_code(f->dc, f->ram + p));
	/* the arena starts over */
	assert_ptr_equal(rv_dcache_alloc(f->dc), first_alloc);
	/* and pages become code pages again */
	b = add_block(f, 0x9000, 2, &first);
	assert_true(first);
	assert_ptr_equal(rv_dcache_lookup(f->dc, f->ram + 0x9000), b);
	assert_ptr_equal(b, first_alloc);
	/* a page invalidated before the flush is fine afterwards too */
	add_block(f, 0x1000, 2, NULL);
	rv_dcache_invalidate_page(f->dc, f->ram + 0x1000);
	rv_dcache_flush(f->dc);
	b = add_block(f, 0x1000, 2, &first);
	assert_true(first);
	assert_ptr_equal(rv_dcache_lookup(f->dc, f->ram + 0x1000), b);
}

/* When the arena is full, rv_dcache_alloc flushes everything and starts
 * over (it never fails). */
static void test_arena_full(void **state)
{
	struct fx *f = *state;
	struct rv_block *start = rv_dcache_alloc(f->dc);
	struct rv_block *b = NULL;
	uint64_t i, wrapped_at = 0;

	/* largest blocks, each in its own slot of RAM (keys may repeat once
	 * RAM is used up; they are distinct within one arena generation) */
	for (i = 0; i < 200000; i++) {
		struct rv_block *n = rv_dcache_alloc(f->dc);

		assert_non_null(n);
		if (i && n == start) {
			wrapped_at = i;
			break;
		}
		b = add_block(f, (i * 2) % RAM_SIZE, RV_BLOCK_MAX + 1, NULL);
		assert_ptr_equal(b, n);
	}
	assert_true(wrapped_at > 1000);	/* tens of MiB of arena before the wrap */
	assert_true(wrapped_at * 2 < RAM_SIZE);
	/* the wrap flushed every block of the old generation */
	assert_null(rv_dcache_lookup(f->dc, f->ram + 0));
	assert_null(rv_dcache_lookup(f->dc, f->ram + (wrapped_at - 1) * 2));
	assert_false(rv_dcache_page_has_code(f->dc, f->ram));
	/* and the cache works normally afterwards */
	bool first;

	b = add_block(f, 0x4000, 3, &first);
	assert_true(first);
	assert_ptr_equal(b, start);
	assert_ptr_equal(rv_dcache_lookup(f->dc, f->ram + 0x4000), b);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_empty),
		T(test_insert_lookup),
		T(test_largest_blocks_do_not_overlap),
		T(test_invalidate_page),
		T(test_invalidate_with_collisions),
		T(test_flush),
		T(test_arena_full),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
