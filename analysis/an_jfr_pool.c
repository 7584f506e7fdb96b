/* an_jfr_pool.c - constant pools: every checkpoint event of a chunk is
 * indexed (type, key -> offset of the value) when the chunk is loaded;
 * entries are decoded when first referenced and cached for the chunk. */
#include "an_jfr_int.h"

#include <stdlib.h>
#include <string.h>

static struct jfr_pool *pool_of(struct jfr_chunk *ck, uint32_t cls)
{
	struct jfr_class *k = &ck->classes[cls];

	if (!k->pool)
		k->pool = calloc(1, sizeof *k->pool);
	return k->pool;
}

static int pool_add(struct jfr_chunk *ck, uint32_t cls, uint64_t key, size_t off)
{
	struct jfr_pool *p = pool_of(ck, cls);
	uint32_t idx;

	if (!p)
		return jfr_oom(ck);
	idx = jfr_map_get(&p->map, key);
	if (idx) {		/* a later checkpoint redefines the entry */
		p->off[idx - 1] = off;
		return AN_OK;
	}
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		size_t *o = realloc(p->off, cap * sizeof *o);
		void **c;
		uint8_t *b;

		if (!o)
			return jfr_oom(ck);
		p->off = o;
		if (!(c = realloc(p->cache, cap * sizeof *c)))
			return jfr_oom(ck);
		p->cache = c;
		if (!(b = realloc(p->busy, cap)))
			return jfr_oom(ck);
		p->busy = b;
		p->cap = cap;
	}
	if (p->n >= UINT32_MAX - 1 || jfr_map_put(&p->map, key, (uint32_t)p->n + 1) != 0)
		return jfr_oom(ck);
	p->off[p->n] = off;
	p->cache[p->n] = NULL;
	p->busy[p->n] = 0;
	p->n++;
	return AN_OK;
}

void jfr_pools_free(struct jfr_chunk *ck)
{
	uint32_t i;

	for (i = 0; i < ck->nclasses; i++) {
		struct jfr_pool *p = ck->classes[i].pool;

		if (!p)
			continue;
		jfr_map_free(&p->map);
		free(p->off);
		free(p->cache);
		free(p->busy);
		free(p);
		ck->classes[i].pool = NULL;
	}
}

static int read_checkpoint(struct jfr_chunk *ck, uint64_t off, int64_t *delta)
{
	const uint8_t *at = ck->base + off;
	struct jfr_cur c = { at, ck->base + ck->size };
	uint32_t size, npools, i, n, j;
	uint64_t type, v, key;
	uint8_t flush;

	if (jfr_rd_int(ck, &c, &size, "checkpoint size") != AN_OK)
		return AN_EDATA;
	if (size < 2 || size > ck->size - off)
		return jfr_fail(ck, at, "checkpoint event of %u bytes does not fit the chunk", size);
	c.end = at + size;
	if (jfr_rd_long(ck, &c, &type) != AN_OK)
		return AN_EDATA;
	if (type != 1)
		return jfr_fail(ck, at, "constant pool offset points at an event of type %llu, not a checkpoint",
				(unsigned long long)type);
	if (jfr_rd_long(ck, &c, &v) != AN_OK || jfr_rd_long(ck, &c, &v) != AN_OK ||
	    jfr_rd_long(ck, &c, &v) != AN_OK)
		return AN_EDATA;
	*delta = (int64_t)v;
	if (jfr_rd_u8(ck, &c, &flush) != AN_OK ||
	    jfr_rd_int(ck, &c, &npools, "pool count") != AN_OK)
		return AN_EDATA;
	for (i = 0; i < npools; i++) {
		const uint8_t *pat = c.p;
		struct jfr_field f;
		uint32_t idx;

		if (jfr_rd_long(ck, &c, &type) != AN_OK)
			return AN_EDATA;
		idx = jfr_map_get(&ck->class_by_id, type);
		if (!idx)
			return jfr_fail(ck, pat, "constant pool of unknown type id %llu",
					(unsigned long long)type);
		if (jfr_rd_int(ck, &c, &n, "pool entry count") != AN_OK)
			return AN_EDATA;
		if (n > (size_t)(c.end - c.p))
			return jfr_fail(ck, pat, "absurd entry count %u in the pool of '%s'",
					n, ck->classes[idx - 1].name);
		memset(&f, 0, sizeof f);
		f.cls = idx - 1;
		f.name = "";
		for (j = 0; j < n; j++) {
			if (jfr_rd_long(ck, &c, &key) != AN_OK ||
			    pool_add(ck, idx - 1, key, (size_t)(c.p - ck->base)) != AN_OK ||
			    jfr_skip_field(ck, &c, &f, 0) != AN_OK)
				return ck->err->status;
		}
	}
	return AN_OK;
}

