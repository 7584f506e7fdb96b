/* an_changepoint.c - level shifts by binary segmentation; their windows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_changepoint.h"

#define MAD_SCALE 1.4826
#define MEAN_AD_SCALE 1.2533

void an_cp_opts_init(struct an_cp_opts *o)
{
	o->penalty = AN_CP_PENALTY_DEFAULT;
	o->min_segment = AN_CP_MIN_SEGMENT_DEFAULT;
	o->max_changes = AN_CP_MAX_CHANGES_DEFAULT;
}

/* Noise sigma from the first differences (see the header). */
static double noise_sigma(const double *v, size_t n, double *scratch)
{
	size_t i, m = n - 1;
	double sum = 0, mad;

	if (n < 2)
		return 0;
	for (i = 0; i < m; i++) {
		scratch[i] = fabs(v[i + 1] - v[i]);
		sum += scratch[i];
	}
	/* the median of |d| is the MAD of d around 0, its robust centre */
	mad = an_spikes_median(scratch, m);
	if (mad > 0)
		return MAD_SCALE * mad / sqrt(2);
	return MEAN_AD_SCALE * (sum / (double)m) / sqrt(2);
}

struct seg {
	size_t a, b, k;		/* [a, b), best split k */
	double gain;
};

struct sums {
	const double *s1, *s2;
};

static double cost(const struct sums *p, size_t a, size_t b)
{
	double x = p->s1[b] - p->s1[a];

	return (p->s2[b] - p->s2[a]) - x * x / (double)(b - a);
}

static void best_split(const struct sums *p, size_t ms, struct seg *g)
{
	double whole = cost(p, g->a, g->b);
	size_t k;

	g->gain = -1;
	g->k = 0;
	for (k = g->a + ms; k + ms <= g->b; k++) {
		double gain = whole - cost(p, g->a, k) - cost(p, k, g->b);

		if (gain > g->gain) {
			g->gain = gain;
			g->k = k;
		}
	}
}

static int cmp_size(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	return (a > b) - (a < b);
}

static size_t segment(const double *v, size_t n, const struct an_cp_opts *o,
		      double beta, double *s1, double *s2, struct seg *segs,
		      size_t *starts)
{
	struct sums p = { s1, s2 };
	double mean = 0, tol;
	size_t i, nseg = 1, ms = o->min_segment ? o->min_segment : 1;

	for (i = 0; i < n; i++)
		mean += v[i] / (double)n;
	s1[0] = s2[0] = 0;
	for (i = 0; i < n; i++) {
		double d = v[i] - mean;

		s1[i + 1] = s1[i] + d;
		s2[i + 1] = s2[i] + d * d;
	}
	/* rounding noise of the sums must not count as a change */
	tol = 1e-9 * s2[n];
	segs[0].a = 0;
	segs[0].b = n;
	best_split(&p, ms, &segs[0]);
	while (nseg <= o->max_changes) {
		size_t best = nseg;

		for (i = 0; i < nseg; i++)
			if (segs[i].gain > beta && segs[i].gain > tol &&
			    (best == nseg || segs[i].gain > segs[best].gain))
				best = i;
		if (best == nseg)
			break;
		segs[nseg].a = segs[best].k;
		segs[nseg].b = segs[best].b;
		segs[best].b = segs[best].k;
		best_split(&p, ms, &segs[best]);
		best_split(&p, ms, &segs[nseg]);
		nseg++;
	}
	for (i = 0; i < nseg; i++)
		starts[i] = segs[i].a;
	qsort(starts, nseg, sizeof *starts, cmp_size);
	return nseg;
}

size_t an_cp_segment(const double *v, size_t n, const struct an_cp_opts *o,
		     size_t *starts, double *sigma, struct an_err *err)
{
	double *s1, *s2;
	struct seg *segs;
	size_t nseg;

	*sigma = NAN;
	if (n == 0)
		return 0;
	s1 = malloc((n + 1) * sizeof *s1);
	s2 = malloc((n + 1) * sizeof *s2);
	segs = malloc((o->max_changes + 1) * sizeof *segs);
	if (!s1 || !s2 || !segs) {
		free(s1);
		free(s2);
		free(segs);
		an_err_set(err, AN_ESYS, "out of memory");
		return 0;
	}
	*sigma = noise_sigma(v, n, s1);
	nseg = segment(v, n, o, o->penalty * *sigma * *sigma * log((double)n),
		       s1, s2, segs, starts);
	free(s1);
	free(s2);
	free(segs);
	return nseg;
}

struct group {
	size_t first, last;	/* indices into the finite points */
	double mean;
};

