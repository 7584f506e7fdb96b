#include "an_flame.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "an_collapsed.h"
#include "an_strmap.h"

#define NO_PARENT UINT32_MAX
#define NODES_MAX (UINT32_MAX - 1)

/* 24 bytes: the tree of a large profile has millions of nodes.  The
 * second count of diff-folded input is kept apart (f->v1). */
struct node {
	uint32_t name;        /* id in f->names */
	uint32_t parent;
	uint32_t first_child; /* 0: none (the root is nobody's child) */
	uint32_t next_sibling;
	uint64_t v0;
};

/*
 * The index from (parent, name) to node.  A slot holds the node's hash, so
 * a lookup reads only the node whose hash matches (the node it then counts
 * in); its position comes from a hash of the node's path of names (not of
 * node ids), so all the slots of a stack can be fetched into the cache
 * before the first lookup.  8 bytes: the index is as large as the kernel
 * must zero it, twice over while it grows.
 */
struct slot {
	uint32_t hash;
	uint32_t node;        /* index + 1; 0 = empty */
};

struct frame_ref {
	uint32_t name;
	uint32_t hash;        /* of the path from the root to this frame */
};

struct an_flame {
	struct node *nodes;
	size_t count, cap;
	uint64_t *v1;             /* second counts, cap of them; NULL while all 0 */
	struct slot *slots;
	size_t nslots;            /* power of two */
	struct an_strmap *names;  /* frame names, with their hash (uint64_t) */
	struct frame_ref *frames; /* the stack being added, in insertion order */
	size_t frames_cap;
	uint32_t *path;           /* nodes of the previous stack, root excluded */
	size_t path_len, path_cap;
	size_t bytes, max_bytes;
	int ncounts, reverse, strip_diff;
	int ranked;               /* names' data holds ranks, no longer hashes */
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

/*
 * The node array and the index reach hundreds of MiB on big profiles and
 * are touched at random: from BIG bytes on they are mapped directly,
 * zeroed by the kernel, and asked for huge pages, which saves most page
 * faults and TLB misses.  Smaller ones come from malloc (cheap to make and
 * drop).  Both allocators hand out zeroed memory.
 */
#define BIG ((size_t)2 << 20)

static void *big_alloc(size_t size)
{
	void *p;

	if (size < BIG)
		return calloc(1, size);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(p, size, MADV_HUGEPAGE);
#endif
	return p;
}

static void big_free(void *p, size_t size)
{
	if (size < BIG)
		free(p);
	else if (p)
		munmap(p, size);
}

/* Grow p from old to size bytes (not zeroing the new part). */
static void *big_grow(void *p, size_t old, size_t size)
{
	void *q;

	if (size < BIG)
		return realloc(p, size);
	if (old < BIG) {
		q = big_alloc(size);
		if (q) {
			memcpy(q, p, old);
			free(p);
		}
		return q;
	}
	q = mremap(p, old, size, MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(q, size, MADV_HUGEPAGE);
#endif
	return q;
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
	f->names = an_strmap_new(sizeof(uint64_t), f->max_bytes);
	f->cap = 1024;
	f->nodes = big_alloc(f->cap * sizeof *f->nodes);
	f->nslots = 2048;
	f->slots = big_alloc(f->nslots * sizeof *f->slots);
	if (!f->names || !f->nodes || !f->slots ||
	    an_strmap_intern(f->names, "all", 3, NULL, NULL) != 0) {
		an_flame_free(f);
		return NULL;
	}
	f->bytes = f->cap * sizeof *f->nodes + f->nslots * sizeof *f->slots;
	f->nodes[0] = (struct node){ 0, NO_PARENT, 0, 0, 0 };
	f->count = 1;
	return f;
}

void an_flame_free(struct an_flame *f)
{
	if (!f)
		return;
	an_strmap_free(f->names);
	big_free(f->nodes, f->cap * sizeof *f->nodes);
	big_free(f->v1, f->cap * sizeof *f->v1);
	big_free(f->slots, f->nslots * sizeof *f->slots);
	free(f->frames);
	free(f->path);
	free(f);
}

int an_flame_ncounts(const struct an_flame *f)
{
	return f->ncounts;
}

static uint64_t value(const struct an_flame *f, uint32_t id, int which)
{
	return which ? (f->v1 ? f->v1[id] : 0) : f->nodes[id].v0;
}

uint64_t an_flame_total(const struct an_flame *f, int which)
{
	return value(f, 0, which);
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
	struct slot *s;

	if (over_cap(f, (n - f->nslots) * sizeof *s, err))
		return -1;
	s = big_alloc(n * sizeof *s);
	if (!s)
		return an_err_sys(err, ENOMEM, "out of memory (flame graph index)"), -1;
	/* in slot order, so the writes go to two nearly sequential runs */
	for (i = 0; i < f->nslots; i++) {
		size_t j;

		if (!f->slots[i].node)
			continue;
		j = f->slots[i].hash & mask;
		while (s[j].node)
			j = (j + 1) & mask;
		s[j] = f->slots[i];
	}
	f->bytes += (n - f->nslots) * sizeof *s;
	big_free(f->slots, f->nslots * sizeof *s);
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
	if (f->v1 && over_cap(f, (n - f->cap) * (sizeof *p + sizeof *f->v1), err))
		return -1;
	p = big_grow(f->nodes, f->cap * sizeof *p, n * sizeof *p);
	if (!p)
		return an_err_sys(err, ENOMEM, "out of memory (flame graph frames)"), -1;
	f->bytes += (n - f->cap) * sizeof *p;
	f->nodes = p;
	if (f->v1) {
		uint64_t *v = big_grow(f->v1, f->cap * sizeof *v, n * sizeof *v);

		if (!v)
			return an_err_sys(err, ENOMEM, "out of memory (flame graph frames)"), -1;
		f->bytes += (n - f->cap) * sizeof *v;
		f->v1 = v;
	}
	f->cap = n;
	return 0;
}

/* The second counts, from the first non-zero one on. */
static int make_v1(struct an_flame *f, struct an_err *err)
{
	if (over_cap(f, f->cap * sizeof *f->v1, err))
		return -1;
	if (!(f->v1 = big_alloc(f->cap * sizeof *f->v1)))
		return an_err_sys(err, ENOMEM, "out of memory (flame graph frames)"), -1;
	f->bytes += f->cap * sizeof *f->v1;
	return 0;
}

/* Index of the child `fr` of `parent`, created if absent; -1 on error. */
static int64_t child(struct an_flame *f, uint32_t parent, const struct frame_ref *fr,
		     struct an_err *err)
{
	size_t mask = f->nslots - 1, i = fr->hash & mask;
	struct slot *s;

	for (; f->slots[i].node; i = (i + 1) & mask) {
		s = &f->slots[i];
		if (s->hash == fr->hash) {
			const struct node *nd = &f->nodes[s->node - 1];

			if (nd->parent == parent && nd->name == fr->name)
				return s->node - 1;
		}
	}
	if (f->count == f->cap && grow_nodes(f, err) < 0)
		return -1;
	f->nodes[f->count] = (struct node){ fr->name, parent, 0, f->nodes[parent].first_child,
					    0 };
	if (f->v1)
		f->v1[f->count] = 0;
	f->nodes[parent].first_child = (uint32_t)f->count;
	f->slots[i] = (struct slot){ fr->hash, (uint32_t)f->count + 1 };
	f->count++;
	/* up to 3/4 full: a probe run stays within a cache line or two */
	if (f->count * 4 > f->nslots * 3 && grow_slots(f, err) < 0)
		return -1;
	return (int64_t)f->count - 1;
}

/* Intern one frame name; its byte hash is kept beside it. */
static int push_frame(struct an_flame *f, size_t n, const char *s, size_t len,
		      struct an_err *err)
{
	int64_t id;
	int is_new;

	if (n == f->frames_cap) {
		size_t cap = f->frames_cap ? f->frames_cap * 2 : 256;
		struct frame_ref *p = realloc(f->frames, cap * sizeof *p);

		if (!p)
			return an_err_sys(err, ENOMEM, "out of memory (stack frames)");
		f->frames = p;
		f->frames_cap = cap;
	}
	if (f->strip_diff && f->ncounts == 2)
		an_flame_frame_kind(s, len, &len);
	if (len > UINT32_MAX)
		return an_err_set(err, AN_EDATA, "frame name over 4 GiB");
	id = an_strmap_intern(f->names, s, len, &is_new, err);
	if (id < 0)
		return err ? (int)err->status : AN_ESYS;
	if (id > (int64_t)NODES_MAX)
		return an_err_set(err, AN_ESYS, "over %u distinct frame names",
				  (unsigned)NODES_MAX);
	if (is_new)
		*(uint64_t *)an_strmap_data(f->names, (size_t)id) = an_hash_bytes(s, len);
	f->frames[n].name = (uint32_t)id;
	return AN_OK;
}

/* The frames of a stack in insertion order (leaf first when reversed). */
static int collect_frames(struct an_flame *f, const char *stack, size_t len,
			  size_t *n, struct an_err *err)
{
	size_t pos = 0, i;
	const char *s;
	size_t slen;
	int rc;

	*n = 0;
	while (an_stack_next_frame(stack, len, &pos, &s, &slen))
		if ((rc = push_frame(f, (*n)++, s, slen, err)) != AN_OK)
			return rc;
	for (i = 0; f->reverse && i < *n / 2; i++) {
		struct frame_ref t = f->frames[i];

		f->frames[i] = f->frames[*n - 1 - i];
		f->frames[*n - 1 - i] = t;
	}
	return AN_OK;
}

/* Hash every frame's path and fetch its slot while earlier frames are
 * looked up: the index is far larger than the cache. */
static void path_hashes(struct an_flame *f, size_t n)
{
	uint64_t h = 0x243f6a8885a308d3ull;
	size_t i, mask = f->nslots - 1;

	for (i = 0; i < n; i++) {
		h = (h << 27 | h >> 37) ^
		    *(const uint64_t *)an_strmap_data(f->names, f->frames[i].name);
		h *= 0x9e3779b97f4a7c15ull;
		f->frames[i].hash = (uint32_t)(h ^ h >> 32);
		__builtin_prefetch(&f->slots[f->frames[i].hash & mask]);
	}
}

/* Stacks that follow each other often share callers: the previous
 * stack's nodes are tried before the index. */
static int64_t step(struct an_flame *f, uint32_t cur, size_t depth,
		    const struct frame_ref *fr, struct an_err *err)
{
	if (depth < f->path_len) {
		const struct node *nd = &f->nodes[f->path[depth]];

		if (nd->parent == cur && nd->name == fr->name)
			return f->path[depth];
	}
	return child(f, cur, fr, err);
}

static int add_path(struct an_flame *f, size_t n, uint64_t c0, uint64_t c1,
		    struct an_err *err)
{
	uint32_t cur = 0;
	size_t d;

	if (n > f->path_cap) {
		uint32_t *p = realloc(f->path, f->frames_cap * sizeof *p);

		if (!p)
			return an_err_sys(err, ENOMEM, "out of memory (stack frames)");
		f->path = p;
		f->path_cap = f->frames_cap;
	}
	for (d = 0; d < n; d++) {
		int64_t id = step(f, cur, d, &f->frames[d], err);

		if (id < 0) {
			f->path_len = d;
			return err ? (int)err->status : AN_ESYS;
		}
		f->path[d] = cur = (uint32_t)id;
		f->nodes[id].v0 += c0;
		if (f->v1)
			f->v1[id] += c1;
	}
	f->path_len = n;
	return AN_OK;
}

int an_flame_add(struct an_flame *f, const char *stack, size_t len,
		 uint64_t c0, uint64_t c1, struct an_err *err)
{
	struct node *root = &f->nodes[0];
	size_t n;
	int rc;

	if (root->v0 > UINT64_MAX - c0 || value(f, 0, 1) > UINT64_MAX - c1)
		return an_err_set(err, AN_EDATA, "count sum overflows 64 bits");
	if (c1 && !f->v1 && make_v1(f, err) < 0)
		return err ? (int)err->status : AN_ESYS;
	if ((rc = collect_frames(f, stack, len, &n, err)) != AN_OK)
		return rc;
	root->v0 += c0;
	if (f->v1)
		f->v1[0] += c1;
	path_hashes(f, n);
	return add_path(f, n, c0, c1, err);
}

int an_flame_read(struct an_flame *f, struct an_reader *r, struct an_err *err)
{
	char *line;
	size_t len;
	int rc;

	while ((rc = an_reader_getline(r, &line, &len, err)) == 1) {
		struct an_folded fd;
		size_t bom = an_collapsed_bom_len(line, len, an_reader_lineno(r));

		line += bom;
		len -= bom;

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

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_name(const void *a, const void *b, void *ctx)
{
	const struct an_strmap *names = ctx;
	size_t la, lb;
	const char *x = an_strmap_key(names, *(const uint32_t *)a, &la);
	const char *y = an_strmap_key(names, *(const uint32_t *)b, &lb);
	int c = memcmp(x, y, la < lb ? la : lb);

	if (c)
		return c;
	return la < lb ? -1 : la > lb;
}

/* Replace each name's hash by its rank in bytewise order: layout is the
 * last use of the tree (an_flame_add must not follow it). */
static int rank_names(struct an_flame *f, struct an_err *err)
{
	size_t i, n = an_strmap_count(f->names);
	uint32_t *ids = malloc(n * sizeof *ids);

	if (!ids)
		return an_err_sys(err, ENOMEM, "out of memory sorting %zu names", n);
	for (i = 0; i < n; i++)
		ids[i] = (uint32_t)i;
	qsort_r(ids, n, sizeof *ids, cmp_name, f->names);
	for (i = 0; i < n; i++)
		*(uint64_t *)an_strmap_data(f->names, ids[i]) = i;
	free(ids);
	return AN_OK;
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

	out->name = an_strmap_key(f->names, nd->name, &out->name_len);
	out->offset = w->offset;
	out->value = value(f, w->node, which);
	out->other = f->ncounts == 2 ? value(f, w->node, !which) : 0;
	out->depth = w->depth;
}

/* Make room for `need` elements of `size` bytes in *p; -1 when out of memory. */
static int reserve(void *p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 256;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*(void **)p, n * size);
	if (!q)
		return -1;
	*(void **)p = q;
	*cap = n;
	return 0;
}

struct layout {
	uint64_t *kids;               /* children of one node: rank << 32 | id */
	size_t kids_cap;
	struct walk *stack;
	size_t stack_cap, top;
	struct an_flame_frame *frames;
	size_t nframes, frames_cap;
};

/* Lay out one node and push its kept children, sorted by name. */
static int visit(const struct an_flame *f, struct layout *l, int which,
		 uint64_t min_value, const struct walk *w)
{
	const struct node *nd = &f->nodes[w->node];
	uint64_t off = w->offset;
	size_t k, nk = 0;
	uint32_t c;

	if (reserve(&l->frames, &l->frames_cap, l->nframes + 1, sizeof *l->frames) < 0)
		return -1;
	put_frame(f, w, which, &l->frames[l->nframes++]);
	for (c = nd->first_child; c; c = f->nodes[c].next_sibling) {
		uint64_t rank = *(const uint64_t *)an_strmap_data(f->names, f->nodes[c].name);

		if (reserve(&l->kids, &l->kids_cap, nk + 1, sizeof *l->kids) < 0)
			return -1;
		l->kids[nk++] = rank << 32 | c;
		off += value(f, c, which);
	}
	if (nk > 1)
		qsort(l->kids, nk, sizeof *l->kids, cmp_u64);
	if (reserve(&l->stack, &l->stack_cap, l->top + nk, sizeof *l->stack) < 0)
		return -1;
	/* push in reverse so the first child is laid out first */
	for (k = nk; k-- > 0;) {
		uint32_t id = (uint32_t)l->kids[k];
		uint64_t v = value(f, id, which);

		off -= v;
		if (v && v >= min_value)
			l->stack[l->top++] = (struct walk){ id, w->depth + 1, off };
	}
	return 0;
}

int an_flame_layout(struct an_flame *f, int which, uint64_t min_value,
		    struct an_flame_frame **out, size_t *n, uint32_t *max_depth,
		    struct an_err *err)
{
	struct layout l;
	int rc = 0;

	memset(&l, 0, sizeof l);
	*out = NULL;
	*n = 0;
	*max_depth = 0;
	if (!f->ranked && rank_names(f, err) == AN_OK)
		f->ranked = 1;
	if (!f->ranked || reserve(&l.stack, &l.stack_cap, 1, sizeof *l.stack) < 0)
		rc = -1;
	else
		l.stack[l.top++] = (struct walk){ 0, 0, 0 };
	while (!rc && l.top) {
		struct walk w = l.stack[--l.top];

		if (w.depth > *max_depth)
			*max_depth = w.depth;
		rc = visit(f, &l, which, min_value, &w);
	}
	free(l.kids);
	free(l.stack);
	if (rc) {
		free(l.frames);
		return an_err_sys(err, ENOMEM, "out of memory laying out %zu frames",
				  f->count);
	}
	*out = l.frames;
	*n = l.nframes;
	return AN_OK;
}
