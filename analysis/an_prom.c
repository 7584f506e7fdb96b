/*
 * an_prom.c - query_range responses: YAJL callbacks driving a small state
 * machine, a store of per-series points, TSV writers.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <yajl/yajl_parse.h>

#include "an_num.h"
#include "an_text.h"
#include "an_prom.h"
#include "an_strmap.h"
#include "an_timespec.h"

#define BLOCK_SHIFT 20
#define BLOCK_SIZE ((size_t)1 << BLOCK_SHIFT)

/* A point: time in ms, value text at offset v >> 16 (length v & 0xffff). */
struct pt {
	int64_t t;
	uint64_t v;
};

struct series {
	struct pt *pts;
	size_t n, cap;
};

struct query {
	char *name;
	struct an_strmap *keys;   /* series label set (escaped) -> id */
	struct series *series;    /* by id */
	size_t nseries, series_cap;
	char **blocks;            /* value text, BLOCK_SIZE each */
	size_t nblocks, block_used;
};

struct an_prom {
	struct query *q;
	size_t nq, q_cap;
	size_t max_memory, used;
};

/* Account for `add` more bytes; AN_EDATA naming the cap when over it. */
static int mem_take(struct an_prom *p, size_t add, struct an_err *err)
{
	if (add > p->max_memory - p->used)
		return an_err_set(err, AN_EDATA,
				  "the points held exceed the memory cap of %zu MiB",
				  p->max_memory >> 20);
	p->used += add;
	return AN_OK;
}

/* Grow *v (elements of size sz) to hold at least need; counts the memory. */
static int grow(struct an_prom *p, void **v, size_t *cap, size_t need, size_t sz,
		struct an_err *err)
{
	size_t ncap = *cap ? *cap : 16;
	void *nv;

	if (need <= *cap)
		return AN_OK;
	while (ncap < need)
		ncap *= 2;
	if (mem_take(p, (ncap - *cap) * sz, err) != AN_OK)
		return err ? err->status : AN_EDATA;
	nv = realloc(*v, ncap * sz);
	if (!nv)
		return an_err_set(err, AN_ESYS, "out of memory");
	*v = nv;
	*cap = ncap;
	return AN_OK;
}

int an_prom_new(struct an_prom **out, size_t max_memory, struct an_err *err)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return an_err_set(err, AN_ESYS, "out of memory");
	(*out)->max_memory = max_memory ? max_memory : AN_PROM_MEMORY_DEFAULT;
	return AN_OK;
}

void an_prom_query_release(struct an_prom *p, size_t i)
{
	struct query *q = &p->q[i];
	size_t k;

	for (k = 0; k < q->nseries; k++) {
		p->used -= q->series[k].cap * sizeof(struct pt);
		free(q->series[k].pts);
	}
	p->used -= q->series_cap * sizeof(struct series) + q->nblocks * BLOCK_SIZE;
	free(q->series);
	for (k = 0; k < q->nblocks; k++)
		free(q->blocks[k]);
	free(q->blocks);
	an_strmap_free(q->keys);
	q->keys = NULL;
	q->series = NULL;
	q->blocks = NULL;
	q->nseries = q->series_cap = q->nblocks = q->block_used = 0;
}

void an_prom_free(struct an_prom *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nq; i++) {
		an_prom_query_release(p, i);
		free(p->q[i].name);
	}
	free(p->q);
	free(p);
}

int an_prom_query(struct an_prom *p, const char *name, size_t *idx, struct an_err *err)
{
	size_t i;

	for (i = 0; i < p->nq; i++)
		if (strcmp(p->q[i].name, name) == 0) {
			*idx = i;
			return AN_OK;
		}
	if (p->nq == p->q_cap) {
		size_t ncap = p->q_cap ? p->q_cap * 2 : 8;
		struct query *nq = realloc(p->q, ncap * sizeof *nq);

		if (!nq)
			return an_err_set(err, AN_ESYS, "out of memory");
		p->q = nq;
		p->q_cap = ncap;
	}
	memset(&p->q[p->nq], 0, sizeof p->q[p->nq]);
	p->q[p->nq].name = strdup(name);
	if (!p->q[p->nq].name)
		return an_err_set(err, AN_ESYS, "out of memory");
	*idx = p->nq++;
	return AN_OK;
}

size_t an_prom_query_count(const struct an_prom *p)
{
	return p->nq;
}

const char *an_prom_query_name(const struct an_prom *p, size_t i)
{
	return p->q[i].name;
}

size_t an_prom_series_count(const struct an_prom *p, size_t i)
{
	return p->q[i].nseries;
}

