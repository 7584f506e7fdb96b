/* an_verdict.c - the verdict table, combined tables, the rule. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_tsv.h"
#include "an_verdict.h"

static const char *const header[] = {
	"metric", "better", "n_before", "n_after", "before", "after", "change",
	"rel_change_pct", "ci_low", "ci_high", "verdict"
};
#define NCOLS (sizeof header / sizeof *header)

void an_verdict_write_header(FILE *f)
{
	size_t i;

	for (i = 0; i < NCOLS; i++)
		fprintf(f, "%s%c", header[i], i + 1 < NCOLS ? '\t' : '\n');
}

static void put_num(FILE *f, double v)
{
	char b[AN_NUM_BUF];

	putc('\t', f);
	fputs(an_num_fmt(b, isnan(v) ? v : round(v * 1e6) / 1e6), f);
}

void an_verdict_write_row(FILE *f, const char *metric, enum an_better better,
			  const struct an_compare_result *res)
{
	fprintf(f, "%s\t%s\t%zu\t%zu", metric,
		better == AN_BETTER_LOWER ? "lower" : "higher", res->n_before,
		res->n_after);
	put_num(f, res->before);
	put_num(f, res->after);
	put_num(f, res->change);
	put_num(f, res->rel_change * 100);
	put_num(f, res->ci_low);
	put_num(f, res->ci_high);
	fprintf(f, "\t%s\n", an_verdict_name(res->verdict));
}

int an_verdict_write_overall(FILE *f, enum an_verdict v, struct an_err *err)
{
	fprintf(f, "overall\t\t\t\t\t\t\t\t\t\t%s\n", an_verdict_name(v));
	if (ferror(f))
		return an_err_sys(err, errno, "write error");
	return AN_OK;
}

static int verdict_parse(const char *s, size_t len, enum an_verdict *v)
{
	static const enum an_verdict all[] = {
		AN_VERDICT_NONE, AN_VERDICT_IMPROVED, AN_VERDICT_REGRESSED,
		AN_VERDICT_NO_DATA
	};
	size_t i;

	for (i = 0; i < 4; i++) {
		const char *name = an_verdict_name(all[i]);

		if (strlen(name) == len && memcmp(name, s, len) == 0) {
			*v = all[i];
			return 0;
		}
	}
	return -1;
}

static int check_header(struct an_tsv *t, struct an_err *err)
{
	size_t i;

	if (an_tsv_ncols(t) != NCOLS)
		goto bad;
	for (i = 0; i < NCOLS; i++)
		if (strcmp(an_tsv_colname(t, i), header[i]) != 0)
			goto bad;
	return AN_OK;
bad:
	return an_err_set(err, AN_EDATA, "%s:1: not a verdict table (header "
			  "metric, better, ..., verdict)", an_tsv_name(t));
}

/* Copy t's metric rows to f, their verdicts to v[*nv..]. */
static int copy_rows(FILE *f, struct an_tsv *t, enum an_verdict *v, size_t *nv,
		     struct an_err *err)
{
	size_t i, len;
	char *s, q[80];
	int rc;

	while ((rc = an_tsv_next(t, err)) == 1) {
		s = an_tsv_field(t, 0, &len);
		if (len == 7 && memcmp(s, "overall", 7) == 0)
			continue;
		if (*nv == AN_VERDICT_ROWS_MAX)
			return an_err_set(err, AN_EDATA, "%s:%llu: more than %d "
					  "metrics", an_tsv_name(t),
					  (unsigned long long)an_tsv_lineno(t),
					  AN_VERDICT_ROWS_MAX);
		s = an_tsv_field(t, NCOLS - 1, &len);
		if (verdict_parse(s, len, &v[*nv]) != 0)
			return an_err_set(err, AN_EDATA, "%s:%llu: unknown verdict "
					  "'%s'", an_tsv_name(t),
					  (unsigned long long)an_tsv_lineno(t),
					  an_err_quote(q, sizeof q, s, len));
		(*nv)++;
		for (i = 0; i < NCOLS; i++) {
			s = an_tsv_field(t, i, &len);
			fwrite(s, 1, len, f);
			putc(i + 1 < NCOLS ? '\t' : '\n', f);
		}
	}
	return rc < 0 ? err->status : AN_OK;
}

int an_verdict_combine_tables(FILE *f, struct an_reader *const *r, size_t n,
			      struct an_err *err)
{
	enum an_verdict *v = malloc(AN_VERDICT_ROWS_MAX * sizeof *v);
	size_t k, nv = 0;
	int rc = AN_OK;

