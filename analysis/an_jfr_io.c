/* an_jfr_io.c - the JFR reader's primitives: messages, the chunk arena, the
 * id map, integers (compressed or plain), strings and skipping values. */
#include "an_jfr_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int jfr_fail(struct jfr_chunk *ck, const uint8_t *at, const char *fmt, ...)
{
	char msg[AN_ERR_MSG_MAX];
	va_list ap;
	uint64_t off = ck->file_off;

	if (at && ck->base && at >= ck->base)
		off += (uint64_t)(at - ck->base);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return an_err_set(ck->err, AN_EDATA, "%s: chunk %llu at byte %llu: %s",
			  ck->name, (unsigned long long)ck->index + 1,
			  (unsigned long long)off, msg);
}

int jfr_oom(struct jfr_chunk *ck)
{
	return an_err_sys(ck->err, ENOMEM, "%s: chunk %llu", ck->name,
			  (unsigned long long)ck->index + 1);
}

/* ---- arena: everything decoded from one chunk, freed with it ---- */

struct jfr_arena_block {
	struct jfr_arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

void *jfr_alloc(struct jfr_chunk *ck, size_t n)
{
	struct jfr_arena_block *b = ck->arena;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > (64u << 10) ? n : (64u << 10);

		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->used = 0;
		b->cap = cap;
		b->next = ck->arena;
		ck->arena = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

void jfr_arena_free(struct jfr_chunk *ck)
{
	while (ck->arena) {
		struct jfr_arena_block *n = ck->arena->next;

		free(ck->arena);
		ck->arena = n;
	}
}

/* ---- map ---- */

static size_t hash64(uint64_t k)
{
	k ^= k >> 33;
	k *= UINT64_C(0xff51afd7ed558ccd);
	k ^= k >> 33;
	return (size_t)k;
}

int jfr_map_put(struct jfr_map *m, uint64_t key, uint32_t val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		struct jfr_map nm;
		size_t j;

		nm.cap = m->cap ? m->cap * 2 : 64;
		nm.n = 0;
		nm.keys = malloc(nm.cap * sizeof *nm.keys);
		nm.vals = calloc(nm.cap, sizeof *nm.vals);
		if (!nm.keys || !nm.vals) {
			free(nm.keys);
			free(nm.vals);
			return -1;
		}
		for (j = 0; j < m->cap; j++)
			if (m->vals[j])
				jfr_map_put(&nm, m->keys[j], m->vals[j]);
		jfr_map_free(m);
		*m = nm;
	}
	for (i = hash64(key) & (m->cap - 1); m->vals[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key) {
			m->vals[i] = val;
			return 0;
		}
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
	return 0;
}

uint32_t jfr_map_get(const struct jfr_map *m, uint64_t key)
{
	size_t i;

	if (!m->cap)
		return 0;
	for (i = hash64(key) & (m->cap - 1); m->vals[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key)
			return m->vals[i];
	return 0;
}

void jfr_map_free(struct jfr_map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

/* ---- integers ---- */

static int eod(struct jfr_chunk *ck, struct jfr_cur *c)
{
	return jfr_fail(ck, c->p, "value runs past the end of its event");
}

int jfr_rd_u8(struct jfr_chunk *ck, struct jfr_cur *c, uint8_t *v)
{
	if (c->p >= c->end)
		return eod(ck, c);
	*v = *c->p++;
	return AN_OK;
}

static int rd_fixed(struct jfr_chunk *ck, struct jfr_cur *c, int n, uint64_t *v)
{
	uint64_t r = 0;
	int i;

	if (c->end - c->p < n)
		return eod(ck, c);
	for (i = 0; i < n; i++)
		r = r << 8 | *c->p++;
	*v = r;
	return AN_OK;
}

int jfr_rd_long_slow(struct jfr_chunk *ck, struct jfr_cur *c, uint64_t *v)
{
	uint64_t r = 0;
	int i;

	if (!ck->compressed)
		return rd_fixed(ck, c, 8, v);
	/* Seven bits per byte, low first; the ninth byte carries eight. */
	for (i = 0; i < 8; i++) {
		uint8_t b;

		if (c->p >= c->end)
			return eod(ck, c);
		b = *c->p++;
		r |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			*v = r;
			return AN_OK;
		}
	}
	if (c->p >= c->end)
		return eod(ck, c);
	*v = r | (uint64_t)*c->p++ << 56;
	return AN_OK;
}

/* An int: 32 bits, written zero- or sign-extended when compressed. */
int jfr_rd_int_slow(struct jfr_chunk *ck, struct jfr_cur *c, uint32_t *v, const char *what)
{
	const uint8_t *at = c->p;
	uint64_t r = 0;

	if (!ck->compressed) {
		if (rd_fixed(ck, c, 4, &r) != AN_OK)
			return AN_EDATA;
	} else {
		if (jfr_rd_long(ck, c, &r) != AN_OK)
			return AN_EDATA;
		if (r > UINT32_MAX && r < UINT64_C(0xffffffff80000000))
			return jfr_fail(ck, at, "varint overflow: %s %llu does not fit 32 bits",
					what, (unsigned long long)r);
	}
	*v = (uint32_t)r;
	return AN_OK;
}

/* ---- strings ---- */

static int put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp >= 0xd800 && cp < 0xe000)
		cp = 0xfffd;	/* lone surrogate */
	o[0] = (char)(0xe0 | cp >> 12);
	o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

int jfr_rd_string(struct jfr_chunk *ck, struct jfr_cur *c, const char **s,
		  uint32_t *len)
{
	const uint8_t *at = c->p;
	uint8_t enc = 0;
	uint32_t n, i;
	uint64_t key;
	char *o;
	size_t k = 0;

	if (jfr_rd_u8(ck, c, &enc) != AN_OK)
		return AN_EDATA;
	switch (enc) {
	case 0:
		*s = NULL;
		*len = 0;
		return AN_OK;
	case 1:
		*s = "";
		*len = 0;
		return AN_OK;
	case 2:
		if (jfr_rd_long(ck, c, &key) != AN_OK)
			return AN_EDATA;
		if (ck->string_cls < 0)
			return jfr_fail(ck, at, "string refers to a constant pool, but there is no java.lang.String type");
		return jfr_pool_string(ck, (uint32_t)ck->string_cls, key, s, len);
	case 3:
	case 5:
		if (jfr_rd_int(ck, c, &n, "string length") != AN_OK)
			return AN_EDATA;
		if (n > (size_t)(c->end - c->p))
			return jfr_fail(ck, at, "string of %u bytes runs past the end of its event", n);
		o = jfr_alloc(ck, enc == 3 ? (size_t)n + 1 : (size_t)n * 2 + 1);
		if (!o)
			return jfr_oom(ck);
		if (enc == 3) {
			memcpy(o, c->p, n);
			k = n;
		} else {
			for (i = 0; i < n; i++)
				k += (size_t)put_utf8(o + k, c->p[i]);
		}
		c->p += n;
		break;
	case 4:
		if (jfr_rd_int(ck, c, &n, "string length") != AN_OK)
			return AN_EDATA;
		if (n > (size_t)(c->end - c->p))
			return jfr_fail(ck, at, "string of %u characters runs past the end of its event", n);
		o = jfr_alloc(ck, (size_t)n * 3 + 1);
		if (!o)
			return jfr_oom(ck);
		for (i = 0; i < n; i++) {
			uint32_t ch;

			if (jfr_rd_int(ck, c, &ch, "character") != AN_OK)
				return AN_EDATA;
			k += (size_t)put_utf8(o + k, ch & 0xffff);
		}
		break;
	default:
		return jfr_fail(ck, at, "unknown string encoding %u", enc);
	}
	/* Frame and thread names go into line-based formats: no NUL. */
	for (i = 0; i < k; i++)
		if (!o[i])
			o[i] = '?';
	o[k] = '\0';
	*s = o;
	*len = (uint32_t)k;
	return AN_OK;
}

/* ---- skipping values by their declared layout ---- */

static int skip_one(struct jfr_chunk *ck, struct jfr_cur *c, uint32_t cls, int depth)
{
	const struct jfr_class *k = &ck->classes[cls];
	uint64_t v;
	const char *s;
	uint32_t n, i;

	if (ck->budget-- == 0)
		return jfr_fail(ck, c->p, "absurd nesting of values (decoding budget exhausted)");
	switch (k->prim) {
	case JP_BOOLEAN:
	case JP_BYTE:
		if (c->p >= c->end)
			return eod(ck, c);
		c->p++;
		return AN_OK;
	case JP_CHAR:
	case JP_SHORT:
		if (ck->compressed)
			return jfr_rd_long(ck, c, &v);
		return rd_fixed(ck, c, 2, &v);
	case JP_INT:
		return jfr_rd_int(ck, c, &n, "int");
	case JP_LONG:
		return jfr_rd_long(ck, c, &v);
	case JP_FLOAT:
		return rd_fixed(ck, c, 4, &v);
	case JP_DOUBLE:
		return rd_fixed(ck, c, 8, &v);
	case JP_STRING:
		return jfr_rd_string(ck, c, &s, &n);
	default:
		break;
	}
	if (depth >= JFR_MAX_DEPTH)
		return jfr_fail(ck, c->p, "type '%s' nests deeper than %d levels (cyclic type?)",
				k->name, JFR_MAX_DEPTH);
	for (i = 0; i < k->nfields; i++)
		if (jfr_skip_field(ck, c, &k->fields[i], depth + 1) != AN_OK)
			return AN_EDATA;
	return AN_OK;
}

int jfr_skip_field(struct jfr_chunk *ck, struct jfr_cur *c,
		   const struct jfr_field *f, int depth)
{
	uint32_t n = 1, i;
	uint64_t key;

	if (f->array) {
		if (jfr_rd_int(ck, c, &n, "array length") != AN_OK)
			return AN_EDATA;
		if (n > (size_t)(c->end - c->p) + 1 && n > 0)
			return jfr_fail(ck, c->p, "array of %u elements runs past the end of its event", n);
	}
	for (i = 0; i < n; i++) {
		if (f->cpool) {
			if (jfr_rd_long(ck, c, &key) != AN_OK)
				return AN_EDATA;
		} else if (skip_one(ck, c, f->cls, depth) != AN_OK) {
			return AN_EDATA;
		}
	}
	return AN_OK;
}
