/* dcache.h - decode cache: basic blocks of decoded instructions keyed by the
 * host address of their first byte in guest RAM (equivalently, by guest-
 * physical address, since one RAM byte has one host address).
 *
 * A block holds the instructions from its start up to and including the
 * first one that ends a block (rv_op_ends_block), the end of the page, or
 * RV_BLOCK_MAX instructions; a pseudo END instruction closes blocks that stop
 * without a control transfer. Blocks never span pages, so invalidating the
 * blocks that start in a page is enough when that page is written.
 *
 * Invalidation: stores to a page holding decoded code go through the TLB
 * slow path (the write TLB never maps such pages) and drop the page's blocks;
 * fence.i (and a full arena) flushes everything, which also covers guest RAM
 * written by device DMA.
 */
#ifndef MACHINA_RV64_DCACHE_H
#define MACHINA_RV64_DCACHE_H

#include "cpu/rv64/insn.h"
#include "core/types.h"

#define RV_BLOCK_MAX 64
/* a block's size in the arena at most */
#define RV_BLOCK_BYTES_MAX(hdr, insn) ((hdr) + (RV_BLOCK_MAX + 1) * (insn))

struct rv_block {
	const uint8_t *host_pc;		/* key; NULL once invalidated */
	struct rv_block *hash_next;
	struct rv_block *page_next;	/* blocks starting in the same page */
	/* Chained successors live in the exit instructions (insn[i].link).
	 * A link is only a hint: an in-page one (the target lies in this
	 * block's page, so the translation that found this block holds) is
	 * entered while its block is valid (host_pc not NULL); others only
	 * when its host_pc equals the host address the fetch TLB gives for the
	 * new pc. So invalidated blocks are never entered. Links are only
	 * written between blocks of the same cache generation (see exec.c). */
	uint16_t n;			/* decoded entries, including the terminator */
	struct rv_insn insn[];
};

struct rv_dcache;

/* cache the code of RAM [ram, ram + ram_size) */
int must_check rv_dcache_create(struct rv_dcache **dcp, uint8_t *ram, uint64_t ram_size);
void rv_dcache_destroy(struct rv_dcache *dc);

/* the block starting at host address hpc, or NULL */
struct rv_block *rv_dcache_lookup(struct rv_dcache *dc, const uint8_t *hpc);
/* is hpc inside the RAM this cache covers? */
bool rv_dcache_covers(const struct rv_dcache *dc, const uint8_t *hpc);
/* space for a block of up to RV_BLOCK_MAX + 1 instructions; flushes the whole
 * cache first when the arena is full (returns NULL never) */
struct rv_block *rv_dcache_alloc(struct rv_dcache *dc);
/* publish a block filled in after rv_dcache_alloc; returns true when its page
 * just became a code page (the caller then drops write TLB entries to it) */
bool rv_dcache_insert(struct rv_dcache *dc, struct rv_block *b);

bool rv_dcache_page_has_code(const struct rv_dcache *dc, const uint8_t *hpage);
void rv_dcache_invalidate_page(struct rv_dcache *dc, const uint8_t *hpage);
void rv_dcache_flush(struct rv_dcache *dc);

#endif
