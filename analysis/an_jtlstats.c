#include "an_jtlstats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_strmap.h"
#include "an_text.h"

struct sv {
	uint64_t v, c;
};

/* Counts per millisecond value: dense below dlen, sorted sparse above. */
struct hist {
	uint64_t *dense;
	size_t dlen;
	struct sv *sparse;
	size_t slen, scap;
};

struct acc {
	uint64_t n, errors, bytes, sent, sum, min, max;
	int64_t first, last;   /* min start, max end, epoch ms */
	struct hist h;
};

/* A series entry: an aggregate of (s, k) or a value count of (s, k, v). */
struct entry {
	int64_t k;             /* interval start, epoch ms */
	uint64_t v;
	uint32_t s;            /* 0: TOTAL, else label id + 1 */
	uint32_t is_agg;
	uint64_t n, errors, sum, min, max;
};

struct an_jtlstats {
	struct an_jtlstats_opts o;
	struct an_strmap *labels;
	struct acc *acc;       /* per label id */
	size_t nacc, cacc;
	size_t bytes;          /* charged against o.max_bytes */
	struct entry *ent;
	size_t nent, cent;
	uint32_t *slot;        /* entry index + 1, 0: empty */
	size_t nslots;
	int64_t kmin, kmax;
};

uint64_t an_jtlstats_rank(uint64_t n, double p)
{
	long long r = llround((double)n * p);

	return r < 1 ? 1 : (uint64_t)r;
}

static int charge(struct an_jtlstats *st, size_t add, struct an_err *err)
{
	if (st->bytes + add > st->o.max_bytes)
		return an_err_set(err, AN_ESYS,
				  "statistics need more than %zu MiB (the memory cap)",
				  st->o.max_bytes >> 20);
	st->bytes += add;
	return AN_OK;
}

/* Grow *p (n elements of size sz, capacity *cap) to hold `need`. */
static int grow(struct an_jtlstats *st, void **p, size_t *cap, size_t need,
		size_t sz, struct an_err *err)
{
	size_t ncap = *cap ? *cap : 16;
	void *np;

	if (need <= *cap)
		return AN_OK;
	while (ncap < need)
		ncap *= 2;
	if (charge(st, (ncap - *cap) * sz, err) != AN_OK)
		return err->status;
	np = realloc(*p, ncap * sz);
	if (!np)
		return an_err_set(err, AN_ESYS, "out of memory");
	memset((char *)np + *cap * sz, 0, (ncap - *cap) * sz);
	*p = np;
	*cap = ncap;
	return AN_OK;
}

int an_jtlstats_new(struct an_jtlstats **out, const struct an_jtlstats_opts *o,
		    struct an_err *err)
{
	struct an_jtlstats *st = calloc(1, sizeof *st);

	*out = NULL;
	if (!st)
		return an_err_set(err, AN_ESYS, "out of memory");
	st->o = *o;
	if (!st->o.max_bytes)
		st->o.max_bytes = AN_JTLSTATS_MEMORY_DEFAULT;
	st->labels = an_strmap_new(0, st->o.max_bytes);
	st->kmin = INT64_MAX;
	st->kmax = INT64_MIN;
	if (!st->labels) {
		free(st);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	*out = st;
	return AN_OK;
}

void an_jtlstats_free(struct an_jtlstats *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->nacc; i++) {
		free(st->acc[i].h.dense);
		free(st->acc[i].h.sparse);
	}
	free(st->acc);
	free(st->ent);
	free(st->slot);
	an_strmap_free(st->labels);
	free(st);
}

static int hist_add_slow(struct an_jtlstats *st, struct hist *h, uint64_t v,
			 struct an_err *err)
{
	size_t lo = 0, hi = h->slen;

