/* an_spikes.c - robust baseline, spike windows, alignment and clipping. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_spikes.h"
#include "an_tsv.h"

#define MAD_SCALE 1.4826
#define MEAN_AD_SCALE 1.2533

static const char *const window_cols[] = {
	"series", "start", "end", "peak_time", "peak", "baseline", "score"
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double an_spikes_median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int in_baseline(const struct an_spikes_opts *o, double t)
{
	return !o->have_baseline || (t >= o->base_start && t <= o->base_end);
}

size_t an_spikes_baseline(const struct an_series *s,
			  const struct an_spikes_opts *o, double *scratch,
			  double *median, double *sigma)
{
	size_t i, n = 0;
	double m, mad, sum = 0;

	for (i = 0; i < s->n; i++)
		if (isfinite(s->pts[i].v) && in_baseline(o, s->pts[i].t))
			scratch[n++] = s->pts[i].v;
	if (n == 0) {
		*median = *sigma = NAN;
		return 0;
	}
	m = an_spikes_median(scratch, n);
	for (i = 0; i < n; i++) {
		scratch[i] = fabs(scratch[i] - m);
		sum += scratch[i];
	}
	mad = an_spikes_median(scratch, n);
	*median = m;
	*sigma = mad > 0 ? MAD_SCALE * mad : MEAN_AD_SCALE * (sum / (double)n);
	return n;
}

void an_windows_init(struct an_windows *w)
{
	memset(w, 0, sizeof *w);
}

void an_windows_release(struct an_windows *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->w[i].series);
	free(w->w);
	an_windows_init(w);
}

/* Append a window named series[0..len); returns it, or NULL with err. */
struct an_window *an_windows_add(struct an_windows *w, const char *series,
				 size_t len, struct an_err *err)
{
	struct an_window *x;

	if (w->n >= AN_WINDOWS_MAX) {
		an_err_set(err, AN_ESYS, "more than %zu windows: over the window cap",
			   AN_WINDOWS_MAX);
		return NULL;
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		void *p = realloc(w->w, cap * sizeof *w->w);

		if (!p)
			goto oom;
		w->w = p;
		w->cap = cap;
	}
	x = &w->w[w->n];
	memset(x, 0, sizeof *x);
	x->series = malloc(len + 1);
	if (!x->series)
		goto oom;
	memcpy(x->series, series, len);
	x->series[len] = '\0';
	x->series_len = len;
	x->coverage = 1;
	w->n++;
	return x;
oom:
	an_err_set(err, AN_ESYS, "out of memory");
	return NULL;
}

struct run {
	size_t first, last, peak;
	double peak_dev;
};

static double deviation(const struct an_spikes_opts *o, double m, double v)
{
	return o->below ? m - v : v - m;
}

static int stands_out(const struct an_spikes_opts *o, double m, double s,
		      double v)
{
	double d = deviation(o, m, v);

	if (isnan(v) || !(d > 0))
		return 0;
	return s > 0 ? d / s > o->threshold : 1;
}

/* Runs of consecutive points that stand out; returns their count. */
static size_t find_runs(const struct an_series *s, const struct an_spikes_opts *o,
			double m, double sg, struct run *runs)
{
	size_t i, n = 0;
	int open = 0;

	for (i = 0; i < s->n; i++) {
		double d = deviation(o, m, s->pts[i].v);

		if (!stands_out(o, m, sg, s->pts[i].v)) {
			open = 0;
			continue;
		}
		if (!open) {
			runs[n].first = runs[n].peak = i;
			runs[n].peak_dev = d;
			n++;
			open = 1;
		} else if (d > runs[n - 1].peak_dev) {
			runs[n - 1].peak = i;
			runs[n - 1].peak_dev = d;
		}
		runs[n - 1].last = i;
	}
	return n;
}

/* Merge runs separated by at most merge_gap seconds; returns the count. */
static size_t merge_runs(const struct an_series *s, double gap,
			 struct run *runs, size_t n)
{
	size_t i, k = 0;

