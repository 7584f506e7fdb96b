#include "an_flame.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "an_collapsed.h"
#include "an_strmap.h"

#define NO_PARENT UINT32_MAX
#define NODES_MAX (UINT32_MAX - 1)

struct node {
	const char *name;     /* interned in f->names */
	uint32_t name_len;
	uint32_t parent;
	uint32_t hash;        /* of (parent, name), to skip most compares */
	uint64_t v[2];
};

struct frame_ref {
	const char *s;
	size_t len;
};

struct an_flame {
	struct node *nodes;
	size_t count, cap;
	uint32_t *slots;          /* node index + 1, 0 = empty */
	size_t nslots;            /* power of two */
	struct an_strmap *names;
	struct frame_ref *frames; /* scratch for reversed stacks */
	size_t frames_cap;
	size_t bytes, max_bytes;
	int ncounts, reverse, strip_diff;
};

enum an_frame_kind an_flame_frame_kind(const char *name, size_t len, size_t *shown)
{
	*shown = len;
	if (len > 4 && name[len - 4] == '_' && name[len - 3] == '[' && name[len - 1] == ']') {
		static const char codes[] = "ji01k";
		const char *c = memchr(codes, name[len - 2], 5);

		if (c) {
			*shown = len - 4;
			return (enum an_frame_kind)(AN_KIND_JIT + (c - codes));
		}
	}
	if (len > 2 && name[0] == '[' && name[len - 1] == ']' && memmem(name, len, " tid=", 5))
		return AN_KIND_THREAD;
	if (memchr(name, '/', len))
		return AN_KIND_JIT;
	if (memmem(name, len, "::", 2))
		return AN_KIND_CPP;
	return AN_KIND_NATIVE;
}

struct an_flame *an_flame_new(int ncounts, int flags, size_t max_bytes)
{
	struct an_flame *f = calloc(1, sizeof *f);

	if (!f)
		return NULL;
	f->ncounts = ncounts;
	f->reverse = flags & AN_FLAME_REVERSE;
	f->strip_diff = flags & AN_FLAME_STRIP_DIFF;
	f->max_bytes = max_bytes ? max_bytes : AN_FLAME_MAX_BYTES_DEFAULT;
	f->names = an_strmap_new(0, f->max_bytes);
	f->cap = 1024;
	f->nodes = malloc(f->cap * sizeof *f->nodes);
	f->nslots = 2048;
	f->slots = calloc(f->nslots, sizeof *f->slots);
	if (!f->names || !f->nodes || !f->slots) {
		an_flame_free(f);
		return NULL;
	}
	f->bytes = f->cap * sizeof *f->nodes + f->nslots * sizeof *f->slots;
	f->nodes[0] = (struct node){ "all", 3, NO_PARENT, 0, { 0, 0 } };
	f->count = 1;
	return f;
}

void an_flame_free(struct an_flame *f)
{
	if (!f)
		return;
	an_strmap_free(f->names);
	free(f->nodes);
	free(f->slots);
	free(f->frames);
	free(f);
}

int an_flame_ncounts(const struct an_flame *f)
{
	return f->ncounts;
}

uint64_t an_flame_total(const struct an_flame *f, int which)
{
	return f->nodes[0].v[which];
}

static int over_cap(struct an_flame *f, size_t more, struct an_err *err)
{
	if (f->bytes + more <= f->max_bytes)
		return 0;
	an_err_set(err, AN_ESYS, "flame graph tree over its memory cap of %zu bytes",
		   f->max_bytes);
	return 1;
}

static int grow_slots(struct an_flame *f, struct an_err *err)
{
	size_t i, n = f->nslots * 2, mask = n - 1;
	uint32_t *s;

	if (over_cap(f, n * sizeof *s, err))
		return -1;
	s = calloc(n, sizeof *s);
	if (!s)
		return an_err_sys(err, ENOMEM, "out of memory (flame graph index)"), -1;
	for (i = 1; i < f->count; i++) {
		size_t j = f->nodes[i].hash & mask;

		while (s[j])
			j = (j + 1) & mask;
		s[j] = (uint32_t)i + 1;
	}
	f->bytes += (n - f->nslots) * sizeof *s;
	free(f->slots);
	f->slots = s;
	f->nslots = n;
	return 0;
}

