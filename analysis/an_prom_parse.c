/*
 * an_prom_parse.c - query_range responses: YAJL callbacks driving a small
 * state machine that fills the store.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>

#include "an_num.h"
#include "an_prom_store.h"
#include "an_strmap.h"
#include "an_text.h"
#include "an_timespec.h"

enum state {
	S_TOP, S_TOP_KEY, S_STATUS, S_ERRTYPE, S_ERROR, S_WARNINGS, S_WARN_ITEM,
	S_DATA, S_DATA_KEY, S_RTYPE, S_RESULT, S_RES_ITEM, S_EL_KEY, S_METRIC,
	S_MET_KEY, S_MET_VAL, S_VALUES, S_VAL_ITEM, S_PT_T, S_PT_V, S_PT_END,
	S_SKIP, S_DONE
};

/* A label of the series being read: offsets into lab. */
struct label {
	size_t k, klen, v, vlen;
};

struct an_prom_parse {
	struct an_prom *p;
	size_t qi;
	char *source;
	yajl_handle h;
	an_prom_warn_fn warn;
	void *warn_ctx;
	struct an_err err;        /* set by callbacks */
	int failed;
	enum state st, skip_ret;
	size_t skip_depth;
	uint64_t offset;          /* bytes fed before the current chunk */
	int seen_status, is_error, seen_result, in_warn_infos;
	char errtype[AN_PROM_TEXT_MAX], errtext[AN_PROM_TEXT_MAX];
	/* the series being read */
	char *lab;                /* label bytes */
	size_t lab_len, lab_cap;
	struct label *labels;
	size_t nlabels, labels_cap;
	int seen_metric;
	struct pt *pend;          /* its points, until the element ends */
	size_t npend, pend_cap;
	int64_t t;                /* time of the point being read */
	char *key;                /* escaped label set */
	size_t key_cap;
};

static int fail(struct an_prom_parse *ps, enum an_status st, const char *fmt, const char *a)
{
	char q[160];

	if (a)
		an_err_set(&ps->err, st, fmt, an_err_quote(q, sizeof q, a, strlen(a)));
	else
		an_err_set(&ps->err, st, "%s", fmt);
	ps->failed = 1;
	return 0;
}

/* A callee already filled ps->err. */
static int failed(struct an_prom_parse *ps)
{
	ps->failed = 1;
	return 0;
}

static int expected(struct an_prom_parse *ps, const char *what)
{
	return fail(ps, AN_EDATA, "not a query_range response: expected %s", what);
}

/* Enter S_SKIP for the value about to start; returns 1. */
static int skip_value(struct an_prom_parse *ps, enum state ret)
{
	ps->skip_ret = ret;
	ps->skip_depth = 0;
	ps->st = S_SKIP;
	return 1;
}

static void copy_text(char *dst, const unsigned char *s, size_t len)
{
	an_err_quote(dst, AN_PROM_TEXT_MAX, (const char *)s, len);
}

static int key_is(const unsigned char *k, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(k, name, len) == 0;
}

/* Parse a JSON number of seconds into ms (at most ms precision kept). */
static int parse_time(const char *s, size_t len, int64_t *ms)
{
	char buf[64];
	double v;
	size_t i = 0;
	int neg = 0;
	int64_t sec = 0, frac = 0;
	int nf = 0;

	if (len > 0 && s[0] == '-')
		neg = 1, i = 1;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (sec > AN_TIME_MAX_MS / 1000)
			return -1;
		sec = sec * 10 + (s[i] - '0');
	}
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nf++) {
			if (nf < 3)
				frac = frac * 10 + (s[i] - '0');
			else if (s[i] != '0')
				return -1;
		}
	}
	if (i == len) {
		for (; nf < 3; nf++)
			frac *= 10;
		*ms = sec * 1000 + frac;
		if (neg)
			*ms = -*ms;
		return 0;
	}
	/* exponent notation: accept when it is a whole number of ms */
	if (len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (an_num_parse_double(buf, len, &v) != 0 || !isfinite(v) ||
	    fabs(v) > (double)AN_TIME_MAX_MS / 1000)
		return -1;
	*ms = (int64_t)llround(v * 1000);
	return fabs((double)*ms - v * 1000) < 1e-6 ? 0 : -1;
}

