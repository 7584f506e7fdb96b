/*
 * an_jtl.h - JMeter CSV results (JTL): column layout, record framing,
 * sample filters and time specifications.
 *
 * Layout.  When the first record is a header line (its first field does not
 * start with a digit) the columns come from it, in any order and subset.
 * Otherwise the file is headerless and its layout is recognised from the
 * field count of the first record, using JMeter's default columns
 * (jmeter.save.saveservice.* defaults, checked against JMeter's sources):
 *   12  2.x (print_field_names=false): timeStamp,elapsed,label,responseCode,
 *       responseMessage,threadName,dataType,success,bytes,grpThreads,
 *       allThreads,Latency
 *   14  3.0: ... success,failureMessage,bytes,grpThreads,allThreads,Latency,
 *       IdleTime
 *   16  3.1 - 4.x: ... failureMessage,bytes,sentBytes,grpThreads,allThreads,
 *       Latency,IdleTime,Connect
 *   17  5.x: ... sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect
 * or from an explicit column list (an_jtl_opts.columns), in which case every
 * record is a sample.  timeStamp and elapsed are required.
 *
 * Framing.  Records are read in large chunks.  A line without a double
 * quote is split on commas in place (the fast path); a record with quotes
 * is parsed by libcsv (RFC 4180: quoted fields may hold commas, doubled
 * quotes and newlines, so one record may span lines).  Either way the
 * record's raw bytes are kept, so a filter can copy them out unchanged.
 * Blank lines between records are skipped.  Memory is bounded by the
 * record and field caps.
 */
#ifndef AN_JTL_H
#define AN_JTL_H

#include <stddef.h>
#include <stdint.h>

#include "an_err.h"
#include "an_reader.h"

#define AN_JTL_FIELD_MAX_DEFAULT (1u << 20)
#define AN_JTL_RECORD_MAX_DEFAULT (16u << 20)
/* Most columns a record may have. */
#define AN_JTL_COLUMNS_MAX 1024

/* The columns the engine interprets. */
enum an_jtl_field {
	AN_JTL_TIMESTAMP,   /* timeStamp: start, epoch milliseconds */
	AN_JTL_ELAPSED,     /* elapsed: milliseconds */
	AN_JTL_LABEL,       /* label */
	AN_JTL_CODE,        /* responseCode */
	AN_JTL_THREAD,      /* threadName */
	AN_JTL_SUCCESS,     /* success: "true" (any case) or not */
	AN_JTL_BYTES,       /* bytes received */
	AN_JTL_SENT,        /* sentBytes */
	AN_JTL_URL,         /* URL */
	AN_JTL_NFIELDS
};

struct an_jtl_opts {
	const char *columns;  /* comma-separated names, or NULL (see above) */
	size_t field_max;     /* 0: AN_JTL_FIELD_MAX_DEFAULT */
	size_t record_max;    /* 0: AN_JTL_RECORD_MAX_DEFAULT */
};

/* One sample.  Pointers stay valid until the next an_jtl_next call. */
struct an_jtl_sample {
	int64_t timestamp;
	uint64_t elapsed;
	int success;
	uint64_t bytes, sent;             /* 0 when the column is absent */
	const char *val[AN_JTL_NFIELDS];  /* unquoted field text; "" if absent */
	size_t len[AN_JTL_NFIELDS];
	const char *raw;                  /* the record as read, line end included */
	size_t raw_len;
	uint64_t lineno;                  /* line the record starts on */
};

struct an_jtl;

/*
 * Read the layout from `r` (which stays owned by the caller and must
 * outlive the returned object).  On success *out owns the state (free with
 * an_jtl_free).  Errors (AN_EDATA unless reading failed): unknown or
 * duplicate name in opts->columns, no timeStamp or elapsed column, a
 * headerless first record whose field count matches no known layout, an
 * empty input, and any framing error of the first record.  Messages start
 * with "name:line: " where a line is involved.
 */
int an_jtl_open(struct an_jtl **out, struct an_reader *r,
		const struct an_jtl_opts *opts, struct an_err *err);
void an_jtl_free(struct an_jtl *j);

/* The header record's raw bytes (line end included), or NULL if the input
 * has none; valid until an_jtl_next is called. */
const char *an_jtl_header(const struct an_jtl *j, size_t *len);

/* Non-zero if the layout has column `f`. */
int an_jtl_has(const struct an_jtl *j, enum an_jtl_field f);

/* Number of columns of the layout. */
size_t an_jtl_columns(const struct an_jtl *j);

/*
 * Next sample: returns 1 and fills *s, 0 at end of input, -1 with err set:
 * wrong field count, field over the field cap, record over the record cap,
 * unterminated quoted field at end of input, malformed quoting,
 * non-numeric timeStamp, elapsed, bytes or sentBytes (AN_EDATA), or a read
 * error (AN_ESYS) / truncated gzip (AN_EDATA).  Messages start with
 * "name:line: ".
 */
int an_jtl_next(struct an_jtl *j, struct an_jtl_sample *s, struct an_err *err);

/*
 * A time bound: absolute epoch milliseconds, or an offset in milliseconds
 * from the earliest timeStamp of the input.
 */
struct an_jtl_time {
	int relative;
	int64_t ms;
};

/*
 * Parse a time specification in the toolkit's one grammar (an_time_parse
 * of an_timespec.h: RFC 3339, epoch seconds, "now", "-30m" relative to
 * now_ms), or "+DURATION" (an_duration_parse: "+40s", "+1m30s", "+250ms",
 * "+2" seconds) relative to the first sample.  Impossible dates (February
 * 31) are refused.  Returns AN_OK or AN_EDATA with a message quoting the
 * text.
 */
int an_jtl_time_parse(const char *s, int64_t now_ms, struct an_jtl_time *t,
		      struct an_err *err);

/*
 * Parse an interval length with an_duration_parse: "500ms", "1s", "10s",
 * "5m", "1h", "1h30m" (a bare number is seconds) into milliseconds (>= 1).
 * Returns AN_OK or AN_EDATA.
 */
int an_jtl_interval_parse(const char *s, int64_t *ms, struct an_err *err);

/*
 * A sample filter: every condition set must hold.  Regexes are PCRE2,
 * unanchored (they match anywhere, as grep does).
 */
struct an_jtl_filter_spec {
	int64_t from_ms, to_ms;  /* from <= timeStamp < to; INT64_MIN/MAX: open */
	const char *label, *exclude_label, *code, *thread, *url;  /* NULL: any */
	int ok_only, failed_only;
};

struct an_jtl_filter;

/*
 * Compile a filter.  Errors (AN_EDATA): a regex that does not compile (the
 * message names the option and the PCRE2 reason and offset).  On success
 * *out owns it (free with an_jtl_filter_free).
 */
int an_jtl_filter_new(struct an_jtl_filter **out,
		      const struct an_jtl_filter_spec *spec, struct an_err *err);
void an_jtl_filter_free(struct an_jtl_filter *f);

/*
 * Check that the layout of `j` has every column the filter uses; AN_EDATA
 * naming the missing column otherwise.
 */
int an_jtl_filter_check(const struct an_jtl_filter *f, const struct an_jtl *j,
			struct an_err *err);

/* 1 if the sample passes, 0 if not, -1 with err set on a PCRE2 match
 * failure (for example its match limit). */
int an_jtl_filter_match(struct an_jtl_filter *f, const struct an_jtl_sample *s,
			struct an_err *err);

#endif