static int grow_nodes(struct an_flame *f, struct an_err *err)
{
	size_t n = f->cap * 2;
	struct node *p;

	if (f->count >= NODES_MAX)
		return an_err_set(err, AN_ESYS, "flame graph over %u frames",
				  (unsigned)NODES_MAX), -1;
	if (n > NODES_MAX)
		n = NODES_MAX;
	if (over_cap(f, (n - f->cap) * sizeof *p, err))
		return -1;
	p = realloc(f->nodes, n * sizeof *p);
	if (!p)
		return an_err_sys(err, ENOMEM, "out of memory (flame graph frames)"), -1;
	f->bytes += (n - f->cap) * sizeof *p;
	f->nodes = p;
	f->cap = n;
	return 0;
}

/* Index of the child `name` of `parent`, created if absent; -1 on error. */
static int64_t child(struct an_flame *f, uint32_t parent, const char *name,
		     size_t len, struct an_err *err)
{
	uint64_t h64 = an_hash_bytes(name, len) ^ (parent * 0x9e3779b97f4a7c15ull);
	uint32_t h = (uint32_t)(h64 ^ h64 >> 32);
	size_t mask = f->nslots - 1, i = h & mask;
	struct node *nd;
	int64_t id;

	for (; f->slots[i]; i = (i + 1) & mask) {
		nd = &f->nodes[f->slots[i] - 1];
		if (nd->hash == h && nd->parent == parent && nd->name_len == len &&
		    memcmp(nd->name, name, len) == 0)
			return f->slots[i] - 1;
	}
	if (len > UINT32_MAX)
		return an_err_set(err, AN_EDATA, "frame name over 4 GiB"), -1;
	if (f->count == f->cap && grow_nodes(f, err) < 0)
		return -1;
	id = an_strmap_intern(f->names, name, len, NULL, err);
	if (id < 0)
		return -1;
	nd = &f->nodes[f->count];
	nd->name = an_strmap_key(f->names, (size_t)id, &len);
	nd->name_len = (uint32_t)len;
	nd->parent = parent;
	nd->hash = h;
	nd->v[0] = nd->v[1] = 0;
	f->slots[i] = (uint32_t)f->count + 1;
	f->count++;
	if (f->count * 2 > f->nslots && grow_slots(f, err) < 0)
		return -1;
	return (int64_t)f->count - 1;
}

static int collect_frames(struct an_flame *f, const char *stack, size_t len,
			  size_t *n, struct an_err *err)
{
	size_t pos = 0;
	struct frame_ref r;

	*n = 0;
	while (an_stack_next_frame(stack, len, &pos, &r.s, &r.len)) {
		if (*n == f->frames_cap) {
			size_t cap = f->frames_cap ? f->frames_cap * 2 : 256;
			struct frame_ref *p = realloc(f->frames, cap * sizeof *p);

			if (!p)
				return an_err_sys(err, ENOMEM, "out of memory (stack frames)");
			f->frames = p;
			f->frames_cap = cap;
		}
		f->frames[(*n)++] = r;
	}
	return AN_OK;
}

static int add_frame(struct an_flame *f, uint32_t *cur, const char *s, size_t len,
		     uint64_t c0, uint64_t c1, struct an_err *err)
{
	int64_t id;

	if (f->strip_diff && f->ncounts == 2)
		an_flame_frame_kind(s, len, &len);
	id = child(f, *cur, s, len, err);

	if (id < 0)
		return err ? (int)err->status : AN_ESYS;
	f->nodes[id].v[0] += c0;
	f->nodes[id].v[1] += c1;
	*cur = (uint32_t)id;
	return AN_OK;
}

int an_flame_add(struct an_flame *f, const char *stack, size_t len,
		 uint64_t c0, uint64_t c1, struct an_err *err)
{
	struct node *root = &f->nodes[0];
	uint32_t cur = 0;
	size_t pos = 0, n, i;
	const char *s;
	size_t slen;
	int rc = AN_OK;

	if (root->v[0] > UINT64_MAX - c0 || root->v[1] > UINT64_MAX - c1)
		return an_err_set(err, AN_EDATA, "count sum overflows 64 bits");
	root->v[0] += c0;
	root->v[1] += c1;
	if (!f->reverse) {
		while (rc == AN_OK && an_stack_next_frame(stack, len, &pos, &s, &slen))
			rc = add_frame(f, &cur, s, slen, c0, c1, err);
		return rc;
	}
	if (collect_frames(f, stack, len, &n, err) != AN_OK)
		return AN_ESYS;
	for (i = n; rc == AN_OK && i-- > 0;)
		rc = add_frame(f, &cur, f->frames[i].s, f->frames[i].len, c0, c1, err);
	return rc;
}