	for (i = 1; i < n; i++) {
		struct run *cur = &runs[k];

		if (s->pts[runs[i].first].t - s->pts[cur->last].t <= gap) {
			cur->last = runs[i].last;
			if (runs[i].peak_dev > cur->peak_dev) {
				cur->peak = runs[i].peak;
				cur->peak_dev = runs[i].peak_dev;
			}
		} else {
			runs[++k] = runs[i];
		}
	}
	return n ? k + 1 : 0;
}

int an_spikes_detect(const struct an_series *s, const struct an_spikes_opts *o,
		     struct an_windows *out, int *no_baseline, struct an_err *err)
{
	struct run *runs;
	double *scratch, m, sg;
	size_t i, n;
	int rc = AN_OK;

	*no_baseline = 0;
	if (s->n == 0)
		return AN_OK;
	scratch = malloc(s->n * sizeof *scratch);
	runs = malloc(s->n * sizeof *runs);
	if (!scratch || !runs) {
		free(scratch);
		free(runs);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	if (an_spikes_baseline(s, o, scratch, &m, &sg) == 0) {
		*no_baseline = 1;
		n = 0;
	} else {
		n = merge_runs(s, o->merge_gap, runs, find_runs(s, o, m, sg, runs));
	}
	for (i = 0; i < n && rc == AN_OK; i++) {
		const struct an_point *p = s->pts;
		struct an_window *w;

		if (p[runs[i].last].t - p[runs[i].first].t < o->min_duration)
			continue;
		w = an_windows_add(out, s->name, s->name_len, err);
		if (!w) {
			rc = err->status;
			break;
		}
		w->start = p[runs[i].first].t;
		w->end = p[runs[i].last].t;
		w->peak_time = p[runs[i].peak].t;
		w->peak = p[runs[i].peak].v;
		w->baseline = m;
		w->score = sg > 0 ? runs[i].peak_dev / sg : INFINITY;
	}
	free(scratch);
	free(runs);
	return rc;
}

int an_window_spec_parse(const char *spec, double *start, double *end,
			 struct an_err *err)
{
	const char *comma = strchr(spec, ',');
	char q[96];

	if (comma && an_num_parse_double(spec, (size_t)(comma - spec), start) == 0 &&
	    an_num_parse_double(comma + 1, strlen(comma + 1), end) == 0 &&
	    isfinite(*start) && isfinite(*end) && *start <= *end)
		return AN_OK;
	return an_err_set(err, AN_EDATA, "'%s' is not START,END (seconds, START "
			  "<= END)", an_err_quote(q, sizeof q, spec, strlen(spec)));
}

static int check_header(struct an_tsv *t, struct an_err *err)
{
	size_t i, n = sizeof window_cols / sizeof *window_cols;

	for (i = 0; i < n; i++)
		if (i >= an_tsv_ncols(t) ||
		    strcmp(an_tsv_colname(t, i), window_cols[i]) != 0)
			return an_err_set(err, AN_EDATA, "%s:1: not a windows file: "
					  "the header must start with 'series start "
					  "end peak_time peak baseline score'",
					  an_tsv_name(t));
	return AN_OK;
}

static int read_window(struct an_windows *w, struct an_tsv *t,
		       struct an_err *err)
{
	double v[6];
	size_t i, len;
	const char *series;
	struct an_window *x;

