#include "an_compare.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void an_compare_opts_init(struct an_compare_opts *o)
{
	o->confidence = 0.95;
	o->resamples = 2000;
	o->min_effect = 0.05;
	o->seed = 1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double an_median(double *v, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (!isnan(v[i]))
			v[k++] = v[i];
	if (!k)
		return NAN;
	qsort(v, k, sizeof *v, cmp_double);
	return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

/* splitmix64: small, fast, and the same sequence everywhere */
static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static size_t pick(uint64_t *s, size_t n)
{
	return (size_t)(next_rand(s) % n);
}

static double resample_median(const double *v, size_t n, double *tmp, uint64_t *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		tmp[i] = v[pick(s, n)];
	return an_median(tmp, n);
}

static size_t copy_finite(double *dst, const double *src, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (!isnan(src[i]))
			dst[k++] = src[i];
	return k;
}

static enum an_verdict decide(const struct an_compare_result *r, enum an_better better,
			      double min_effect)
{
	int lower_better = better == AN_BETTER_LOWER;
	double eff = fabs(r->rel_change);

	if (isnan(eff))
		eff = r->change != 0 ? INFINITY : 0;
	if (eff < min_effect)
		return AN_VERDICT_NONE;
	if (r->ci_high < 0)
		return lower_better ? AN_VERDICT_IMPROVED : AN_VERDICT_REGRESSED;
	if (r->ci_low > 0)
		return lower_better ? AN_VERDICT_REGRESSED : AN_VERDICT_IMPROVED;
	return AN_VERDICT_NONE;
}

static int bootstrap(const double *b, size_t nb, const double *a, size_t na,
		     const struct an_compare_opts *o, struct an_compare_result *res,
		     struct an_err *err)
{
	double *diffs = malloc(o->resamples * sizeof *diffs);
	double *tmp = malloc((nb > na ? nb : na) * sizeof *tmp);
	uint64_t s = o->seed;
	double tail = (1 - o->confidence) / 2;
	size_t lo, hi;
	unsigned i;

	if (!diffs || !tmp) {
		free(diffs);
		free(tmp);
		return an_err_sys(err, ENOMEM, "out of memory");
	}
	for (i = 0; i < o->resamples; i++)
		diffs[i] = resample_median(a, na, tmp, &s) - resample_median(b, nb, tmp, &s);
	qsort(diffs, o->resamples, sizeof *diffs, cmp_double);
	lo = (size_t)floor(tail * (o->resamples - 1));
	hi = (size_t)ceil((1 - tail) * (o->resamples - 1));
	res->ci_low = diffs[lo];
	res->ci_high = diffs[hi];
	free(diffs);
	free(tmp);
	return AN_OK;
}

int an_compare(const double *before, size_t nb, const double *after, size_t na,
	       enum an_better better, const struct an_compare_opts *o,
	       struct an_compare_result *res, struct an_err *err)
{
	double *b, *a;
	int rc;

	if (!(o->confidence > 0 && o->confidence < 1) || o->resamples < 100 ||
	    o->resamples > 1000000 || !(o->min_effect >= 0))
		return an_err_set(err, AN_EDATA, "bad comparison options");
	if (nb > AN_COMPARE_MAX_N || na > AN_COMPARE_MAX_N)
		return an_err_set(err, AN_EDATA, "more than %d values per run",
				  AN_COMPARE_MAX_N);
	b = malloc((nb + 1) * sizeof *b);
	a = malloc((na + 1) * sizeof *a);
	if (!a || !b) {
		free(a);
		free(b);
		return an_err_sys(err, ENOMEM, "out of memory");
	}
	memset(res, 0, sizeof *res);
	res->n_before = nb = copy_finite(b, before, nb);
	res->n_after = na = copy_finite(a, after, na);
	if (nb < AN_COMPARE_MIN_N || na < AN_COMPARE_MIN_N) {
		free(a);
		free(b);
		return an_err_set(err, AN_EDATA,
				  "too few values (%zu before, %zu after; at least %d each)",
				  nb, na, AN_COMPARE_MIN_N);
	}
	rc = bootstrap(b, nb, a, na, o, res, err);
	if (rc == AN_OK) {
		res->before = an_median(b, nb);
		res->after = an_median(a, na);
		res->change = res->after - res->before;
		res->rel_change = res->before != 0 ? res->change / fabs(res->before) : NAN;
		res->verdict = decide(res, better, o->min_effect);
	}
	free(a);
	free(b);
	return rc;
}

const char *an_verdict_name(enum an_verdict v)
{
	switch (v) {
	case AN_VERDICT_IMPROVED: return "improved";
	case AN_VERDICT_REGRESSED: return "regressed";
	default: return "no significant change";
	}
}

enum an_verdict an_verdict_combine(const enum an_verdict *v, size_t n)
{
	size_t i;
	int improved = 0;

	for (i = 0; i < n; i++) {
		if (v[i] == AN_VERDICT_REGRESSED)
			return AN_VERDICT_REGRESSED;
		if (v[i] == AN_VERDICT_IMPROVED)
			improved = 1;
	}
	return improved ? AN_VERDICT_IMPROVED : AN_VERDICT_NONE;
}
