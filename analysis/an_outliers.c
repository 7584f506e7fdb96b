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

/* Score of x against the peers' values peers[0..n) (reordered). */
static double score_of(double x, double *peers, size_t n, double min_rel,
		       double *median)
{
	double m, mad, sigma, d;
	size_t i;

	if (n == 0) {
		*median = NAN;
		return NAN;
	}
	m = an_spikes_median(peers, n);
	for (i = 0; i < n; i++)
		peers[i] = fabs(peers[i] - m);
	mad = an_spikes_median(peers, n);
	sigma = MAD_SCALE * mad;
	if (min_rel * fabs(m) > sigma)
		sigma = min_rel * fabs(m);
	*median = m;
	d = x - m;
	if (sigma > 0)
		return d / sigma;
	return d > 0 ? INFINITY : d < 0 ? -INFINITY : 0;
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

int an_outliers_rank(const struct an_series_set *set, double start,
		     double end, const struct an_outliers_opts *o,
		     struct an_outlier **rows, size_t *nvalid,
		     struct an_err *err)
{
	size_t i, j, k, maxn = 0, nv = 0;
	struct an_outlier *r = calloc(set->n ? set->n : 1, sizeof *r);
	double *x = malloc((set->n ? set->n : 1) * sizeof *x), *scratch;

	for (i = 0; i < set->n; i++)
		if (set->s[i].n > maxn)
			maxn = set->s[i].n;
	scratch = malloc((maxn > set->n ? maxn : set->n) * sizeof *scratch + 1);
	if (!r || !x || !scratch) {
		free(r);
		free(x);
		free(scratch);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	for (i = 0; i < set->n; i++) {
		x[i] = an_stat_compute(&set->s[i], start, end, o->stat, scratch);
		nv += !isnan(x[i]);
	}
	for (i = 0; i < set->n; i++) {
		r[i].series = i;
		r[i].value = x[i];
		r[i].peer_median = r[i].score = NAN;
		if (isnan(x[i]))
			continue;
		for (j = k = 0; j < set->n; j++)
			if (j != i && !isnan(x[j]))
				scratch[k++] = x[j];
		r[i].score = score_of(x[i], scratch, k, o->min_rel, &r[i].peer_median);
		r[i].hot = r[i].score >= o->threshold;
	}
	qsort(r, set->n, sizeof *r, cmp_rows);
	for (i = 0; i < set->n; i++)
		r[i].rank = i + 1;
	free(x);
	free(scratch);
	*rows = r;
	*nvalid = nv;
	return AN_OK;
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
