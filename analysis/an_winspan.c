/* an_winspan.c - windows of points that stand for an interval. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_winspan.h"

int an_point_span_parse(const char *val, enum an_point_span *span,
			struct an_err *err)
{
	if (strcmp(val, "previous") == 0)
		*span = AN_SPAN_PREVIOUS;
	else if (strcmp(val, "next") == 0)
		*span = AN_SPAN_NEXT;
	else
		return an_err_set(err, AN_EDATA, "'%s' is not 'previous' or 'next'",
				  val);
	return AN_OK;
}

/* Median spacing of the points of s (n >= 2), using scratch. */
static double step_of(const struct an_series *s, double *scratch)
{
	size_t i;

	for (i = 1; i < s->n; i++)
		scratch[i - 1] = s->pts[i].t - s->pts[i - 1].t;
	return an_spikes_median(scratch, s->n - 1);
}

/* Index of the first point with time > t (s->n when none). */
static size_t after(const struct an_series *s, double t)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->pts[mid].t > t)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Index of the first point with time >= t (s->n when none). */
static size_t at_or_after(const struct an_series *s, double t)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->pts[mid].t >= t)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static void move(struct an_window *w, const struct an_series *s, double step,
		 enum an_point_span span)
{
	size_t i;

	if (span == AN_SPAN_PREVIOUS) {
		i = at_or_after(s, w->start);
		w->start -= i > 0 ? fmin(w->start - s->pts[i - 1].t, step) : 0;
	} else {
		i = after(s, w->end);
		w->end += i < s->n ? fmin(s->pts[i].t - w->end, step) : step;
	}
}

/*
 * Windows of one series that now touch or overlap become one (the peak of
 * the higher score, the earlier on ties); windows of a series are
 * consecutive and in time order.
 */
static void merge(struct an_windows *w, size_t from)
{
	struct an_window *k = NULL, *x;
	size_t i, n = from;

	for (i = from; i < w->n; i++) {
		x = &w->w[i];
		if (k && k->series_len == x->series_len &&
		    memcmp(k->series, x->series, x->series_len) == 0 &&
		    x->start <= k->end) {
			if (x->end > k->end)
				k->end = x->end;
			if (x->score > k->score ||
			    (isnan(k->score) && !isnan(x->score))) {
				k->peak_time = x->peak_time;
				k->peak = x->peak;
				k->baseline = x->baseline;
				k->score = x->score;
			}
			free(x->series);
			continue;
		}
		w->w[n] = *x;
		k = &w->w[n++];
	}
	w->n = n;
}

int an_windows_span(struct an_windows *w, size_t from,
		    const struct an_series_set *set, enum an_point_span span,
		    struct an_err *err)
{
	const struct an_series *s, *last = NULL;
	double *scratch, step = 0;
	size_t i, most = 1;

	if (span == AN_SPAN_INSTANT || from >= w->n)
		return AN_OK;
	for (i = 0; i < set->n; i++)
		if (set->s[i].n > most)
			most = set->s[i].n;
	scratch = malloc(most * sizeof *scratch);
	if (!scratch)
		return an_err_set(err, AN_ESYS, "out of memory");
	for (i = from; i < w->n; i++) {
		s = an_series_find(set, w->w[i].series, w->w[i].series_len);
		if (!s || s->n < 2)
			continue;
		if (s != last) {
			step = step_of(s, scratch);
			last = s;
		}
		move(&w->w[i], s, step, span);
	}
	free(scratch);
	merge(w, from);
	return AN_OK;
}
