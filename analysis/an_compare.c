#include "an_compare.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_tsv.h"

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
		res->before = nb ? an_median(b, nb) : NAN;
		res->after = na ? an_median(a, na) : NAN;
		res->change = res->after - res->before;
		res->rel_change = res->before != 0 ? res->change / fabs(res->before) : NAN;
		res->ci_low = res->ci_high = NAN;
		res->verdict = AN_VERDICT_NO_DATA;
		free(a);
		free(b);
		return AN_OK;
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
	case AN_VERDICT_NO_DATA: return "not enough data";
	default: return "no significant change";
	}
}

enum an_verdict an_verdict_combine(const enum an_verdict *v, size_t n)
{
	size_t i, no_data = 0;
	int improved = 0;

	for (i = 0; i < n; i++) {
		if (v[i] == AN_VERDICT_REGRESSED)
			return AN_VERDICT_REGRESSED;
		if (v[i] == AN_VERDICT_IMPROVED)
			improved = 1;
		if (v[i] == AN_VERDICT_NO_DATA)
			no_data++;
	}
	if (improved)
		return AN_VERDICT_IMPROVED;
	return n && no_data == n ? AN_VERDICT_NO_DATA : AN_VERDICT_NONE;
}

static int push(struct an_compare_values *v, size_t *cap, double x, struct an_err *err)
{
	if (v->n == *cap) {
		size_t n = *cap ? *cap * 2 : 256;
		double *nv;

		if (n > AN_COMPARE_MAX_N)
			return an_err_set(err, AN_EDATA, "more than %d rows to compare",
					  AN_COMPARE_MAX_N);
		nv = realloc(v->v, n * sizeof *nv);
		if (!nv)
			return an_err_sys(err, ENOMEM, "out of memory");
		v->v = nv;
		*cap = n;
	}
	v->v[v->n++] = x;
	return AN_OK;
}

static void free_values(struct an_compare_values *vals, size_t ncols)
{
	size_t i;

	for (i = 0; i < ncols; i++) {
		free(vals[i].v);
		vals[i].v = NULL;
		vals[i].n = 0;
	}
}

static int read_rows(struct an_tsv *t, const int *idx, size_t ncols, int tcol, int scol,
		     const char *series, double from, double to,
		     struct an_compare_values *vals, size_t *caps, struct an_err *err)
{
	size_t slen = series ? strlen(series) : 0, i, len;
	double tm, x;
	int rc;

	while ((rc = an_tsv_next(t, err)) == 1) {
		if (series) {
			const char *s = an_tsv_field(t, (size_t)scol, &len);

			if (len != slen || memcmp(s, series, len) != 0)
				continue;
		}
		if (an_tsv_field_double(t, (size_t)tcol, &tm, err) != AN_OK)
			return AN_EDATA;
		if (!(tm >= from && tm < to))
			continue;
		for (i = 0; i < ncols; i++) {
			if (an_tsv_field_double(t, (size_t)idx[i], &x, err) != AN_OK)
				return AN_EDATA;
			if (push(&vals[i], &caps[i], x, err) != AN_OK)
				return err->status;
		}
	}
	return rc < 0 ? (int)err->status : AN_OK;
}

int an_compare_read(struct an_reader *r, const char *const *cols, size_t ncols,
		    const char *series, double from, double to,
		    struct an_compare_values *vals, struct an_err *err)
{
	struct an_tsv *t = NULL;
	size_t i, *caps = calloc(ncols + 1, sizeof *caps);
	int *idx = calloc(ncols + 1, sizeof *idx);
	int tcol, scol = -1, rc;

	memset(vals, 0, ncols * sizeof *vals);
	if (!caps || !idx) {
		rc = an_err_sys(err, ENOMEM, "out of memory");
		goto out;
	}
	rc = an_tsv_open(&t, r, err);
	if (rc != AN_OK)
		goto out;
	rc = AN_EDATA;
	if ((tcol = an_tsv_col_need(t, "time", err)) < 0)
		goto out;
	if (series && (scol = an_tsv_col_need(t, "series", err)) < 0)
		goto out;
	for (i = 0; i < ncols; i++)
		if ((idx[i] = an_tsv_col_need(t, cols[i], err)) < 0)
			goto out;
	rc = read_rows(t, idx, ncols, tcol, scol, series, from, to, vals, caps, err);
	if (rc == AN_OK && series && ncols && vals[0].n == 0)
		rc = an_err_set(err, AN_EDATA, "%s: no row of series '%s' in the window",
				an_tsv_name(t), series);
out:
	if (rc != AN_OK)
		free_values(vals, ncols);
	an_tsv_free(t);
	free(caps);
	free(idx);
	return rc;
}
