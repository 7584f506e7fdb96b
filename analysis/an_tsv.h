/*
 * an_tsv.h - the one reader of TSV files (header line, then rows).
 *
 * Every tool that reads TSV (spikes, outliers, tsplot, ...) reads it here:
 * the header gives the column names (looked up by name, never by
 * position), each row is split on tabs into exactly as many fields as the
 * header has, and fields are converted on demand: numbers through
 * an_num_parse_double (NaN, +Inf, -Inf accepted), label sets through
 * an_tsv_unescape.
 *
 * Lines: a trailing '\r' is dropped (files saved on Windows); blank lines
 * are skipped.  The line cap is the reader's (an_reader_set_line_max); the
 * number of columns is capped by AN_TSV_COLS_MAX.  Messages start with
 * "name:line: ".
 */
#ifndef AN_TSV_H
#define AN_TSV_H

#include <stddef.h>
#include <stdint.h>

#include "an_err.h"
#include "an_reader.h"

/* Most columns a header (and so a row) may have. */
#define AN_TSV_COLS_MAX 4096

struct an_tsv;

/*
 * Read the header line of `r` and return a TSV reader over it in *out.
 * The reader borrows `r` (which must outlive it and is not freed by it).
 * Errors (AN_EDATA): empty input ("empty input: expected a header line"),
 * more than AN_TSV_COLS_MAX columns, an empty or duplicate column name;
 * reader errors pass through.  AN_ESYS when out of memory.
 */
int an_tsv_open(struct an_tsv **out, struct an_reader *r, struct an_err *err);

/* Free the TSV reader (not the underlying an_reader); NULL is allowed. */
void an_tsv_free(struct an_tsv *t);

/* Number of columns of the header. */
size_t an_tsv_ncols(const struct an_tsv *t);

/* Name of column i (< ncols), NUL-terminated, valid until an_tsv_free. */
const char *an_tsv_colname(const struct an_tsv *t, size_t i);

/* Index of the column called `name`, or -1 if the header has none. */
int an_tsv_col(const struct an_tsv *t, const char *name);

/*
 * Like an_tsv_col, but a missing column is an error (AN_EDATA):
 * "name:1: no 'NAME' column in the header (columns: a, b, c)".
 * Returns the index, or -1 with err set.
 */
int an_tsv_col_need(const struct an_tsv *t, const char *name, struct an_err *err);

/*
 * Read the next row.  Returns 1 with the fields available through
 * an_tsv_field until the next call, 0 at end of input, or -1 with err set:
 * a row with a different number of fields than the header (AN_EDATA,
 * "name:line: row has N fields, the header has M"), reader errors.
 */
int an_tsv_next(struct an_tsv *t, struct an_err *err);

/*
 * Field i of the current row: *len bytes at the returned pointer (not
 * NUL-terminated, raw: not unescaped).  Valid until the next an_tsv_next;
 * the caller may modify the bytes in place.
 */
char *an_tsv_field(const struct an_tsv *t, size_t i, size_t *len);

/*
 * Field i as a number (an_num_parse_double: decimal, exponent, NaN, +Inf,
 * -Inf).  Returns AN_OK, or AN_EDATA with
 * "name:line: column 'C': 'X' is not a number".
 */
int an_tsv_field_double(const struct an_tsv *t, size_t i, double *out,
			struct an_err *err);

/*
 * Check that field i is a valid backslash-escaped label set field (every
 * '\' followed by one of \ , = t n r).  Returns AN_OK, or AN_EDATA with
 * "name:line: column 'C': bad escape in 'X'".  The field is not changed.
 */
int an_tsv_field_check_escapes(struct an_tsv *t, size_t i,
			       struct an_err *err);

/* Line number of the current row (1 is the header); name of the input. */
uint64_t an_tsv_lineno(const struct an_tsv *t);
const char *an_tsv_name(const struct an_tsv *t);

#endif
