/*
 * an_heatmap.h - a sub-second heatmap of per-event samples, written as one
 * self-contained interactive HTML file (FlameScope's idea).
 *
 * Input: the per-event samples TSV (`stacks --format samples`): a header
 * with the columns `time`, `weight` and `stack` (found by name; others are
 * ignored), then one row per event.  `time` is Unix epoch seconds (up to
 * 3 decimals; finer fractions are rounded to the millisecond), `weight` a
 * non-negative integer, `stack` the collapsed stack (frames root first,
 * joined by ';') with '\', tab, CR and newline escaped as \\ \t \r \n.
 * Rows need not be sorted.
 *
 * The heatmap has one column per second and `rows` buckets per second
 * (1000 / rows milliseconds each, rows a divisor of 1000).  The page embeds
 * the frame string table, the stacks as a prefix tree (node = parent,
 * frame) and, per non-empty cell, the weight of each stack, so the browser
 * can draw the flame graph of any selected range of cells.
 *
 * Memory is bounded: distinct frames and tree nodes by `max_nodes`, their
 * bytes by AN_HEATMAP_NAMES_BYTES and AN_HEATMAP_NODES_BYTES, the (cell,
 * stack) pairs by `max_pairs` (24 bytes each, twice that while reading), the time span by AN_HEATMAP_COLS_MAX
 * seconds, the windows by AN_HEATMAP_WINDOWS_MAX.  Weights are summed in
 * 64 bits and every total must stay at most AN_HEATMAP_WEIGHT_MAX, the
 * largest integer a browser counts exactly.
 */
#ifndef AN_HEATMAP_H
#define AN_HEATMAP_H

#include <stdint.h>
#include <stdio.h>

#include "an_err.h"
#include "an_reader.h"

/* Most seconds (columns) one heatmap spans: the widest canvas a browser draws. */
#define AN_HEATMAP_COLS_MAX 32000
/* Largest total weight: 2^53 - 1, exact in a JavaScript number. */
#define AN_HEATMAP_WEIGHT_MAX UINT64_C(9007199254740991)
/* Most spike windows marked. */
#define AN_HEATMAP_WINDOWS_MAX 10000
/* Bytes of a window's series label kept for display. */
#define AN_HEATMAP_LABEL_MAX 1024
/* Defaults of the caps of an_heatmap_new. */
#define AN_HEATMAP_NODES_DEFAULT ((size_t)4 << 20)
#define AN_HEATMAP_PAIRS_DEFAULT ((size_t)2 << 20)
/* Memory caps of the frame names and of the stack-tree index. */
#define AN_HEATMAP_NAMES_BYTES ((size_t)1 << 30)
#define AN_HEATMAP_NODES_BYTES ((size_t)512 << 20)

struct an_heatmap;

/*
 * New empty heatmap of `rows` buckets per second (a divisor of 1000, 1 to
 * 1000), at most `max_nodes` distinct frames and stack-tree nodes each and
 * `max_pairs` distinct (cell, stack) pairs (0: the defaults above).
 * Returns NULL when rows is not a divisor of 1000 or out of memory.
 */
struct an_heatmap *an_heatmap_new(unsigned rows, size_t max_nodes, size_t max_pairs);
void an_heatmap_free(struct an_heatmap *h);

/*
 * Add one event: time in milliseconds since the epoch (0 to
 * AN_TIME_MAX_MS), its weight, and its stack already unescaped (frames
 * joined by ';', none empty).  Returns AN_OK; AN_EDATA for an empty stack
 * or frame, a total over AN_HEATMAP_WEIGHT_MAX, a span over
 * AN_HEATMAP_COLS_MAX seconds or a cap of an_heatmap_new exceeded (the
 * message names the cap); AN_ESYS when memory is exhausted.
 */
int an_heatmap_add(struct an_heatmap *h, int64_t t_ms, uint64_t weight,
		   const char *stack, size_t len, struct an_err *err);

/*
 * Read a samples TSV (see above) from `r` and add its rows.  Messages name
 * the input and line: missing column, time not a number or out of range,
 * weight not a non-negative integer or over 64 bits, bad escape, empty
 * stack or frame, and the errors of an_heatmap_add.
 */
int an_heatmap_read(struct an_heatmap *h, struct an_reader *r, struct an_err *err);

/*
 * Read spike windows (the toolkit's windows TSV: columns `series`, `start`,
 * `end` by name, times in epoch seconds, start <= end) to mark on the map.
 * Errors (AN_EDATA) name the input and line; more than
 * AN_HEATMAP_WINDOWS_MAX windows is an error.
 */
int an_heatmap_read_windows(struct an_heatmap *h, struct an_reader *r, struct an_err *err);

/*
 * Add one window to mark: start and end in epoch milliseconds, its label
 * (display text, cut to AN_HEATMAP_LABEL_MAX bytes).  Returns AN_OK, or
 * AN_EDATA when it ends before it starts or over AN_HEATMAP_WINDOWS_MAX
 * windows; AN_ESYS out of memory.
 */
int an_heatmap_add_window(struct an_heatmap *h, int64_t start_ms, int64_t end_ms,
			  const char *label, size_t len, struct an_err *err);

/* First second (epoch) and number of columns; 0 columns when empty. */
int64_t an_heatmap_first_second(const struct an_heatmap *h);
uint32_t an_heatmap_ncols(const struct an_heatmap *h);

/* Events added and their total weight. */
uint64_t an_heatmap_events(const struct an_heatmap *h);
uint64_t an_heatmap_total(const struct an_heatmap *h);

/*
 * Sum the stored pairs into cells and fix the written order (frames by
 * name, stack-tree nodes breadth first with siblings by frame name, so the
 * page does not depend on the order of the rows); call once, after the
 * last add and before the queries below or the write.  Returns AN_OK, or AN_EDATA when the
 * distinct (cell, stack) pairs are more than `max_pairs`.
 */
int an_heatmap_finish(struct an_heatmap *h, struct an_err *err);

/* Weight of cell (col, row) after an_heatmap_finish; 0 outside the map. */
uint64_t an_heatmap_cell(const struct an_heatmap *h, uint32_t col, uint32_t row);

/* Distinct frames and stack-tree nodes. */
size_t an_heatmap_nframes(const struct an_heatmap *h);
size_t an_heatmap_nnodes(const struct an_heatmap *h);

/*
 * Write the HTML page to `out` (after an_heatmap_finish): `title` (NULL:
 * "Heatmap") and `countname` (NULL: "samples", the unit shown beside
 * weights) are escaped, every name from the input is embedded as escaped
 * JSON inside a data block and shown through text nodes only.  Same
 * heatmap, same bytes.  Returns AN_OK or AN_ESYS on a write error.
 */
int an_heatmap_write_html(FILE *out, const struct an_heatmap *h, const char *title,
			  const char *countname, struct an_err *err);

/*
 * Write s[0..len) as a JSON string (quotes included) that is also inert
 * inside an HTML <script> block: '<', '>', '&', U+2028 and U+2029 are
 * \u-escaped, control characters too, invalid UTF-8 becomes U+FFFD.
 */
void an_heatmap_json_string(FILE *out, const char *s, size_t len);

#endif
