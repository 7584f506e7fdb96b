/*
 * an_prom.h - Prometheus /api/v1/query_range responses: a streaming
 * parser (YAJL), a store of the series it finds, and the TSV writers.
 *
 * Memory.  Prometheus returns series in an arbitrary order, and a long range
 * arrives in several responses (chunks) whose series must be stitched, so
 * output in a deterministic order (series bytewise, time ascending) cannot
 * be written while parsing.  The store therefore holds the points of the
 * queries it has been given: 16 bytes per point plus the value's text
 * (kept verbatim, as Prometheus wrote it), never the JSON itself.  Long
 * output holds one query at a time (write it, then an_prom_query_release);
 * wide output needs every query.  All of it is capped by `max_memory`
 * (an_prom_new): exceeding it is an AN_ESYS error naming the cap, never
 * a crash.  A 100 MB response of ~4 million points needs about 100 MB.
 *
 * Values.  A value is kept as Prometheus wrote it when it is a plain
 * decimal number (Prometheus writes Go's shortest 'f' format); NaN and
 * infinities in any spelling become NaN, +Inf and -Inf; other spellings
 * a number can take ("+1", ".5") are rewritten with an_num_fmt.
 */
#ifndef AN_PROM_H
#define AN_PROM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "an_err.h"
#include "an_http.h"
#include "an_reader.h"

/* Default memory cap of a store. */
#define AN_PROM_MEMORY_DEFAULT ((size_t)2 << 30)
/* Caps inside one response. */
#define AN_PROM_LABELS_MAX (64u << 10)  /* one series' label set (escaped) */
#define AN_PROM_VALUE_MAX 1024u         /* one value's text */
#define AN_PROM_TEXT_MAX 4096u          /* error and warning texts kept */
/* Prometheus refuses a range query of more points per series than this. */
#define AN_PROM_POINTS_MAX 11000u

struct an_prom;
struct an_prom_parse;

/*
 * A new, empty store; max_memory caps the points, values and series it
 * holds (0: AN_PROM_MEMORY_DEFAULT).  Returns AN_OK, or AN_ESYS when out
 * of memory.  Free with an_prom_free (NULL allowed).
 */
int an_prom_new(struct an_prom **out, size_t max_memory, struct an_err *err);
void an_prom_free(struct an_prom *p);

/*
 * The index of the query named `name` (copied), added at the end of the
 * query order if new.  Several responses parsed into one query are
 * stitched (chunks of one range).  Returns AN_OK or AN_ESYS.
 */
int an_prom_query(struct an_prom *p, const char *name, size_t *idx, struct an_err *err);
size_t an_prom_query_count(const struct an_prom *p);
/* Name of query i; valid until an_prom_free. */
const char *an_prom_query_name(const struct an_prom *p, size_t i);
/* Number of series of query i (0 after an_prom_query_release). */
size_t an_prom_series_count(const struct an_prom *p, size_t i);

/*
 * Warnings of a response (its "warnings" and "infos" arrays) are passed,
 * one text at a time, to a callback: `source` is the parse's source name,
 * `text` the warning (NUL-terminated, untrusted bytes quoted as by
 * an_err_quote); both valid during the call only.
 */
typedef void (*an_prom_warn_fn)(void *ctx, const char *source, const char *text);

/*
 * Start parsing one response into query `query` of p.  `source` (copied)
 * names the response in messages.  warn may be NULL.  Returns AN_OK or
 * AN_ESYS (out of memory).  Free with an_prom_parse_free (NULL allowed).
 */
int an_prom_parse_new(struct an_prom_parse **out, struct an_prom *p, size_t query,
		      const char *source, an_prom_warn_fn warn, void *warn_ctx,
		      struct an_err *err);
void an_prom_parse_free(struct an_prom_parse *ps);