	if (v <= AN_JTLSTATS_DENSE_MAX) {
		size_t n = h->dlen ? h->dlen : 1024;
		uint64_t *nd;

		while (n <= v)
			n *= 2;
		if (n > AN_JTLSTATS_DENSE_MAX + 1)
			n = AN_JTLSTATS_DENSE_MAX + 1;
		if (charge(st, (n - h->dlen) * sizeof *nd, err) != AN_OK)
			return err->status;
		nd = realloc(h->dense, n * sizeof *nd);
		if (!nd)
			return an_err_set(err, AN_ESYS, "out of memory");
		memset(nd + h->dlen, 0, (n - h->dlen) * sizeof *nd);
		h->dense = nd;
		h->dlen = n;
		h->dense[v]++;
		return AN_OK;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->sparse[mid].v < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < h->slen && h->sparse[lo].v == v) {
		h->sparse[lo].c++;
		return AN_OK;
	}
	if (grow(st, (void **)&h->sparse, &h->scap, h->slen + 1, sizeof *h->sparse, err))
		return err->status;
	memmove(h->sparse + lo + 1, h->sparse + lo, (h->slen - lo) * sizeof *h->sparse);
	h->sparse[lo].v = v;
	h->sparse[lo].c = 1;
	h->slen++;
	return AN_OK;
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

static uint64_t ent_hash(uint32_t s, int64_t k, uint64_t v, uint32_t is_agg)
{
	return mix((uint64_t)k * 0x9e3779b97f4a7c15ull ^ mix(v + is_agg) ^
		   ((uint64_t)s << 40));
}

static int rehash(struct an_jtlstats *st, struct an_err *err)
{
	size_t n = st->nslots ? st->nslots * 2 : 1024, i;
	uint32_t *ns;

	if (charge(st, n * sizeof *ns, err) != AN_OK)
		return err->status;
	ns = calloc(n, sizeof *ns);
	if (!ns)
		return an_err_set(err, AN_ESYS, "out of memory");
	for (i = 0; i < st->nent; i++) {
		struct entry *e = &st->ent[i];
		size_t j = ent_hash(e->s, e->k, e->v, e->is_agg) & (n - 1);

		while (ns[j])
			j = (j + 1) & (n - 1);
		ns[j] = (uint32_t)(i + 1);
	}
	free(st->slot);
	st->slot = ns;
	st->nslots = n;
	return AN_OK;
}

/* The entry of (s, k, v, is_agg), created zeroed if absent; NULL on error. */
static struct entry *ent_get(struct an_jtlstats *st, uint32_t s, int64_t k,
			     uint64_t v, uint32_t is_agg, struct an_err *err)
{
	size_t j;
	struct entry *e;

	if ((st->nent + 1) * 2 > st->nslots && rehash(st, err) != AN_OK)
		return NULL;
	j = ent_hash(s, k, v, is_agg) & (st->nslots - 1);
	for (; st->slot[j]; j = (j + 1) & (st->nslots - 1)) {
		e = &st->ent[st->slot[j] - 1];
		if (e->s == s && e->k == k && e->v == v && e->is_agg == is_agg)
			return e;
	}
	if (st->nent >= UINT32_MAX - 1) {
		an_err_set(err, AN_ESYS, "more than 4 G series entries");
		return NULL;
	}
	if (grow(st, (void **)&st->ent, &st->cent, st->nent + 1, sizeof *st->ent, err))
		return NULL;
	e = &st->ent[st->nent];
	e->s = s;
	e->k = k;
	e->v = v;
	e->is_agg = is_agg;
	st->slot[j] = (uint32_t)++st->nent;
	return e;
}

static int series_add(struct an_jtlstats *st, uint32_t s, int64_t k,
		      uint64_t elapsed, int success, struct an_err *err)
{
	struct entry *e = ent_get(st, s, k, 0, 1, err);

	if (!e)
		return err->status;
	if (e->n == 0 || elapsed < e->min)
		e->min = elapsed;
	if (elapsed > e->max)
		e->max = elapsed;
	e->n++;
	e->errors += !success;
	e->sum += elapsed;
	e = ent_get(st, s, k, elapsed, 0, err);
	if (!e)
		return err->status;
	e->n++;
	return AN_OK;
}

int an_jtlstats_add(struct an_jtlstats *st, const char *label, size_t len,
		    int64_t timestamp, uint64_t elapsed, int success,
		    uint64_t bytes, uint64_t sent, struct an_err *err)
{
	struct acc *a;
	int64_t id = 0, end;

	if (!st->o.total_only) {
		id = an_strmap_intern(st->labels, label, len, NULL, err);
		if (id < 0)
			return err->status;
	}
	if (st->o.step_ms > 0) {
		int64_t k = timestamp - timestamp % st->o.step_ms;

		if (k < st->kmin)
			st->kmin = k;
		if (k > st->kmax)
			st->kmax = k;
		if (series_add(st, 0, k, elapsed, success, err) != AN_OK)
			return err->status;
		if (!st->o.total_only &&
		    series_add(st, (uint32_t)id + 1, k, elapsed, success, err) != AN_OK)
			return err->status;
		return AN_OK;
	}
	if ((size_t)id >= st->nacc) {
		if (grow(st, (void **)&st->acc, &st->cacc, (size_t)id + 1, sizeof *st->acc, err))
			return err->status;
		st->nacc = (size_t)id + 1;
	}
	a = &st->acc[id];
	end = timestamp + (int64_t)(elapsed > INT64_MAX / 2 ? INT64_MAX / 2 : elapsed);
	if (a->n == 0) {
		a->first = timestamp;
		a->last = end;
		a->min = a->max = elapsed;
	}
	if (timestamp < a->first)
		a->first = timestamp;
	if (end > a->last)
		a->last = end;
	if (elapsed < a->min)
		a->min = elapsed;
	if (elapsed > a->max)
		a->max = elapsed;
	a->n++;
	a->errors += !success;
	a->sum += elapsed;
	a->bytes += bytes;
	a->sent += sent;
	if (elapsed < a->h.dlen) {
		a->h.dense[elapsed]++;
		return AN_OK;
	}
	return hist_add_slow(st, &a->h, elapsed, err);
}

/* 6 significant digits, in an_num_fmt's spelling. */
static char *fmt6(char *buf, double v)
{
	char tmp[64];

	if (isfinite(v)) {
		snprintf(tmp, sizeof tmp, "%.6g", v);
		v = strtod(tmp, NULL);
	}
	return an_num_fmt(buf, v);
}

static const double pcts[4] = { 0.50, 0.90, 0.95, 0.99 };

struct row {
	uint64_t n, errors, sum, min, max;
	uint64_t pv[4];
};

/* Feed one (value, count) run, ascending, into the percentile walk. */
static void walk(struct row *r, uint64_t *cum, int *next, uint64_t v, uint64_t c)
{
	*cum += c;
	while (*next < 4 && *cum >= an_jtlstats_rank(r->n, pcts[*next]))
		r->pv[(*next)++] = v;
}

static int put(FILE *f, const char *s, int sep)
{
	return fputs(s, f) < 0 || putc(sep, f) == EOF ? -1 : 0;
}

/* samples errors error_pct throughput mean min p50 p90 p95 p99 max */
static int write_common(FILE *f, const struct row *r, double throughput,
			int last_sep)
{
	char b[AN_NUM_BUF];
	double nan = NAN;
	int i, rc = 0;

	rc |= put(f, an_num_fmt_u64(b, r->n), '\t');
	rc |= put(f, an_num_fmt_u64(b, r->errors), '\t');
	rc |= put(f, fmt6(b, r->n ? 100.0 * (double)r->errors / (double)r->n : nan), '\t');
	rc |= put(f, fmt6(b, throughput), '\t');
	rc |= put(f, fmt6(b, r->n ? (double)r->sum / (double)r->n : nan), '\t');
	rc |= put(f, r->n ? an_num_fmt_u64(b, r->min) : "NaN", '\t');
	for (i = 0; i < 4; i++)
		rc |= put(f, r->n ? an_num_fmt_u64(b, r->pv[i]) : "NaN", '\t');
	rc |= put(f, r->n ? an_num_fmt_u64(b, r->max) : "NaN", last_sep);
	return rc;
}

static double per_second(uint64_t amount, int64_t span_ms, double scale)
{
	if (span_ms <= 0 || amount == 0)
		return 0;
	return (double)amount / scale / ((double)span_ms / 1000.0);
}

static int cmp_sv(const void *a, const void *b)
{
	const struct sv *x = a, *y = b;

	return x->v < y->v ? -1 : x->v > y->v;
}

/* Percentiles of the histogram (the merge of several for TOTAL). */
static int hist_percentiles(struct an_jtlstats *st, struct row *r,
			    const struct hist *h, size_t nh, struct an_err *err)
{
	struct hist m = { 0 };
	uint64_t cum = 0;
	size_t i, v;
	int next = 0;

	if (nh == 1) {
		m = h[0];
	} else {
		for (i = 0; i < nh; i++) {
			m.dlen = h[i].dlen > m.dlen ? h[i].dlen : m.dlen;
			m.slen += h[i].slen;
		}
		if (charge(st, m.dlen * sizeof *m.dense + m.slen * sizeof *m.sparse, err))
			return err->status;
		m.dense = calloc(m.dlen + 1, sizeof *m.dense);
		m.sparse = malloc((m.slen + 1) * sizeof *m.sparse);
		if (!m.dense || !m.sparse) {
			free(m.dense);
			free(m.sparse);
			return an_err_set(err, AN_ESYS, "out of memory");
		}
		m.slen = 0;
		for (i = 0; i < nh; i++) {
			for (v = 0; v < h[i].dlen; v++)
				m.dense[v] += h[i].dense[v];
			if (h[i].slen)
				memcpy(m.sparse + m.slen, h[i].sparse, h[i].slen * sizeof *m.sparse);
			m.slen += h[i].slen;
		}
		qsort(m.sparse, m.slen, sizeof *m.sparse, cmp_sv);
		st->bytes -= m.dlen * sizeof *m.dense + m.slen * sizeof *m.sparse;
	}
	for (v = 0; v < m.dlen && next < 4; v++)
		if (m.dense[v])
			walk(r, &cum, &next, v, m.dense[v]);
	for (i = 0; i < m.slen && next < 4; i++)
		walk(r, &cum, &next, m.sparse[i].v, m.sparse[i].c);
	if (nh != 1) {
		free(m.dense);
		free(m.sparse);
	}
	return AN_OK;
}

static int write_acc(struct an_jtlstats *st, FILE *f, const struct acc *a,
		     const struct hist *h, size_t nh, struct an_err *err)
{
	struct row r = { a->n, a->errors, a->sum, a->min, a->max, { 0 } };
	int64_t span = a->last - a->first;
	double tp = a->n == 0 ? 0 : span > 0 ? (double)a->n / ((double)span / 1000.0) : INFINITY;
	char b[AN_NUM_BUF];
	int rc;

	if (a->n && hist_percentiles(st, &r, h, nh, err) != AN_OK)
		return err->status;
	rc = write_common(f, &r, tp, '\t');
	rc |= put(f, st->o.have_bytes ? fmt6(b, per_second(a->bytes, span, 1024)) : "NaN", '\t');
	rc |= put(f, st->o.have_sent ? fmt6(b, per_second(a->sent, span, 1024)) : "NaN", '\n');
	return rc ? an_err_sys(err, errno, "write error") : AN_OK;
}

static int write_summary(struct an_jtlstats *st, FILE *f, struct an_err *err)
{
	struct acc tot = { 0 };
	struct hist *hs;
	const char *key;
	size_t i, len;
	int rc = AN_OK;

	if (fputs("label\tsamples\terrors\terror_pct\tthroughput\tmean\tmin\tp50\tp90\tp95\tp99\tmax\treceived_kb_s\tsent_kb_s\n", f) < 0)
		return an_err_sys(err, errno, "write error");
	hs = malloc((st->nacc + 1) * sizeof *hs);
	if (!hs)
		return an_err_set(err, AN_ESYS, "out of memory");
	for (i = 0; i < st->nacc; i++) {
		const struct acc *a = &st->acc[i];

		hs[i] = a->h;
		if (a->n && (tot.n == 0 || a->first < tot.first))
			tot.first = a->first;
		if (a->n && (tot.n == 0 || a->last > tot.last))
			tot.last = a->last;
		if (a->n && (tot.n == 0 || a->min < tot.min))
			tot.min = a->min;
		if (a->max > tot.max)
			tot.max = a->max;
		tot.n += a->n;
		tot.errors += a->errors;
		tot.sum += a->sum;
		tot.bytes += a->bytes;
		tot.sent += a->sent;
		if (st->o.total_only)
			continue;
		key = an_strmap_key(st->labels, i, &len);
		if (an_tsv_write_escaped(f, key, len) != 0 || putc('\t', f) == EOF) {
			rc = an_err_sys(err, errno, "write error");
			break;
		}
		rc = write_acc(st, f, a, &a->h, 1, err);
		if (rc != AN_OK)
			break;
	}
	if (rc == AN_OK && fputs("TOTAL\t", f) < 0)
		rc = an_err_sys(err, errno, "write error");
	if (rc == AN_OK)
		rc = write_acc(st, f, &tot, hs, st->nacc, err);
	free(hs);
	return rc;
}

/*
 * Every series has a row for every interval from the first to the last
 * sample: two samples far apart under many labels would make gigabytes of
 * empty rows from a small file.  Refused before anything is written.
 */
static int check_rows(const struct an_jtlstats *st, struct an_err *err)
{
	uint64_t nseries = st->o.total_only ? 1 : an_strmap_count(st->labels) + 1;
	uint64_t intervals = ((uint64_t)st->kmax - (uint64_t)st->kmin) /
			     (uint64_t)st->o.step_ms + 1;

	if (intervals <= AN_JTLSTATS_SERIES_ROWS_MAX / nseries)
		return AN_OK;
	return an_err_set(err, AN_EDATA, "--series would write %llu series of %llu "
			  "intervals of %lld ms, more than %llu rows; use a longer "
			  "step or a time window", (unsigned long long)nseries,
			  (unsigned long long)intervals, (long long)st->o.step_ms,
			  (unsigned long long)AN_JTLSTATS_SERIES_ROWS_MAX);
}

struct sname {
	char *name;
	size_t len;
	uint32_t sid;
};

struct sval {
	uint32_t rank;
	int64_t k;
	uint64_t v, c;
};

static int cmp_sname(const void *a, const void *b)
{
	const struct sname *x = a, *y = b;
	int c = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);

