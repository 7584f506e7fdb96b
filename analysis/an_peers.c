/* an_peers.c - spike windows of each series relative to its peers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_peers.h"

struct entry {
	double v;
	size_t series;
};

static int cmp_entry(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;

	if (a->v != b->v)
		return (a->v > b->v) - (a->v < b->v);
	return (a->series > b->series) - (a->series < b->series);
}

/* Median of e[0..m) without e[j] (m >= 2, e sorted). */
static double median_without(const struct entry *e, size_t m, size_t j)
{
	size_t c = m - 1, h = c / 2;
	double hi = e[h < j ? h : h + 1].v;

	if (c % 2)
		return hi;
	return (e[h - 1 < j ? h - 1 : h].v + hi) / 2;
}

static double overall_floor(const struct an_series_set *set, double part,
			    double *scratch)
{
	size_t i, j, n = 0;

	for (i = 0; i < set->n; i++)
		for (j = 0; j < set->s[i].n; j++)
			if (isfinite(set->s[i].pts[j].v))
				scratch[n++] = set->s[i].pts[j].v;
	return n ? part * fabs(an_spikes_median(scratch, n)) : 0;
}

static double relative(const struct an_spikes_opts *so, double v, double p,
		       double floor)
{
	double d = p > floor ? p : floor;

	if (so->below)
		return v > 0 ? d / v : INFINITY;
	return d > 0 ? v / d : (v > 0 ? INFINITY : 0);
}

/* The earliest time at the cursors, or 0 when every series is done. */
static int next_time(const struct an_series_set *set, const size_t *cur,
		     double *t)
{
	size_t i;
	int any = 0;

	for (i = 0; i < set->n; i++)
		if (cur[i] < set->s[i].n && (!any || set->s[i].pts[cur[i]].t < *t)) {
			*t = set->s[i].pts[cur[i]].t;
			any = 1;
		}
	return any;
}

/* Fill r[i][k] and p[i][k] for every point (NaN where no peer). */
static void relate(const struct an_series_set *set,
		   const struct an_spikes_opts *so, double floor,
		   double **r, double **p, size_t *cur, struct entry *e)
{
	double t = 0;
	size_t i, m;

	while (next_time(set, cur, &t)) {
		for (i = 0, m = 0; i < set->n; i++) {
			const struct an_series *s = &set->s[i];

			if (cur[i] < s->n && s->pts[cur[i]].t == t &&
			    isfinite(s->pts[cur[i]].v)) {
				e[m].v = s->pts[cur[i]].v;
				e[m++].series = i;
			}
		}
		qsort(e, m, sizeof *e, cmp_entry);
		for (i = 0; m >= 2 && i < m; i++) {
			size_t k = e[i].series;

			p[k][cur[k]] = median_without(e, m, i);
			r[k][cur[k]] = relative(so, e[i].v, p[k][cur[k]], floor);
		}
		for (i = 0; i < set->n; i++)
			if (cur[i] < set->s[i].n && set->s[i].pts[cur[i]].t == t)
				cur[i]++;
	}
}

struct run {
	size_t first, last, peak;
};

static int emit(const struct an_series *s, const struct an_spikes_opts *so,
		const double *r, const double *p, const struct run *u,
		struct an_windows *out, struct an_err *err)
{
	struct an_window *w;

	if (s->pts[u->last].t - s->pts[u->first].t < so->min_duration)
		return AN_OK;
	w = an_windows_add(out, s->name, s->name_len, err);
	if (!w)
		return err->status;
	w->start = s->pts[u->first].t;
	w->end = s->pts[u->last].t;
	w->peak_time = s->pts[u->peak].t;
	w->peak = s->pts[u->peak].v;
	w->baseline = p[u->peak];
	w->score = r[u->peak];
	return AN_OK;
}

/* Runs of r > ratio, merged by gap, emitted. */
static int windows_of(const struct an_series *s, const struct an_spikes_opts *so,
		      double ratio, const double *r, const double *p,
		      struct an_windows *out, struct an_err *err)
{
	struct run u = { 0, 0, 0 };
	size_t i;
	int open = 0, rc;

	for (i = 0; i < s->n; i++) {
		if (!(r[i] > ratio))
			continue;
		/* consecutive points form a run; runs merge across small gaps */
		if (open && i != u.last + 1 &&
		    s->pts[i].t - s->pts[u.last].t > so->merge_gap) {
			rc = emit(s, so, r, p, &u, out, err);
			if (rc != AN_OK)
				return rc;
			open = 0;
		}
		if (!open) {
			u.first = u.peak = i;
			open = 1;
		} else if (r[i] > r[u.peak]) {
			u.peak = i;
		}
		u.last = i;
	}
	return open ? emit(s, so, r, p, &u, out, err) : AN_OK;
}

int an_peers_detect(const struct an_series_set *set,
		    const struct an_spikes_opts *so,
		    const struct an_peers_opts *po, struct an_windows *out,
		    struct an_err *err)
{
	double **r = NULL, **p = NULL, *scratch = NULL, floor;
	struct entry *e = NULL;
	size_t i, j, *cur = NULL;
	int rc = AN_OK;

	if (set->n < 2)
		return AN_OK;
	r = calloc(set->n, sizeof *r);
	p = calloc(set->n, sizeof *p);
	cur = calloc(set->n, sizeof *cur);
	e = malloc(set->n * sizeof *e);
	scratch = malloc((set->points + 1) * sizeof *scratch);
	if (!r || !p || !cur || !e || !scratch)
		goto oom;
	for (i = 0; i < set->n; i++) {
		r[i] = malloc((set->s[i].n + 1) * sizeof **r);
		p[i] = malloc((set->s[i].n + 1) * sizeof **p);
		if (!r[i] || !p[i])
			goto oom;
		for (j = 0; j < set->s[i].n; j++)
			r[i][j] = p[i][j] = NAN;
	}
	floor = overall_floor(set, po->floor, scratch);
	relate(set, so, floor, r, p, cur, e);
	for (i = 0; i < set->n && rc == AN_OK; i++)
		rc = windows_of(&set->s[i], so, po->ratio, r[i], p[i], out, err);
	goto out;
oom:
	rc = an_err_set(err, AN_ESYS, "out of memory");
out:
	for (i = 0; r && p && i < set->n; i++) {
		free(r[i]);
		free(p[i]);
	}
	free(r);
	free(p);
	free(cur);
	free(e);
	free(scratch);
	return rc;
}
