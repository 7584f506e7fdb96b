/*
 * an_verdict.h - the verdict table (verdict's TSV) and its rule, written
 * once: the table's rows, tables of several comparisons combined into one
 * with one overall verdict, and the rule as the report states it.
 *
 * The table: header "metric better n_before n_after before after change
 * rel_change_pct ci_low ci_high verdict", a row per metric (numbers
 * rounded to 6 decimals, written exactly), then "overall" with only the
 * verdict (an_verdict_combine of the rows).
 */
#ifndef AN_VERDICT_H
#define AN_VERDICT_H

#include <stddef.h>
#include <stdio.h>

#include "an_compare.h"
#include "an_err.h"
#include "an_reader.h"

/* Tables combined at most, and rows in them. */
#define AN_VERDICT_TABLES_MAX 64
#define AN_VERDICT_ROWS_MAX 4096

void an_verdict_write_header(FILE *f);
void an_verdict_write_row(FILE *f, const char *metric, enum an_better better,
			  const struct an_compare_result *res);
/* The overall row; AN_ESYS when a write failed before or now. */
int an_verdict_write_overall(FILE *f, enum an_verdict v, struct an_err *err);

/*
 * Copy the metric rows of verdict tables r[0..n) to f under one header and
 * write one overall row for all of them.  Columns are found by name; every
 * table must have the header above.  Errors (AN_EDATA, "file:line: ..."):
 * another header, an unknown verdict, more than AN_VERDICT_ROWS_MAX rows;
 * TSV reader errors; AN_ESYS on a write error.
 */
int an_verdict_combine_tables(FILE *f, struct an_reader *const *r, size_t n,
			      struct an_err *err);

/*
 * Whole-run statistics side by side: from two tables with a header (such
 * as jtlslice --stats writes), the row given by `row` ("COLUMN=VALUE";
 * NULL: label=TOTAL), and for each column cols[i] (n = 0: samples, errors,
 * error_pct, throughput, mean, p50, p90, p95, p99, max) a row "metric
 * before after change rel_change_pct": the two values as numbers, after -
 * before rounded to 6 decimals, and the change in percent of before
 * rounded to 2 (NaN when before is 0), all written exactly (an_num).
 * Errors (AN_EDATA, "file:line: ..."): a row spec without '=', a missing
 * column, no such row, a value that is not a number; TSV reader errors;
 * AN_ESYS on a write error or out of memory.
 */
int an_verdict_stats(FILE *f, struct an_reader *before, struct an_reader *after,
		     const char *row, const char *const *cols, size_t n,
		     struct an_err *err);

/* The rule in prose (one paragraph, lines under 100 columns), with o's
 * confidence, resamples and minimum effect. */
int an_verdict_write_rule(FILE *f, const struct an_compare_opts *o,
			  struct an_err *err);

#endif