	return c ? c : x->len < y->len ? -1 : x->len > y->len;
}

static int cmp_sval(const void *a, const void *b)
{
	const struct sval *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->k != y->k)
		return x->k < y->k ? -1 : 1;
	return x->v < y->v ? -1 : x->v > y->v;
}

static const struct entry *ent_find(const struct an_jtlstats *st, uint32_t s, int64_t k)
{
	size_t j = ent_hash(s, k, 0, 1) & (st->nslots - 1);

	for (; st->slot[j]; j = (j + 1) & (st->nslots - 1)) {
		const struct entry *e = &st->ent[st->slot[j] - 1];

		if (e->s == s && e->k == k && e->v == 0 && e->is_agg)
			return e;
	}
	return NULL;
}

/* "label=TOTAL" and "label=<escaped label>", sorted bytewise. */
static struct sname *series_names(struct an_jtlstats *st, size_t *n, struct an_err *err)
{
	size_t count = st->o.total_only ? 1 : an_strmap_count(st->labels) + 1, i, len;
	const char *key;
	struct sname *sn = calloc(count, sizeof *sn);

	if (!sn)
		return an_err_set(err, AN_ESYS, "out of memory"), NULL;
	for (i = 0; i < count; i++) {
		FILE *m = open_memstream(&sn[i].name, &sn[i].len);
		int bad = !m;

		sn[i].sid = (uint32_t)i;
		if (m) {
			bad |= fputs("label=", m) < 0;
			if (i == 0)
				bad |= fputs("TOTAL", m) < 0;
			else if ((key = an_strmap_key(st->labels, i - 1, &len)) != NULL)
				bad |= an_tsv_write_escaped(m, key, len) != 0;
			bad |= fclose(m) != 0;
		}
		if (bad) {
			free(sn[i].name);
			while (i > 0)
				free(sn[--i].name);
			free(sn);
			return an_err_set(err, AN_ESYS, "out of memory"), NULL;
		}
	}
	qsort(sn, count, sizeof *sn, cmp_sname);
	*n = count;
	return sn;
}

