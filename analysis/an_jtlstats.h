/*
 * an_jtlstats.h - JMeter Aggregate Report statistics, per label and in
 * total, and per-interval series, with exact percentiles in bounded memory.
 *
 * Definitions (those of JMeter's Aggregate Report, SamplingStatCalculator
 * and StatCalculator):
 *   samples      number of samples
 *   errors       samples whose success field is not "true"
 *   error_pct    100 * errors / samples
 *   throughput   samples / (max(timeStamp + elapsed) - min(timeStamp)),
 *                per second (+Inf when that span is 0); in a series,
 *                samples / interval length
 *   mean         sum(elapsed) / samples
 *   min, max     smallest and largest elapsed
 *   pNN          nearest rank: the smallest elapsed value v such that at
 *                least r = round(samples * NN / 100) samples (r >= 1,
 *                halves rounded up, as Java's Math.round) are <= v
 *   received_kb_s, sent_kb_s
 *                sum(bytes) / 1024 and sum(sentBytes) / 1024 over the same
 *                span as throughput, per second (0 when the span or the sum
 *                is 0, NaN when the input has no such column)
 * Ratios are written with 6 significant digits; undefined values as NaN.
 *
 * Elapsed times are integer milliseconds, so percentiles come from a
 * histogram of counts per millisecond: no sorting of samples.  Per label,
 * a dense array up to the largest value seen (at most AN_JTLSTATS_DENSE_MAX
 * ms) plus a sorted sparse list above it.  A series keeps, per (series,
 * interval), a hash of counts per distinct elapsed value.  All memory is
 * charged against a cap.
 */
#ifndef AN_JTLSTATS_H
#define AN_JTLSTATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "an_err.h"

#define AN_JTLSTATS_DENSE_MAX 600000u            /* ms */
#define AN_JTLSTATS_MEMORY_DEFAULT ((size_t)1 << 30)
/* At most this many series rows (series x intervals) */
#define AN_JTLSTATS_SERIES_ROWS_MAX 1000000u

struct an_jtlstats_opts {
	int64_t step_ms;    /* 0: per-label summary; > 0: series of this step */
	int total_only;     /* only the TOTAL row / series */
	int have_bytes;     /* the input has a bytes column */
	int have_sent;      /* the input has a sentBytes column */
	size_t max_bytes;   /* memory cap; 0: AN_JTLSTATS_MEMORY_DEFAULT */
};

struct an_jtlstats;

/* New accumulator; AN_ESYS when out of memory.  Free with an_jtlstats_free. */
int an_jtlstats_new(struct an_jtlstats **out, const struct an_jtlstats_opts *o,
		    struct an_err *err);
void an_jtlstats_free(struct an_jtlstats *st);

/*
 * Add one sample (label bytes are copied).  Returns AN_OK, or AN_ESYS
 * when the memory cap is reached (the message names the cap).
 */
int an_jtlstats_add(struct an_jtlstats *st, const char *label, size_t len,
		    int64_t timestamp, uint64_t elapsed, int success,
		    uint64_t bytes, uint64_t sent, struct an_err *err);

/*
 * Write the result as TSV to f.  Summary header:
 *   label samples errors error_pct throughput mean min p50 p90 p95 p99 max
 *   received_kb_s sent_kb_s
 * one row per label in order of first appearance, then "TOTAL".  Series
 * header:
 *   series time samples errors error_pct throughput mean min p50 p90 p95
 *   p99 max
 * series "label=<label>" (escaped) and "label=TOTAL", sorted bytewise;
 * time the interval start (epoch seconds; intervals are aligned to
 * multiples of the step), ascending, every interval from the first to the
 * last of the input for every series (empty ones have 0 samples).
 * Returns AN_OK, AN_ESYS on a write error or the memory cap; AN_EDATA,
 * before writing anything, when the series would have more than
 * AN_JTLSTATS_SERIES_ROWS_MAX rows (series times intervals).
 */
int an_jtlstats_write(struct an_jtlstats *st, FILE *f, struct an_err *err);

/* The nearest rank of percentile p (0 < p < 1) among n samples (n >= 1). */
uint64_t an_jtlstats_rank(uint64_t n, double p);

#endif
