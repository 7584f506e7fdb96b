/*
 * an_stackdiff.h - compare two collapsed profiles (before and after).
 *
 * Two collapsed inputs are merged into one two-count profile: the before
 * input's counts go to count 0, the after input's to count 1, equal stacks
 * merged.  From it come FlameGraph's diff-folded text, exactly as
 * difffolded.pl writes it ("stack BEFORE AFTER", optionally with the
 * before counts scaled to the after total), and a table of frames whose
 * share of each profile changed most.
 *
 * Memory grows with the number of distinct stacks and frames, never with
 * the input size, and is capped (an_stackdiff_new).
 */
#ifndef AN_STACKDIFF_H
#define AN_STACKDIFF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "an_err.h"
#include "an_profile.h"
#include "an_reader.h"

struct an_stackdiff;

/* Which share ranks the table. */
enum an_stackdiff_metric {
	AN_STACKDIFF_TOTAL = 0,   /* samples with the frame anywhere on the stack */
	AN_STACKDIFF_SELF = 1     /* samples with the frame as the leaf */
};

enum an_stackdiff_status {
	AN_STACKDIFF_SAME,        /* in both, equal self and total shares */
	AN_STACKDIFF_CHANGED,     /* in both, some share differs */
	AN_STACKDIFF_NEW,         /* samples only in the after profile */
	AN_STACKDIFF_GONE         /* samples only in the before profile */
};

/* Printed name of a status: "same", "changed", "new", "gone". */
const char *an_stackdiff_status_name(enum an_stackdiff_status s);

/*
 * New empty comparison.  `strip_hex` rewrites every "0x" followed by hex
 * digits in a stack to "0x..." before merging (difffolded.pl -s).
 * `max_bytes` caps the memory of the stacks and, separately, of the frame
 * table (0: AN_PROFILE_MAX_BYTES_DEFAULT).  NULL when out of memory.
 */
struct an_stackdiff *an_stackdiff_new(int strip_hex, size_t max_bytes);
void an_stackdiff_free(struct an_stackdiff *d);

/*
 * Normalise frame names with an_normalize.h's `rules` (a mask of
 * AN_NORM_*) before merging; applies to the stacks added afterwards,
 * before hex stripping.  0 (the default) keeps names as read.
 */
void an_stackdiff_set_normalize(struct an_stackdiff *d, unsigned rules);

/*
 * Add `count` samples of stack[0..len) to side 0 (before) or 1 (after).
 * The stack is taken as is (no validation: an_stackdiff_read validates).
 * Returns AN_OK, AN_EDATA when a stack's count sum overflows 64 bits, or
 * AN_ESYS when the memory cap is reached (the message names it).
 */
int an_stackdiff_add(struct an_stackdiff *d, int side, const char *stack,
		     size_t len, uint64_t count, struct an_err *err);

/*
 * Read every line of r, a collapsed profile ("stack COUNT", blank lines
 * skipped), into `side`.  An input whose first non-blank line ends in two
 * counts is diff-folded, not collapsed: that is refused (AN_EDATA), as is
 * any line an_collapsed_parse refuses.  Messages start "NAME:LINE: ".
 * Returns AN_OK or the error status.
 */
int an_stackdiff_read(struct an_stackdiff *d, struct an_reader *r, int side,
		      struct an_err *err);

/* Sum of the counts of a side (saturating at UINT64_MAX). */
uint64_t an_stackdiff_total(const struct an_stackdiff *d, int side);

/* Number of distinct stacks of both sides. */
size_t an_stackdiff_stacks(const struct an_stackdiff *d);

/*
 * difffolded.pl -n: a before count scaled to the after total, computed as
 * Perl computes int(count * to / from) (an exact integer quotient when the
 * product is over 2^53 and divides exactly, otherwise a double division
 * truncated toward zero).  Unchanged when from == to or from == 0.
 */
uint64_t an_stackdiff_scale(uint64_t count, uint64_t from, uint64_t to);

/*
 * Write the diff-folded profile, one "stack BEFORE AFTER" line per
 * distinct stack (stacks counted zero included, as difffolded.pl prints
 * them), sorted bytewise by stack.  With `scale`, before counts are
 * scaled by an_stackdiff_scale(c, total before, total after).
 * Returns AN_OK, or AN_ESYS on a write error or when out of memory.
 */
int an_stackdiff_write_folded(const struct an_stackdiff *d, int scale, FILE *f,
			      struct an_err *err);

/* One frame of the table.  Percentages are of each profile's own total
 * (0 when that total is 0); deltas are after - before, in points. */
struct an_stackdiff_row {
	const char *frame;        /* valid until the next table or free */
	size_t frame_len;
	uint64_t self[2], total[2];            /* samples, [0] before, [1] after */
	double self_pct[2], total_pct[2];
	double delta_self, delta_total;
	double rel_change;        /* of the ranking metric's share, percent:
	                           * +Inf for new, NaN when both are zero */
	enum an_stackdiff_status status;
};

struct an_stackdiff_table_opts {
	enum an_stackdiff_metric sort;  /* ranking metric */
	double min_delta;               /* keep |delta| >= this, in points */
	size_t limit;                   /* at most this many rows; 0: all */
};

/*
 * Compute the frame table: every frame with samples in either profile.
 * A frame's total counts each stack once however often the frame recurs
 * in it; its self counts the stacks it ends.  Rows are ranked by |delta|
 * of opts->sort (exactly, from the integer counts), then by frame name
 * bytewise; rows under min_delta are dropped, then the first `limit`
 * kept.  On success *rows is a malloc'd array of *n rows the caller frees
 * (NULL when *n is 0).  Returns AN_OK, or AN_ESYS when out of memory or
 * over the frame table's cap.
 */
int an_stackdiff_table(struct an_stackdiff *d,
		       const struct an_stackdiff_table_opts *opts,
		       struct an_stackdiff_row **rows, size_t *n,
		       struct an_err *err);

/*
 * Write rows as TSV with the header
 *   frame before_self% after_self% delta_self% before_total%
 *   after_total% delta_total% rel_change% status
 * percentages with three decimals (rel_change% "+Inf" or "NaN" where
 * stated above).  In frame names a backslash, tab or carriage return is
 * written as \\, \t or \r (commas and '=' are kept: Java signatures
 * have them).  Returns AN_OK or AN_ESYS on a write error.
 */
int an_stackdiff_write_table(const struct an_stackdiff_row *rows, size_t n,
			     FILE *f, struct an_err *err);

#endif