static int write_interval(FILE *f, const struct sname *sn, int64_t k, struct row *r,
			  double step_s)
{
	char b[AN_NUM_BUF];
	int rc = 0;

	rc |= fwrite(sn->name, 1, sn->len, f) != sn->len;
	rc |= putc('\t', f) == EOF;
	rc |= put(f, an_num_fmt(b, (double)k / 1000.0), '\t');
	rc |= write_common(f, r, (double)r->n / step_s, '\n');
	return rc;
}

static int write_series_rows(struct an_jtlstats *st, FILE *f, const struct sname *sn,
			     size_t nsn, const struct sval *vals, size_t nvals,
			     struct an_err *err)
{
	double step_s = (double)st->o.step_ms / 1000.0;
	size_t i, cur = 0;

	for (i = 0; i < nsn; i++) {
		int64_t k;

		for (k = st->kmin; k <= st->kmax; k += st->o.step_ms) {
			const struct entry *e = ent_find(st, sn[i].sid, k);
			struct row r = { 0 };
			uint64_t cum = 0;
			int next = 0;

			if (e) {
				r.n = e->n;
				r.errors = e->errors;
				r.sum = e->sum;
				r.min = e->min;
				r.max = e->max;
				for (; cur < nvals && vals[cur].rank == i && vals[cur].k == k; cur++)
					walk(&r, &cum, &next, vals[cur].v, vals[cur].c);
			}
			if (write_interval(f, &sn[i], k, &r, step_s) != 0)
				return an_err_sys(err, errno, "write error");
		}
	}
	return AN_OK;
}

