/* an_winlong.c - median/MAD windows, or change-point windows for long
 * anomalies. */
#include <stdlib.h>

#include "an_winlong.h"

/* Points of s inside windows w[0..n) (in time order, disjoint). */
static size_t points_in(const struct an_window *w, size_t n,
			const struct an_series *s)
{
	size_t i = 0, k = 0, count = 0;

	while (i < s->n && k < n) {
		if (s->pts[i].t < w[k].start) {
			i++;
		} else if (s->pts[i].t > w[k].end) {
			k++;
		} else {
			count++;
			i++;
		}
	}
	return count;
}

int an_windows_or_changepoint(struct an_windows *w, size_t from,
			      const struct an_windows *cp,
			      const struct an_series *s, int *used_cp,
			      struct an_err *err)
{
	size_t mad, chg, i;

	*used_cp = 0;
	if (from > w->n || s->n == 0)
		return AN_OK;
	mad = points_in(w->w + from, w->n - from, s);
	chg = points_in(cp->w, cp->n, s);
	if (chg <= mad || (double)chg < AN_WINLONG_SHARE * (double)s->n)
		return AN_OK;
	for (i = from; i < w->n; i++)
		free(w->w[i].series);
	w->n = from;
	for (i = 0; i < cp->n; i++) {
		struct an_window *x = an_windows_add(w, cp->w[i].series,
						     cp->w[i].series_len, err);
		char *name;

		if (!x)
			return err->status;
		name = x->series;
		*x = cp->w[i];
		x->series = name;
	}
	*used_cp = 1;
	return AN_OK;
}