/* -?digits(.digits)?([eE][+-]?digits)? */
static int plain_number(const unsigned char *s, size_t len)
{
	size_t i = 0, d;

	if (i < len && s[i] == '-')
		i++;
	for (d = i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == d)
		return 0;
	if (i < len && s[i] == '.') {
		for (d = ++i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	return i == len;
}

static int add_point(struct an_prom_parse *ps, const unsigned char *s, size_t len)
{
	struct query *q = &ps->p->q[ps->qi];
	char buf[AN_PROM_VALUE_MAX + 1], num[AN_NUM_BUF];
	const char *text = (const char *)s;
	double v;

	if (len > AN_PROM_VALUE_MAX) {
		char msg[80];

		snprintf(msg, sizeof msg, "value longer than %u bytes", AN_PROM_VALUE_MAX);
		return fail(ps, AN_EDATA, msg, NULL);
	}
	if (!plain_number(s, len)) {
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (an_num_parse_double(buf, len, &v) != 0)
			return fail(ps, AN_EDATA, "bad value '%s': expected a number, NaN, +Inf or -Inf", buf);
		text = an_num_fmt(num, v);
		len = strlen(text);
	}
	if (an_prom_grow(ps->p, (void **)&ps->pend, &ps->pend_cap, ps->npend + 1, sizeof *ps->pend,
		 &ps->err) != AN_OK)
		return failed(ps);
	ps->pend[ps->npend].t = ps->t;
	if (an_prom_text_put(ps->p, q, text, len, &ps->pend[ps->npend].v, &ps->err) != AN_OK)
		return failed(ps);
	ps->npend++;
	return 1;
}

static int add_label_bytes(struct an_prom_parse *ps, const unsigned char *s, size_t len,
			   size_t *off)
{
	char msg[80];

	if (len > AN_PROM_LABELS_MAX - ps->lab_len) {
		snprintf(msg, sizeof msg, "label set longer than %u bytes", AN_PROM_LABELS_MAX);
		return fail(ps, AN_EDATA, msg, NULL);
	}
	if (ps->lab_len + len > ps->lab_cap) {
		size_t ncap = ps->lab_cap ? ps->lab_cap : 256;
		char *nl;

		while (ncap < ps->lab_len + len)
			ncap *= 2;
		nl = realloc(ps->lab, ncap);
		if (!nl)
			return fail(ps, AN_ESYS, "out of memory", NULL);
		ps->lab = nl;
		ps->lab_cap = ncap;
	}
	if (len)
		memcpy(ps->lab + ps->lab_len, s, len);
	*off = ps->lab_len;
	ps->lab_len += len;
	return 1;
}

static int cmp_label(const void *a, const void *b, void *ctx)
{
	const struct label *x = a, *y = b;
	const char *lab = ctx;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(lab + x->k, lab + y->k, n);

	return c ? c : (x->klen > y->klen) - (x->klen < y->klen);
}

/* Append s (escaped unless raw) to ps->key at *n. */
static int key_escaped(struct an_prom_parse *ps, size_t *n, const char *s, size_t len,
		       int raw)
{
	if (*n + 2 * len + 2 > ps->key_cap) {
		size_t ncap = (*n + 2 * len + 2) * 2;
		char *nk = realloc(ps->key, ncap);

		if (!nk)
			return -1;
		ps->key = nk;
		ps->key_cap = ncap;
	}
	if (raw) {
		memcpy(ps->key + *n, s, len);
		*n += len;
	} else {
		*n += an_tsv_escape(ps->key + *n, s, len);
	}
	return 0;
}

/* The element ended: find its series and append the pending points. */
static int commit_series(struct an_prom_parse *ps)
{
	struct an_prom *p = ps->p;
	struct query *q = &p->q[ps->qi];
	struct series *se;
	size_t i, n = 0;
	int64_t id;
	int is_new;

	if (ps->nlabels > 1)
		qsort_r(ps->labels, ps->nlabels, sizeof *ps->labels, cmp_label, ps->lab);
	for (i = 0; i < ps->nlabels; i++) {
		struct label *l = &ps->labels[i];

		if (i > 0 && cmp_label(&ps->labels[i - 1], l, ps->lab) == 0) {
			char k[AN_PROM_TEXT_MAX];

			copy_text(k, (const unsigned char *)ps->lab + l->k, l->klen);
			return fail(ps, AN_EDATA, "label '%s' appears twice in one series", k);
		}
		if ((i > 0 && key_escaped(ps, &n, ",", 1, 1) != 0) ||
		    key_escaped(ps, &n, ps->lab + l->k, l->klen, 0) != 0 ||
		    key_escaped(ps, &n, "=", 1, 1) != 0 ||
		    key_escaped(ps, &n, ps->lab + l->v, l->vlen, 0) != 0)
			return fail(ps, AN_ESYS, "out of memory", NULL);
	}
	if (!q->keys) {
		q->keys = an_strmap_new(0, p->max_memory);
		if (!q->keys)
			return fail(ps, AN_ESYS, "out of memory", NULL);
	}
	id = an_strmap_intern(q->keys, ps->key ? ps->key : "", n, &is_new, &ps->err);
	if (id < 0)
		return failed(ps);
	if (is_new) {
		if (an_prom_grow(p, (void **)&q->series, &q->series_cap, q->nseries + 1,
			 sizeof *q->series, &ps->err) != AN_OK)
			return failed(ps);
		memset(&q->series[q->nseries++], 0, sizeof *q->series);
	}
	se = &q->series[id];
	if (se->cap == 0) {
		/* first sight of the series: take the pending buffer as is */
		se->pts = ps->pend;
		se->n = ps->npend;
		se->cap = ps->pend_cap;
		ps->pend = NULL;
		ps->npend = ps->pend_cap = 0;
		return 1;
	}
	if (an_prom_grow(p, (void **)&se->pts, &se->cap, se->n + ps->npend, sizeof *se->pts,
		 &ps->err) != AN_OK)
		return failed(ps);
	if (ps->npend)
		memcpy(se->pts + se->n, ps->pend, ps->npend * sizeof *se->pts);
	se->n += ps->npend;
	ps->npend = 0;
	return 1;
}

static const char *state_wants(enum state st)
{
	switch (st) {
	case S_TOP: return "a JSON object";
	case S_STATUS: return "a string for 'status'";
	case S_ERRTYPE: return "a string for 'errorType'";
	case S_ERROR: return "a string for 'error'";
	case S_WARNINGS: return "an array of strings for 'warnings'";
	case S_WARN_ITEM: return "strings in 'warnings'";
	case S_DATA: return "an object for 'data'";
	case S_RTYPE: return "a string for 'data.resultType'";
	case S_RESULT: return "an array for 'data.result'";
	case S_RES_ITEM: return "series objects in 'data.result'";
	case S_METRIC: return "an object for 'metric'";
	case S_MET_VAL: return "string label values in 'metric'";
	case S_VALUES: return "an array for 'values'";
	case S_VAL_ITEM: return "[time, \"value\"] pairs in 'values'";
	case S_PT_T: return "a number as the time of a point";
	case S_PT_V: return "a string as the value of a point";
	case S_PT_END: return "a [time, \"value\"] pair of two elements";
	default: return "nothing more";
	}
}

static int unexpected(struct an_prom_parse *ps)
{
	return expected(ps, state_wants(ps->st));
}

static int cb_start_map(void *ctx)
{
	struct an_prom_parse *ps = ctx;

	switch (ps->st) {
	case S_SKIP: ps->skip_depth++; return 1;
	case S_TOP: ps->st = S_TOP_KEY; return 1;
	case S_DATA: ps->st = S_DATA_KEY; return 1;
	case S_METRIC: ps->st = S_MET_KEY; ps->seen_metric = 1; return 1;
	case S_RES_ITEM:
		ps->lab_len = ps->nlabels = ps->npend = 0;
		ps->seen_metric = 0;
		ps->st = S_EL_KEY;
		return 1;
	default: return unexpected(ps);
	}
}

static int top_key(struct an_prom_parse *ps, const unsigned char *k, size_t len)
{
	if (key_is(k, len, "status"))
		ps->st = S_STATUS;
	else if (key_is(k, len, "errorType"))
		ps->st = S_ERRTYPE;
	else if (key_is(k, len, "error"))
		ps->st = S_ERROR;
	else if (key_is(k, len, "warnings") || key_is(k, len, "infos"))
		ps->st = S_WARNINGS, ps->in_warn_infos = key_is(k, len, "infos");
	else if (key_is(k, len, "data"))
		ps->st = S_DATA;
	else
		return skip_value(ps, S_TOP_KEY);
	return 1;
}

static int element_key(struct an_prom_parse *ps, const unsigned char *k, size_t len)
{
	if (key_is(k, len, "metric"))
		ps->st = S_METRIC;
	else if (key_is(k, len, "values"))
		ps->st = S_VALUES;
	else if (key_is(k, len, "value"))
		return fail(ps, AN_EDATA, "a series with a single 'value': an instant vector, expected a range query's matrix", NULL);
	else if (key_is(k, len, "histograms"))
		return fail(ps, AN_EDATA, "native histogram samples ('histograms') are not supported", NULL);
	else
		return skip_value(ps, S_EL_KEY);
	return 1;
}

static int cb_map_key(void *ctx, const unsigned char *k, size_t len)
{
	struct an_prom_parse *ps = ctx;

	switch (ps->st) {
	case S_SKIP: return 1;
	case S_TOP_KEY: return top_key(ps, k, len);
	case S_DATA_KEY:
		if (key_is(k, len, "resultType"))
			ps->st = S_RTYPE;
		else if (key_is(k, len, "result"))
			ps->st = S_RESULT;
		else
			return skip_value(ps, S_DATA_KEY);
		return 1;
	case S_EL_KEY: return element_key(ps, k, len);
	case S_MET_KEY:
		if (an_prom_grow(ps->p, (void **)&ps->labels, &ps->labels_cap, ps->nlabels + 1,
			 sizeof *ps->labels, &ps->err) != AN_OK)
			return failed(ps);
		ps->labels[ps->nlabels].klen = len;
		if (!add_label_bytes(ps, k, len, &ps->labels[ps->nlabels].k))
			return 0;
		ps->st = S_MET_VAL;
		return 1;
	default: return unexpected(ps);
	}
}

static int cb_end_map(void *ctx)
{
	struct an_prom_parse *ps = ctx;

	switch (ps->st) {
	case S_SKIP:
		if (--ps->skip_depth == 0)
			ps->st = ps->skip_ret;
		return 1;
	case S_TOP_KEY: ps->st = S_DONE; return 1;
	case S_DATA_KEY: ps->st = S_TOP_KEY; return 1;
	case S_MET_KEY: ps->st = S_EL_KEY; return 1;
	case S_EL_KEY:
		ps->st = S_RES_ITEM;
		return commit_series(ps);
	default: return unexpected(ps);
	}
}

static int cb_start_array(void *ctx)
{
	struct an_prom_parse *ps = ctx;

	switch (ps->st) {
	case S_SKIP: ps->skip_depth++; return 1;
	case S_WARNINGS: ps->st = S_WARN_ITEM; return 1;
	case S_RESULT: ps->st = S_RES_ITEM; ps->seen_result = 1; return 1;
	case S_VALUES: ps->st = S_VAL_ITEM; return 1;
	case S_VAL_ITEM: ps->st = S_PT_T; return 1;
	default: return unexpected(ps);
	}
}

static int cb_end_array(void *ctx)
{
	struct an_prom_parse *ps = ctx;

	switch (ps->st) {
	case S_SKIP:
		if (--ps->skip_depth == 0)
			ps->st = ps->skip_ret;
		return 1;
	case S_WARN_ITEM: ps->st = S_TOP_KEY; return 1;
	case S_RES_ITEM: ps->st = S_DATA_KEY; return 1;
	case S_VAL_ITEM: ps->st = S_EL_KEY; return 1;
	case S_PT_END: ps->st = S_VAL_ITEM; return 1;
	default: return unexpected(ps);
	}
}

static int status_value(struct an_prom_parse *ps, const unsigned char *s, size_t len)
{
	char q[AN_PROM_TEXT_MAX];

	ps->seen_status = 1;
	ps->st = S_TOP_KEY;
	if (key_is(s, len, "error"))
		ps->is_error = 1;
	else if (!key_is(s, len, "success")) {
		copy_text(q, s, len);
		return fail(ps, AN_EDATA, "unknown status '%s': expected success or error", q);
	}
	return 1;
}

static int result_type(struct an_prom_parse *ps, const unsigned char *s, size_t len)
{
	char q[AN_PROM_TEXT_MAX];

	ps->st = S_DATA_KEY;
	if (key_is(s, len, "matrix"))
		return 1;
	copy_text(q, s, len);
	return fail(ps, AN_EDATA, "resultType '%s': expected a matrix (the result of a range query)", q);
}

/* A string (kind 's'), a number ('n') or null/true/false ('o'). */
static int scalar(struct an_prom_parse *ps, int kind, const unsigned char *s, size_t len)
{
	char text[AN_PROM_TEXT_MAX];

	if (ps->st == S_SKIP) {
		if (ps->skip_depth == 0)
			ps->st = ps->skip_ret;
		return 1;
	}
	if (kind == 's') {
		switch (ps->st) {
		case S_STATUS: return status_value(ps, s, len);
		case S_ERRTYPE: copy_text(ps->errtype, s, len); ps->st = S_TOP_KEY; return 1;
		case S_ERROR: copy_text(ps->errtext, s, len); ps->st = S_TOP_KEY; return 1;
		case S_RTYPE: return result_type(ps, s, len);
		case S_WARN_ITEM:
			if (ps->warn) {
				copy_text(text, s, len);
				ps->warn(ps->warn_ctx, ps->source, text);
			}
			return 1;
		case S_MET_VAL:
			ps->labels[ps->nlabels].vlen = len;
			if (!add_label_bytes(ps, s, len, &ps->labels[ps->nlabels].v))
				return 0;
			ps->nlabels++;
			ps->st = S_MET_KEY;
			return 1;
		case S_PT_V:
			ps->st = S_PT_END;
			return add_point(ps, s, len);
		default: break;
		}
	} else if (kind == 'n' && ps->st == S_PT_T) {
		if (parse_time((const char *)s, len, &ps->t) != 0) {
			copy_text(text, s, len);
			return fail(ps, AN_EDATA, "bad time '%s': expected epoch seconds with at most 3 decimals", text);
		}
		ps->st = S_PT_V;
		return 1;
	}
	return unexpected(ps);
}

static int cb_null(void *ctx)
{
	return scalar(ctx, 'o', NULL, 0);
}

static int cb_boolean(void *ctx, int b)
{
	(void)b;
	return scalar(ctx, 'o', NULL, 0);
}

static int cb_number(void *ctx, const char *s, size_t len)
{
	return scalar(ctx, 'n', (const unsigned char *)s, len);
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
	return scalar(ctx, 's', s, len);
}

static const yajl_callbacks callbacks = {
	cb_null, cb_boolean, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_map_key, cb_end_map, cb_start_array, cb_end_array
};

int an_prom_parse_new(struct an_prom_parse **out, struct an_prom *p, size_t query,
		      const char *source, an_prom_warn_fn warn, void *warn_ctx,
		      struct an_err *err)
{
	struct an_prom_parse *ps = calloc(1, sizeof *ps);

	*out = NULL;
	if (!ps)
		return an_err_set(err, AN_ESYS, "out of memory");
	ps->p = p;
	ps->qi = query;
	ps->warn = warn;
	ps->warn_ctx = warn_ctx;
	ps->source = strdup(source);
	ps->h = yajl_alloc(&callbacks, NULL, ps);
	if (!ps->source || !ps->h) {
		an_prom_parse_free(ps);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	ps->st = S_TOP;
	*out = ps;
	return AN_OK;
}

void an_prom_parse_free(struct an_prom_parse *ps)
{
	if (!ps)
		return;
	if (ps->h)
		yajl_free(ps->h);
	ps->p->used -= ps->pend_cap * sizeof *ps->pend + ps->labels_cap * sizeof *ps->labels;
	free(ps->pend);
	free(ps->labels);
	free(ps->lab);
	free(ps->key);
	free(ps->source);
	free(ps);
}

/* The YAJL error text, without its trailing newline. */
static void syntax_error(struct an_prom_parse *ps, const unsigned char *buf, size_t len,
			 struct an_err *err)
{
	unsigned char *msg = yajl_get_error(ps->h, 0, buf, len);
	size_t n = msg ? strlen((char *)msg) : 0;

	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	an_err_set(err, AN_EDATA, "%s: byte %llu: malformed JSON: %.*s", ps->source,
		   (unsigned long long)(ps->offset + yajl_get_bytes_consumed(ps->h)), (int)n,
		   msg ? (char *)msg : "");
	if (msg)
		yajl_free_error(ps->h, msg);
}

int an_prom_parse_feed(struct an_prom_parse *ps, const void *buf, size_t len,
		       struct an_err *err)
{
	yajl_status st;

	if (ps->failed)
		return an_err_set(err, AN_EDATA, "%s: parse already failed", ps->source);
	st = yajl_parse(ps->h, buf, len);
	if (st == yajl_status_ok) {
		ps->offset += len;
		return AN_OK;
	}
	if (st == yajl_status_client_canceled) {
		if (err)
			*err = ps->err;
		an_err_prefix(err, "%s: byte %llu", ps->source,
			      (unsigned long long)(ps->offset + yajl_get_bytes_consumed(ps->h)));
		ps->failed = 1;
		return ps->err.status;
	}
	ps->failed = 1;
	syntax_error(ps, buf, len, err);
	return AN_EDATA;
}

int an_prom_parse_finish(struct an_prom_parse *ps, struct an_err *err)
{
	if (ps->failed)
		return an_err_set(err, AN_EDATA, "%s: parse already failed", ps->source);
	if (ps->offset == 0)
		return an_err_set(err, AN_EDATA, "%s: empty response: expected query_range JSON",
				  ps->source);
	if (yajl_complete_parse(ps->h) != yajl_status_ok) {
		ps->failed = 1;
		syntax_error(ps, NULL, 0, err);
		return AN_EDATA;
	}
	if (!ps->seen_status)
		return an_err_set(err, AN_EDATA,
				  "%s: not a query_range response: no 'status'", ps->source);
	if (ps->is_error)
		return an_err_set(err, AN_ESYS, "%s: prometheus error: %s: %s", ps->source,
				  ps->errtype[0] ? ps->errtype : "(no errorType)",
				  ps->errtext[0] ? ps->errtext : "(no error text)");
	if (!ps->seen_result)
		return an_err_set(err, AN_EDATA,
				  "%s: not a query_range response: no 'data.result'", ps->source);
	return AN_OK;
}

int an_prom_parse_is_error(const struct an_prom_parse *ps)
{
	return ps->is_error;
}

int an_prom_read(struct an_prom *p, size_t query, struct an_reader *r,
		 an_prom_warn_fn warn, void *warn_ctx, struct an_err *err)
{
	struct an_prom_parse *ps;
	char buf[1 << 16];
	long n;
	int rc;

	rc = an_prom_parse_new(&ps, p, query, an_reader_name(r), warn, warn_ctx, err);
	if (rc != AN_OK)
		return rc;
	while ((n = an_reader_read(r, buf, sizeof buf, err)) > 0)
		if ((rc = an_prom_parse_feed(ps, buf, (size_t)n, err)) != AN_OK)
			break;
	if (n < 0)
		rc = err ? err->status : AN_ESYS;
	else if (rc == AN_OK)
		rc = an_prom_parse_finish(ps, err);
	an_prom_parse_free(ps);
	return rc;
}
