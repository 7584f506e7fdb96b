/*
 * an_winbest.h - the run's spike window: of the windows where the sources
 * (the load's p99, every pod's p99 and CPU) found spikes, aligned as a
 * union, the one most of them agree on.
 */
#ifndef AN_WINBEST_H
#define AN_WINBEST_H

#include "an_err.h"
#include "an_spikes.h"

/* Series name of the fallback window. */
#define AN_WINBEST_FALLBACK "(load window)"

/*
 * Append to out the best window of `in` (aligned windows, `windows`
 * counts set): the most overlapping source windows, then the highest
 * score (compared as numbers: +Inf above every number, NaN below), then
 * the earliest.  A window narrower than min_width seconds is widened to
 * min_width around its peak_time (its middle when the peak is not inside
 * it), moved to hold the whole window, then to stay inside [lo, hi] and
 * cut at lo, so that rankings have points to compare.  When `in` has no window,
 * the fallback [lo, hi] is appended instead: series AN_WINBEST_FALLBACK,
 * peak_time lo, peak, baseline and score NaN, windows 0.
 * Returns AN_OK or AN_ESYS (memory).
 */
int an_windows_best(const struct an_windows *in, double min_width, double lo,
		    double hi, struct an_windows *out, struct an_err *err);

#endif