/* Mean of v[a..b), shifted by v[a] so that a constant run is exact. */
static double mean_of(const double *v, size_t a, size_t b)
{
	double sum = 0;
	size_t j;

	for (j = a; j < b; j++)
		sum += v[j] - v[a];
	return v[a] + sum / (double)(b - a);
}

static double dev(const struct an_spikes_opts *so, double base, double v)
{
	return so->below ? base - v : v - base;
}

/* Baseline: the lowest segment mean (highest with below). */
static double baseline(const struct an_spikes_opts *so, const double *means,
		       size_t nseg)
{
	double b = means[0];
	size_t i;

	for (i = 1; i < nseg; i++)
		if (so->below ? means[i] > b : means[i] < b)
			b = means[i];
	return b;
}

/* Group adjacent standing-out segments; returns the number of groups;
 * means[0] becomes the baseline. */
static size_t group_segments(const double *v, size_t n, const size_t *starts,
			     size_t nseg, const struct an_spikes_opts *so,
			     double sigma, double *means, struct group *g)
{
	size_t i, ng = 0;
	double base;
	int open = 0;

	for (i = 0; i < nseg; i++) {
		size_t b = i + 1 < nseg ? starts[i + 1] : n;

		means[i] = mean_of(v, starts[i], b);
	}
	base = baseline(so, means, nseg);
	for (i = 0; i < nseg; i++) {
		double d = dev(so, base, means[i]);
		size_t b = i + 1 < nseg ? starts[i + 1] : n;

		if (!(d > 0 && (sigma > 0 ? d / sigma > so->threshold : 1))) {
			open = 0;
			continue;
		}
		if (!open)
			g[ng++].first = starts[i];
		g[ng - 1].last = b - 1;
		open = 1;
	}
	means[0] = base;
	return ng;
}

/* Merge groups at most gap seconds apart (time of finite point i: t[i]). */
static size_t merge_groups(const double *t, const double *v, double gap,
			   struct group *g, size_t ng)
{
	size_t i, k = 0;

	for (i = 1; i < ng; i++) {
		if (t[g[i].first] - t[g[k].last] <= gap)
			g[k].last = g[i].last;
		else
			g[++k] = g[i];
	}
	ng = ng ? k + 1 : 0;
	for (i = 0; i < ng; i++) {
		g[i].mean = mean_of(v, g[i].first, g[i].last + 1);
	}
	return ng;
}

static int emit(const struct an_series *s, const struct an_spikes_opts *so,
		const double *t, const double *v, const struct group *g,
		double base, double sigma, struct an_windows *out,
		struct an_err *err)
{
	struct an_window *w;
	size_t j, peak = g->first;

	if (t[g->last] - t[g->first] < so->min_duration)
		return AN_OK;
	for (j = g->first; j <= g->last; j++)
		if (dev(so, base, v[j]) > dev(so, base, v[peak]))
			peak = j;
	w = an_windows_add(out, s->name, s->name_len, err);
	if (!w)
		return err->status;
	w->start = t[g->first];
	w->end = t[g->last];
	w->peak_time = t[peak];
	w->peak = v[peak];
	w->baseline = base;
	w->score = sigma > 0 ? dev(so, base, g->mean) / sigma : INFINITY;
	return AN_OK;
}

int an_cp_detect(const struct an_series *s, const struct an_spikes_opts *so,
		 const struct an_cp_opts *o, struct an_windows *out,
		 struct an_err *err)
{
	size_t i, n = 0, nseg, ng, *starts;
	double *t, *v, *means, sigma;
	struct group *g;
	int rc = AN_OK;

	if (s->n == 0)
		return AN_OK;
	t = malloc(s->n * sizeof *t);
	v = calloc(s->n, sizeof *v);
	means = malloc((o->max_changes + 1) * sizeof *means);
	starts = malloc((o->max_changes + 1) * sizeof *starts);
	g = malloc((o->max_changes + 1) * sizeof *g);
	if (!t || !v || !means || !starts || !g) {
		rc = an_err_set(err, AN_ESYS, "out of memory");
		goto out;
	}
	for (i = 0; i < s->n; i++)
		if (isfinite(s->pts[i].v)) {
			t[n] = s->pts[i].t;
			v[n++] = s->pts[i].v;
		}
	nseg = an_cp_segment(v, n, o, starts, &sigma, err);
	if (nseg == 0) {
		rc = n ? err->status : AN_OK;
		goto out;
	}
	ng = group_segments(v, n, starts, nseg, so, sigma, means, g);
	ng = merge_groups(t, v, so->merge_gap, g, ng);
	for (i = 0; i < ng && rc == AN_OK; i++)
		rc = emit(s, so, t, v, &g[i], means[0], sigma, out, err);
out:
	free(t);
	free(v);
	free(means);
	free(starts);
	free(g);
	return rc;
}
