/*
 * an_series.h - rows of a series TSV grouped into time-sorted series.
 *
 * Reads the TSV contract of the time-series tools: columns found by name,
 * `time` (Unix seconds) and a value column (default `value`), grouped by
 * the `series` label set (absent: one series with the empty label set).
 * When a `query` column exists, rows of one query are kept (opts.query);
 * without opts.query, rows of more than one query are an error naming
 * them, since mixing queries is meaningless.
 *
 * Series names are kept as written (escaped label sets, checked with
 * an_tsv_field_check_escapes), so writing one back is a plain copy.
 * Values may be NaN (a gap) or infinite; times must be finite and not
 * repeat within a series.
 */
#ifndef AN_SERIES_H
#define AN_SERIES_H

#include <stddef.h>

#include "an_err.h"
#include "an_reader.h"

/* Default cap of the points held, over all series (16 bytes each). */
#define AN_SERIES_POINTS_MAX_DEFAULT ((size_t)1 << 26)

struct an_point {
	double t, v;
};

struct an_series {
	char *name;		/* escaped label set, NUL-terminated */
	size_t name_len;
	struct an_point *pts;	/* sorted by time, strictly increasing */
	size_t n, cap;
};

struct an_series_set {
	struct an_series *s;	/* sorted by name, bytewise */
	size_t n, cap;
	size_t points, max_points;	/* points held; cap (0: default) */
	size_t rows_read;	/* data rows seen, kept or not */
};

struct an_series_opts {
	const char *value_col;	/* NULL: "value" */
	const char *query;	/* NULL: all rows (one query at most) */
};

/* Empty set holding at most max_points points (0: the default cap). */
void an_series_set_init(struct an_series_set *set, size_t max_points);

/* Free everything the set holds; it is left empty and reusable. */
void an_series_set_release(struct an_series_set *set);

/*
 * The first and last time of any point of the set (points are in time
 * order per series); +Inf and -Inf when the set has no point.
 */
void an_series_set_span(const struct an_series_set *set, double *start,
			double *end);

/*
 * Read every row of `r` into the set (several inputs may be read into one
 * set; their series merge by name).  On success the series are sorted by
 * name and their points by time.  Errors (AN_EDATA, "name:line: ..."):
 * the TSV reader's (empty input, ragged row, bad number, bad escape), no
 * `time` or no value column, a non-finite time, several queries without
 * opts->query ("rows of several queries ('a', 'b'): choose one with
 * --query"), opts->query matching no row, a time repeated in a series.
 * AN_ESYS when the point cap (named in the message) or memory runs out.
 * On error the set keeps what was read so far; release it.
 */
int an_series_read(struct an_series_set *set, struct an_reader *r,
		   const struct an_series_opts *opts, struct an_err *err);

/* The series called name[0..len), or NULL (binary search). */
const struct an_series *an_series_find(const struct an_series_set *set,
				       const char *name, size_t len);

#endif