	if (an_tsv_field_check_escapes(t, 0, err) != AN_OK)
		return err->status;
	for (i = 0; i < 6; i++)
		if (an_tsv_field_double(t, i + 1, &v[i], err) != AN_OK)
			return err->status;
	if (!isfinite(v[0]) || !isfinite(v[1]) || !isfinite(v[2]) || v[0] > v[1]) {
		char a[AN_NUM_BUF], b[AN_NUM_BUF];

		return an_err_set(err, AN_EDATA, "%s:%llu: window %s,%s: start, end "
				  "and peak_time must be finite times with start "
				  "<= end", an_tsv_name(t),
				  (unsigned long long)an_tsv_lineno(t),
				  an_num_fmt(a, v[0]), an_num_fmt(b, v[1]));
	}
	series = an_tsv_field(t, 0, &len);
	x = an_windows_add(w, series, len, err);
	if (!x)
		return err->status;
	x->start = v[0];
	x->end = v[1];
	x->peak_time = v[2];
	x->peak = v[3];
	x->baseline = v[4];
	x->score = v[5];
	return AN_OK;
}

int an_windows_read(struct an_windows *w, struct an_reader *r,
		    struct an_err *err)
{
	struct an_tsv *t;
	int rc, k;

	if (an_tsv_open(&t, r, err) != AN_OK)
		return err->status;
	rc = check_header(t, err);
	while (rc == AN_OK && (k = an_tsv_next(t, err)) != 0)
		rc = k < 0 ? (int)err->status : read_window(w, t, err);
	an_tsv_free(t);
	return rc;
}

struct span {
	double a, b;
};

static int cmp_span(const void *x, const void *y)
{
	const struct span *p = x, *q = y;

	if (p->a != q->a)
		return (p->a > q->a) - (p->a < q->a);
	return (p->b > q->b) - (p->b < q->b);
}

/* Sort and merge overlapping spans in place; returns the new count. */
static size_t spans_merge(struct span *s, size_t n)
{
	size_t i, k = 0;

	if (n == 0)
		return 0;
	qsort(s, n, sizeof *s, cmp_span);
	for (i = 1; i < n; i++) {
		if (s[i].a <= s[k].b) {
			if (s[i].b > s[k].b)
				s[k].b = s[i].b;
		} else {
			s[++k] = s[i];
		}
	}
	return k + 1;
}

/* Intersection of two sorted disjoint span lists into out; returns count. */
static size_t spans_intersect(const struct span *x, size_t nx,
			      const struct span *y, size_t ny, struct span *out)
{
	size_t i = 0, j = 0, n = 0;

	while (i < nx && j < ny) {
		double a = x[i].a > y[j].a ? x[i].a : y[j].a;
		double b = x[i].b < y[j].b ? x[i].b : y[j].b;

		if (a <= b) {
			out[n].a = a;
			out[n].b = b;
			n++;
		}
		if (x[i].b < y[j].b)
			i++;
		else
			j++;
	}
	return n;
}

/* The spans of the aligned result (caller frees); *n set. */
static struct span *align_spans(const struct an_windows *in, size_t nin,
				int union_mode, size_t *n)
{
	size_t total = 0, k, i, cur = 0;
	struct span *res, *one, *tmp;

	for (k = 0; k < nin; k++)
		total += in[k].n;
	res = malloc((total + 1) * sizeof *res);
	one = malloc((total + 1) * sizeof *one);
	tmp = malloc((total + 1) * sizeof *tmp);
	if (!res || !one || !tmp) {
		free(res);
		free(one);
		free(tmp);
		return NULL;
	}
	for (k = 0; k < nin; k++) {
		size_t m = 0;
		struct span *dst = union_mode ? res + cur : one;

		for (i = 0; i < in[k].n; i++) {
			dst[m].a = in[k].w[i].start;
			dst[m++].b = in[k].w[i].end;
		}
		if (union_mode) {
			cur += m;
			continue;
		}
		m = spans_merge(one, m);
		if (k == 0) {
			memcpy(res, one, m * sizeof *res);
			cur = m;
		} else {
			cur = spans_intersect(res, cur, one, m, tmp);
			memcpy(res, tmp, cur * sizeof *res);
		}
	}
	if (union_mode)
		cur = spans_merge(res, cur);
	free(one);
	free(tmp);
	*n = cur;
	return res;
}

/* Fill result window x (span sp) from the best overlapping input window. */
static int align_fill(const struct an_windows *in, size_t nin, struct span sp,
		      struct an_windows *out, struct an_err *err)
{
	const struct an_window *best = NULL;
	struct an_window *x;
	size_t k, i, count = 0;

