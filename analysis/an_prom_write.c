/*
 * an_prom_write.c - the store as TSV: long (one row per point) and wide
 * (one column per series).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_prom_store.h"
#include "an_strmap.h"
#include "an_text.h"
#include "an_timespec.h"

struct out {
	FILE *f;
	char buf[1 << 16];
	size_t n;
	int bad;
};

static void out_flush(struct out *o)
{
	if (o->n && fwrite(o->buf, 1, o->n, o->f) != o->n)
		o->bad = 1;
	o->n = 0;
}

static void out_put(struct out *o, const char *s, size_t len)
{
	if (len > sizeof o->buf - o->n) {
		out_flush(o);
		if (len > sizeof o->buf) {
			if (fwrite(s, 1, len, o->f) != len)
				o->bad = 1;
			return;
		}
	}
	memcpy(o->buf + o->n, s, len);
	o->n += len;
}

static void out_str(struct out *o, const char *s)
{
	out_put(o, s, strlen(s));
}

static void out_esc(struct out *o, const char *s, size_t len)
{
	char tmp[512];

	while (len > 0) {
		size_t k = len < sizeof tmp / 2 ? len : sizeof tmp / 2;

		out_put(o, tmp, an_tsv_escape(tmp, s, k));
		s += k;
		len -= k;
	}
}

static int out_done(struct out *o, struct an_err *err)
{
	out_flush(o);
	if (o->bad || ferror(o->f))
		return an_err_sys(err, errno, "write error");
	return AN_OK;
}

static int cmp_key(const void *a, const void *b, void *ctx)
{
	const struct an_strmap *m = ctx;
	size_t la, lb, ia = *(const size_t *)a, ib = *(const size_t *)b;
	const char *ka = an_strmap_key(m, ia, &la), *kb = an_strmap_key(m, ib, &lb);
	int c = memcmp(ka, kb, la < lb ? la : lb);

	return c ? c : (la > lb) - (la < lb);
}

static int cmp_pt(const void *a, const void *b)
{
	const struct pt *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

/* Series ids of q, bytewise by label set, each with points in time order. */
static int series_order(const struct query *q, size_t **ids, struct an_err *err)
{
	size_t i, k;

	*ids = malloc((q->nseries ? q->nseries : 1) * sizeof **ids);
	if (!*ids)
		return an_err_set(err, AN_ESYS, "out of memory");
	for (i = 0; i < q->nseries; i++)
		(*ids)[i] = i;
	if (q->nseries)
		qsort_r(*ids, q->nseries, sizeof **ids, cmp_key, q->keys);
	for (i = 0; i < q->nseries; i++) {
		struct series *se = &q->series[i];
		char tb[32], kq[160];
		size_t kl;
		const char *key;

		for (k = 1; k < se->n && se->pts[k - 1].t < se->pts[k].t; k++)
			;
		if (k >= se->n)
			continue;
		qsort(se->pts, se->n, sizeof *se->pts, cmp_pt);
		for (k = 1; k < se->n && se->pts[k - 1].t != se->pts[k].t; k++)
			;
		if (k >= se->n)
			continue;
		key = an_strmap_key(q->keys, i, &kl);
		free(*ids);
		*ids = NULL;
		return an_err_set(err, AN_EDATA,
				  "query '%s': series '%s' has two points at time %s (overlapping responses)",
				  q->name, an_err_quote(kq, sizeof kq, key, kl),
				  an_time_fmt(tb, se->pts[k].t));
	}
	return AN_OK;
}

int an_prom_write_long_header(FILE *f)
{
	return fputs("query\tseries\ttime\tvalue\n", f) == EOF ? -1 : 0;
}

static void out_time(struct out *o, int64_t t)
{
	char tb[32];

	out_str(o, an_time_fmt(tb, t));
}

