/*
 * an_hotpod.h - the run's hot pod, from outliers' rankings of the pods in
 * the spike window (p99 first, then CPU), and the profiles to compare.
 *
 * Pod names come from metrics (the series column "pod=NAME" of a ranking)
 * and become file names: every one is checked to be a Kubernetes name
 * (lower-case letters, digits, '-' and '.', starting and ending with a
 * letter or digit, at most 253 bytes) before it is used.
 */
#ifndef AN_HOTPOD_H
#define AN_HOTPOD_H

#include <stddef.h>
#include <stdio.h>

#include "an_err.h"
#include "an_reader.h"

/* Longest pod name (a Kubernetes DNS subdomain). */
#define AN_POD_NAME_MAX 253

/* Non-zero when the len bytes at s are a valid pod name. */
int an_pod_name_valid(const char *s, size_t len);

/* One ranking: outliers' output for one window, in rank order. */
struct an_ranking {
	char *name;		/* e.g. "p99_by_pod", owned */
	char **pods;		/* rank order, owned */
	double *scores;
	int *hot;
	size_t n;
	double start, end;	/* the window */
};

/*
 * Read outliers' output from r (columns start, end, rank, series, score,
 * hot by name) as the ranking called `name` into rk (released with
 * an_ranking_release).  Errors (AN_EDATA, "file:line: ..."): a missing
 * column, a series that is not "pod=NAME", a pod name that is not a
 * Kubernetes name, rows of more than one window, ranks out of order;
 * TSV reader errors; AN_ESYS when out of memory.
 */
int an_ranking_read(struct an_ranking *rk, const char *name,
		    struct an_reader *r, struct an_err *err);
void an_ranking_release(struct an_ranking *rk);

/* The pick; strings point into the rankings (empty when none). */
struct an_hotpod {
	const char *hot, *top, *normal, *basis;
	double score;
};

/*
 * Pick from rankings rk[0..n) (n >= 1): the first ranking whose first pod
 * is hot gives hot = top = that pod, basis = its name, score = its score;
 * when none is hot, top is rk[0]'s first pod, not hot.  normal is the
 * lowest-ranked other pod of rk[0] for which has_profile(pod, ctx) is
 * non-zero ("" if none).  Errors (AN_EDATA): an empty ranking ("NAME: no
 * pods"); no pod with a value in the window ("NAME: no pod has a value in
 * the window START,END: it misses the metrics (load_start/load_end in
 * run.env?)").
 */
int an_hotpod_pick(const struct an_ranking *rk, size_t n,
		   int (*has_profile)(const char *pod, void *ctx), void *ctx,
		   struct an_hotpod *out, struct an_err *err);

/*
 * Read a pick written by an_hotpod_write: *top and *normal (owned by the
 * caller, free(); *normal may be "").  Errors (AN_EDATA): no row, a
 * missing column, a pod name that is not a Kubernetes name; TSV errors.
 */
int an_hotpod_read(struct an_reader *r, char **top, char **normal,
		   struct an_err *err);

/* Write the header "hot top normal basis score" and the pick's row. */
int an_hotpod_write(FILE *f, const struct an_hotpod *h, struct an_err *err);

#endif
