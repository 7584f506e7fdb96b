/*
 * an_winspan.h - windows of points that stand for an interval.
 *
 * A point of a per-interval series summarises an interval, not an instant:
 * a Prometheus rate, quantile or scraped gauge at time t describes the time
 * since the previous point (it ends at t), a jtlslice --series row at time
 * t the interval that starts at t and ends at the next row.  A window whose
 * first and last points stand out then covers more than [first, last]:
 *
 *   AN_SPAN_PREVIOUS  the start moves back to the previous point's time;
 *   AN_SPAN_NEXT      the end moves on to the next point's time (the last
 *                     point of the series: its end plus the step).
 *
 * The step of a series is the median spacing of its points; a move is at
 * most one step (a missing stretch of points is not taken as covered), and
 * a series of one point is left as it is.  Windows of a series that then
 * touch or overlap are merged (the peak of the higher score).
 */
#ifndef AN_WINSPAN_H
#define AN_WINSPAN_H

#include "an_err.h"
#include "an_series.h"
#include "an_spikes.h"

enum an_point_span { AN_SPAN_INSTANT, AN_SPAN_PREVIOUS, AN_SPAN_NEXT };

/*
 * Parse "previous" or "next".  Returns AN_OK, or AN_EDATA with
 * "'VAL' is not 'previous' or 'next'".
 */
int an_point_span_parse(const char *val, enum an_point_span *span,
			struct an_err *err);

/*
 * Move the edges of windows w->w[from..w->n) as `span` says, each by the
 * points of its own series in set (found by name; a window of a series
 * not in the set is left as it is).  Returns AN_OK, or AN_ESYS (memory).
 */
int an_windows_span(struct an_windows *w, size_t from,
		    const struct an_series_set *set, enum an_point_span span,
		    struct an_err *err);

#endif
