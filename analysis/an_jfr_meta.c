/* an_jfr_meta.c - a chunk's metadata event: a string table, then a tree of
 * elements ("root" > "metadata" > "class" > "field") that declares every
 * type of the chunk.  Turned into ck->classes with fields resolved. */
#include "an_jfr_int.h"

#include <stdlib.h>
#include <string.h>

struct elem {
	uint32_t name;
	uint32_t nattr, nchild;
	uint32_t *attr;		/* key, value string indices */
	struct elem *child;
};

struct meta {
	struct jfr_chunk *ck;
	struct jfr_cur c;
	const char **str;
	uint32_t nstr;
	uint64_t elems_left;
};

static int str_index(struct meta *m, const uint8_t *at, uint32_t *idx)
{
	if (jfr_rd_int(m->ck, &m->c, idx, "string index") != AN_OK)
		return AN_EDATA;
	if (*idx >= m->nstr || !m->str[*idx])
		return jfr_fail(m->ck, at, "metadata string index %u out of range (table of %u)",
				*idx, m->nstr);
	return AN_OK;
}

static int read_elem(struct meta *m, struct elem *e, int depth)
{
	struct jfr_chunk *ck = m->ck;
	const uint8_t *at = m->c.p;
	uint32_t i;

	if (depth > JFR_MAX_DEPTH)
		return jfr_fail(ck, at, "metadata elements nest deeper than %d levels", JFR_MAX_DEPTH);
	if (m->elems_left-- == 0)
		return jfr_fail(ck, at, "more metadata elements than the metadata can hold");
	if (str_index(m, at, &e->name) != AN_OK ||
	    jfr_rd_int(ck, &m->c, &e->nattr, "attribute count") != AN_OK)
		return AN_EDATA;
	if (e->nattr > (size_t)(m->c.end - m->c.p) / 2)
		return jfr_fail(ck, at, "absurd attribute count %u", e->nattr);
	e->attr = jfr_alloc(ck, (size_t)e->nattr * 2 * sizeof *e->attr + 1);
	if (!e->attr)
		return jfr_oom(ck);
	for (i = 0; i < e->nattr * 2; i++)
		if (str_index(m, m->c.p, &e->attr[i]) != AN_OK)
			return AN_EDATA;
	if (jfr_rd_int(ck, &m->c, &e->nchild, "child count") != AN_OK)
		return AN_EDATA;
	if (e->nchild > (size_t)(m->c.end - m->c.p) / 3)
		return jfr_fail(ck, at, "absurd child element count %u", e->nchild);
	e->child = jfr_alloc(ck, (size_t)e->nchild * sizeof *e->child + 1);
	if (!e->child)
		return jfr_oom(ck);
	for (i = 0; i < e->nchild; i++)
		if (read_elem(m, &e->child[i], depth + 1) != AN_OK)
			return AN_EDATA;
	return AN_OK;
}

static const char *attr(const struct meta *m, const struct elem *e, const char *key)
{
	uint32_t i;

	for (i = 0; i < e->nattr; i++)
		if (strcmp(m->str[e->attr[2 * i]], key) == 0)
			return m->str[e->attr[2 * i + 1]];
	return NULL;
}

static int is(const struct meta *m, const struct elem *e, const char *name)
{
	return strcmp(m->str[e->name], name) == 0;
}

static int parse_id(const char *s, uint64_t *v)
{
	uint64_t r = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || r > (UINT64_MAX - 9) / 10)
			return -1;
		r = r * 10 + (uint64_t)(*s - '0');
	}
	*v = r;
	return 0;
}

static enum jfr_prim prim_of(const char *name)
{
	static const struct { const char *n; enum jfr_prim p; } t[] = {
		{ "boolean", JP_BOOLEAN }, { "byte", JP_BYTE }, { "char", JP_CHAR },
		{ "short", JP_SHORT }, { "int", JP_INT }, { "long", JP_LONG },
		{ "float", JP_FLOAT }, { "double", JP_DOUBLE },
		{ "java.lang.String", JP_STRING },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(name, t[i].n) == 0)
			return t[i].p;
	return JP_NONE;
}

