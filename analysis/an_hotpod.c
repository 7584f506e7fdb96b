/* an_hotpod.c - the hot pod and its normal peer, from rankings. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_hotpod.h"
#include "an_num.h"
#include "an_text.h"
#include "an_tsv.h"

static int alnum_lower(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int an_pod_name_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > AN_POD_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (alnum_lower(c))
			continue;
		if (c != '-' && c != '.')
			return 0;
		/* the name and each of its dot-separated labels start and end
		 * with a letter or digit */
		if (i == 0 || i == len - 1)
			return 0;
		if (c == '.' && (!alnum_lower(s[i - 1]) || !alnum_lower(s[i + 1])))
			return 0;
	}
	return 1;
}

void an_ranking_release(struct an_ranking *rk)
{
	size_t i;

	for (i = 0; i < rk->n; i++)
		free(rk->pods[i]);
	free(rk->pods);
	free(rk->scores);
	free(rk->hot);
	free(rk->name);
	memset(rk, 0, sizeof *rk);
}

static int grow(struct an_ranking *rk, size_t *cap)
{
	size_t c = *cap ? 2 * *cap : 8;
	char **p = realloc(rk->pods, c * sizeof *p);
	double *s;
	int *h;

	if (!p)
		return -1;
	rk->pods = p;
	if (!(s = realloc(rk->scores, c * sizeof *s)))
		return -1;
	rk->scores = s;
	if (!(h = realloc(rk->hot, c * sizeof *h)))
		return -1;
	rk->hot = h;
	*cap = c;
	return 0;
}

struct cols {
	int start, end, rank, series, score, hot;
};

static int row(struct an_ranking *rk, struct an_tsv *t, const struct cols *c,
	       struct an_err *err)
{
	const char *name = an_tsv_name(t);
	unsigned long long ln = (unsigned long long)an_tsv_lineno(t);
	double start, end, rank;
	size_t len;
	char *s, q[80];

	if (an_tsv_field_double(t, (size_t)c->start, &start, err) ||
	    an_tsv_field_double(t, (size_t)c->end, &end, err) ||
	    an_tsv_field_double(t, (size_t)c->rank, &rank, err) ||
	    an_tsv_field_double(t, (size_t)c->score, &rk->scores[rk->n], err))
		return err->status;
	if (rk->n && (start != rk->start || end != rk->end))
		return an_err_set(err, AN_EDATA, "%s:%llu: rows of more than one "
				  "window (rank one window at a time)", name, ln);
	if (rank != (double)(rk->n + 1))
		return an_err_set(err, AN_EDATA, "%s:%llu: rank %g where %zu was "
				  "expected", name, ln, rank, rk->n + 1);
	rk->start = start;
	rk->end = end;
	s = an_tsv_field(t, (size_t)c->hot, &len);
	rk->hot[rk->n] = len == 3 && memcmp(s, "yes", 3) == 0;
	s = an_tsv_field(t, (size_t)c->series, &len);
	if (len < 4 || memcmp(s, "pod=", 4) != 0 || !an_pod_name_valid(s + 4, len - 4))
		return an_err_set(err, AN_EDATA, "%s:%llu: series '%s' is not "
				  "pod=NAME with a Kubernetes pod name: refused",
				  name, ln, an_err_quote(q, sizeof q, s, len));
	if (!(rk->pods[rk->n] = strndup(s + 4, len - 4)))
		return an_err_set(err, AN_ESYS, "out of memory");
	rk->n++;
	return AN_OK;
}

static int need(struct an_tsv *t, const char *col, int *out, struct an_err *err)
{
	*out = an_tsv_col_need(t, col, err);
	return *out < 0;
}

int an_ranking_read(struct an_ranking *rk, const char *name,
		    struct an_reader *r, struct an_err *err)
{
	struct an_tsv *t = NULL;
	struct cols c;
	size_t cap = 0;
	int rc;

