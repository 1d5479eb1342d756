/* Linked-list kernel (after CoreMark's list benchmark): build a list of
 * nodes scattered over a pool, search it, reverse it, merge-sort it by two
 * different keys through a comparison callback, unlink and re-insert nodes. */
#include "bench.h"

typedef struct node {
	struct node *next;
	uint32_t key;
	uint16_t idx;
	int16_t val;
} node_t;

#define LIST_N 384
static node_t pool[LIST_N];

typedef int (*node_cmp)(const node_t *a, const node_t *b);

static int cmp_key(const node_t *a, const node_t *b)
{
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (int)a->idx - (int)b->idx;
}

static int cmp_idx(const node_t *a, const node_t *b)
{
	return (int)a->idx - (int)b->idx;
}

static int cmp_val(const node_t *a, const node_t *b)
{
	if (a->val != b->val)
		return (int)a->val - (int)b->val;
	return (int)a->idx - (int)b->idx;
}

/* bottom-up merge sort of a singly linked list (stable) */
static node_t *list_sort(node_t *list, node_cmp cmp)
{
	if (!list)
		return list;
	for (size_t insize = 1;; insize *= 2) {
		node_t *p = list, *tail = NULL;
		size_t nmerges = 0;
		list = NULL;
		while (p) {
			node_t *q = p;
			size_t psize = 0, qsize = insize;
			nmerges++;
			for (size_t i = 0; i < insize; i++) {
				psize++;
				q = q->next;
				if (!q)
					break;
			}
			while (psize > 0 || (qsize > 0 && q)) {
				node_t *e;
				if (psize == 0) {
					e = q; q = q->next; qsize--;
				} else if (qsize == 0 || !q) {
					e = p; p = p->next; psize--;
				} else if (cmp(p, q) <= 0) {
					e = p; p = p->next; psize--;
				} else {
					e = q; q = q->next; qsize--;
				}
				if (tail)
					tail->next = e;
				else
					list = e;
				tail = e;
			}
			p = q;
		}
		tail->next = NULL;
		if (nmerges <= 1)
			return list;
	}
}

static node_t *list_reverse(node_t *list)
{
	node_t *prev = NULL;
	while (list) {
		node_t *next = list->next;
		list->next = prev;
		prev = list;
		list = next;
	}
	return prev;
}

static const node_t *list_find_key(const node_t *list, uint32_t key, uint32_t *steps)
{
	while (list && list->key != key) {
		list = list->next;
		(*steps)++;
	}
	return list;
}

static const node_t *list_find_val(const node_t *list, int16_t val)
{
	while (list && list->val != val)
		list = list->next;
	return list;
}

static uint16_t list_crc(const node_t *list, uint16_t crc)
{
	for (; list; list = list->next) {
		crc = crc16_u32(list->key, crc);
		crc = crc16_update((uint8_t)list->val, crc);
	}
	return crc;
}

/* insert node n in order into a list sorted by cmp */
static node_t *list_insert_sorted(node_t *list, node_t *n, node_cmp cmp)
{
	if (!list || cmp(n, list) <= 0) {
		n->next = list;
		return n;
	}
	node_t *p = list;
	while (p->next && cmp(p->next, n) < 0)
		p = p->next;
	n->next = p->next;
	p->next = n;
	return list;
}

uint32_t bench_list(uint32_t seed)
{
	rng_t r;
	rng_seed(&r, seed ^ 0x1157);
	/* link the pool in a scrambled order: step through it with a stride
	 * coprime to LIST_N so consecutive nodes are far apart in memory */
	size_t stride = 1 + 2 * (rng_next(&r) % 60);
	while (stride % 3 == 0)
		stride += 2;
	node_t *list = NULL;
	size_t pos = rng_next(&r) % LIST_N;
	for (size_t i = 0; i < LIST_N; i++) {
		node_t *n = &pool[pos];
		n->key = rng_next(&r) & 0xffff;
		n->idx = (uint16_t)i;
		n->val = (int16_t)((int32_t)(rng_next(&r) % 2001) - 1000);
		n->next = list;
		list = n;
		pos = (pos + stride) % LIST_N;
	}

	uint32_t acc = 0, steps = 0;
	uint16_t crc = 0;
	/* searches: half hit (keys taken from nodes), half likely miss */
	for (int i = 0; i < 12; i++) {
		uint32_t key = (i & 1) ? (rng_next(&r) & 0xffff) : pool[rng_next(&r) % LIST_N].key;
		const node_t *f = list_find_key(list, key, &steps);
		acc = acc * 31 + (f ? f->idx : 0xffffu);
	}
	list = list_reverse(list);
	for (int i = 0; i < 6; i++) {
		const node_t *f = list_find_val(list, (int16_t)(i * 97 - 300));
		acc = acc * 37 + (f ? (uint32_t)f->idx : 0u);
	}

	list = list_sort(list, cmp_key);
	crc = list_crc(list, crc);

	/* unlink every 5th node and put it back in key order */
	node_t *removed = NULL;
	node_t **pp = &list;
	for (size_t i = 0; *pp; i++) {
		if (i % 5 == 2) {
			node_t *n = *pp;
			*pp = n->next;
			n->val = (int16_t)(n->val ^ 0x55);
			n->next = removed;
			removed = n;
		} else {
			pp = &(*pp)->next;
		}
	}
	while (removed) {
		node_t *n = removed;
		removed = n->next;
		list = list_insert_sorted(list, n, cmp_key);
	}
	crc = list_crc(list, crc);

	list = list_sort(list, cmp_val);
	crc = list_crc(list, crc);
	list = list_sort(list, cmp_idx);
	crc = list_crc(list, crc);

	/* the list must hold every node again, in idx order */
	uint32_t count = 0, ordered = 1;
	for (const node_t *p = list; p; p = p->next, count++)
		if (p->idx != count)
			ordered = 0;
	if (count != LIST_N || !ordered)
		return 0xdead0001u;
	return acc ^ (steps << 16) ^ crc;
}
