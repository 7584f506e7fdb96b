#include "an_stackdiff.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_collapsed.h"
#include "an_normalize.h"
#include "an_num.h"
#include "an_strmap.h"

struct an_stackdiff {
	struct an_profile *prof;  /* count 0: before, count 1: after */
	int strip_hex;
	unsigned norm_rules;      /* an_normalize.h rules, 0: none */
	size_t max_bytes;
	char *nbuf;               /* stack normalised */
	size_t ncap;
	struct an_strmap *frames; /* frame -> struct frame_acc, of the last table */
	char *buf;                /* stack rewritten by strip_hex */
	size_t cap;
};

/* Per-frame sums while building the table. */
struct frame_acc {
	uint64_t self[2], total[2];
	size_t mark;              /* 1 + id of the last stack counted in total */
};

const char *an_stackdiff_status_name(enum an_stackdiff_status s)
{
	static const char *const names[] = { "same", "changed", "new", "gone" };

	return names[s];
}

struct an_stackdiff *an_stackdiff_new(int strip_hex, size_t max_bytes)
{
	struct an_stackdiff *d = calloc(1, sizeof *d);

	if (!d)
		return NULL;
	d->strip_hex = strip_hex;
	d->max_bytes = max_bytes ? max_bytes : AN_PROFILE_MAX_BYTES_DEFAULT;
	d->prof = an_profile_new(2, d->max_bytes);
	if (!d->prof) {
		free(d);
		return NULL;
	}
	return d;
}