int an_prom_write_long(struct an_prom *p, size_t i, FILE *f, struct an_err *err)
{
	struct query *q = &p->q[i];
	struct out *o = malloc(sizeof *o);
	size_t *ids, s, k, len;
	int rc;

	if (!o)
		return an_err_set(err, AN_ESYS, "out of memory");
	o->f = f;
	o->n = 0;
	o->bad = 0;
	rc = series_order(q, &ids, err);
	for (s = 0; rc == AN_OK && s < q->nseries; s++) {
		struct series *se = &q->series[ids[s]];
		const char *key = an_strmap_key(q->keys, ids[s], &len);
		size_t nlen = strlen(q->name), plen;
		char *pre;

		/* "NAME\tSERIES\t" once per series, not per point */
		if (!(pre = malloc(2 * nlen + len + 2))) {
			rc = an_err_set(err, AN_ESYS, "out of memory");
			break;
		}
		plen = an_tsv_escape(pre, q->name, nlen);
		pre[plen++] = '\t';
		memcpy(pre + plen, key, len);
		plen += len;
		pre[plen++] = '\t';
		for (k = 0; k < se->n; k++) {
			size_t vl;
			const char *v = an_prom_text_get(q, se->pts[k].v, &vl);

			out_put(o, pre, plen);
			out_time(o, se->pts[k].t);
			out_put(o, "\t", 1);
			out_put(o, v, vl);
			out_put(o, "\n", 1);
		}
		free(pre);
	}
	if (rc == AN_OK)
		rc = out_done(o, err);
	free(ids);
	free(o);
	return rc;
}

/* A column of the wide output: one series and where its next point is. */
struct column {
	struct query *q;
	struct series *se;
	size_t next;
};

static int wide_columns(struct an_prom *p, struct column **cols, size_t *ncols, struct out *o,
			struct an_err *err)
{
	size_t i, s, total = 0, len;

	for (i = 0; i < p->nq; i++)
		total += p->q[i].nseries;
	*cols = calloc(total ? total : 1, sizeof **cols);
	if (!*cols)
		return an_err_set(err, AN_ESYS, "out of memory");
	*ncols = 0;
	out_str(o, "time");
	for (i = 0; i < p->nq; i++) {
		struct query *q = &p->q[i];
		size_t *ids;
		int rc = series_order(q, &ids, err);

		if (rc != AN_OK)
			return rc;
		for (s = 0; s < q->nseries; s++) {
			const char *key = an_strmap_key(q->keys, ids[s], &len);

			out_put(o, "\t", 1);
			out_esc(o, q->name, strlen(q->name));
			out_put(o, "{", 1);
			out_put(o, key, len);
			out_put(o, "}", 1);
			(*cols)[*ncols].q = q;
			(*cols)[(*ncols)++].se = &q->series[ids[s]];
		}
		free(ids);
	}
	out_put(o, "\n", 1);
	return AN_OK;
}

int an_prom_write_wide(struct an_prom *p, FILE *f, struct an_err *err)
{
	struct out *o = malloc(sizeof *o);
	struct column *cols = NULL;
	size_t ncols = 0, c;
	int rc;

	if (!o)
		return an_err_set(err, AN_ESYS, "out of memory");
	o->f = f;
	o->n = 0;
	o->bad = 0;
	rc = wide_columns(p, &cols, &ncols, o, err);
	while (rc == AN_OK) {
		int64_t t = INT64_MAX;
		int any = 0;

		for (c = 0; c < ncols; c++)
			if (cols[c].next < cols[c].se->n && cols[c].se->pts[cols[c].next].t <= t)
				t = cols[c].se->pts[cols[c].next].t, any = 1;
		if (!any)
			break;
		out_time(o, t);
		for (c = 0; c < ncols; c++) {
			struct column *col = &cols[c];

			out_put(o, "\t", 1);
			if (col->next < col->se->n && col->se->pts[col->next].t == t) {
				size_t vl;
				const char *v = an_prom_text_get(col->q, col->se->pts[col->next++].v, &vl);

				out_put(o, v, vl);
			} else {
				out_put(o, "NaN", 3);
			}
		}
		out_put(o, "\n", 1);
	}
	if (rc == AN_OK)
		rc = out_done(o, err);
	free(cols);
	free(o);
	return rc;
}
