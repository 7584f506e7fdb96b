/*
 * an_outliers.h - which series (pod) stands out from its peers in a window.
 *
 * For each series, a statistic x of its finite values whose time lies in
 * the window [start, end] (mean, median, max, or p95 with linear
 * interpolation between the closest ranks: rank h = 0.95 (n - 1)).  Series
 * without a value in the window take no part (value NaN, ranked last).
 *
 * Score of series i, leave-one-out: the peers are the other series with a
 * value; m = median of the peers' x, MAD = their median absolute deviation
 * from m, and
 *     score = (x - m) / max(1.4826 * MAD, min_rel * |m|)
 * The floor min_rel * |m| guards MAD = 0 and keeps a tiny spread among the
 * peers from making a small difference look huge; when MAD = 0 the score
 * is the relative difference (x - m) / |m| divided by min_rel.  If m = 0
 * and MAD = 0 the score is +Inf (-Inf) for x above (below) m, 0 for x = m.
 *   N = 1: no peers, score NaN, nothing is hot.
 *   N = 2: one peer, so m is the other series' x and MAD = 0: a series is
 *          hot when x >= (1 + threshold * min_rel) * m (with outliers'
 *          defaults K = 3, min_rel = 0.2: 60% above the other one).
 *   N = 3: two peers, m is their mean and MAD half their difference.
 * A series is hot when its score is at least the threshold.
 */
#ifndef AN_OUTLIERS_H
#define AN_OUTLIERS_H

#include <stddef.h>
#include <stdio.h>

#include "an_err.h"
#include "an_series.h"

enum an_stat {
	AN_STAT_MEAN,
	AN_STAT_MEDIAN,
	AN_STAT_MAX,
	AN_STAT_P95
};

struct an_outliers_opts {
	enum an_stat stat;
	double threshold;	/* score at which a series is hot, > 0 */
	double min_rel;		/* relative floor of the sigma, >= 0 */
};

struct an_outlier {
	size_t series;		/* index into the set */
	size_t rank;		/* 1-based */
	double value, peer_median, score;
	int hot;
};

/* Parse "mean", "median", "max" or "p95"; 0, or -1 if unknown. */
int an_stat_parse(const char *s, enum an_stat *out);
const char *an_stat_name(enum an_stat stat);

/*
 * The statistic of the finite values of s in [start, end]; NaN when none.
 * scratch must hold s->n doubles.
 */
double an_stat_compute(const struct an_series *s, double start, double end,
		       enum an_stat stat, double *scratch);

/*
 * Rank every series of the set in the window: rows[] (set->n entries,
 * caller frees with free()) ordered by score descending, NaN last, ties by
 * series name; *nvalid = the number of series with a value in the window.
 * Returns AN_OK, or AN_ESYS when out of memory.
 */
int an_outliers_rank(const struct an_series_set *set, double start,
		     double end, const struct an_outliers_opts *o,
		     struct an_outlier **rows, size_t *nvalid,
		     struct an_err *err);

/* Write the header "start end rank series stat value peer_median score hot". */
void an_outliers_write_header(FILE *f);

/*
 * Write one window's ranking (n = set->n rows) as TSV rows.  Returns
 * AN_OK, or AN_ESYS when a write fails.
 */
int an_outliers_write(FILE *f, const struct an_series_set *set, double start,
		      double end, const struct an_outliers_opts *o,
		      const struct an_outlier *rows, size_t n,
		      struct an_err *err);

#endif