	memset(rk, 0, sizeof *rk);
	if (!(rk->name = strdup(name)))
		return an_err_set(err, AN_ESYS, "out of memory");
	if (an_tsv_open(&t, r, err) != AN_OK)
		goto fail;
	if (need(t, "start", &c.start, err) || need(t, "end", &c.end, err) ||
	    need(t, "rank", &c.rank, err) || need(t, "series", &c.series, err) ||
	    need(t, "score", &c.score, err) || need(t, "hot", &c.hot, err))
		goto fail;
	while ((rc = an_tsv_next(t, err)) == 1) {
		if (rk->n == cap && grow(rk, &cap) != 0) {
			an_err_set(err, AN_ESYS, "out of memory");
			goto fail;
		}
		if (row(rk, t, &c, err) != AN_OK)
			goto fail;
	}
	if (rc < 0)
		goto fail;
	an_tsv_free(t);
	return AN_OK;
fail:
	an_tsv_free(t);
	an_ranking_release(rk);
	return err->status;
}

int an_hotpod_pick(const struct an_ranking *rk, size_t n,
		   int (*has_profile)(const char *pod, void *ctx), void *ctx,
		   struct an_hotpod *out, struct an_err *err)
{
	const struct an_ranking *basis = &rk[0];
	char a[AN_NUM_BUF], b[AN_NUM_BUF];
	size_t i;

	for (i = 0; i < n; i++)
		if (rk[i].n == 0)
			return an_err_set(err, AN_EDATA, "%s: no pods", rk[i].name);
	for (i = 0; i < n; i++)
		if (rk[i].hot[0]) {
			basis = &rk[i];
			break;
		}
	if (isnan(basis->scores[0]))
		return an_err_set(err, AN_EDATA, "%s: no pod has a value in the "
				  "window %s,%s: it misses the metrics "
				  "(load_start/load_end in run.env?)", basis->name,
				  an_num_fmt(a, basis->start), an_num_fmt(b, basis->end));
	out->top = basis->pods[0];
	out->hot = basis->hot[0] ? basis->pods[0] : "";
	out->basis = basis->name;
	out->score = basis->scores[0];
	out->normal = "";
	for (i = rk[0].n; i-- > 0;)
		if (strcmp(rk[0].pods[i], out->top) != 0 &&
		    has_profile(rk[0].pods[i], ctx)) {
			out->normal = rk[0].pods[i];
			break;
		}
	return AN_OK;
}

int an_hotpod_write(FILE *f, const struct an_hotpod *h, struct an_err *err)
{
	char s[AN_NUM_BUF];

	fprintf(f, "hot\ttop\tnormal\tbasis\tscore\n%s\t%s\t%s\t%s\t%s\n", h->hot,
		h->top, h->normal, h->basis, an_num_fmt(s, h->score));
	if (ferror(f))
		return an_err_sys(err, errno, "write error");
	return AN_OK;
}

static int pod_field(struct an_tsv *t, const char *col, int empty_ok,
		     char **out, struct an_err *err)
{
	int i = an_tsv_col_need(t, col, err);
	size_t len;
	char *s, q[80];

	if (i < 0)
		return err->status;
	s = an_tsv_field(t, (size_t)i, &len);
	if (!(empty_ok && len == 0) && !an_pod_name_valid(s, len))
		return an_err_set(err, AN_EDATA, "%s:%llu: %s '%s' is not a "
				  "Kubernetes pod name: refused", an_tsv_name(t),
				  (unsigned long long)an_tsv_lineno(t), col,
				  an_err_quote(q, sizeof q, s, len));
	if (!(*out = strndup(s, len)))
		return an_err_set(err, AN_ESYS, "out of memory");
	return AN_OK;
}

int an_hotpod_read(struct an_reader *r, char **top, char **normal,
		   struct an_err *err)
{
	struct an_tsv *t = NULL;
	int rc;

	*top = *normal = NULL;
	if (an_tsv_open(&t, r, err) != AN_OK)
		return err->status;
	rc = an_tsv_next(t, err);
	if (rc == 0)
		an_err_set(err, AN_EDATA, "%s: no pick (header only)", an_tsv_name(t));
	if (rc != 1 || pod_field(t, "top", 0, top, err) != AN_OK ||
	    pod_field(t, "normal", 1, normal, err) != AN_OK) {
		free(*top);
		*top = NULL;
		an_tsv_free(t);
		return err->status;
	}
	an_tsv_free(t);
	return AN_OK;
}