void an_stackdiff_free(struct an_stackdiff *d)
{
	if (!d)
		return;
	an_profile_free(d->prof);
	an_strmap_free(d->frames);
	free(d->nbuf);
	free(d->buf);
	free(d);
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Perl's s/0x[0-9a-fA-F]+/0x.../g into d->buf; returns the new length. */
static int strip_hex(struct an_stackdiff *d, const char *s, size_t len,
		     size_t *out, struct an_err *err)
{
	size_t i = 0, o = 0;

	/* a match is at least 3 bytes and becomes 5: the text at most doubles */
	if (len > (SIZE_MAX - 5) / 2)
		return an_err_set(err, AN_ESYS, "stack too long");
	if (d->cap < 2 * len + 5) {
		char *nb = realloc(d->buf, 2 * len + 5);

		if (!nb)
			return an_err_sys(err, ENOMEM, "out of memory");
		d->buf = nb;
		d->cap = 2 * len + 5;
	}
	while (i < len) {
		if (s[i] == '0' && i + 2 < len && s[i + 1] == 'x' && is_hex(s[i + 2])) {
			for (i += 2; i < len && is_hex(s[i]); i++)
				;
			memcpy(d->buf + o, "0x...", 5);
			o += 5;
		} else {
			d->buf[o++] = s[i++];
		}
	}
	*out = o;
	return AN_OK;
}

void an_stackdiff_set_normalize(struct an_stackdiff *d, unsigned rules)
{
	d->norm_rules = rules;
}

int an_stackdiff_add(struct an_stackdiff *d, int side, const char *stack,
		     size_t len, uint64_t count, struct an_err *err)
{
	if (d->norm_rules && len) {
		if (d->ncap < len) {
			char *nb = realloc(d->nbuf, len);

			if (!nb)
				return an_err_sys(err, ENOMEM, "out of memory");
			d->nbuf = nb;
			d->ncap = len;
		}
		len = an_normalize_stack(d->norm_rules, stack, len, d->nbuf);
		stack = d->nbuf;
	}
	if (d->strip_hex) {
		if (strip_hex(d, stack, len, &len, err) != AN_OK)
			return err ? (int)err->status : AN_ESYS;
		stack = d->buf;
	}
	return an_profile_add(d->prof, stack, len, side ? 0 : count,
			      side ? count : 0, err);
}

int an_stackdiff_read(struct an_stackdiff *d, struct an_reader *r, int side,
		      struct an_err *err)
{
	int rc, first = 1;
	char *line;
	size_t len;

	while ((rc = an_reader_getline(r, &line, &len, err)) == 1) {
		struct an_folded f;
		size_t bom = an_collapsed_bom_len(line, len, an_reader_lineno(r));

		line += bom;
		len -= bom;

		if (len == 0 || (len == 1 && line[0] == '\r'))
			continue;
		if (first && an_collapsed_detect(line, len) == 2) {
			an_err_set(err, AN_EDATA, "line ends in two counts: this is diff-folded "
				   "output, expected collapsed stacks 'stack COUNT'");
			goto located;
		}
		first = 0;
		if (an_collapsed_parse(line, len, 1, &f, err) != AN_OK ||
		    an_stackdiff_add(d, side, f.stack, f.stack_len, f.count[0], err) != AN_OK)
			goto located;
	}
	return rc < 0 ? (err ? (int)err->status : AN_ESYS) : AN_OK;
located:
	an_err_prefix(err, "%s:%llu", an_reader_name(r),
		      (unsigned long long)an_reader_lineno(r));
	return err ? (int)err->status : AN_EDATA;
}

uint64_t an_stackdiff_total(const struct an_stackdiff *d, int side)
{
	return an_profile_total(d->prof, side);
}

size_t an_stackdiff_stacks(const struct an_stackdiff *d)
{
	return an_profile_count(d->prof);
}

uint64_t an_stackdiff_scale(uint64_t count, uint64_t from, uint64_t to)
{
	uint64_t left;
	double q;

	if (from == to || from == 0 || count == 0)
		return count;
	if (to && count > UINT64_MAX / to) {  /* Perl multiplies in doubles */
		q = trunc((double)count * (double)to / (double)from);
		/* beyond 64 bits the count saturates, as the totals do */
		return q >= 18446744073709551616.0 ? UINT64_MAX : (uint64_t)q;
	}
	left = count * to;
	/* Perl divides integers only when the dividend is beyond a double's
	 * 53 bits and the quotient is exact; otherwise in doubles */
	if (left > ((uint64_t)1 << 53) && left % from == 0)
		return left / from;
	return (uint64_t)trunc((double)left / (double)from);
}

int an_stackdiff_write_folded(const struct an_stackdiff *d, int scale, FILE *f,
			      struct an_err *err)
{
	uint64_t t0 = an_profile_total(d->prof, 0), t1 = an_profile_total(d->prof, 1);
	size_t i, n, len;
	size_t *ids = an_profile_sorted(d->prof, &n, err);
	char b[AN_NUM_BUF];

	if (!ids && n)
		return err ? (int)err->status : AN_ESYS;
	for (i = 0; i < n; i++) {
		const char *s = an_profile_stack(d->prof, ids[i], &len);
		uint64_t c0 = an_profile_value(d->prof, ids[i], 0);

		if (scale)
			c0 = an_stackdiff_scale(c0, t0, t1);
		fwrite(s, 1, len, f);
		putc(' ', f);
		fputs(an_num_fmt_u64(b, c0), f);
		putc(' ', f);
		fputs(an_num_fmt_u64(b, an_profile_value(d->prof, ids[i], 1)), f);
		putc('\n', f);
	}
	free(ids);
	if (ferror(f))
		return an_err_sys(err, errno ? errno : EIO, "write error");
	return AN_OK;
}

/* Sum every stack into per-frame self and total counts. */
static int frames_sum(const struct an_stackdiff *d, struct an_strmap *fm,
		      struct an_err *err)
{
	size_t sid, n = an_profile_count(d->prof);

	for (sid = 0; sid < n; sid++) {
		uint64_t c[2] = { an_profile_value(d->prof, sid, 0),
				  an_profile_value(d->prof, sid, 1) };
		size_t len, pos = 0, flen;
		const char *s = an_profile_stack(d->prof, sid, &len), *fr;
		struct frame_acc *a = NULL;
		int k;

		if (!c[0] && !c[1])
			continue;
		while (an_stack_next_frame(s, len, &pos, &fr, &flen)) {
			int64_t id = an_strmap_intern(fm, fr, flen, NULL, err);

			if (id < 0)
				return err ? (int)err->status : AN_ESYS;
			a = an_strmap_data(fm, (size_t)id);
			if (a->mark == sid + 1)
				continue;    /* recursion: once per stack */
			a->mark = sid + 1;
			for (k = 0; k < 2; k++)
				a->total[k] += c[k];
		}
		/* the leaf is the last frame interned (marks do not hide it) */
		for (k = 0; a && k < 2; k++)
			a->self[k] += c[k];
	}
	return AN_OK;
}

typedef unsigned __int128 u128;

/* |after/TA - before/TB| scaled by TA*TB: exact, for ranking. */
static u128 delta_key(uint64_t before, uint64_t after, uint64_t tb, uint64_t ta)
{
	u128 x = (u128)after * (tb ? tb : 1), y = (u128)before * (ta ? ta : 1);

	return x > y ? x - y : y - x;
}

struct sort_ctx {
	uint64_t tb, ta;
	int self;
};

static int cmp_rows(const void *pa, const void *pb, void *ctx)
{
	const struct sort_ctx *sc = ctx;
	const struct an_stackdiff_row *a = pa, *b = pb;
	const uint64_t *ca = sc->self ? a->self : a->total;
	const uint64_t *cb = sc->self ? b->self : b->total;
	u128 ka = delta_key(ca[0], ca[1], sc->tb, sc->ta);
	u128 kb = delta_key(cb[0], cb[1], sc->tb, sc->ta);
	int c;

	if (ka != kb)
		return ka > kb ? -1 : 1;
	c = memcmp(a->frame, b->frame, a->frame_len < b->frame_len ?
		   a->frame_len : b->frame_len);
	if (c)
		return c;
	return a->frame_len < b->frame_len ? -1 : a->frame_len > b->frame_len;
}

static double pct(uint64_t x, uint64_t t)
{
	return t ? 100.0 * (double)x / (double)t : 0.0;
}

static void row_fill(struct an_stackdiff_row *r, const struct frame_acc *a,
		     uint64_t tb, uint64_t ta, enum an_stackdiff_metric m)
{
	int k, same;

	memcpy(r->self, a->self, sizeof r->self);
	memcpy(r->total, a->total, sizeof r->total);
	for (k = 0; k < 2; k++) {
		r->self_pct[k] = pct(a->self[k], k ? ta : tb);
		r->total_pct[k] = pct(a->total[k], k ? ta : tb);
	}
	r->delta_self = r->self_pct[1] - r->self_pct[0];
	r->delta_total = r->total_pct[1] - r->total_pct[0];
	{
		const double *p = m == AN_STACKDIFF_SELF ? r->self_pct : r->total_pct;

		if (p[0] == 0)
			r->rel_change = p[1] == 0 ? NAN : INFINITY;
		else
			r->rel_change = 100.0 * (p[1] / p[0] - 1.0);
	}
	same = delta_key(a->self[0], a->self[1], tb, ta) == 0 &&
	       delta_key(a->total[0], a->total[1], tb, ta) == 0;
	if (!a->total[0])
		r->status = AN_STACKDIFF_NEW;
	else if (!a->total[1])
		r->status = AN_STACKDIFF_GONE;
	else
		r->status = same ? AN_STACKDIFF_SAME : AN_STACKDIFF_CHANGED;
}

int an_stackdiff_table(struct an_stackdiff *d,
		       const struct an_stackdiff_table_opts *opts,
		       struct an_stackdiff_row **rows, size_t *n,
		       struct an_err *err)
{
	struct an_strmap *fm = an_strmap_new(sizeof(struct frame_acc), d->max_bytes);
	struct sort_ctx sc = { an_profile_total(d->prof, 0),
			       an_profile_total(d->prof, 1),
			       opts->sort == AN_STACKDIFF_SELF };
	struct an_stackdiff_row *out = NULL;
	size_t i, nf, kept = 0;

	*rows = NULL;
	*n = 0;
	if (!fm)
		return an_err_sys(err, ENOMEM, "out of memory");
	if (frames_sum(d, fm, err) != AN_OK)
		goto fail;
	nf = an_strmap_count(fm);
	if (nf && !(out = calloc(nf, sizeof *out))) {
		an_err_sys(err, ENOMEM, "out of memory for %zu frames", nf);
		goto fail;
	}
	for (i = 0; i < nf; i++) {
		struct an_stackdiff_row *r = &out[kept];
		const struct frame_acc *a = an_strmap_data(fm, i);

		if (!a->total[0] && !a->total[1])
			continue;
		row_fill(r, a, sc.tb, sc.ta, opts->sort);
		if (fabs(sc.self ? r->delta_self : r->delta_total) < opts->min_delta)
			continue;
		r->frame = an_strmap_key(fm, i, &r->frame_len);
		kept++;
	}
	if (kept)
		qsort_r(out, kept, sizeof *out, cmp_rows, &sc);
	if (opts->limit && kept > opts->limit)
		kept = opts->limit;
	/* the rows' frame names point into the map: keep it until the next
	 * table or the end of the comparison */
	an_strmap_free(d->frames);
	d->frames = fm;
	if (!kept) {
		free(out);
		out = NULL;
	}
	*rows = out;
	*n = kept;
	return AN_OK;
fail:
	free(out);
	an_strmap_free(fm);
	return err ? (int)err->status : AN_ESYS;
}

static void write_frame(FILE *f, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\')
			fputs("\\\\", f);
		else if (s[i] == '\t')
			fputs("\\t", f);
		else if (s[i] == '\r')
			fputs("\\r", f);
		else
			putc(s[i], f);
	}
}

int an_stackdiff_write_table(const struct an_stackdiff_row *rows, size_t n,
			     FILE *f, struct an_err *err)
{
	char b[AN_NUM_BUF];
	size_t i;
	int k;

	fputs("frame\tbefore_self%\tafter_self%\tdelta_self%\tbefore_total%\t"
	      "after_total%\tdelta_total%\trel_change%\tstatus\n", f);
	for (i = 0; i < n && !ferror(f); i++) {
		const struct an_stackdiff_row *r = &rows[i];
		const double v[7] = { r->self_pct[0], r->self_pct[1], r->delta_self,
				      r->total_pct[0], r->total_pct[1], r->delta_total,
				      r->rel_change };

		write_frame(f, r->frame, r->frame_len);
		for (k = 0; k < 7; k++) {
			putc('\t', f);
			fputs(an_num_fmt_fixed(b, v[k], 3), f);
		}
		putc('\t', f);
		fputs(an_stackdiff_status_name(r->status), f);
		putc('\n', f);
	}
	if (ferror(f))
		return an_err_sys(err, errno ? errno : EIO, "write error");
	return AN_OK;
}
