/* an_winbest.c - the window most sources agree on. */
#include <math.h>
#include <string.h>

#include "an_winbest.h"

/* Whether window a beats window b (b earlier in time). */
static int better(const struct an_window *a, const struct an_window *b)
{
	if (a->windows != b->windows)
		return a->windows > b->windows;
	if (isnan(a->score) || isnan(b->score))
		return !isnan(a->score) && isnan(b->score);
	return a->score > b->score;
}

static void widen(struct an_window *w, double min_width, double lo, double hi)
{
	double mid, lo_w;

	if (w->end - w->start >= min_width)
		return;
	/* around the peak (the moment that stood out most), still holding
	 * the whole window */
	mid = isfinite(w->peak_time) && w->peak_time >= w->start &&
	      w->peak_time <= w->end ? w->peak_time : (w->start + w->end) / 2;
	lo_w = mid - min_width / 2;
	if (lo_w > w->start)
		lo_w = w->start;
	if (lo_w + min_width < w->end)
		lo_w = w->end - min_width;
	w->start = lo_w;
	w->end = lo_w + min_width;
	if (w->start < lo) {
		w->end += lo - w->start;
		w->start = lo;
	}
	if (w->end > hi) {
		w->start -= w->end - hi;
		w->end = hi;
	}
	if (w->start < lo)
		w->start = lo;
}

int an_windows_best(const struct an_windows *in, double min_width, double lo,
		    double hi, struct an_windows *out, struct an_err *err)
{
	const struct an_window *best = NULL;
	struct an_window *w;
	char *series;
	size_t i;

	for (i = 0; i < in->n; i++)
		if (!best || better(&in->w[i], best))
			best = &in->w[i];
	if (!best) {
		w = an_windows_add(out, AN_WINBEST_FALLBACK,
				   strlen(AN_WINBEST_FALLBACK), err);
		if (!w)
			return err->status;
		w->start = w->peak_time = lo;
		w->end = hi;
		w->peak = w->baseline = w->score = NAN;
		return AN_OK;
	}
	w = an_windows_add(out, best->series, best->series_len, err);
	if (!w)
		return err->status;
	series = w->series;
	*w = *best;
	w->series = series;
	widen(w, min_width, lo, hi);
	return AN_OK;
}