/*
 * Feed the next len bytes of the response (any split is allowed).
 * Returns AN_OK, or an error whose message starts "source: byte N: ":
 * AN_EDATA for malformed JSON, a document that is not a query_range
 * matrix response (a vector result, a missing field, a bad timestamp or
 * value, two points of one series at one time), or a size cap of the
 * format exceeded (a label set over AN_PROM_LABELS_MAX); AN_ESYS when the
 * store's memory cap is reached or memory runs out.  After an error the parse accepts nothing more, and the points of the
 * query are unspecified (release or free them).
 */
int an_prom_parse_feed(struct an_prom_parse *ps, const void *buf, size_t len,
		       struct an_err *err);

/*
 * End of the response.  Returns AN_OK; AN_EDATA for a truncated document
 * or one without "status" or "data.result"; AN_ESYS with
 * "source: prometheus error: TYPE: TEXT" when the response is
 * Prometheus' error document ("status":"error").
 */
int an_prom_parse_finish(struct an_prom_parse *ps, struct an_err *err);

/* Non-zero if the parse saw "status":"error" (a Prometheus error document). */
int an_prom_parse_is_error(const struct an_prom_parse *ps);

/*
 * Parse a whole response from r into query `query` (an_prom_parse_new,
 * feed, finish, free).  Same errors; read errors come from the reader.
 */
int an_prom_read(struct an_prom *p, size_t query, struct an_reader *r,
		 an_prom_warn_fn warn, void *warn_ctx, struct an_err *err);

/* Called when every response of query `query` has been read (to write and
 * release it); returns AN_OK, or an error status with err set. */
typedef int (*an_prom_done_fn)(void *ctx, size_t query, struct an_err *err);

/*
 * Read saved responses: the files `paths` (n; "-" is standard input) are
 * grouped by query name (an_prom_name_from_path; "stdin" for "-"), the
 * queries made in order of first appearance, each query's files read in
 * the order given (chunks of one range), then done(done_ctx, query).
 * Returns AN_OK, or the first error (of a file, with its name, or of
 * done).
 */
int an_prom_replay(struct an_prom *p, char *const *paths, size_t n,
		   an_prom_warn_fn warn, void *warn_ctx, an_prom_done_fn done,
		   void *done_ctx, struct an_err *err);

/* The long-format header: "query\tseries\ttime\tvalue\n".  0 or -1 (ferror). */
int an_prom_write_long_header(FILE *f);

/*
 * Write the rows of query i in long format: series bytewise, time
 * ascending.  Returns AN_OK, AN_EDATA if a series holds two points at one
 * time (overlapping responses), AN_ESYS on a write error.
 */
int an_prom_write_long(struct an_prom *p, size_t i, FILE *f, struct an_err *err);

/* Drop the points and series of query i (its name and index stay). */
void an_prom_query_release(struct an_prom *p, size_t i);

/*
 * Write every query in wide format: a header "time" then one column per
 * series named QUERY{SERIES} (queries in order, series bytewise), then one
 * row per distinct time, ascending; a series without a point at a time
 * has NaN there.  Same returns as an_prom_write_long.
 */
int an_prom_write_wide(struct an_prom *p, FILE *f, struct an_err *err);

/*
 * Chunks of a range.  A range query evaluates at start, start + step, ...
 * up to end.  With at most max_points (> 0) points per request, chunk k
 * covers [start + k*step*max_points, that + (max_points-1)*step] clipped
 * to end, so every evaluation time is the one of the unsplit query and
 * none is repeated.  an_prom_chunk_count returns AN_OK and sets *n, or
 * AN_EDATA when end < start or step <= 0.
 */
int an_prom_chunk_count(int64_t start, int64_t end, int64_t step, uint64_t max_points,
			uint64_t *n, struct an_err *err);
void an_prom_chunk(int64_t start, int64_t end, int64_t step, uint64_t max_points,
		   uint64_t k, int64_t *chunk_start, int64_t *chunk_end);

/*
 * The query name of a saved response file: its base name without a
 * ".json" or ".json.gz" extension and without a ".partK" chunk suffix
 * (dir/p99.part2.json -> p99).  Writes at most outsz bytes (NUL included)
 * into out and returns out.
 */