/* Store value text; *ref gets offset << 16 | len. */
static int text_put(struct an_prom *p, struct query *q, const char *s, size_t len,
		    uint64_t *ref, struct an_err *err)
{
	if (q->nblocks == 0 || BLOCK_SIZE - q->block_used < len) {
		char **nb;

		if (mem_take(p, BLOCK_SIZE, err) != AN_OK)
			return err ? err->status : AN_EDATA;
		nb = realloc(q->blocks, (q->nblocks + 1) * sizeof *nb);
		if (!nb)
			return an_err_set(err, AN_ESYS, "out of memory");
		q->blocks = nb;
		nb[q->nblocks] = malloc(BLOCK_SIZE);
		if (!nb[q->nblocks])
			return an_err_set(err, AN_ESYS, "out of memory");
		q->nblocks++;
		q->block_used = 0;
	}
	memcpy(q->blocks[q->nblocks - 1] + q->block_used, s, len);
	*ref = ((((uint64_t)(q->nblocks - 1) << BLOCK_SHIFT) | q->block_used) << 16) | len;
	q->block_used += len;
	return AN_OK;
}

static const char *text_get(const struct query *q, uint64_t ref, size_t *len)
{
	uint64_t off = ref >> 16;

	*len = (size_t)(ref & 0xffff);
	return q->blocks[off >> BLOCK_SHIFT] + (off & (BLOCK_SIZE - 1));
}

/* ---- parsing ---- */

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
	if (grow(ps->p, (void **)&ps->pend, &ps->pend_cap, ps->npend + 1, sizeof *ps->pend,
		 &ps->err) != AN_OK)
		return failed(ps);
	ps->pend[ps->npend].t = ps->t;
	if (text_put(ps->p, q, text, len, &ps->pend[ps->npend].v, &ps->err) != AN_OK)
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

