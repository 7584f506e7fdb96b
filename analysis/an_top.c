#include "an_top.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_strmap.h"

enum { APP_UNKNOWN, APP_YES, APP_NO };

struct row {
	uint64_t self, total, stamp;
	uint32_t app;
};

struct an_top {
	struct an_strmap *rows;
	enum an_top_by by;
	pcre2_code *app_re;
	pcre2_match_data *md;
	char *prefix;
	size_t prefix_len;
	int filtered;          /* an application test is set */
	uint64_t total, stamp, no_app;
};

int an_top_new(struct an_top **out, const struct an_top_opts *o, struct an_err *err)
{
	struct an_top *t = calloc(1, sizeof *t);
	size_t i;

	*out = NULL;
	if (!t || !(t->rows = an_strmap_new(sizeof(struct row),
					    o->max_bytes ? o->max_bytes : (size_t)4 << 30))) {
		free(t);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	t->by = o->by;
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
		pcre2_jit_compile(t->app_re, PCRE2_JIT_COMPLETE);
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
	an_strmap_free(t->rows);
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

int an_top_add(struct an_top *t, const char *stack, size_t len, uint64_t count,
	       struct an_err *err)
{
	size_t pos = 0;
	int64_t self_id = -1;
	struct row *r = NULL;

	t->stamp++;
	t->total = sat_add(t->total, count);
	while (pos <= len) {
		const char *f = stack + pos, *semi = memchr(f, ';', len - pos);
		size_t flen = semi ? (size_t)(semi - f) : len - pos;
		size_t klen = t->by == AN_TOP_CLASS ? an_top_class(f, flen) : flen;
		int64_t id = an_strmap_intern(t->rows, f, klen, NULL, err);

		if (id < 0)
			return err ? (int)err->status : AN_ESYS;
		r = an_strmap_data(t->rows, (size_t)id);
		if (r->app == APP_UNKNOWN) {
			int a = t->filtered ? is_app(t, f, klen, err) : 1;

			if (a < 0)
				return AN_EDATA;
			r->app = a ? APP_YES : APP_NO;
		}
		if (r->app == APP_YES) {
			if (r->stamp != t->stamp) {
				r->stamp = t->stamp;
				r->total = sat_add(r->total, count);
			}
			self_id = id;
		}
		pos += flen + 1;
	}
	if (self_id < 0) {
		t->no_app = sat_add(t->no_app, count);
		return AN_OK;
	}
	r = an_strmap_data(t->rows, (size_t)self_id);
	r->self = sat_add(r->self, count);
	return AN_OK;
}

uint64_t an_top_total(const struct an_top *t)
{
	return t->total;
}

int an_top_lookup(const struct an_top *t, const char *name, size_t len,
		  uint64_t *self, uint64_t *total)
{
	int64_t id = an_strmap_find(t->rows, name, len);
	const struct row *r;

	*self = *total = 0;
	if (id < 0) {
		if (t->no_app && len == strlen(AN_TOP_NO_APP) &&
		    memcmp(name, AN_TOP_NO_APP, len) == 0) {
			*self = *total = t->no_app;
			return 1;
		}
		return 0;
	}
	r = an_strmap_data(t->rows, (size_t)id);
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
	size_t i, n = 0, count = an_strmap_count(t->rows);
	struct line *lines = malloc((count + 1) * sizeof *lines);
	int by_total = sort == AN_TOP_SORT_TOTAL;
	char b[AN_NUM_BUF];

	if (!lines)
		return an_err_sys(err, ENOMEM, "out of memory sorting %zu rows", count);
	for (i = 0; i < count; i++) {
		const struct row *r = an_strmap_data(t->rows, i);

		if (r->app != APP_YES || (!r->self && !r->total))
			continue;
		lines[n].name = an_strmap_key(t->rows, i, &lines[n].len);
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