char *an_prom_name_from_path(char *out, size_t outsz, const char *path);

/*
 * Query names become file names: non-empty, at most 200 bytes of
 * letters, digits, '_', '-' and ':'.  Returns AN_OK or AN_EDATA.
 */
int an_prom_name_check(const char *name, struct an_err *err);

/* One named range query. */
struct an_prom_range {
	const char *name;        /* as an_prom_name_check accepts */
	const char *expr;        /* PromQL */
	int64_t start, end, step; /* ms */
	uint64_t max_points;     /* per request (Prometheus: AN_PROM_POINTS_MAX) */
};

/*
 * Fetch a range into query `query` of p: POST to url (a Prometheus base
 * URL; "/api/v1/query_range" is appended) once per chunk (an_prom_chunk)
 * and parse each response as it is complete.  Responses are spooled to a
 * temporary file, never held in memory.  With archive_dir, each is kept
 * there as NAME.json (a single chunk) or NAME.partK.json (K from 0) --
 * written under a temporary name, renamed once parsed -- and a row per
 * chunk is written to index (an_prom_index_header's format).  Messages name
 * the response NAME or NAME.partK.  Returns AN_OK; AN_ESYS for a network
 * failure, an HTTP error status ("HTTP 503 ...", or Prometheus' own error
 * text when the body carries it) or a file error; AN_EDATA for a response
 * that is not a query_range matrix (see an_prom_parse_feed).
 */
int an_prom_fetch(struct an_prom *p, size_t query, struct an_http *h, const char *url,
		  const struct an_prom_range *rg, const char *archive_dir, FILE *index,
		  an_prom_warn_fn warn, void *warn_ctx, struct an_err *err);

/*
 * Next query of a queries file: lines "NAME<TAB>EXPR"; blank lines and
 * lines starting with '#' are skipped; a '\r' before the newline is
 * dropped.  Returns 1 with *name and *expr malloc'ed copies (the caller
 * frees them), 0 at the end, or -1 with err set (AN_EDATA
 * "file:line: ..." for a line without a tab, a bad name or an empty
 * expression; reader errors as an_reader_getline).
 */
int an_prom_queries_next(struct an_reader *r, char **name, char **expr, struct an_err *err);

/* Name of the archive index file in an archive directory. */
#define AN_PROM_INDEX "index.tsv"

/*
 * The index header: "name\tfile\tquery\tstart\tend\tstep\n" (times and
 * step in seconds; the query escaped as a label value).  0 or -1 (ferror).
 */
int an_prom_index_header(FILE *f);

/*
 * One index row for a chunk of rg saved as `file` (a name inside the
 * archive), covering [s, e] (ms).  0 or -1 (ferror).
 */
int an_prom_index_row(FILE *f, const struct an_prom_range *rg, const char *file,
		      int64_t s, int64_t e);

/*
 * Start an archive: create dir if missing (its parent must exist), open its
 * index under a temporary name and write the header.  Returns AN_OK with
 * *index open, or AN_ESYS.  an_prom_archive_close closes the index and
 * renames it to DIR/index.tsv (AN_OK or AN_ESYS); an archive whose run
 * failed keeps no index.
 */
int an_prom_archive_open(const char *dir, FILE **index, struct an_err *err);
int an_prom_archive_close(const char *dir, FILE *index, struct an_err *err);

/*
 * Read DIR/index.tsv and return the paths "DIR/FILE" of its rows in order
 * (*paths malloc'ed, each path too; free with an_prom_paths_free).  The
 * archived files keep the query names (an_prom_name_from_path).  Returns
 * AN_OK, AN_ESYS (cannot read), AN_EDATA (bad header, a row with fewer
 * fields, a file name with '/' or not matching its query name).
 */
int an_prom_index_read(const char *dir, char ***paths, size_t *n, struct an_err *err);
void an_prom_paths_free(char **paths, size_t n);

#endif