	for (k = 0; k < nin; k++)
		for (i = 0; i < in[k].n; i++) {
			const struct an_window *w = &in[k].w[i];

			if (w->end < sp.a || w->start > sp.b)
				continue;
			count++;
			if (!best || w->score > best->score ||
			    (isnan(best->score) && !isnan(w->score)))
				best = w;
		}
	if (!best)
		return AN_OK;
	x = an_windows_add(out, best->series, best->series_len, err);
	if (!x)
		return err->status;
	x->start = sp.a;
	x->end = sp.b;
	x->peak_time = best->peak_time;
	x->peak = best->peak;
	x->baseline = best->baseline;
	x->score = best->score;
	x->windows = count;
	return AN_OK;
}

int an_windows_align(const struct an_windows *in, size_t nin, int union_mode,
		     struct an_windows *out, struct an_err *err)
{
	size_t n = 0, i;
	struct span *sp = align_spans(in, nin, union_mode, &n);
	int rc = AN_OK;

	if (!sp)
		return an_err_set(err, AN_ESYS, "out of memory");
	for (i = 0; i < n && rc == AN_OK; i++)
		rc = align_fill(in, nin, sp[i], out, err);
	free(sp);
	return rc;
}

void an_windows_clip(struct an_windows *w, double start, double end)
{
	size_t i, k = 0;

	for (i = 0; i < w->n; i++) {
		struct an_window x = w->w[i];
		double a = x.start > start ? x.start : start;
		double b = x.end < end ? x.end : end;

		if (a > b) {
			free(x.series);
			continue;
		}
		x.coverage = x.end > x.start ? x.coverage * (b - a) / (x.end - x.start)
					     : x.coverage;
		x.start = a;
		x.end = b;
		w->w[k++] = x;
	}
	w->n = k;
}

int an_windows_write(FILE *f, const struct an_windows *w, int cols,
		     struct an_err *err)
{
	size_t i;

	fputs("series\tstart\tend\tpeak_time\tpeak\tbaseline\tscore", f);
	if (cols & AN_WINDOWS_COL_COUNT)
		fputs("\twindows", f);
	if (cols & AN_WINDOWS_COL_COVERAGE)
		fputs("\tcoverage", f);
	fputc('\n', f);
	for (i = 0; i < w->n; i++) {
		const struct an_window *x = &w->w[i];
		char b[6][AN_NUM_BUF], c[AN_NUM_BUF];

		fwrite(x->series, 1, x->series_len, f);
		fprintf(f, "\t%s\t%s\t%s\t%s\t%s\t%s", an_num_fmt(b[0], x->start),
			an_num_fmt(b[1], x->end), an_num_fmt(b[2], x->peak_time),
			an_num_fmt(b[3], x->peak), an_num_fmt(b[4], x->baseline),
			an_num_fmt(b[5], x->score));
		if (cols & AN_WINDOWS_COL_COUNT)
			fprintf(f, "\t%zu", x->windows);
		if (cols & AN_WINDOWS_COL_COVERAGE)
			fprintf(f, "\t%s", an_num_fmt_fixed(c, x->coverage, 4));
		fputc('\n', f);
	}
	if (ferror(f))
		return an_err_sys(err, errno, "write error");
	return AN_OK;
}

static int cmp_window(const void *a, const void *b)
{
	const struct an_window *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

void an_windows_distinct(struct an_windows *w)
{
	size_t i, k = 0;

	if (w->n)
		qsort(w->w, w->n, sizeof *w->w, cmp_window);
	for (i = 0; i < w->n; i++) {
		if (k && cmp_window(&w->w[k - 1], &w->w[i]) == 0) {
			free(w->w[i].series);
			continue;
		}
		w->w[k++] = w->w[i];
	}
	w->n = k;
}