/* The header of the checkpoint at off: its type and the delta to the next. */
static int peek_checkpoint(struct jfr_chunk *ck, uint64_t off, int64_t *delta)
{
	const uint8_t *at = ck->base + off;
	struct jfr_cur c = { at, ck->base + ck->size };
	uint32_t size;
	uint64_t type, v;

	if (jfr_rd_int(ck, &c, &size, "checkpoint size") != AN_OK)
		return AN_EDATA;
	if (size < 2 || size > ck->size - off)
		return jfr_fail(ck, at, "checkpoint event of %u bytes does not fit the chunk", size);
	c.end = at + size;
	if (jfr_rd_long(ck, &c, &type) != AN_OK)
		return AN_EDATA;
	if (type != 1)
		return jfr_fail(ck, at, "constant pool offset points at an event of type %llu, not a checkpoint",
				(unsigned long long)type);
	if (jfr_rd_long(ck, &c, &v) != AN_OK || jfr_rd_long(ck, &c, &v) != AN_OK ||
	    jfr_rd_long(ck, &c, &v) != AN_OK)
		return AN_EDATA;
	*delta = (int64_t)v;
	return AN_OK;
}

int jfr_pools_read(struct jfr_chunk *ck)
{
	uint64_t off = 0, steps = 0, chain = 0;
	int64_t delta = (int64_t)ck->cp_off;
	const uint8_t *p = ck->base + JFR_HEADER_SIZE, *end = ck->base + ck->size;

	/* The header points at a checkpoint; each names the next by its
	 * distance (0 ends the chain).  The chain is checked (offsets inside
	 * the chunk, no cycle), then every checkpoint event of the chunk is
	 * read in file order, later entries replacing earlier ones. */
	while (delta != 0) {
		if ((delta < 0 && (uint64_t)-delta > off) ||
		    (delta > 0 && (uint64_t)delta >= ck->size - off))
			return jfr_fail(ck, NULL, "checkpoint at offset %llu%+lld lies outside the chunk",
					(unsigned long long)off, (long long)delta);
		off += (uint64_t)delta;
		if (off < JFR_HEADER_SIZE)
			return jfr_fail(ck, NULL, "checkpoint offset %llu inside the chunk header",
					(unsigned long long)off);
		if (++steps > ck->size / 8)
			return jfr_fail(ck, NULL, "checkpoint chain longer than the chunk can hold (cyclic offsets)");
		if (peek_checkpoint(ck, off, &delta) != AN_OK)
			return ck->err->status;
		chain++;
	}
	while (p < end) {
		struct jfr_cur c = { p, end };
		uint32_t size;
		uint64_t type;

		if (jfr_rd_int(ck, &c, &size, "event size") != AN_OK)
			return AN_EDATA;
		if (size == 0)
			return jfr_fail(ck, p, "event of size 0");
		if (size > (size_t)(end - p))
			return jfr_fail(ck, p, "event of %u bytes runs past the end of the chunk", size);
		c.end = p + size;
		if (jfr_rd_long(ck, &c, &type) != AN_OK)
			return AN_EDATA;
		if (type == 1 && read_checkpoint(ck, (uint64_t)(p - ck->base), &delta) != AN_OK)
			return ck->err->status;
		p += size;
	}
	(void)chain;
	return AN_OK;
}

/* ---- resolving ---- */

/* The class of the previous chunk named as cls is, if that chunk has
 * key in its pool: its index, else -1. */
static int64_t in_prev(struct jfr_chunk *ck, uint32_t cls, uint64_t key)
{
	struct jfr_chunk *pv = ck->prev;
	uint32_t i;

	if (!pv || key == 0)
		return -1;
	for (i = 0; i < pv->nclasses; i++)
		if (strcmp(pv->classes[i].name, ck->classes[cls].name) == 0)
			return pv->classes[i].pool && jfr_map_get(&pv->classes[i].pool->map, key)
			       ? (int64_t)i : -1;
	return -1;
}

/* Entry of key in the pool of cls: 1 with *e and a cursor, 0 for a null
 * reference, 2 when the previous chunk has it (*e is then that chunk's
 * class index). */
