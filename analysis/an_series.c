/* an_series.c - group series TSV rows into time-sorted series. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_series.h"
#include "an_strmap.h"
#include "an_tsv.h"

#define QUERIES_SHOWN 8

struct cols {
	int time, value, series, query;
};

struct queries {
	char *name[QUERIES_SHOWN];
	size_t n;
	int more;
};

void an_series_set_init(struct an_series_set *set, size_t max_points)
{
	memset(set, 0, sizeof *set);
	set->max_points = max_points ? max_points : AN_SERIES_POINTS_MAX_DEFAULT;
}

void an_series_set_release(struct an_series_set *set)
{
	size_t i, max = set->max_points;

	for (i = 0; i < set->n; i++) {
		free(set->s[i].name);
		free(set->s[i].pts);
	}
	free(set->s);
	an_series_set_init(set, max);
}

static int find_cols(struct an_tsv *t, const struct an_series_opts *o,
		     struct cols *c, struct an_err *err)
{
	c->time = an_tsv_col_need(t, "time", err);
	if (c->time < 0)
		return err->status;
	c->value = an_tsv_col_need(t, o->value_col ? o->value_col : "value", err);
	if (c->value < 0)
		return err->status;
	c->series = an_tsv_col(t, "series");
	c->query = an_tsv_col(t, "query");
	if (o->query && c->query < 0 && an_tsv_col_need(t, "query", err) < 0)
		return err->status;
	return AN_OK;
}

static void queries_free(struct queries *q)
{
	size_t i;

	for (i = 0; i < q->n; i++)
		free(q->name[i]);
}

/* Remember a query name (the first QUERIES_SHOWN distinct ones);
 * returns its position, or -1 when not remembered. */
static int queries_add(struct queries *q, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < q->n; i++)
		if (strlen(q->name[i]) == len && memcmp(q->name[i], s, len) == 0)
			return (int)i;
	if (q->n == QUERIES_SHOWN) {
		q->more = 1;
		return -1;
	}
	q->name[q->n] = malloc(len + 1);
	if (!q->name[q->n])
		return -1;
	memcpy(q->name[q->n], s, len);
	q->name[q->n][len] = '\0';
	return (int)q->n++;
}

static void queries_list(const struct queries *q, char *buf, size_t size)
{
	size_t i, used = 0;
	char qq[64];

	buf[0] = '\0';
	for (i = 0; i < q->n && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s'%s'", i ? ", " : "",
				 an_err_quote(qq, sizeof qq, q->name[i],
					      strlen(q->name[i])));
		used = n < 0 ? size : used + (size_t)n;
	}
	if (q->more && used + 6 < size)
		strcat(buf, ", ...");
}

/* Should this row be kept?  1 yes, 0 no, -1 error. */
static int keep_row(struct an_tsv *t, const struct cols *c,
		    const struct an_series_opts *o, struct queries *q,
		    struct an_err *err)
{
	char list[600];
	size_t len;
	const char *s;

	if (c->query < 0)
		return 1;
	s = an_tsv_field(t, (size_t)c->query, &len);
	if (o->query) {
		queries_add(q, s, len);
		return strlen(o->query) == len && memcmp(o->query, s, len) == 0;
	}
	if (queries_add(q, s, len) == 0)
		return 1;
	queries_list(q, list, sizeof list);
	an_err_set(err, AN_EDATA, "%s:%llu: rows of several queries (%s): "
		   "choose one with --query", an_tsv_name(t),
		   (unsigned long long)an_tsv_lineno(t), list);
	return -1;
}

static int add_series(struct an_series_set *set, const char *name, size_t len,
		      struct an_err *err)
{
	struct an_series *s;

	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		void *p = realloc(set->s, cap * sizeof *set->s);

		if (!p)
			return an_err_set(err, AN_ESYS, "out of memory");
		set->s = p;
		set->cap = cap;
	}
	s = &set->s[set->n];
	memset(s, 0, sizeof *s);
	s->name = malloc(len + 1);
	if (!s->name)
		return an_err_set(err, AN_ESYS, "out of memory");
	memcpy(s->name, name, len);
	s->name[len] = '\0';
	s->name_len = len;
	set->n++;
	return AN_OK;
}

static int add_point(struct an_series_set *set, struct an_series *s, double t,
		     double v, struct an_err *err)
{
	if (set->points >= set->max_points)
		return an_err_set(err, AN_ESYS, "more than %zu points: over the "
				  "point cap (--max-points)", set->max_points);
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		void *p = realloc(s->pts, cap * sizeof *s->pts);

		if (!p)
			return an_err_set(err, AN_ESYS, "out of memory");
		s->pts = p;
		s->cap = cap;
	}
	s->pts[s->n].t = t;
	s->pts[s->n].v = v;
	s->n++;
	set->points++;
	return AN_OK;
}

static int read_row(struct an_series_set *set, struct an_strmap *ids,
		    struct an_tsv *t, const struct cols *c, struct an_err *err)
{
	const char *name = "";
	size_t len = 0;
	double tm, v;
	int64_t id;
	int is_new;

