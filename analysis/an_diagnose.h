/*
 * an_diagnose.h - the kind of bottleneck of one pod, with its evidence.
 *
 * Signals from the metrics (outliers rows of the pod in the spike window:
 * its value over its peers' median) and from every profile given (each an
 * an_offcpu attribution of one event):
 *   latency up   p99 ratio >= 1.5
 *   CPU up       CPU ratio >= 1.3 (else CPU flat)
 *   GC up        GC ratio >= 2 and GC value >= 0.05 (the gc metric is the
 *                rate of GC pause seconds: 5% of the time in pauses)
 *   CPU hot spot the top application row of the cpu profile holds >= 20%
 *                of its samples
 *   waiting      >= 50% of the request threads' wall samples are not
 *                running (monitor, park, sleep, io)
 *   lock hot     the top application row of the lock profile holds >= 50%
 *   alloc hot    the top application row of the alloc profile holds >= 20%
 * Kind, the first rule that holds:
 *   1. GC/allocation-bound: GC up, and an alloc hot spot (or no alloc
 *      profile); culprit from alloc.
 *   2. CPU-bound: CPU up and a CPU hot spot; culprit from cpu.
 *   3. lock/wait-bound: CPU not up, latency not known to be normal, and
 *      waiting (culprit from wall: the frame with the most waiting samples)
 *      or, without a wall profile, a lock hot spot (culprit from lock).
 *   4. CPU-bound: no CPU metric and a CPU hot spot (a single pod profiled
 *      without peers).
 *   5. no clear cause.
 */
#ifndef AN_DIAGNOSE_H
#define AN_DIAGNOSE_H

#include <stdio.h>

#include "an_err.h"
#include "an_offcpu.h"
#include "an_reader.h"

#define AN_DIAG_LATENCY_UP 1.5
#define AN_DIAG_CPU_UP 1.3
#define AN_DIAG_GC_UP 2.0
#define AN_DIAG_GC_MIN 0.05
/* GC time (fraction) from which GC/allocation-bound wins over a CPU hot
 * spot with CPU up: below it the GC is the hot spot's side effect */
#define AN_DIAG_GC_OVER_CPU 0.10
#define AN_DIAG_CPU_HOT 20.0
#define AN_DIAG_WAITING 50.0
#define AN_DIAG_LOCK_HOT 50.0
#define AN_DIAG_ALLOC_HOT 20.0

struct an_diag_metric {
	int have;
	double value, peers, ratio;	/* ratio = value / peers */
};

/*
 * Read the row of `pod` from an outliers output (columns series, value,
 * peer_median found by name): the first row whose series label set has
 * pod=POD (pod NULL: the first row).  No such row, or a ratio that is NaN
 * (no peers, as with one pod; no value): m->have = 0.  Errors
 * (AN_EDATA, "name:line: ..."): the TSV reader's, a missing column, a bad
 * number.
 */
int an_diag_metric_read(struct an_diag_metric *m, struct an_reader *r,
			const char *pod, struct an_err *err);

/*
 * 1 when pod is usable as a pod name and a file name part: 1 to 253 of
 * [A-Za-z0-9._-], not starting with '.' or '-' (Kubernetes names are a
 * subset); else 0.
 */
int an_diag_pod_valid(const char *pod, size_t len);

/*
 * The pod in column `col` of the first data row of a TSV (e.g. "top" of
 * hotpod's output), as a malloc'd string in *pod.  Errors (AN_EDATA,
 * "name:line: ..."): the TSV reader's, a missing column, no row, an empty
 * or invalid pod name ("'X' is not a pod name").  AN_ESYS: memory.
 */
int an_diag_pod_read(struct an_reader *r, const char *col, char **pod,
		     struct an_err *err);

struct an_diag_input {
	struct an_diag_metric p99, cpu, gc;
	const struct an_offcpu *profile[4];	/* by enum an_event; NULL: none */
};

/*
 * Decide and write the diagnosis as TSV "field value" rows: kind,
 * culprit, profile (the event the culprit comes from, "-" without one),
 * evidence (one sentence), then a "signal" row per signal considered and
 * a "rule" row naming the rule that decided.  Values are TSV-escaped.
 * Returns AN_OK, or AN_ESYS (memory, write error).
 */
int an_diagnose_write(FILE *f, const struct an_diag_input *in,
		      struct an_err *err);

#endif
