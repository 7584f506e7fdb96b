#include "an_top.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "an_normalize.h"
#include "an_num.h"

enum { APP_UNKNOWN, APP_YES, APP_NO };

/*
 * Rows live in one arena, each a header followed by its name, so that
 * finding a frame costs two memory accesses (slot, then row and name
 * together) on the hot path; slots hold a 24-bit hash tag and the row's
 * offset / 8 + 1 in 40 bits.
 */
struct row {
	uint64_t self, total, stamp;
	uint32_t app, len;
	uint64_t canon;        /* offset + 1 of the row this frame counts for */
};

#define TAG_SHIFT 40
#define OFF_MASK ((UINT64_C(1) << TAG_SHIFT) - 1)

struct an_top {
	char *arena;           /* rows, 8-byte aligned */
	size_t used, cap, nrows, max_bytes;
	uint64_t *slots;
	size_t nslots;
	enum an_top_by by;
	pcre2_code *app_re;
	pcre2_match_data *md;
	char *prefix;
	size_t prefix_len;
	unsigned norm;         /* AN_NORM_* rules applied to each frame name */
	char *scratch;         /* a frame name being normalised */
	size_t scratch_cap;
	int filtered;          /* an application test is set */
	uint64_t total, stamp, no_app;
};

int an_top_new(struct an_top **out, const struct an_top_opts *o, struct an_err *err)
{
	struct an_top *t = calloc(1, sizeof *t);
	size_t i;

	*out = NULL;
	if (!t || !(t->slots = calloc(1024, sizeof *t->slots))) {
		free(t);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	t->nslots = 1024;
	t->max_bytes = o->max_bytes ? o->max_bytes : (size_t)4 << 30;
	t->by = o->by;
	t->norm = o->normalize;
	if (o->app_regex) {
		int ec;
		PCRE2_SIZE off;
		char q[200];

		t->app_re = pcre2_compile((PCRE2_SPTR)o->app_regex, PCRE2_ZERO_TERMINATED,
					  PCRE2_UTF, &ec, &off, NULL);
		if (!t->app_re) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(ec, msg, sizeof msg);
			an_err_set(err, AN_EDATA, "bad regular expression '%s': %s at offset %zu",
				   an_err_quote(q, sizeof q, o->app_regex, strlen(o->app_regex)),
				   (const char *)msg, (size_t)off);
			an_top_free(t);
			return AN_EDATA;
		}
		t->md = pcre2_match_data_create(1, NULL);
		t->filtered = 1;
	}
	if (o->app_prefix) {
		t->prefix = strdup(o->app_prefix);
		t->prefix_len = strlen(o->app_prefix);
		if (t->prefix && !strchr(t->prefix, '/'))
			for (i = 0; i < t->prefix_len; i++)
				if (t->prefix[i] == '.')
					t->prefix[i] = '/';
		t->filtered = 1;
	}
	if ((o->app_prefix && !t->prefix) || (o->app_regex && !t->md)) {
		an_top_free(t);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	*out = t;
	return AN_OK;
}

void an_top_free(struct an_top *t)
{
	if (!t)
		return;
	free(t->arena);
	free(t->slots);
	free(t->scratch);
	pcre2_code_free(t->app_re);
	pcre2_match_data_free(t->md);
	free(t->prefix);
	free(t);
}

size_t an_top_class(const char *frame, size_t len)
{
	size_t i;

	if (len >= 5 && frame[len - 4] == '_' && frame[len - 3] == '[' &&
	    frame[len - 1] == ']' && memchr("jik01", frame[len - 2], 5))
		len -= 4;
	if (!len || frame[0] == '[')
		return len;
	for (i = len; i-- > 2;)
		if (frame[i - 1] == ':' && frame[i - 2] == ':')
			return i - 2;
	if (!memchr(frame, '/', len))
		return len;
	for (i = len; i-- > 1;)
		if (frame[i] == '.')
			return i;
	return len;
}

static int is_app(struct an_top *t, const char *s, size_t n, struct an_err *err)
{
	if (t->prefix && n >= t->prefix_len && memcmp(s, t->prefix, t->prefix_len) == 0)
		return 1;
	if (t->app_re) {
		int rc = pcre2_match(t->app_re, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK,
				     t->md, NULL);

		if (rc >= 0)
			return 1;
		if (rc != PCRE2_ERROR_NOMATCH) {
			PCRE2_UCHAR msg[256];
			char q[200];

			pcre2_get_error_message(rc, msg, sizeof msg);
			an_err_set(err, AN_EDATA, "application pattern failed on '%s': %s",
				   an_err_quote(q, sizeof q, s, n), (const char *)msg);
			return -1;
		}
	}
	return 0;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/*
 * The row table's own hash (an_hash_bytes is the map's): 16 bytes per
 * multiply, in the manner of wyhash, with overlapping loads for the tail.
 */
static uint64_t mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static uint64_t load64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint64_t load32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t frame_hash(const char *s, size_t n)
{
	const uint64_t k0 = UINT64_C(0xa0761d6478bd642f), k1 = UINT64_C(0xe7037ed1a0b428db);
	uint64_t h = k0 ^ n, a, b;
	size_t i = 0;

	for (; i + 16 < n; i += 16)
		h = mix(load64(s + i) ^ k1, load64(s + i + 8) ^ h);
	s += i;
	n -= i;
	if (n >= 8) {
		a = load64(s);
		b = load64(s + n - 8);
	} else if (n >= 4) {
		a = load32(s);
		b = load32(s + n - 4);
	} else {
		a = n ? ((uint64_t)(unsigned char)s[0] << 16 |
			 (uint64_t)(unsigned char)s[n / 2] << 8 | (unsigned char)s[n - 1]) : 0;
		b = 0;
	}
	return mix(k1 ^ n, mix(a ^ k1, b ^ h));
}

static struct row *row_at(const struct an_top *t, uint64_t slot)
{
	return (struct row *)(t->arena + ((slot & OFF_MASK) - 1) * 8);
}

static const char *row_name(const struct row *r)
{
	return (const char *)(r + 1);
}

static int over_cap(const struct an_top *t, size_t more, struct an_err *err)
{
	if (t->cap + t->nslots * sizeof *t->slots + more <= t->max_bytes)
		return 0;
	an_err_set(err, AN_ESYS, "more distinct frames than the memory cap of %zu MiB holds",
		   t->max_bytes >> 20);
	return 1;
}

static int grow_slots(struct an_top *t, struct an_err *err)
{
	size_t i, n = t->nslots * 2, mask = n - 1;
	uint64_t *ns;

	if (over_cap(t, n * sizeof *ns, err))
		return -1;
	if (!(ns = calloc(n, sizeof *ns))) {
		an_err_set(err, AN_ESYS, "out of memory");
		return -1;
	}
	for (i = 0; i < t->nslots; i++) {
		uint64_t v = t->slots[i];
		const struct row *r;
		size_t j;

		if (!v)
			continue;
		r = row_at(t, v);
		j = (size_t)frame_hash(row_name(r), r->len) & mask;
		while (ns[j])
			j = (j + 1) & mask;
		ns[j] = v;
	}
	free(t->slots);
	t->slots = ns;
	t->nslots = n;
	return 0;
}

/* Offset of a new zeroed row named s[0..n); -1 with err set on failure. */
static int64_t new_row(struct an_top *t, const char *s, size_t n, struct an_err *err)
{
	size_t need = sizeof(struct row) + ((n + 7) & ~(size_t)7);
	struct row *r;

	if (t->used + need > t->cap) {
		size_t nc = t->cap ? 2 * t->cap : 1 << 16;
		char *na;

		while (nc < t->used + need)
			nc *= 2;
		if (over_cap(t, nc - t->cap, err))
			return -1;
		if (!(na = realloc(t->arena, nc))) {
			an_err_set(err, AN_ESYS, "out of memory");
			return -1;
		}
		t->arena = na;
		t->cap = nc;
	}
	if (t->used / 8 + 1 > OFF_MASK) {
		an_err_set(err, AN_ESYS, "too many distinct frames");
		return -1;
	}
	r = (struct row *)(t->arena + t->used);
	memset(r, 0, sizeof *r);
	r->len = (uint32_t)n;
	memcpy(r + 1, s, n);
	t->used += need;
	t->nrows++;
	return (int64_t)(t->used - need);
}

/* The row named s[0..n), created if absent (and `create`); NULL with err
 * set on failure, or NULL with err untouched when absent. */
static struct row *find_row_h(struct an_top *t, const char *s, size_t n, uint64_t h,
			      int create, struct an_err *err)
{
	uint64_t tag = h >> TAG_SHIFT;
	size_t mask = t->nslots - 1, i = (size_t)h & mask;
	int64_t off;

	for (;; i = (i + 1) & mask) {
		uint64_t v = t->slots[i];
		struct row *r;

		if (!v)
			break;
		if ((v >> TAG_SHIFT) != tag)
			continue;
		r = row_at(t, v);
		if (r->len == n && memcmp(row_name(r), s, n) == 0)
			return r;
	}
	if (!create)
		return NULL;
	if (n > UINT32_MAX) {
		an_err_set(err, AN_EDATA, "frame name over 4 GiB");
		return NULL;
	}
	if ((t->nrows + 1) * 2 > t->nslots) {
		if (grow_slots(t, err) < 0)
			return NULL;
		mask = t->nslots - 1;
		for (i = (size_t)h & mask; t->slots[i]; i = (i + 1) & mask)
			;
	}
	if ((off = new_row(t, s, n, err)) < 0)
		return NULL;
	t->slots[i] = tag << TAG_SHIFT | ((uint64_t)off / 8 + 1);
	return (struct row *)(t->arena + off);
}

static struct row *find_row(struct an_top *t, const char *s, size_t n, int create,
			    struct an_err *err)
{
	return find_row_h(t, s, n, frame_hash(s, n), create, err);
}

/* Frames are looked up in batches: all their slots, then all their rows,
 * are prefetched before the first is compared, so that the cache misses
 * of a batch overlap instead of coming one after the other. */
#define BATCH 32

struct pending {
	const char *s;
	size_t n;
	uint64_t h;
};

/*
 * Offset of the row that frame row `off` counts for: the row of its name
 * after normalisation and, with AN_TOP_CLASS, reduced to its class.  It is
 * resolved once per distinct frame name and remembered in the row, so
 * normalising and class-splitting cost nothing per stack.
 */
static int64_t canon_of(struct an_top *t, int64_t off, struct an_err *err)
{
	struct row *r = (struct row *)(t->arena + off), *c;
	size_t n = r->len;

	if (r->canon)
		return (int64_t)r->canon - 1;
	if (!t->norm && t->by == AN_TOP_METHOD) {
		r->canon = (uint64_t)off + 1;
		return off;
	}
	if (n > t->scratch_cap) {
		char *ns = realloc(t->scratch, n);

		if (!ns) {
			an_err_set(err, AN_ESYS, "out of memory");
			return -1;
		}
		t->scratch = ns;
		t->scratch_cap = n;
	}
	n = an_normalize_frame(t->norm, row_name(r), n, t->scratch);
	if (t->by == AN_TOP_CLASS)
		n = an_top_class(t->scratch, n);
	if (!(c = find_row(t, t->scratch, n, 1, err)))   /* may move the arena */
		return -1;
	((struct row *)(t->arena + off))->canon = (uint64_t)((char *)c - t->arena) + 1;
	return (char *)c - t->arena;
}

/* Count a stack's frame for row `off`; *self_off becomes it if it is an
 * application row (offsets, as the arena may move). */
static int count_row(struct an_top *t, int64_t off, uint64_t count, int64_t *self_off,
		     struct an_err *err)
{
	struct row *r = (struct row *)(t->arena + off);

	if (r->app == APP_UNKNOWN) {
		int a = t->filtered ? is_app(t, row_name(r), r->len, err) : 1;

		if (a < 0)
			return AN_EDATA;
		r->app = a ? APP_YES : APP_NO;
	}
	if (r->app == APP_YES) {
		if (r->stamp != t->stamp) {
			r->stamp = t->stamp;
			r->total = sat_add(r->total, count);
		}
		*self_off = off;
	}
	return AN_OK;
}

int an_top_add(struct an_top *t, const char *stack, size_t len, uint64_t count,
	       struct an_err *err)
{
	struct pending b[BATCH];
	int64_t self_off = -1;
	size_t pos = 0, nb, i;

	/* every row's self and total is at most the grand total: checking it
	 * is enough (the rows' sums never saturate) */
	if (t->total > UINT64_MAX - count)
		return an_err_set(err, AN_EDATA, "count sum overflows 64 bits");
	t->stamp++;
	t->total += count;
	while (pos <= len) {
		size_t mask = t->nslots - 1;

		for (nb = 0; nb < BATCH && pos <= len; nb++) {
			const char *f = stack + pos, *semi = memchr(f, ';', len - pos);
			size_t flen = semi ? (size_t)(semi - f) : len - pos;

			b[nb].s = f;
			b[nb].n = flen;
			b[nb].h = frame_hash(f, flen);
			__builtin_prefetch(&t->slots[b[nb].h & mask]);
			pos += flen + 1;
		}
		for (i = 0; i < nb; i++) {
			uint64_t v = t->slots[b[i].h & mask];

			if (v && (v >> TAG_SHIFT) == (b[i].h >> TAG_SHIFT))
				__builtin_prefetch(row_at(t, v));
		}
		for (i = 0; i < nb; i++) {
			struct row *r = find_row_h(t, b[i].s, b[i].n, b[i].h, 1, err);
			int64_t c;

			if (!r || (c = canon_of(t, (char *)r - t->arena, err)) < 0)
				return err ? (int)err->status : AN_ESYS;
			if (count_row(t, c, count, &self_off, err) != AN_OK)
				return AN_EDATA;
		}
	}
	if (self_off < 0) {
		t->no_app = sat_add(t->no_app, count);
		return AN_OK;
	}
	((struct row *)(t->arena + self_off))->self =
		sat_add(((struct row *)(t->arena + self_off))->self, count);
	return AN_OK;
}

uint64_t an_top_total(const struct an_top *t)
{
	return t->total;
}

int an_top_lookup(const struct an_top *t, const char *name, size_t len,
		  uint64_t *self, uint64_t *total)
{
	const struct row *r = find_row((struct an_top *)t, name, len, 0, NULL);

	*self = *total = 0;
	if (!r) {
		if (t->no_app && len == strlen(AN_TOP_NO_APP) &&
		    memcmp(name, AN_TOP_NO_APP, len) == 0) {
			*self = *total = t->no_app;
			return 1;
		}
		return 0;
	}
	if (r->app != APP_YES)
		return 0;
	*self = r->self;
	*total = r->total;
	return 1;
}

/* A row to print; the "[no app frame]" row has no map id. */
struct line {
	const char *name;
	size_t len;
	uint64_t self, total;
};

static int cmp_line(const void *a, const void *b, void *ctx)
{
	const struct line *x = a, *y = b;
	int by_total = *(const int *)ctx, c;
	uint64_t kx = by_total ? x->total : x->self, ky = by_total ? y->total : y->self;

	if (kx != ky)
		return kx > ky ? -1 : 1;
	c = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);
	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* A frame name as a TSV field: only what would break the row is escaped. */
static void put_name(FILE *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '\\': fputs("\\\\", f); break;
		case '\t': fputs("\\t", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		default: putc(s[i], f);
		}
	}
}

static void put_pct(FILE *f, uint64_t v, uint64_t total)
{
	char b[AN_NUM_BUF];

	fputs(an_num_fmt_fixed(b, total ? 100.0 * (double)v / (double)total : 0.0, 2), f);
}

int an_top_write(const struct an_top *t, FILE *f, enum an_top_sort sort, size_t limit,
		 struct an_err *err)
{
	size_t i, n = 0, off = 0, count = t->nrows;
	struct line *lines = malloc((count + 1) * sizeof *lines);
	int by_total = sort == AN_TOP_SORT_TOTAL;
	char b[AN_NUM_BUF];

	if (!lines)
		return an_err_sys(err, ENOMEM, "out of memory sorting %zu rows", count);
	for (i = 0; i < count; i++) {
		const struct row *r = (const struct row *)(t->arena + off);

		off += sizeof(struct row) + ((r->len + 7) & ~(size_t)7);
		if (r->app != APP_YES || (!r->self && !r->total))
			continue;
		lines[n].name = row_name(r);
		lines[n].len = r->len;
		lines[n].self = r->self;
		lines[n].total = r->total;
		n++;
	}
	if (t->no_app) {
		lines[n].name = AN_TOP_NO_APP;
		lines[n].len = strlen(AN_TOP_NO_APP);
		lines[n].self = lines[n].total = t->no_app;
		n++;
	}
	qsort_r(lines, n, sizeof *lines, cmp_line, &by_total);
	if (limit && limit < n)
		n = limit;
	fprintf(f, "self\tself%%\ttotal\ttotal%%\t%s\n", t->by == AN_TOP_CLASS ? "class" : "frame");
	for (i = 0; i < n; i++) {
		fputs(an_num_fmt_u64(b, lines[i].self), f);
		putc('\t', f);
		put_pct(f, lines[i].self, t->total);
		putc('\t', f);
		fputs(an_num_fmt_u64(b, lines[i].total), f);
		putc('\t', f);
		put_pct(f, lines[i].total, t->total);
		putc('\t', f);
		put_name(f, lines[i].name, lines[i].len);
		putc('\n', f);
	}
	free(lines);
	if (ferror(f))
		return an_err_sys(err, errno ? errno : EIO, "write error");
	return AN_OK;
}
