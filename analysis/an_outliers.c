/* an_outliers.c - leave-one-out robust scores of series in a window. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_outliers.h"
#include "an_spikes.h"

#define MAD_SCALE 1.4826

static const char *const stat_names[] = { "mean", "median", "max", "p95" };

int an_stat_parse(const char *s, enum an_stat *out)
{
	size_t i;

	for (i = 0; i < sizeof stat_names / sizeof *stat_names; i++)
		if (strcmp(s, stat_names[i]) == 0) {
			*out = (enum an_stat)i;
			return 0;
		}
	return -1;
}

const char *an_stat_name(enum an_stat stat)
{
	return stat_names[stat];
}

static double p95(double *v, size_t n)
{
	double h;
	size_t lo;

	an_spikes_median(v, n);	/* sorts v */
	h = 0.95 * (double)(n - 1);
	lo = (size_t)h;
	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

double an_stat_compute(const struct an_series *s, double start, double end,
		       enum an_stat stat, double *scratch)
{
	size_t i, n = 0;
	double sum = 0, max = -INFINITY;

	for (i = 0; i < s->n; i++) {
		double t = s->pts[i].t, v = s->pts[i].v;

		if (t < start || t > end || !isfinite(v))
			continue;
		scratch[n++] = v;
		sum += v;
		if (v > max)
			max = v;
	}
	if (n == 0)
		return NAN;
	switch (stat) {
	case AN_STAT_MEAN: return sum / (double)n;
	case AN_STAT_MEDIAN: return an_spikes_median(scratch, n);
	case AN_STAT_MAX: return max;
	case AN_STAT_P95: return p95(scratch, n);
	}
	return NAN;
}

/*
 * Leave-one-out statistics without re-sorting the peers for every series:
 * the valid values are sorted once; the peers of the series at sorted
 * position p are that array without p, so their median is read off it in
 * O(1).  It takes one of at most three values (the removed value below,
 * at or above the middle), and for each of them the absolute deviations of
 * all values are sorted once; the peers' deviations are those without one
 * copy of the series' own deviation.  Same multisets, same arithmetic as
 * sorting each series' peers: the same bits, in O(n log n).
 */