static int write_series(struct an_jtlstats *st, FILE *f, struct an_err *err)
{
	struct sname *sn = NULL;
	struct sval *vals = NULL;
	uint32_t *rank = NULL;
	size_t nsn = 0, nvals = 0, i;
	int rc;

	if (st->nent && check_rows(st, err) != AN_OK)
		return err->status;
	if (fputs("series\ttime\tsamples\terrors\terror_pct\tthroughput\tmean\tmin\tp50\tp90\tp95\tp99\tmax\n", f) < 0)
		return an_err_sys(err, errno, "write error");
	if (st->nent == 0)
		return AN_OK;
	sn = series_names(st, &nsn, err);
	if (!sn)
		return err->status;
	rc = charge(st, st->nent * sizeof *vals + nsn * sizeof *rank, err);
	if (rc == AN_OK) {
		vals = malloc(st->nent * sizeof *vals);
		rank = malloc(nsn * sizeof *rank);
		if (!vals || !rank)
			rc = an_err_set(err, AN_ESYS, "out of memory");
	}
	if (rc == AN_OK) {
		for (i = 0; i < nsn; i++)
			rank[sn[i].sid] = (uint32_t)i;
		for (i = 0; i < st->nent; i++) {
			const struct entry *e = &st->ent[i];

			if (e->is_agg || e->s >= nsn)
				continue;
			vals[nvals].rank = rank[e->s];
			vals[nvals].k = e->k;
			vals[nvals].v = e->v;
			vals[nvals++].c = e->n;
		}
		qsort(vals, nvals, sizeof *vals, cmp_sval);
		rc = write_series_rows(st, f, sn, nsn, vals, nvals, err);
	}
	for (i = 0; i < nsn; i++)
		free(sn[i].name);
	free(sn);
	free(vals);
	free(rank);
	return rc;
}

int an_jtlstats_write(struct an_jtlstats *st, FILE *f, struct an_err *err)
{
	an_err_clear(err);
	return st->o.step_ms > 0 ? write_series(st, f, err) : write_summary(st, f, err);
}