static int entry(struct jfr_chunk *ck, uint32_t cls, uint64_t key, size_t *e,
		 struct jfr_cur *c)
{
	struct jfr_pool *p = ck->classes[cls].pool;
	uint32_t idx = p ? jfr_map_get(&p->map, key) : 0;
	int64_t pc;

	if (!idx && (pc = in_prev(ck, cls, key)) >= 0) {
		*e = (size_t)pc;
		return 2;
	}
	if (!idx) {
		/* The JDK writes references to constants its chunk does not
		 * define (threads it never describes, stack traces of events
		 * flushed after a chunk rotation): its own parser reads them
		 * as null, and so do we, counting them. */
		if (key != 0)
			ck->missing++;
		return 0;
	}
	*e = idx - 1;
	c->p = ck->base + p->off[idx - 1];
	c->end = ck->base + ck->size;
	return 1;
}

static int cycle(struct jfr_chunk *ck, uint32_t cls)
{
	return jfr_fail(ck, NULL, "constant pool entry of '%s' refers to itself (cyclic reference)",
			ck->classes[cls].name);
}

static int str_field(struct jfr_chunk *ck, struct jfr_cur *c,
		     const struct jfr_field *f, const char **s, uint32_t *len)
{
	uint64_t key;

	*s = NULL;
	*len = 0;
	if (f->array)
		return jfr_skip_field(ck, c, f, 0);
	if (f->cpool) {
		if (jfr_rd_long(ck, c, &key) != AN_OK)
			return AN_EDATA;
		return jfr_pool_string(ck, f->cls, key, s, len);
	}
	if (ck->classes[f->cls].prim == JP_STRING)
		return jfr_rd_string(ck, c, s, len);
	return jfr_skip_field(ck, c, f, 0);
}

struct jstr {
	const char *s;
	uint32_t len;
};

int jfr_pool_string(struct jfr_chunk *ck, uint32_t cls, uint64_t key,
		    const char **s, uint32_t *len)
{
	struct jfr_class *k = &ck->classes[cls];
	struct jfr_pool *p;
	struct jfr_cur c;
	struct jstr *js;
	size_t e;
	int r = entry(ck, cls, key, &e, &c), fi, i;

	*s = NULL;
	*len = 0;
	if (r == 2)
		return jfr_pool_string(ck->prev, (uint32_t)e, key, s, len);
	if (r <= 0)
		return r < 0 ? AN_EDATA : AN_OK;
	p = k->pool;
	if ((js = p->cache[e])) {
		*s = js->s;
		*len = js->len;
		return AN_OK;
	}
	if (p->busy[e])
		return cycle(ck, cls);
	p->busy[e] = 1;
	if (k->prim == JP_STRING) {
		r = jfr_rd_string(ck, &c, s, len);
	} else {
		fi = jfr_find_field(k, "string");
		if (fi < 0)
			fi = jfr_find_field(k, "description");
		if (fi < 0)
			fi = jfr_find_field(k, "name");
		r = AN_OK;
		for (i = 0; fi >= 0 && i < fi && r == AN_OK; i++)
			r = jfr_skip_field(ck, &c, &k->fields[i], 0);
		if (fi >= 0 && r == AN_OK)
			r = str_field(ck, &c, &k->fields[fi], s, len);
	}
	p->busy[e] = 0;
	if (r != AN_OK)
		return r;
	if (!(js = jfr_alloc(ck, sizeof *js)))
		return jfr_oom(ck);
	js->s = *s;
	js->len = *len;
	p->cache[e] = js;
	return AN_OK;
}

int jfr_pool_thread(struct jfr_chunk *ck, uint32_t cls, uint64_t key,
		    const struct an_jfr_thread **out)
{
	struct jfr_class *k = &ck->classes[cls];
	struct jfr_cur c;
	struct an_jfr_thread *t;
	const char *osname = NULL, *jname = NULL, *s;
	uint32_t len, i;
	uint64_t v;
	size_t e;
	int r = entry(ck, cls, key, &e, &c);

	*out = NULL;
	if (r == 2)
		return jfr_pool_thread(ck->prev, (uint32_t)e, key, out);
	if (r <= 0)
		return r < 0 ? AN_EDATA : AN_OK;
	if ((*out = k->pool->cache[e]))
		return AN_OK;
	if (!(t = jfr_alloc(ck, sizeof *t)))
		return jfr_oom(ck);
	t->tid = 0;
	if (k->pool->busy[e])
		return cycle(ck, cls);
	k->pool->busy[e] = 1;
	for (i = 0; i < k->nfields && r; i++) {
		const struct jfr_field *f = &k->fields[i];

		if (strcmp(f->name, "osName") == 0 || strcmp(f->name, "javaName") == 0) {
			if (str_field(ck, &c, f, &s, &len) != AN_OK)
				break;
			if (f->name[0] == 'o')
				osname = s;
			else
				jname = s;
		} else if (strcmp(f->name, "osThreadId") == 0 && !f->cpool && !f->array &&
			   ck->classes[f->cls].prim == JP_LONG) {
			if (jfr_rd_long(ck, &c, &v) != AN_OK)
				break;
			t->tid = v;
		} else if (jfr_skip_field(ck, &c, f, 0) != AN_OK) {
			break;
		}
	}
	k->pool->busy[e] = 0;
	if (i < k->nfields)
		return AN_EDATA;
	t->name = jname ? jname : osname ? osname : "";
	k->pool->cache[e] = t;
	*out = t;
	return AN_OK;
}

