/*
 * an_spikes.h - spike windows: robust baseline, detection, windows files,
 * alignment of windows from several sources, clipping to a capture interval.
 *
 * Baseline of a series: the median m of its finite values (over the whole
 * series, or only those whose time lies in a baseline period), and a robust
 * sigma s = 1.4826 * MAD (MAD = median absolute deviation from m; 1.4826
 * makes it the standard deviation for normal data).  Guard for MAD = 0 (more
 * than half the values equal, e.g. an error count that is mostly 0):
 * s = 1.2533 * the mean absolute deviation from m (the same scaling for the
 * mean deviation); if that is 0 too (all baseline values equal), s = 0 and
 * any point away from m in the searched direction scores +Inf.
 *
 * A point stands out when its deviation d (v - m, or m - v with `below`)
 * is positive and d / s > threshold.  A window is a run of consecutive such
 * points (a NaN point is a gap: it ends the run); windows whose gap
 * (next start - previous end) is at most merge_gap are merged; windows
 * shorter than min_duration (end - start; a single point lasts 0) are
 * dropped.  Each window has start and end (times of its first and last
 * points that stand out), its peak (the point of largest deviation, the
 * earliest on ties), the baseline m, and the score d_peak / s (positive in
 * both directions; +Inf when s = 0).
 */
#ifndef AN_SPIKES_H
#define AN_SPIKES_H

#include <stddef.h>
#include <stdio.h>

#include "an_err.h"
#include "an_reader.h"
#include "an_series.h"

/* Most windows held by one list. */
#define AN_WINDOWS_MAX ((size_t)1 << 24)

struct an_window {
	char *series;		/* escaped label set, owned, NUL-terminated */
	size_t series_len;
	double start, end, peak_time, peak, baseline, score;
	size_t windows;		/* alignment: input windows overlapping */
	double coverage;	/* clipping: part of the window kept, 0..1 */
};

struct an_windows {
	struct an_window *w;
	size_t n, cap;
};

struct an_spikes_opts {
	double threshold;	/* robust sigmas, > 0 */
	int below;		/* find dips instead of spikes */
	int have_baseline;	/* use only [base_start, base_end] for m, s */
	double base_start, base_end;
	double min_duration;	/* seconds, >= 0 */
	double merge_gap;	/* seconds, >= 0 */
};

/* Extra output columns of an_windows_write. */
enum {
	AN_WINDOWS_COL_COUNT = 1,	/* "windows" (after alignment) */
	AN_WINDOWS_COL_COVERAGE = 2	/* "coverage" (after clipping) */
};

/*
 * Median of v[0..n) (n > 0), sorting v in place; the mean of the two
 * middle values when n is even.  NaN must not be present.
 */
double an_spikes_median(double *v, size_t n);

/*
 * Baseline of a series as described above: *median and *sigma.  Returns
 * the number of values used (0: no finite value in the period, and then
 * *median and *sigma are NaN).  scratch must hold s->n doubles.
 */
size_t an_spikes_baseline(const struct an_series *s,
			  const struct an_spikes_opts *o, double *scratch,
			  double *median, double *sigma);

void an_windows_init(struct an_windows *w);
void an_windows_release(struct an_windows *w);

/*
 * Append a zeroed window named by the len bytes at series (copied, NUL
 * added) and return it (valid until the next append), or NULL with err
 * set (AN_ESYS: memory, window cap).
 */
struct an_window *an_windows_add(struct an_windows *w, const char *series,
				 size_t len, struct an_err *err);

/*
 * Append the windows of series s to out (in time order).  Sets
 * *no_baseline to 1 (and adds nothing) when the series has no finite value
 * in the baseline period.  Returns AN_OK, or AN_ESYS when memory or the
 * window cap runs out.
 */
int an_spikes_detect(const struct an_series *s, const struct an_spikes_opts *o,
		     struct an_windows *out, int *no_baseline, struct an_err *err);

/*
 * Parse "START,END" (two finite numbers, seconds, START <= END).  Returns
 * AN_OK, or AN_EDATA with "'SPEC' is not START,END (seconds, START <= END)".
 */
int an_window_spec_parse(const char *spec, double *start, double *end,
			 struct an_err *err);

/*
 * Append the windows of a windows file (header starting with
 * "series start end peak_time peak baseline score"; extra columns ignored)
 * to w.  Errors (AN_EDATA, "name:line: ..."): a different header ("not a
 * windows file: ..."), a bad number, a non-finite start/end/peak_time,
 * start after end, a bad escape in series; the TSV reader's errors.
 */
int an_windows_read(struct an_windows *w, struct an_reader *r,
		    struct an_err *err);

/*
 * Align window lists: each list in[k] stands for the union of its
 * windows' intervals (closed); the result is the intersection of these
 * sets over all lists (union_mode 0) or their union (union_mode 1), as
 * disjoint intervals in time order.  Each result window takes series,
 * peak_time, peak, baseline and score from the highest-scoring input
 * window overlapping it (ties: the earlier list, then the earlier window)
 * and counts the overlapping input windows in `windows`.  Takes time
 * O(result x inputs).  Returns AN_OK or AN_ESYS (memory, window cap).
 */
int an_windows_align(const struct an_windows *in, size_t nin, int union_mode,
		     struct an_windows *out, struct an_err *err);

/*
 * Sort the windows by start, then end, and keep one of each (start, end):
 * the distinct windows to rank series in.
 */
void an_windows_distinct(struct an_windows *w);

/*
 * Clip every window to [start, end]: windows outside are removed, the
 * others get start/end cut and `coverage` = kept duration / duration (1
 * for a window of duration 0).  Peak, baseline and score stay those of
 * the whole window.
 */
void an_windows_clip(struct an_windows *w, double start, double end);

/*
 * Write the windows as TSV: the header "series start end peak_time peak
 * baseline score" (+ "windows", "coverage" as `cols` asks), then a row per
 * window.  Returns AN_OK, or AN_ESYS when a write fails.
 */
int an_windows_write(FILE *f, const struct an_windows *w, int cols,
		     struct an_err *err);

#endif