int an_flame_read(struct an_flame *f, struct an_reader *r, struct an_err *err)
{
	char *line;
	size_t len;
	int rc;

	while ((rc = an_reader_getline(r, &line, &len, err)) == 1) {
		struct an_folded fd;

		if (len == 0 || (len == 1 && line[0] == '\r'))
			continue;
		if (!f->ncounts)
			f->ncounts = an_collapsed_detect(line, len);
		if (an_collapsed_parse(line, len, f->ncounts, &fd, err) != AN_OK ||
		    an_flame_add(f, fd.stack, fd.stack_len, fd.count[0], fd.count[1],
				 err) != AN_OK) {
			an_err_prefix(err, "%s:%llu", an_reader_name(r),
				      (unsigned long long)an_reader_lineno(r));
			return err ? (int)err->status : AN_EDATA;
		}
	}
	return rc < 0 ? (err ? (int)err->status : AN_ESYS) : AN_OK;
}

/* Children grouped by parent, each group in bytewise name order. */
static int cmp_child(const void *a, const void *b, void *ctx)
{
	const struct node *nodes = ctx;
	const struct node *x = &nodes[*(const uint32_t *)a];
	const struct node *y = &nodes[*(const uint32_t *)b];
	int c;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	c = memcmp(x->name, y->name, x->name_len < y->name_len ? x->name_len : y->name_len);
	if (c)
		return c;
	return x->name_len < y->name_len ? -1 : x->name_len > y->name_len;
}

struct walk {
	uint32_t node;
	uint32_t depth;
	uint64_t offset;
};

static void put_frame(const struct an_flame *f, const struct walk *w, int which,
		      struct an_flame_frame *out)
{
	const struct node *nd = &f->nodes[w->node];

	out->name = nd->name;
	out->name_len = nd->name_len;
	out->offset = w->offset;
	out->value = nd->v[which];
	out->other = f->ncounts == 2 ? nd->v[!which] : 0;
	out->depth = w->depth;
}

int an_flame_layout(const struct an_flame *f, int which, uint64_t min_value,
		    struct an_flame_frame **out, size_t *n, uint32_t *max_depth,
		    struct an_err *err)
{
	size_t i, nc = f->count - 1, nout = 0, top = 0;
	uint32_t *kids = malloc((nc ? nc : 1) * sizeof *kids);
	size_t *first = calloc(f->count + 1, sizeof *first);
	struct walk *stack = malloc(f->count * sizeof *stack);
	struct an_flame_frame *frames = malloc(f->count * sizeof *frames);

	*out = NULL;
	*n = 0;
	*max_depth = 0;
	if (!kids || !first || !stack || !frames) {
		free(kids), free(first), free(stack), free(frames);
		return an_err_sys(err, ENOMEM, "out of memory laying out %zu frames",
				  f->count);
	}
	for (i = 0; i < nc; i++)
		kids[i] = (uint32_t)(i + 1);
	qsort_r(kids, nc, sizeof *kids, cmp_child, f->nodes);
	for (i = 0; i < nc; i++)
		first[f->nodes[kids[i]].parent + 1]++;
	for (i = 1; i <= f->count; i++)
		first[i] += first[i - 1];
	/* children of node p are kids[first[p] .. first[p + 1]) */
	stack[top++] = (struct walk){ 0, 0, 0 };
	while (top) {
		struct walk w = stack[--top];
		uint64_t off = w.offset;
		size_t k;

		put_frame(f, &w, which, &frames[nout++]);
		if (w.depth > *max_depth)
			*max_depth = w.depth;
		/* push in reverse so the first child is laid out first */
		for (k = first[w.node]; k < first[w.node + 1]; k++)
			off += f->nodes[kids[k]].v[which];
		for (k = first[w.node + 1]; k-- > first[w.node];) {
			uint64_t v = f->nodes[kids[k]].v[which];

			off -= v;
			if (v && v >= min_value)
				stack[top++] = (struct walk){ kids[k], w.depth + 1, off };
		}
	}
	free(kids);
	free(first);
	free(stack);
	*out = frames;
	*n = nout;
	return AN_OK;
}