static enum an_jfr_ftype ftype_of(const char *d)
{
	static const struct { const char *s; enum an_jfr_ftype t; } m[] = {
		{ "Interpreted", AN_JFR_FT_INTERPRETED }, { "JIT compiled", AN_JFR_FT_JIT },
		{ "Inlined", AN_JFR_FT_INLINED }, { "Native", AN_JFR_FT_NATIVE },
		{ "C++", AN_JFR_FT_CPP }, { "Kernel", AN_JFR_FT_KERNEL },
		{ "C1 compiled", AN_JFR_FT_C1 },
	};
	size_t i;

	for (i = 0; d && i < sizeof m / sizeof m[0]; i++)
		if (strcmp(d, m[i].s) == 0)
			return m[i].t;
	return AN_JFR_FT_UNKNOWN;
}

/* A method's names: "class.method", and where "method" starts. */
struct jmeth {
	char *full;
	uint32_t len, moff;
	int javaish;		/* the class name has a '/' */
};

static int method(struct jfr_chunk *ck, uint32_t cls, uint64_t key,
		  const struct jmeth **out)
{
	struct jfr_class *k = &ck->classes[cls];
	struct jfr_cur c;
	struct jmeth *m;
	const char *cname = NULL, *mname = NULL;
	uint32_t clen = 0, mlen = 0, i;
	size_t e;
	int r = entry(ck, cls, key, &e, &c);

	*out = NULL;
	if (r == 2)
		return method(ck->prev, (uint32_t)e, key, out);
	if (r <= 0)
		return r < 0 ? AN_EDATA : AN_OK;
	if ((*out = k->pool->cache[e]))
		return AN_OK;
	for (i = 0; i < k->nfields; i++) {
		const struct jfr_field *f = &k->fields[i];
		int rc;

		if (strcmp(f->name, "name") == 0) {
			rc = str_field(ck, &c, f, &mname, &mlen);
		} else if (strcmp(f->name, "type") == 0 && f->cpool && !f->array) {
			uint64_t ck_key;

			rc = jfr_rd_long(ck, &c, &ck_key);
			if (rc == AN_OK)
				rc = jfr_pool_string(ck, f->cls, ck_key, &cname, &clen);
		} else {
			rc = jfr_skip_field(ck, &c, f, 0);
		}
		if (rc != AN_OK)
			return rc;
	}
	if (!(m = jfr_alloc(ck, sizeof *m)) ||
	    !(m->full = jfr_alloc(ck, (size_t)clen + mlen + 2)))
		return jfr_oom(ck);
	if (clen) {
		memcpy(m->full, cname, clen);
		m->full[clen] = '.';
		m->moff = clen + 1;
	} else {
		m->moff = 0;
	}
	if (mlen)
		memcpy(m->full + m->moff, mname, mlen);
	m->len = m->moff + mlen;
	m->full[m->len] = '\0';
	m->javaish = clen && memchr(cname, '/', clen) != NULL;
	k->pool->cache[e] = m;
	*out = m;
	return AN_OK;
}

static int read_frame(struct jfr_chunk *ck, struct jfr_cur *c, uint32_t cls,
		      struct an_jfr_frame *fr)
{
	const struct jfr_class *k = &ck->classes[cls];
	const struct jmeth *m = NULL;
	const char *desc = NULL;
	uint32_t i, dlen;
	uint64_t key;