struct loo {
	const double *v;	/* sorted valid values */
	size_t n;
	double m[3], *dev[3];	/* per case: peers' median, sorted deviations */
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of sorted v[0..n) without the element at index skip (n >= 2). */
static double median_without(const double *v, size_t n, size_t skip)
{
	size_t m = n - 1, k = m / 2;
#define AT(i) v[(i) < skip ? (i) : (i) + 1]
	return m % 2 ? AT(k) : (AT(k - 1) + AT(k)) / 2;
#undef AT
}

/* Which of the three peer medians removing sorted position skip gives. */
static int loo_case(size_t n, size_t skip)
{
	size_t m = n - 1, k = m / 2;

	if (m % 2)
		return skip > k ? 0 : 1;
	return skip > k ? 0 : skip == k ? 1 : 2;
}

/* Index of the first element of sorted v[0..n) not below x. */
static size_t lower_bound(const double *v, size_t n, double x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static double score_from(double x, double m, double mad, double min_rel)
{
	double sigma = MAD_SCALE * mad, d = x - m;

	if (min_rel * fabs(m) > sigma)
		sigma = min_rel * fabs(m);
	if (sigma > 0)
		return d / sigma;
	return d > 0 ? INFINITY : d < 0 ? -INFINITY : 0;
}

/* Score of the value x found in l->v; 0, or -1 when out of memory. */
static int loo_score(struct loo *l, double x, double min_rel, double *median,
		     double *score)
{
	size_t p = lower_bound(l->v, l->n, x), i;
	int c = loo_case(l->n, p);
	double *d, mad;

	if (!l->dev[c]) {
		d = malloc(l->n * sizeof *d);
		if (!d)
			return -1;
		l->m[c] = median_without(l->v, l->n, p);
		for (i = 0; i < l->n; i++)
			d[i] = fabs(l->v[i] - l->m[c]);
		qsort(d, l->n, sizeof *d, cmp_double);
		l->dev[c] = d;
	}
	d = l->dev[c];
	mad = median_without(d, l->n, lower_bound(d, l->n, fabs(x - l->m[c])));
	*median = l->m[c];
	*score = score_from(x, l->m[c], mad, min_rel);
	return 0;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct an_outlier *x = a, *y = b;
	int xn = isnan(x->score), yn = isnan(y->score);

	if (xn != yn)
		return xn - yn;
	if (!xn && x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return (x->series > y->series) - (x->series < y->series);
}

static int score_all(struct an_outlier *r, const double *x, size_t n,
		     double *sorted, size_t nv, const struct an_outliers_opts *o)
{
	struct loo l = { sorted, nv, { 0, 0, 0 }, { NULL, NULL, NULL } };
	size_t i;
	int rc = 0;

	qsort(sorted, nv, sizeof *sorted, cmp_double);
	for (i = 0; i < n; i++) {
		r[i].series = i;
		r[i].value = x[i];
		r[i].peer_median = r[i].score = NAN;
		if (isnan(x[i]) || nv < 2)
			continue;
		if (loo_score(&l, x[i], o->min_rel, &r[i].peer_median,
			      &r[i].score) != 0) {
			rc = -1;
			break;
		}
		r[i].hot = r[i].score >= o->threshold;
	}
	for (i = 0; i < 3; i++)
		free(l.dev[i]);
	return rc;
}

int an_outliers_rank(const struct an_series_set *set, double start,
		     double end, const struct an_outliers_opts *o,
		     struct an_outlier **rows, size_t *nvalid,
		     struct an_err *err)
{
	size_t i, maxn = 0, nv = 0;
	struct an_outlier *r = calloc(set->n ? set->n : 1, sizeof *r);
	double *x = malloc((set->n ? set->n : 1) * sizeof *x), *scratch;

	for (i = 0; i < set->n; i++)
		if (set->s[i].n > maxn)
			maxn = set->s[i].n;
	scratch = malloc((maxn > set->n ? maxn : set->n) * sizeof *scratch + 1);
	if (!r || !x || !scratch)
		goto oom;
	for (i = 0; i < set->n; i++)
		x[i] = an_stat_compute(&set->s[i], start, end, o->stat, scratch);
	for (i = 0; i < set->n; i++)
		if (!isnan(x[i]))
			scratch[nv++] = x[i];
	if (score_all(r, x, set->n, scratch, nv, o) != 0)
		goto oom;
	qsort(r, set->n, sizeof *r, cmp_rows);
	for (i = 0; i < set->n; i++)
		r[i].rank = i + 1;
	free(x);
	free(scratch);
	*rows = r;
	*nvalid = nv;
	return AN_OK;
oom:
	free(r);
	free(x);
	free(scratch);
	return an_err_set(err, AN_ESYS, "out of memory");
}

void an_outliers_write_header(FILE *f)
{
	fputs("start\tend\trank\tseries\tstat\tvalue\tpeer_median\tscore\thot\n", f);
}

int an_outliers_write(FILE *f, const struct an_series_set *set, double start,
		      double end, const struct an_outliers_opts *o,
		      const struct an_outlier *rows, size_t n,
		      struct an_err *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct an_series *s = &set->s[rows[i].series];
		char b[5][AN_NUM_BUF];

		fprintf(f, "%s\t%s\t%zu\t", an_num_fmt(b[0], start),
			an_num_fmt(b[1], end), rows[i].rank);
		fwrite(s->name, 1, s->name_len, f);
		fprintf(f, "\t%s\t%s\t%s\t%s\t%s\n", an_stat_name(o->stat),
			an_num_fmt(b[2], rows[i].value),
			an_num_fmt(b[3], rows[i].peer_median),
			an_num_fmt(b[4], rows[i].score), rows[i].hot ? "yes" : "no");
	}
	if (ferror(f))
		return an_err_sys(err, errno, "write error");
	return AN_OK;
}