	if (!v)
		return an_err_set(err, AN_ESYS, "out of memory");
	an_verdict_write_header(f);
	for (k = 0; k < n && rc == AN_OK; k++) {
		struct an_tsv *t;

		if ((rc = an_tsv_open(&t, r[k], err)) != AN_OK)
			break;
		rc = check_header(t, err);
		if (rc == AN_OK)
			rc = copy_rows(f, t, v, &nv, err);
		an_tsv_free(t);
	}
	if (rc == AN_OK)
		rc = an_verdict_write_overall(f, an_verdict_combine(v, nv), err);
	free(v);
	return rc;
}

/* The values of cols[0..n) in the row `key` of the table in r. */
static int stats_row(struct an_reader *r, const char *key_col, const char *key,
		     const char *const *cols, size_t n, double *v,
		     struct an_err *err)
{
	struct an_tsv *t;
	size_t i, len;
	int k, rc, found = 0;

	if (an_tsv_open(&t, r, err) != AN_OK)
		return err->status;
	if ((k = an_tsv_col_need(t, key_col, err)) < 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (an_tsv_col_need(t, cols[i], err) < 0)
			goto fail;
	while (!found && (rc = an_tsv_next(t, err)) == 1) {
		char *s = an_tsv_field(t, (size_t)k, &len);

		if (len != strlen(key) || memcmp(s, key, len) != 0)
			continue;
		found = 1;
		for (i = 0; i < n; i++)
			if (an_tsv_field_double(t, (size_t)an_tsv_col(t, cols[i]),
						&v[i], err) != AN_OK)
				goto fail;
	}
	if (!found && rc == 0)
		an_err_set(err, AN_EDATA, "%s: no row with %s '%s'", an_tsv_name(t),
			   key_col, key);
	if (!found)
		goto fail;
	an_tsv_free(t);
	return AN_OK;
fail:
	an_tsv_free(t);
	return err->status;
}

static double round_to(double v, double scale)
{
	return isnan(v) ? v : round(v * scale) / scale;
}

int an_verdict_stats(FILE *f, struct an_reader *before, struct an_reader *after,
		     const char *row, const char *const *cols, size_t n,
		     struct an_err *err)
{
	static const char *const dflt[] = { "samples", "errors", "error_pct",
		"throughput", "mean", "p50", "p90", "p95", "p99", "max" };
	char *key_col = strdup(row ? row : "label=TOTAL"), *key;
	double *b = NULL, *a;
	char x[4][AN_NUM_BUF];
	size_t i;
	int rc = AN_ESYS;

	if (!n) {
		cols = dflt;
		n = sizeof dflt / sizeof *dflt;
	}
	if (!key_col || !(b = calloc(2 * n, sizeof *b))) {
		an_err_set(err, AN_ESYS, "out of memory");
		goto out;
	}
	a = b + n;
	key = strchr(key_col, '=');
	if (!key || key == key_col) {
		rc = an_err_set(err, AN_EDATA, "row '%s' is not COLUMN=VALUE", key_col);
		goto out;
	}
	*key++ = '\0';
	if ((rc = stats_row(before, key_col, key, cols, n, b, err)) != AN_OK ||
	    (rc = stats_row(after, key_col, key, cols, n, a, err)) != AN_OK)
		goto out;
	fputs("metric\tbefore\tafter\tchange\trel_change_pct\n", f);
	for (i = 0; i < n; i++) {
		double ch = a[i] - b[i];

		fprintf(f, "%s\t%s\t%s\t%s\t%s\n", cols[i], an_num_fmt(x[0], b[i]),
			an_num_fmt(x[1], a[i]), an_num_fmt(x[2], round_to(ch, 1e6)),
			an_num_fmt(x[3], b[i] != 0 ? round_to(100 * ch / b[i], 100) : NAN));
	}
	rc = ferror(f) ? an_err_sys(err, errno, "write error") : AN_OK;
out:
	free(key_col);
	free(b);
	return rc;
}

int an_verdict_write_rule(FILE *f, const struct an_compare_opts *o,
			  struct an_err *err)
{
	char c[AN_NUM_BUF], e[AN_NUM_BUF];

	fprintf(f, "Rule: the change is the difference of the medians of "
		"per-interval values (after \xe2\x88\x92 before);\n"
		"its %s%% confidence interval is a percentile bootstrap (%u "
		"resamples, fixed seed). A metric\n"
		"improved (regressed) when the whole interval is on its better "
		"(worse) side of zero and the\n"
		"medians differ by at least %s%%; otherwise there is no "
		"significant change. A metric with fewer than 3\n"
		"values in a run has not enough data (left out of the overall "
		"verdict). Overall: regressed if\n"
		"any metric regressed, else improved if any improved.\n",
		an_num_fmt(c, round(o->confidence * 1e6) / 1e4), o->resamples,
		an_num_fmt(e, round(o->min_effect * 1e6) / 1e4));
	if (ferror(f))
		return an_err_sys(err, errno, "write error");
	return AN_OK;
}