	if (c->series >= 0) {
		if (an_tsv_field_check_escapes(t, (size_t)c->series, err) != AN_OK)
			return err->status;
		name = an_tsv_field(t, (size_t)c->series, &len);
	}
	if (an_tsv_field_double(t, (size_t)c->time, &tm, err) != AN_OK ||
	    an_tsv_field_double(t, (size_t)c->value, &v, err) != AN_OK)
		return err->status;
	if (!isfinite(tm)) {
		char b[AN_NUM_BUF];

		return an_err_set(err, AN_EDATA, "%s:%llu: column 'time': '%s' is "
				  "not a finite time", an_tsv_name(t),
				  (unsigned long long)an_tsv_lineno(t),
				  an_num_fmt(b, tm));
	}
	id = an_strmap_intern(ids, name, len, &is_new, err);
	if (id < 0)
		return err->status;
	if (is_new && add_series(set, name, len, err) != AN_OK)
		return err->status;
	return add_point(set, &set->s[id], tm, v, err);
}

static int cmp_point(const void *a, const void *b)
{
	const struct an_point *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

static int cmp_series(const void *a, const void *b)
{
	const struct an_series *x = a, *y = b;
	size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
	int c = memcmp(x->name, y->name, n);

	return c ? c : (x->name_len > y->name_len) - (x->name_len < y->name_len);
}

static int sort_all(struct an_series_set *set, const char *input,
		    struct an_err *err)
{
	size_t i, j;

	if (set->n)
		qsort(set->s, set->n, sizeof *set->s, cmp_series);
	for (i = 0; i < set->n; i++) {
		struct an_series *s = &set->s[i];

		for (j = 1; j < s->n && s->pts[j - 1].t < s->pts[j].t; j++)
			;
		if (j >= s->n)
			continue;
		qsort(s->pts, s->n, sizeof *s->pts, cmp_point);
		for (j = 1; j < s->n; j++) {
			char b[AN_NUM_BUF], q[96];

			if (s->pts[j - 1].t < s->pts[j].t)
				continue;
			return an_err_set(err, AN_EDATA, "%s: series '%s': time %s "
					  "appears twice", input,
					  an_err_quote(q, sizeof q, s->name, s->name_len),
					  an_num_fmt(b, s->pts[j].t));
		}
	}
	return AN_OK;
}

static struct an_strmap *ids_of(const struct an_series_set *set,
				struct an_err *err)
{
	struct an_strmap *m = an_strmap_new(0, 0);
	size_t i;

	if (!m) {
		an_err_set(err, AN_ESYS, "out of memory");
		return NULL;
	}
	for (i = 0; i < set->n; i++)
		if (an_strmap_intern(m, set->s[i].name, set->s[i].name_len, NULL,
				     err) < 0) {
			an_strmap_free(m);
			return NULL;
		}
	return m;
}

static int no_rows_of_query(const struct an_tsv *t, const char *query,
			    const struct queries *q, struct an_err *err)
{
	char list[600], qq[96];

	queries_list(q, list, sizeof list);
	return an_err_set(err, AN_EDATA, "%s: no rows of query '%s' (queries: "
			  "%s)", an_tsv_name(t),
			  an_err_quote(qq, sizeof qq, query, strlen(query)),
			  q->n ? list : "none");
}

static int read_rows(struct an_series_set *set, struct an_tsv *t,
		     const struct cols *c, const struct an_series_opts *o,
		     struct an_err *err)
{
	struct queries q = { { NULL }, 0, 0 };
	struct an_strmap *ids = ids_of(set, err);
	size_t kept = 0;
	int rc = AN_OK, k;

	if (!ids)
		return err->status;
	while (rc == AN_OK && (k = an_tsv_next(t, err)) != 0) {
		set->rows_read++;
		if (k < 0 || (k = keep_row(t, c, o, &q, err)) < 0)
			rc = err->status;
		else if (k && (rc = read_row(set, ids, t, c, err)) == AN_OK)
			kept++;
	}
	if (rc == AN_OK && o->query && kept == 0)
		rc = no_rows_of_query(t, o->query, &q, err);
	an_strmap_free(ids);
	queries_free(&q);
	return rc;
}

int an_series_read(struct an_series_set *set, struct an_reader *r,
		   const struct an_series_opts *opts, struct an_err *err)
{
	static const struct an_series_opts none = { NULL, NULL };
	struct an_tsv *t;
	struct cols c;
	int rc;

	if (!opts)
		opts = &none;
	if (an_tsv_open(&t, r, err) != AN_OK)
		return err->status;
	rc = find_cols(t, opts, &c, err);
	if (rc == AN_OK)
		rc = read_rows(set, t, &c, opts, err);
	if (rc == AN_OK)
		rc = sort_all(set, an_tsv_name(t), err);
	an_tsv_free(t);
	return rc;
}

const struct an_series *an_series_find(const struct an_series_set *set,
				       const char *name, size_t len)
{
	size_t lo = 0, hi = set->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct an_series key;
		int c;

		key.name = (char *)name;
		key.name_len = len;
		c = cmp_series(&key, &set->s[mid]);
		if (c == 0)
			return &set->s[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void an_series_set_span(const struct an_series_set *set, double *start,
			double *end)
{
	size_t i;

	*start = INFINITY;
	*end = -INFINITY;
	for (i = 0; i < set->n; i++) {
		const struct an_series *s = &set->s[i];

		if (s->n && s->pts[0].t < *start)
			*start = s->pts[0].t;
		if (s->n && s->pts[s->n - 1].t > *end)
			*end = s->pts[s->n - 1].t;
	}
}
