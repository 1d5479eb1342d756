/* dcache.c - decode cache storage: a bump arena, a hash table on the host
 * address, and per-page block lists for invalidation. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cpu/rv64/cpu.h"
#include "cpu/rv64/dcache.h"

#define HASH_BITS 15
#define ARENA_SIZE (64ull << 20)	/* decoded code for ~1M guest instructions */
#define ARENA_KEEP (8ull << 20)		/* kept resident across flushes */
#define BLOCK_BYTES RV_BLOCK_BYTES_MAX(sizeof(struct rv_block), sizeof(struct rv_insn))

struct rv_dcache {
	uint8_t *ram;
	uint64_t ram_size;
	struct rv_block *hash[1u << HASH_BITS];
	struct rv_block **page_head;	/* per RAM page, lazily backed by mmap */
	uint32_t *code_pages;		/* pages that had blocks since the last flush */
	uint8_t *listed;		/* per RAM page: in code_pages */
	uint64_t nr_code_pages;
	uint8_t *arena;
	uint64_t arena_used;
};

static unsigned hash_of(const uint8_t *hpc)
{
	uintptr_t v = (uintptr_t)hpc >> 1;

	return (unsigned)((v ^ (v >> HASH_BITS)) & ((1u << HASH_BITS) - 1));
}

static void *map_anon(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int rv_dcache_create(struct rv_dcache **dcp, uint8_t *ram, uint64_t ram_size)
{
	uint64_t pages = ram_size >> RV_PAGE_SHIFT;
	struct rv_dcache *dc = calloc(1, sizeof(*dc));

	if (!dc)
		return -ENOMEM;
	dc->ram = ram;
	dc->ram_size = ram_size;
	dc->page_head = map_anon(pages * sizeof(*dc->page_head) + 1);
	dc->code_pages = map_anon(pages * sizeof(*dc->code_pages) + 1);
	dc->listed = map_anon(pages + 1);
	dc->arena = map_anon(ARENA_SIZE);
	if (!dc->page_head || !dc->code_pages || !dc->listed || !dc->arena) {
		rv_dcache_destroy(dc);
		return -ENOMEM;
	}
	*dcp = dc;
	return 0;
}

void rv_dcache_destroy(struct rv_dcache *dc)
{
	uint64_t pages;

	if (!dc)
		return;
	pages = dc->ram_size >> RV_PAGE_SHIFT;
	if (dc->page_head)
		munmap(dc->page_head, pages * sizeof(*dc->page_head) + 1);
	if (dc->code_pages)
		munmap(dc->code_pages, pages * sizeof(*dc->code_pages) + 1);
	if (dc->listed)
		munmap(dc->listed, pages + 1);
	if (dc->arena)
		munmap(dc->arena, ARENA_SIZE);
	free(dc);
}

bool rv_dcache_covers(const struct rv_dcache *dc, const uint8_t *hpc)
{
	return hpc >= dc->ram && (uint64_t)(hpc - dc->ram) < dc->ram_size;
}

struct rv_block *rv_dcache_lookup(struct rv_dcache *dc, const uint8_t *hpc)
{
	for (struct rv_block *b = dc->hash[hash_of(hpc)]; b; b = b->hash_next)
		if (b->host_pc == hpc)
			return b;
	return NULL;
}

void rv_dcache_flush(struct rv_dcache *dc)
{
	/* Linux runs fence.i (a flush) each time it maps a new executable
	 * page: clear only the hash buckets and pages in use */
	for (uint64_t i = 0; i < dc->nr_code_pages; i++) {
		for (struct rv_block *b = dc->page_head[dc->code_pages[i]]; b; b = b->page_next)
			dc->hash[hash_of(b->host_pc)] = NULL;
		dc->page_head[dc->code_pages[i]] = NULL;
		dc->listed[dc->code_pages[i]] = 0;
	}
	dc->nr_code_pages = 0;
	/* give back the arena's pages beyond the first ARENA_KEEP bytes (the
	 * next blocks reuse those without faulting in fresh zero pages) */
	if (dc->arena_used > ARENA_KEEP)
		madvise(dc->arena + ARENA_KEEP, ARENA_SIZE - ARENA_KEEP, MADV_DONTNEED);
	dc->arena_used = 0;
}

struct rv_block *rv_dcache_alloc(struct rv_dcache *dc)
{
	if (dc->arena_used + BLOCK_BYTES > ARENA_SIZE)
		rv_dcache_flush(dc);
	return (struct rv_block *)(dc->arena + dc->arena_used);
}

bool rv_dcache_insert(struct rv_dcache *dc, struct rv_block *b)
{
	uint64_t page = (uint64_t)(b->host_pc - dc->ram) >> RV_PAGE_SHIFT;
	unsigned h = hash_of(b->host_pc);
	bool first = dc->page_head[page] == NULL;


	/* keep blocks aligned as struct rv_insn requires */
	dc->arena_used += (sizeof(*b) + b->n * sizeof(struct rv_insn) + 31) & ~31ull;
	b->hash_next = dc->hash[h];
	dc->hash[h] = b;
	b->page_next = dc->page_head[page];
	dc->page_head[page] = b;
	if (!dc->listed[page]) {
		/* each page is listed at most once, so the list cannot overflow */
		dc->listed[page] = 1;
		dc->code_pages[dc->nr_code_pages++] = (uint32_t)page;
	}
	return first;
}

bool rv_dcache_page_has_code(const struct rv_dcache *dc, const uint8_t *hpage)
{
	if (!rv_dcache_covers(dc, hpage))
		return false;
	return dc->page_head[(uint64_t)(hpage - dc->ram) >> RV_PAGE_SHIFT] != NULL;
}

void rv_dcache_invalidate_page(struct rv_dcache *dc, const uint8_t *hpage)
{
	uint64_t page;

	if (!rv_dcache_covers(dc, hpage))
		return;
	page = (uint64_t)(hpage - dc->ram) >> RV_PAGE_SHIFT;
	for (struct rv_block *b = dc->page_head[page]; b; b = b->page_next) {
		/* unlink from its hash chain so lookups miss */
		struct rv_block **pp = &dc->hash[hash_of(b->host_pc)];

		while (*pp && *pp != b)
			pp = &(*pp)->hash_next;
		if (*pp)
			*pp = b->hash_next;
		b->host_pc = NULL;
	}
	/* the page stays listed in code_pages until the next flush */
	dc->page_head[page] = NULL;
}
