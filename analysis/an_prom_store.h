/*
 * an_prom_store.h - the inside of the point store (struct an_prom), shared
 * by the modules that fill it (an_prom_parse.c) and read it
 * (an_prom_write.c).  Not part of the engine's API: tools use an_prom.h.
 */
#ifndef AN_PROM_STORE_H
#define AN_PROM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "an_err.h"
#include "an_prom.h"

/* Value text lives in blocks of BLOCK_SIZE bytes per query. */
#define BLOCK_SHIFT 20
#define BLOCK_SIZE ((size_t)1 << BLOCK_SHIFT)

/* A point: time in ms, value text at offset v >> 16 (length v & 0xffff). */
struct pt {
	int64_t t;
	uint64_t v;
};

struct series {
	struct pt *pts;
	size_t n, cap;
};

struct query {
	char *name;
	struct an_strmap *keys;   /* series label set (escaped) -> id */
	struct series *series;    /* by id */
	size_t nseries, series_cap;
	char **blocks;            /* value text, BLOCK_SIZE each */
	size_t nblocks, block_used;
};

struct an_prom {
	struct query *q;
	size_t nq, q_cap;
	size_t max_memory, used;
};

/*
 * Account for `add` more bytes of p's memory.  Returns AN_OK, or AN_ESYS
 * naming the cap when over it (a resource limit, as every memory cap of
 * the toolkit).
 */
int an_prom_mem_take(struct an_prom *p, size_t add, struct an_err *err);

/*
 * Grow the array *v (capacity *cap elements of size sz) to hold at least
 * `need`, doubling, and count the memory.  Returns AN_OK, or AN_ESYS (cap
 * or out of memory; *v unchanged).
 */
int an_prom_grow(struct an_prom *p, void **v, size_t *cap, size_t need, size_t sz,
		 struct an_err *err);

/*
 * Store value text (len < 65536) for query q; *ref gets offset << 16 | len.
 * Returns AN_OK or AN_ESYS.
 */
int an_prom_text_put(struct an_prom *p, struct query *q, const char *s, size_t len,
		     uint64_t *ref, struct an_err *err);

/* The text of a reference made by an_prom_text_put and its length; valid
 * until the query is released. */
const char *an_prom_text_get(const struct query *q, uint64_t ref, size_t *len);

#endif
