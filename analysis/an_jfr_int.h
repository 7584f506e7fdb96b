/*
 * an_jfr_int.h - what the JFR reader's modules share (not a public API).
 *
 * A chunk is held whole in memory while it is read: the metadata module
 * (an_jfr_meta.c) turns its metadata event into classes, the pool module
 * (an_jfr_pool.c) indexes its checkpoint events and resolves references
 * on demand, and an_jfr.c reads headers and events.
 */
#ifndef AN_JFR_INT_H
#define AN_JFR_INT_H

#include <stddef.h>
#include <stdint.h>

#include "an_err.h"
#include "an_jfr.h"

#define JFR_HEADER_SIZE 68
#define JFR_MAX_DEPTH 32	/* nesting of inline types and elements */

/* Primitive kinds of a class, from its name. */
enum jfr_prim {
	JP_NONE, JP_BOOLEAN, JP_BYTE, JP_CHAR, JP_SHORT, JP_INT, JP_LONG,
	JP_FLOAT, JP_DOUBLE, JP_STRING
};

struct jfr_field {
	const char *name;
	uint64_t type_id;
	uint32_t cls;		/* index of the field's class */
	uint8_t cpool, array;
};

/* Where the fields an event needs are, per event class (-1: absent). */
struct jfr_plan {
	int ready, want;
	int start, duration, thread, stack, state, samples, weight, tlab;
	int last;		/* index of the last field to read */
};

struct jfr_pool;

struct jfr_class {
	uint64_t id;
	const char *name;
	const char *super;
	struct jfr_field *fields;
	uint32_t nfields;
	uint8_t prim;		/* enum jfr_prim */
	struct jfr_plan plan;
	struct jfr_pool *pool;	/* NULL: no constant pool of this type */
};

/* u64 -> u32 open-addressing map (value 0 means empty: store index+1). */
struct jfr_map {
	uint64_t *keys;
	uint32_t *vals;
	size_t cap, n;
};

struct jfr_pool {
	struct jfr_map map;	/* key -> entry + 1 */
	size_t *off;		/* value offset in the chunk, per entry */
	void **cache;		/* what was resolved, per entry */
	uint8_t *busy;		/* resolution in progress (cycle guard) */
	size_t n, cap;
};

struct jfr_arena_block;

struct jfr_chunk {
	const char *name;	/* input name, for messages */
	struct an_err *err;
	const uint8_t *base;	/* the whole chunk */
	uint64_t size;
	uint64_t index;		/* chunk number */
	uint64_t file_off;	/* offset of the chunk in the input */
	int compressed;
	uint16_t major, minor;
	int64_t start_ns, duration_ns, start_ticks, tps;
	uint64_t cp_off, meta_off;
	uint64_t budget;	/* decoding steps left (absurd nesting) */
	uint64_t missing;	/* references to constants not defined */

	struct jfr_arena_block *arena;

	struct jfr_class *classes;
	uint32_t nclasses;
	struct jfr_map class_by_id;
	int64_t string_cls;	/* index of java.lang.String, -1 if none */

	/* The chunk before, kept while this one is read: as the JDK's parser
	 * does, a constant this chunk lacks is looked up there. */
	struct jfr_chunk *prev;
};

struct jfr_cur {
	const uint8_t *p, *end;
};

/* Fail with "NAME: chunk N at byte OFF: message"; returns AN_EDATA. */
int jfr_fail(struct jfr_chunk *ck, const uint8_t *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int jfr_oom(struct jfr_chunk *ck);

void *jfr_alloc(struct jfr_chunk *ck, size_t n);
void jfr_arena_free(struct jfr_chunk *ck);

int jfr_map_put(struct jfr_map *m, uint64_t key, uint32_t val);
uint32_t jfr_map_get(const struct jfr_map *m, uint64_t key);
void jfr_map_free(struct jfr_map *m);

/* Integer readers honouring the chunk's encoding (the one-byte varint,
 * the common case, inline). */
int jfr_rd_long_slow(struct jfr_chunk *ck, struct jfr_cur *c, uint64_t *v);
int jfr_rd_int_slow(struct jfr_chunk *ck, struct jfr_cur *c, uint32_t *v, const char *what);

static inline int jfr_rd_long(struct jfr_chunk *ck, struct jfr_cur *c, uint64_t *v)
{
	if (ck->compressed && c->p < c->end && *c->p < 0x80) {
		*v = *c->p++;
		return AN_OK;
	}
	return jfr_rd_long_slow(ck, c, v);
}

static inline int jfr_rd_int(struct jfr_chunk *ck, struct jfr_cur *c, uint32_t *v,
			     const char *what)
{
	if (ck->compressed && c->p < c->end && *c->p < 0x80) {
		*v = *c->p++;
		return AN_OK;
	}
	return jfr_rd_int_slow(ck, c, v, what);
}
int jfr_rd_u8(struct jfr_chunk *ck, struct jfr_cur *c, uint8_t *v);
/* A string (any encoding) into the arena; *s NULL for the null string. */
int jfr_rd_string(struct jfr_chunk *ck, struct jfr_cur *c, const char **s,
		  uint32_t *len);
/* Skip one value of field f. */
int jfr_skip_field(struct jfr_chunk *ck, struct jfr_cur *c,
		   const struct jfr_field *f, int depth);

/* Metadata: fill ck->classes.  Pools: index every checkpoint. */
int jfr_meta_read(struct jfr_chunk *ck);
int jfr_find_field(const struct jfr_class *cls, const char *name);
int jfr_pools_read(struct jfr_chunk *ck);
void jfr_pools_free(struct jfr_chunk *ck);

/* Resolve a reference of class cls (index) and key. */
int jfr_pool_thread(struct jfr_chunk *ck, uint32_t cls, uint64_t key,
		    const struct an_jfr_thread **out);
int jfr_pool_stack(struct jfr_chunk *ck, uint32_t cls, uint64_t key,
		   const struct an_jfr_stack **out);
int jfr_pool_string(struct jfr_chunk *ck, uint32_t cls, uint64_t key,
		    const char **s, uint32_t *len);

#endif
