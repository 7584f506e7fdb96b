/*
 * an_compare.h - before/after verdicts that account for run-to-run noise.
 *
 * The rule (stated in every report that uses it):
 *   Each run contributes per-interval values of a metric (e.g. the p99 of
 *   every 5-second interval of the load).  The change is the difference of
 *   the medians, after - before.  Its confidence interval is a percentile
 *   bootstrap: `resamples` times, both runs are resampled with replacement
 *   (a fixed-seed generator, so the result is reproducible) and the
 *   difference of medians recorded; the interval is the central
 *   `confidence` share of those differences.
 *   "improved"  the whole interval lies on the better side of 0 AND the
 *               relative change of the medians is at least `min_effect`;
 *   "regressed" the same on the worse side;
 *   otherwise   "no significant change" (a change inside the noise, or
 *               too small to matter, is never called an improvement).
 * NaN values (intervals with no samples) are left out.  Each run needs at
 * least AN_COMPARE_MIN_N values.
 */
#ifndef AN_COMPARE_H
#define AN_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "an_err.h"
#include "an_reader.h"

#define AN_COMPARE_MIN_N 3
#define AN_COMPARE_MAX_N 10000000

enum an_better { AN_BETTER_LOWER, AN_BETTER_HIGHER };

enum an_verdict {
	AN_VERDICT_NONE = 0, AN_VERDICT_IMPROVED = 1, AN_VERDICT_REGRESSED = -1,
	AN_VERDICT_NO_DATA = 2	/* fewer than AN_COMPARE_MIN_N values in a run */
};

struct an_compare_opts {
	double confidence;    /* (0,1), default 0.95 */
	unsigned resamples;   /* default 2000 */
	double min_effect;    /* relative, default 0.05 */
	uint64_t seed;        /* default 1 */
};

struct an_compare_result {
	size_t n_before, n_after;   /* values used (NaN left out) */
	double before, after;       /* medians */
	double change, rel_change;  /* after - before, change / |before| (NaN if before is 0) */
	double ci_low, ci_high;     /* confidence interval of change */
	enum an_verdict verdict;
};

/* Fill opts with the defaults above. */
void an_compare_opts_init(struct an_compare_opts *o);

/*
 * Compare two samples.  The arrays are not modified.  Returns AN_OK and
 * fills *res, or AN_EDATA for bad options, or AN_ESYS when out of memory.
 * With fewer than AN_COMPARE_MIN_N finite values in either run the verdict
 * is AN_VERDICT_NO_DATA: the medians of what there is (NaN for none), their
 * change, and a NaN confidence interval.
 */
int an_compare(const double *before, size_t nb, const double *after, size_t na,
	       enum an_better better, const struct an_compare_opts *o,
	       struct an_compare_result *res, struct an_err *err);

/* "improved", "regressed", "no significant change" or "not enough data". */
const char *an_verdict_name(enum an_verdict v);

/*
 * Combine per-metric verdicts: "regressed" if any regressed, else
 * "improved" if any improved, else "not enough data" if every metric (n >
 * 0) had too few values, else none.
 */
enum an_verdict an_verdict_combine(const enum an_verdict *v, size_t n);

/* Values of one column, read for a comparison. */
struct an_compare_values {
	double *v;      /* malloc'd, n values; free with free() */
	size_t n;
};

/*
 * Read columns `cols[0..ncols)` of a TSV file (header line, then rows, as
 * an_tsv reads it) into vals[0..ncols): one value per row whose `time`
 * lies in [from, to) and, when `series` is not NULL, whose `series` field
 * equals it byte for byte (escaped form).  from/to may be -Inf/+Inf.
 * At most AN_COMPARE_MAX_N rows.  Returns AN_OK, or AN_EDATA (missing
 * column, bad number: messages name file and line; "no row of series 'S'"
 * when none matched), AN_ESYS.  On error vals hold nothing to free.
 */
int an_compare_read(struct an_reader *r, const char *const *cols, size_t ncols,
		    const char *series, double from, double to,
		    struct an_compare_values *vals, struct an_err *err);

/* Median of v[0..n) ignoring NaN (NaN if none); v is reordered. */
double an_median(double *v, size_t n);

#endif
