/*
 * an_changepoint.h - spike windows from level shifts (binary segmentation).
 *
 * For a series whose anomaly lasts a large part of the run (or never
 * ends), a median/MAD baseline over the whole series is pulled towards
 * the anomaly.  Here the series is cut into segments of constant mean
 * instead, and each segment is compared with the quietest one.
 *
 * Noise: sigma = 1.4826 x MAD of the first differences / sqrt(2) (the
 * differences of independent noise have twice its variance; a few level
 * shifts barely move their median); when that MAD is 0, 1.2533 x their
 * mean absolute value / sqrt(2); when that is 0 too, sigma = 0.
 *
 * Segmentation (binary segmentation, mean shift, least squares): a segment
 * is split at the point that lowers the sum of squared deviations from the
 * segment means the most, when the decrease exceeds the penalty
 * beta = P x sigma^2 x ln(n) (n finite points, P = `penalty`, default 2:
 * the Schwarz criterion for one change in mean with known variance), and
 * both parts hold at least `min_segment` points.  Splitting goes on in the
 * parts, largest decrease first, up to `max_changes` change points.
 * NaN points are left out of the segmentation (a segment spans them).
 *
 * Baseline: the mean of the segment with the lowest mean (highest with
 * `below`).  A segment stands out when its mean is more than K sigmas
 * (K = threshold) from the baseline in the searched direction (any
 * distance when sigma = 0).  Adjacent standing-out segments form one
 * window; the merge gap and minimum duration then apply as in
 * an_spikes_detect.  A window: start/end = times of its first and last
 * finite points, peak = its farthest point, baseline = the baseline mean,
 * score = (mean of the window's points - baseline) / sigma (+Inf when
 * sigma = 0).
 */
#ifndef AN_CHANGEPOINT_H
#define AN_CHANGEPOINT_H

#include <stddef.h>

#include "an_err.h"
#include "an_series.h"
#include "an_spikes.h"

#define AN_CP_PENALTY_DEFAULT 2.0
#define AN_CP_MIN_SEGMENT_DEFAULT 2
#define AN_CP_MAX_CHANGES_DEFAULT 32

struct an_cp_opts {
	double penalty;		/* P, > 0 */
	size_t min_segment;	/* points, >= 1 */
	size_t max_changes;	/* >= 1 */
};

/* Defaults above. */
void an_cp_opts_init(struct an_cp_opts *o);

/*
 * Segment v[0..n) (finite values).  Writes the start index of each segment
 * into starts (room for max_changes + 1 entries; starts[0] = 0, increasing)
 * and the noise sigma into *sigma.  Returns the number of segments (0 when
 * n = 0), or 0 with err set (AN_ESYS) when memory runs out.
 */
size_t an_cp_segment(const double *v, size_t n, const struct an_cp_opts *o,
		     size_t *starts, double *sigma, struct an_err *err);

/*
 * Append the windows of series s (as described above) to out.  Uses from
 * so: threshold, below, min_duration, merge_gap (a --baseline period does
 * not apply).  Returns AN_OK, or AN_ESYS (memory, window cap).
 */
int an_cp_detect(const struct an_series *s, const struct an_spikes_opts *so,
		 const struct an_cp_opts *o, struct an_windows *out,
		 struct an_err *err);

#endif