/* The label-set escape of s[0..len) into dst (room for 2 * len); its length. */
static size_t esc(char *dst, const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		char c = s[i], e = 0;

		switch (c) {
		case '\\': e = '\\'; break;
		case ',': e = ','; break;
		case '=': e = '='; break;
		case '\t': e = 't'; break;
		case '\n': e = 'n'; break;
		case '\r': e = 'r'; break;
		}
		if (e) {
			dst[n++] = '\\';
			dst[n++] = e;
		} else {
			dst[n++] = c;
		}
	}
	return n;
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
		*n += esc(ps->key + *n, s, len);
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
		if (grow(p, (void **)&q->series, &q->series_cap, q->nseries + 1,
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
	if (grow(p, (void **)&se->pts, &se->cap, se->n + ps->npend, sizeof *se->pts,
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
		if (grow(ps->p, (void **)&ps->labels, &ps->labels_cap, ps->nlabels + 1,
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

/* ---- output ---- */

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

		out_put(o, tmp, esc(tmp, s, k));
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
		char *pre;
		size_t plen;

		/* "NAME\tSERIES\t" once per series, not per point */
		if (!(pre = malloc(2 * strlen(q->name) + len + 2))) {
			rc = an_err_set(err, AN_ESYS, "out of memory");
			break;
		}
		plen = esc(pre, q->name, strlen(q->name));
		pre[plen++] = '\t';
		memcpy(pre + plen, key, len);
		plen += len;
		pre[plen++] = '\t';
		for (k = 0; k < se->n; k++) {
			size_t vl, tl;
			const char *v = text_get(q, se->pts[k].v, &vl);
			char tb[32];

			out_put(o, pre, plen);
			an_time_fmt(tb, se->pts[k].t);
			tl = strlen(tb);
			tb[tl++] = '\t';
			out_put(o, tb, tl);
			if (vl + 1 <= sizeof o->buf - o->n) {
				memcpy(o->buf + o->n, v, vl);
				o->buf[o->n + vl] = '\n';
				o->n += vl + 1;
			} else {
				out_put(o, v, vl);
				out_put(o, "\n", 1);
			}
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
				const char *v = text_get(col->q, col->se->pts[col->next++].v, &vl);

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

/* ---- ranges and names ---- */

int an_prom_chunk_count(int64_t start, int64_t end, int64_t step, uint64_t max_points,
			uint64_t *n, struct an_err *err)
{
	uint64_t points;

	if (step <= 0)
		return an_err_set(err, AN_EDATA, "step must be positive");
	if (end < start)
		return an_err_set(err, AN_EDATA, "end is before start");
	if (max_points == 0)
		return an_err_set(err, AN_EDATA, "points per request must be positive");
	points = (uint64_t)(end - start) / (uint64_t)step + 1;
	*n = (points + max_points - 1) / max_points;
	return AN_OK;
}

void an_prom_chunk(int64_t start, int64_t end, int64_t step, uint64_t max_points,
		   uint64_t k, int64_t *chunk_start, int64_t *chunk_end)
{
	*chunk_start = start + (int64_t)(k * max_points) * step;
	*chunk_end = *chunk_start + (int64_t)(max_points - 1) * step;
	if (*chunk_end > end)
		*chunk_end = end;
}

char *an_prom_name_from_path(char *out, size_t outsz, const char *path)
{
	const char *b = strrchr(path, '/');
	size_t len, k;

	b = b ? b + 1 : path;
	len = strlen(b);
	if (len > 8 && strcmp(b + len - 8, ".json.gz") == 0)
		len -= 8;
	else if (len > 5 && strcmp(b + len - 5, ".json") == 0)
		len -= 5;
	/* ".partK" */
	for (k = len; k > 0 && b[k - 1] >= '0' && b[k - 1] <= '9'; k--)
		;
	if (k < len && k > 5 && memcmp(b + k - 5, ".part", 5) == 0)
		len = k - 5;
	snprintf(out, outsz, "%.*s", (int)len, b);
	return out;
}

int an_prom_name_check(const char *name, struct an_err *err)
{
	size_t i, len = strlen(name);
	char q[80];

	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == ':'))
			break;
	}
	if (len > 0 && len <= 200 && i == len)
		return AN_OK;
	return an_err_set(err, AN_EDATA,
			  "bad query name '%s': expected 1 to 200 letters, digits, '_', '-' or ':'",
			  an_err_quote(q, sizeof q, name, len));
}

int an_prom_index_header(FILE *f)
{
	return fputs("name\tfile\tquery\tstart\tend\tstep\n", f) == EOF ? -1 : 0;
}

static int index_row(FILE *f, const struct an_prom_range *rg, const char *file,
		     int64_t s, int64_t e)
{
	char a[32], b[32], c[32];

	fprintf(f, "%s\t%s\t", rg->name, file);
	an_tsv_write_escaped(f, rg->expr, strlen(rg->expr));
	fprintf(f, "\t%s\t%s\t%s\n", an_time_fmt(a, s), an_time_fmt(b, e),
		an_time_fmt(c, rg->step));
	return ferror(f) ? -1 : 0;
}

/* Parse the spooled body; on an HTTP error status, say why. */
static int fetch_parse(struct an_prom *p, size_t query, FILE *body, const char *source,
		       long status, unsigned attempts, const char *shown,
		       an_prom_warn_fn warn, void *warn_ctx, struct an_err *err)
{
	struct an_prom_parse *ps = NULL;
	char buf[1 << 16];
	size_t n;
	int rc;

	rc = an_prom_parse_new(&ps, p, query, source, warn, warn_ctx, err);
	while (rc == AN_OK && (n = fread(buf, 1, sizeof buf, body)) > 0)
		rc = an_prom_parse_feed(ps, buf, n, err);
	if (rc == AN_OK && ferror(body))
		rc = an_err_sys(err, errno, "%s: cannot read the spooled response", source);
	if (rc == AN_OK)
		rc = an_prom_parse_finish(ps, err);
	if (status / 100 != 2 && !(rc == AN_ESYS && ps && an_prom_parse_is_error(ps)))
		/* not Prometheus' error document: the HTTP status says it all */
		rc = an_err_set(err, AN_ESYS, "%s: HTTP %ld from %s (%u attempt%s)", source,
				status, shown, attempts, attempts == 1 ? "" : "s");
	an_prom_parse_free(ps);
	return rc;
}

/* Spool file of one chunk: in the archive (temporary name) or anonymous. */
static FILE *spool_open(const char *dir, const char *file, char **tmp, struct an_err *err)
{
	FILE *f;

	*tmp = NULL;
	if (!dir) {
		f = tmpfile();
		if (!f)
			an_err_sys(err, errno, "cannot create a temporary file");
		return f;
	}
	if (asprintf(tmp, "%s/.%s.tmp", dir, file) < 0) {
		*tmp = NULL;
		an_err_set(err, AN_ESYS, "out of memory");
		return NULL;
	}
	f = fopen(*tmp, "w+");
	if (!f)
		an_err_sys(err, errno, "cannot create '%s'", *tmp);
	return f;
}

static int spool_keep(const char *dir, const char *file, const char *tmp, struct an_err *err)
{
	char *final;
	int rc = AN_OK;

	if (asprintf(&final, "%s/%s", dir, file) < 0)
		return an_err_set(err, AN_ESYS, "out of memory");
	if (rename(tmp, final) != 0)
		rc = an_err_sys(err, errno, "cannot rename '%s' to '%s'", tmp, final);
	free(final);
	return rc;
}

static int fetch_chunk(struct an_prom *p, size_t query, struct an_http *h, const char *qurl,
		       const struct an_prom_range *rg, int64_t cs, int64_t ce, const char *file,
		       const char *source, const char *archive_dir, an_prom_warn_fn warn,
		       void *warn_ctx, struct an_err *err)
{
	char a[32], b[32], c[32], shown[512], *expr, *form = NULL, *tmp;
	long status = 0;
	unsigned attempts = 0;
	FILE *body;
	int rc;

	expr = an_http_form_escape(rg->expr);
	if (!expr || asprintf(&form, "query=%s&start=%s&end=%s&step=%s", expr,
			      an_time_fmt(a, cs), an_time_fmt(b, ce), an_time_fmt(c, rg->step)) < 0) {
		free(expr);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	free(expr);
	body = spool_open(archive_dir, file, &tmp, err);
	if (!body) {
		free(form);
		free(tmp);
		return AN_ESYS;
	}
	rc = an_http_post(h, qurl, form, body, &status, &attempts, err);
	if (rc != AN_OK)
		an_err_prefix(err, "%s", source);
	else
		rc = fetch_parse(p, query, body, source, status, attempts,
				 an_http_redact(shown, sizeof shown, qurl), warn, warn_ctx, err);
	if (fclose(body) != 0 && rc == AN_OK)
		rc = an_err_sys(err, errno, "cannot write '%s'", tmp);
	if (tmp && rc == AN_OK)
		rc = spool_keep(archive_dir, file, tmp, err);
	else if (tmp)
		unlink(tmp);
	free(tmp);
	free(form);
	return rc;
}

int an_prom_fetch(struct an_prom *p, size_t query, struct an_http *h, const char *url,
		  const struct an_prom_range *rg, const char *archive_dir, FILE *index,
		  an_prom_warn_fn warn, void *warn_ctx, struct an_err *err)
{
	uint64_t n, k;
	char *qurl, file[300], source[256];
	size_t ul = strlen(url);
	int rc;

	if ((rc = an_prom_chunk_count(rg->start, rg->end, rg->step, rg->max_points, &n, err)))
		return rc;
	while (ul > 0 && url[ul - 1] == '/')
		ul--;
	if (asprintf(&qurl, "%.*s/api/v1/query_range", (int)ul, url) < 0)
		return an_err_set(err, AN_ESYS, "out of memory");
	for (k = 0; rc == AN_OK && k < n; k++) {
		int64_t cs, ce;

		an_prom_chunk(rg->start, rg->end, rg->step, rg->max_points, k, &cs, &ce);
		if (n == 1)
			snprintf(source, sizeof source, "%s", rg->name);
		else
			snprintf(source, sizeof source, "%s.part%llu", rg->name, (unsigned long long)k);
		snprintf(file, sizeof file, "%s.json", source);
		rc = fetch_chunk(p, query, h, qurl, rg, cs, ce, file, source, archive_dir, warn,
				 warn_ctx, err);
		if (rc == AN_OK && index && index_row(index, rg, file, cs, ce) != 0)
			rc = an_err_sys(err, errno, "cannot write the archive index");
	}
	free(qurl);
	return rc;
}

int an_prom_archive_open(const char *dir, FILE **index, struct an_err *err)
{
	char *tmp;

	*index = NULL;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return an_err_sys(err, errno, "cannot create '%s'", dir);
	if (asprintf(&tmp, "%s/.%s.tmp", dir, AN_PROM_INDEX) < 0)
		return an_err_set(err, AN_ESYS, "out of memory");
	*index = fopen(tmp, "w");
	if (!*index || an_prom_index_header(*index) != 0) {
		an_err_sys(err, errno, "cannot write '%s'", tmp);
		free(tmp);
		return AN_ESYS;
	}
	free(tmp);
	return AN_OK;
}

int an_prom_archive_close(const char *dir, FILE *index, struct an_err *err)
{
	char *tmp, *final;
	int rc = AN_OK;

	if (asprintf(&tmp, "%s/.%s.tmp", dir, AN_PROM_INDEX) < 0)
		return an_err_set(err, AN_ESYS, "out of memory");
	if (asprintf(&final, "%s/%s", dir, AN_PROM_INDEX) < 0) {
		free(tmp);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	if (fclose(index) != 0 || rename(tmp, final) != 0)
		rc = an_err_sys(err, errno, "cannot write '%s'", final);
	free(tmp);
	free(final);
	return rc;
}

void an_prom_paths_free(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/* One index row: check its file name, append DIR/FILE to the list. */
static int index_add(const char *dir, char *line, size_t len, uint64_t lineno,
		     char ***paths, size_t *n, struct an_err *err)
{
	char *tab1 = memchr(line, '\t', len), *tab2, name[256];
	char **np;

	tab2 = tab1 ? memchr(tab1 + 1, '\t', len - (size_t)(tab1 + 1 - line)) : NULL;
	if (!tab2)
		return an_err_set(err, AN_EDATA, "%s/%s:%llu: expected name<TAB>file<TAB>...",
				  dir, AN_PROM_INDEX, (unsigned long long)lineno);
	*tab1 = *tab2 = '\0';
	an_prom_name_from_path(name, sizeof name, tab1 + 1);
	if (strchr(tab1 + 1, '/') || an_prom_name_check(line, NULL) != AN_OK ||
	    strcmp(name, line) != 0) {
		char q[80];

		return an_err_set(err, AN_EDATA, "%s/%s:%llu: bad file name '%s' for query '%s'",
				  dir, AN_PROM_INDEX, (unsigned long long)lineno,
				  an_err_quote(q, sizeof q, tab1 + 1, strlen(tab1 + 1)), name);
	}
	np = realloc(*paths, (*n + 1) * sizeof *np);
	if (!np)
		return an_err_set(err, AN_ESYS, "out of memory");
	*paths = np;
	if (asprintf(&np[*n], "%s/%s", dir, tab1 + 1) < 0)
		return an_err_set(err, AN_ESYS, "out of memory");
	(*n)++;
	return AN_OK;
}

int an_prom_index_read(const char *dir, char ***paths, size_t *n, struct an_err *err)
{
	static const char header[] = "name\tfile\tquery\tstart\tend\tstep";
	struct an_reader *r;
	char *path, *line;
	size_t len;
	int got, rc;

	*paths = NULL;
	*n = 0;
	if (asprintf(&path, "%s/%s", dir, AN_PROM_INDEX) < 0)
		return an_err_set(err, AN_ESYS, "out of memory");
	rc = an_reader_open(&r, path, err);
	free(path);
	if (rc != AN_OK)
		return rc;
	got = an_reader_getline(r, &line, &len, err);
	if (got > 0 && (len != sizeof header - 1 || memcmp(line, header, len) != 0))
		rc = an_err_set(err, AN_EDATA, "%s/%s:1: not an archive index: expected the header '%s'",
				dir, AN_PROM_INDEX, "name<TAB>file<TAB>query<TAB>start<TAB>end<TAB>step");
	else if (got == 0)
		rc = an_err_set(err, AN_EDATA, "%s/%s: empty archive index", dir, AN_PROM_INDEX);
	while (rc == AN_OK && got > 0 && (got = an_reader_getline(r, &line, &len, err)) > 0)
		rc = index_add(dir, line, len, an_reader_lineno(r), paths, n, err);
	if (rc == AN_OK && got < 0)
		rc = err ? err->status : AN_ESYS;
	an_reader_free(r);
	if (rc != AN_OK) {
		an_prom_paths_free(*paths, *n);
		*paths = NULL;
		*n = 0;
	}
	return rc;
}

int an_prom_queries_next(struct an_reader *r, char **name, char **expr, struct an_err *err)
{
	char *line, *tab;
	size_t len;
	int got;

	while ((got = an_reader_getline(r, &line, &len, err)) > 0) {
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (len == 0 || line[0] == '#')
			continue;
		tab = memchr(line, '\t', len);
		if (!tab || tab + 1 == line + len) {
			an_err_set(err, AN_EDATA, "%s:%llu: expected NAME<TAB>EXPR",
				   an_reader_name(r), (unsigned long long)an_reader_lineno(r));
			return -1;
		}
		*name = strndup(line, (size_t)(tab - line));
		*expr = strndup(tab + 1, len - (size_t)(tab + 1 - line));
		if (!*name || !*expr) {
			free(*name);
			free(*expr);
			an_err_set(err, AN_ESYS, "out of memory");
			return -1;
		}
		if (an_prom_name_check(*name, err) == AN_OK)
			return 1;
		free(*name);
		free(*expr);
		an_err_prefix(err, "%s:%llu", an_reader_name(r),
			      (unsigned long long)an_reader_lineno(r));
		return -1;
	}
	return got;
}