static int add_class(struct meta *m, const struct elem *e, const uint8_t *at)
{
	struct jfr_chunk *ck = m->ck;
	struct jfr_class *k = &ck->classes[ck->nclasses];
	const char *name = attr(m, e, "name"), *id = attr(m, e, "id");
	uint32_t i, nf = 0;

	memset(k, 0, sizeof *k);
	if (!name || parse_id(id, &k->id) != 0)
		return jfr_fail(ck, at, "metadata class without a name or a numeric id");
	if (jfr_map_get(&ck->class_by_id, k->id))
		return jfr_fail(ck, at, "metadata declares type id %llu twice",
				(unsigned long long)k->id);
	k->name = name;
	k->super = attr(m, e, "superType");
	k->prim = (uint8_t)prim_of(name);
	for (i = 0; i < e->nchild; i++)
		nf += is(m, &e->child[i], "field");
	k->fields = jfr_alloc(ck, (size_t)nf * sizeof *k->fields + 1);
	if (!k->fields)
		return jfr_oom(ck);
	for (i = 0; i < e->nchild; i++) {
		const struct elem *f = &e->child[i];
		struct jfr_field *fd;
		const char *cp, *dim;

		if (!is(m, f, "field"))
			continue;
		fd = &k->fields[k->nfields++];
		fd->name = attr(m, f, "name");
		if (!fd->name || parse_id(attr(m, f, "class"), &fd->type_id) != 0)
			return jfr_fail(ck, at, "field of type '%s' without a name or a numeric class", name);
		cp = attr(m, f, "constantPool");
		dim = attr(m, f, "dimension");
		fd->cpool = cp && strcmp(cp, "true") == 0;
		fd->array = dim && strcmp(dim, "0") != 0;
		if (dim && strcmp(dim, "0") != 0 && strcmp(dim, "1") != 0)
			return jfr_fail(ck, at, "field '%s' of '%s' has unsupported dimension '%s'",
					fd->name, name, dim);
	}
	if (jfr_map_put(&ck->class_by_id, k->id, ck->nclasses + 1) != 0)
		return jfr_oom(ck);
	if (k->prim == JP_STRING)
		ck->string_cls = ck->nclasses;
	ck->nclasses++;
	return AN_OK;
}

int jfr_find_field(const struct jfr_class *cls, const char *name)
{
	uint32_t i;

	for (i = 0; i < cls->nfields; i++)
		if (strcmp(cls->fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

int jfr_meta_read(struct jfr_chunk *ck)
{
	struct meta m;
	struct elem root;
	const uint8_t *at = ck->base + ck->meta_off;
	uint32_t size, i, j, ncls = 0;
	uint64_t type, v;

	memset(&m, 0, sizeof m);
	m.ck = ck;
	m.c.p = at;
	m.c.end = ck->base + ck->size;
	if (jfr_rd_int(ck, &m.c, &size, "metadata size") != AN_OK)
		return AN_EDATA;
	if (size < 2 || size > ck->size - ck->meta_off)
		return jfr_fail(ck, at, "metadata event of %u bytes does not fit the chunk", size);
	m.c.end = at + size;
	if (jfr_rd_long(ck, &m.c, &type) != AN_OK)
		return AN_EDATA;
	if (type != 0)
		return jfr_fail(ck, at, "metadata offset points at an event of type %llu, not metadata",
				(unsigned long long)type);
	/* start time, duration, metadata id */
	for (i = 0; i < 3; i++)
		if (jfr_rd_long(ck, &m.c, &v) != AN_OK)
			return AN_EDATA;
	if (jfr_rd_int(ck, &m.c, &m.nstr, "string count") != AN_OK)
		return AN_EDATA;
	if (m.nstr > (size_t)(m.c.end - m.c.p))
		return jfr_fail(ck, at, "absurd metadata string count %u", m.nstr);
	m.str = jfr_alloc(ck, (size_t)m.nstr * sizeof *m.str + 1);
	if (!m.str)
		return jfr_oom(ck);
	for (i = 0; i < m.nstr; i++) {
		const uint8_t *sat = m.c.p;
		uint32_t len;

		if (sat < m.c.end && *sat == 2)
			return jfr_fail(ck, sat, "metadata string refers to a constant pool");
		if (jfr_rd_string(ck, &m.c, &m.str[i], &len) != AN_OK)
			return AN_EDATA;
	}
	m.elems_left = (uint64_t)(m.c.end - m.c.p) / 3 + 1;
	if (read_elem(&m, &root, 0) != AN_OK)
		return AN_EDATA;
	for (i = 0; i < root.nchild; i++)
		if (is(&m, &root.child[i], "metadata"))
			for (j = 0; j < root.child[i].nchild; j++)
				ncls += is(&m, &root.child[i].child[j], "class");
	ck->classes = calloc((size_t)ncls + 1, sizeof *ck->classes);
	if (!ck->classes)
		return jfr_oom(ck);
	for (i = 0; i < root.nchild; i++)
		if (is(&m, &root.child[i], "metadata"))
			for (j = 0; j < root.child[i].nchild; j++)
				if (is(&m, &root.child[i].child[j], "class") &&
				    add_class(&m, &root.child[i].child[j], at) != AN_OK)
					return AN_EDATA;
	/* Resolve every field's type. */
	for (i = 0; i < ck->nclasses; i++) {
		struct jfr_class *k = &ck->classes[i];

		for (j = 0; j < k->nfields; j++) {
			uint32_t idx = jfr_map_get(&ck->class_by_id, k->fields[j].type_id);

			if (!idx)
				return jfr_fail(ck, at, "field '%s' of '%s' has unknown type id %llu",
						k->fields[j].name, k->name,
						(unsigned long long)k->fields[j].type_id);
			k->fields[j].cls = idx - 1;
		}
	}
	return AN_OK;
}