	fr->type = AN_JFR_FT_UNKNOWN;
	for (i = 0; i < k->nfields; i++) {
		const struct jfr_field *f = &k->fields[i];
		int rc;

		if (strcmp(f->name, "method") == 0 && f->cpool && !f->array) {
			rc = jfr_rd_long(ck, c, &key);
			if (rc == AN_OK)
				rc = method(ck, f->cls, key, &m);
		} else if (strcmp(f->name, "type") == 0 && !f->array) {
			rc = str_field(ck, c, f, &desc, &dlen);
			fr->type = (uint8_t)ftype_of(desc);
		} else {
			rc = jfr_skip_field(ck, c, f, 0);
		}
		if (rc != AN_OK)
			return rc;
	}
	if (!m) {
		fr->name = "[unknown]";
		fr->len = 9;
		return AN_OK;
	}
	/* async-profiler's naming: native, C++ and kernel frames by their
	 * symbol alone (their "class" is a library), Java frames as
	 * class.method. */
	if (fr->type == AN_JFR_FT_CPP || fr->type == AN_JFR_FT_KERNEL ||
	    (fr->type == AN_JFR_FT_NATIVE && !m->javaish)) {
		fr->name = m->full + m->moff;
		fr->len = m->len - m->moff;
	} else {
		fr->name = m->full;
		fr->len = m->len;
	}
	if (!fr->len) {
		fr->name = "[unknown]";
		fr->len = 9;
	}
	return AN_OK;
}

int jfr_pool_stack(struct jfr_chunk *ck, uint32_t cls, uint64_t key,
		   const struct an_jfr_stack **out)
{
	struct jfr_class *k = &ck->classes[cls];
	struct jfr_cur c;
	struct an_jfr_stack *st;
	struct an_jfr_frame *fr = NULL;
	uint32_t i, j, n = 0;
	size_t e;
	int r = entry(ck, cls, key, &e, &c), truncated = 0;

	*out = NULL;
	if (r == 2)
		return jfr_pool_stack(ck->prev, (uint32_t)e, key, out);
	if (r <= 0)
		return r < 0 ? AN_EDATA : AN_OK;
	if ((*out = k->pool->cache[e]))
		return AN_OK;
	if (k->pool->busy[e])
		return cycle(ck, cls);
	k->pool->busy[e] = 1;
	for (i = 0; i < k->nfields; i++) {
		const struct jfr_field *f = &k->fields[i];
		int rc = AN_OK;

		if (strcmp(f->name, "truncated") == 0 && !f->array && !f->cpool &&
		    ck->classes[f->cls].prim == JP_BOOLEAN) {
			uint8_t b;

			rc = jfr_rd_u8(ck, &c, &b);
			truncated = b != 0;
		} else if (strcmp(f->name, "frames") == 0 && f->array) {
			rc = jfr_rd_int(ck, &c, &n, "frame count");
			if (rc == AN_OK && n > (size_t)(c.end - c.p))
				rc = jfr_fail(ck, c.p, "absurd frame count %u", n);
			if (rc == AN_OK && !(fr = jfr_alloc(ck, (size_t)n * sizeof *fr + 1)))
				rc = jfr_oom(ck);
			for (j = 0; rc == AN_OK && j < n; j++) {
				if (f->cpool) {
					struct jfr_cur fc;
					size_t fe;
					uint64_t fk;
					int fr_r;

					rc = jfr_rd_long(ck, &c, &fk);
					if (rc != AN_OK)
						break;
					fr_r = entry(ck, f->cls, fk, &fe, &fc);
					if (fr_r == 2) {
						struct jfr_chunk *pv = ck->prev;
						struct jfr_pool *pp = pv->classes[fe].pool;

						fc.p = pv->base + pp->off[jfr_map_get(&pp->map, fk) - 1];
						fc.end = pv->base + pv->size;
						rc = read_frame(pv, &fc, (uint32_t)fe, &fr[j]);
					} else if (fr_r < 0)
						rc = AN_EDATA;
					else if (fr_r == 0)
						fr[j].name = "[unknown]", fr[j].len = 9, fr[j].type = 0;
					else
						rc = read_frame(ck, &fc, f->cls, &fr[j]);
				} else {
					rc = read_frame(ck, &c, f->cls, &fr[j]);
				}
			}
		} else {
			rc = jfr_skip_field(ck, &c, f, 0);
		}
		if (rc != AN_OK) {
			k->pool->busy[e] = 0;
			return rc;
		}
	}
	k->pool->busy[e] = 0;
	if (!(st = jfr_alloc(ck, sizeof *st)))
		return jfr_oom(ck);
	st->frames = fr;
	st->n = fr ? n : 0;
	st->truncated = truncated;
	k->pool->cache[e] = st;
	*out = st;
	return AN_OK;
}
