/* an_jfrout.c - JFR-derived tables: the per-event samples TSV, the --list
 * summary of event types and the --series intervals. */
#include "an_jfrstacks.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "an_jfr_int.h"
#include "an_num.h"
#include "an_text.h"
#include "an_timespec.h"

static int werr(FILE *f, struct an_err *err)
{
	if (ferror(f))
		return an_err_sys(err, errno ? errno : EIO, "write error");
	return AN_OK;
}

/* Nanoseconds to milliseconds, rounded half up (floor for negatives). */
static int64_t ns_ms(int64_t ns)
{
	int64_t q = ns / 1000000, r = ns % 1000000;

	if (r < 0) {
		q--;
		r += 1000000;
	}
	return q + (r >= 500000);
}

int an_jfrs_samples_header(FILE *f, struct an_err *err)
{
	fputs("time\tweight\tstack\n", f);
	return werr(f, err);
}

int an_jfrs_samples_row(FILE *f, int64_t start_ns, const char *stack, size_t len,
			uint64_t weight, struct an_err *err)
{
	char tb[32], wb[AN_NUM_BUF];
	size_t i, run = 0;

	fputs(an_time_fmt(tb, ns_ms(start_ns)), f);
	putc('\t', f);
	fputs(an_num_fmt_u64(wb, weight), f);
	putc('\t', f);
	for (i = 0; i < len; i++) {
		const char *e = NULL;

		switch (stack[i]) {
		case '\\': e = "\\\\"; break;
		case '\t': e = "\\t"; break;
		case '\r': e = "\\r"; break;
		case '\n': e = "\\n"; break;
		default: continue;
		}
		fwrite(stack + run, 1, i - run, f);
		fputs(e, f);
		run = i + 1;
	}
	fwrite(stack + run, 1, len - run, f);
	putc('\n', f);
	return werr(f, err);
}

/* ---- --list ---- */

struct ltype {
	char *name;
	uint64_t count;
	int64_t first, last;
	struct jfr_map tids;
};

struct an_jfrs_list {
	struct ltype *t;
	size_t n, cap;
	struct jfr_map by_ptr;	/* type name pointer of this chunk -> index + 1 */
};

struct an_jfrs_list *an_jfrs_list_new(void)
{
	return calloc(1, sizeof(struct an_jfrs_list));
}

void an_jfrs_list_free(struct an_jfrs_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->t[i].name);
		jfr_map_free(&l->t[i].tids);
	}
	free(l->t);
	jfr_map_free(&l->by_ptr);
	free(l);
}

static struct ltype *ltype_of(struct an_jfrs_list *l, const char *name)
{
	size_t i;

	/* Few types (tens): a linear scan is enough. */
	for (i = 0; i < l->n; i++)
		if (strcmp(l->t[i].name, name) == 0)
			return &l->t[i];
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct ltype *t = realloc(l->t, cap * sizeof *t);

		if (!t)
			return NULL;
		l->t = t;
		l->cap = cap;
	}
	memset(&l->t[l->n], 0, sizeof l->t[l->n]);
	if (!(l->t[l->n].name = strdup(name)))
		return NULL;
	return &l->t[l->n++];
}

static int list_chunk(void *ctx, uint64_t chunk, int64_t start_ns, int64_t duration_ns,
		      struct an_err *err)
{
	struct an_jfrs_list *l = ctx;

	(void)chunk;
	(void)start_ns;
	(void)duration_ns;
	(void)err;
	/* Type names live as long as their chunk. */
	jfr_map_free(&l->by_ptr);
	return AN_OK;
}

static int list_event(void *ctx, const struct an_jfr_event *ev, struct an_err *err)
{
	struct an_jfrs_list *l = ctx;
	uint32_t idx = jfr_map_get(&l->by_ptr, (uint64_t)(uintptr_t)ev->type);
	struct ltype *t;

	if (idx) {
		t = &l->t[idx - 1];
	} else {
		if (!(t = ltype_of(l, ev->type)) ||
		    jfr_map_put(&l->by_ptr, (uint64_t)(uintptr_t)ev->type,
				(uint32_t)(t - l->t) + 1) != 0)
			return an_err_sys(err, ENOMEM, "out of memory");
	}
	if (!t->count || ev->start_ns < t->first)
		t->first = ev->start_ns;
	if (!t->count || ev->start_ns > t->last)
		t->last = ev->start_ns;
	t->count++;
	if (ev->thread && !jfr_map_get(&t->tids, ev->thread->tid) &&
	    jfr_map_put(&t->tids, ev->thread->tid, 1) != 0)
		return an_err_sys(err, ENOMEM, "out of memory");
	return AN_OK;
}

int an_jfrs_list_read(struct an_jfrs_list *l, struct an_reader *r,
		      struct an_jfr_info *info, struct an_err *err)
{
	struct an_jfr_opts jo;

	memset(&jo, 0, sizeof jo);
	jo.no_stacks = 1;
	jo.event = list_event;
	jo.chunk = list_chunk;
	jo.ctx = l;
	return an_jfr_read(r, &jo, info, err);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct ltype *)a)->name, ((const struct ltype *)b)->name);
}

int an_jfrs_list_write(const struct an_jfrs_list *l, FILE *f, struct an_err *err)
{
	char b1[32], b2[32], nb[AN_NUM_BUF];
	size_t i;

	if (l->n)
		qsort(l->t, l->n, sizeof *l->t, by_name);
	fputs("event\tcount\tfirst\tlast\tthreads\n", f);
	for (i = 0; i < l->n; i++) {
		const struct ltype *t = &l->t[i];
		const char *p;

		for (p = t->name; *p; p++)
			if (*p == '\t' || *p == '\n' || *p == '\r' || *p == '\\')
				fprintf(f, "\\%c", *p == '\t' ? 't' : *p == '\n' ? 'n' :
					*p == '\r' ? 'r' : '\\');
			else
				putc(*p, f);
		fprintf(f, "\t%s\t%s\t", an_num_fmt_u64(nb, t->count),
			an_time_fmt(b1, ns_ms(t->first)));
		fprintf(f, "%s\t%zu\n", an_time_fmt(b2, ns_ms(t->last)), t->tids.n);
	}
	return werr(f, err);
}

/* ---- --series ---- */

struct an_jfrs_series {
	int64_t step_ms;
	char *label;
	int64_t first;		/* interval number of v[0] */
	uint64_t *v;
	size_t cap;		/* intervals allocated from first */
	int64_t lo, hi;		/* intervals seen */
	int any;
};

/* At most this many intervals (16 GiB of counters is absurd). */
#define SERIES_MAX ((size_t)1 << 28)

struct an_jfrs_series *an_jfrs_series_new(int64_t step_ms, const char *label)
{
	struct an_jfrs_series *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->step_ms = step_ms;
	if (!(s->label = strdup(label))) {
		free(s);
		return NULL;
	}
	return s;
}

void an_jfrs_series_free(struct an_jfrs_series *s)
{
	if (!s)
		return;
	free(s->label);
	free(s->v);
	free(s);
}

static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int an_jfrs_series_add(struct an_jfrs_series *s, int64_t start_ns, uint64_t weight,
		       struct an_err *err)
{
	int64_t k = floordiv(floordiv(start_ns, 1000000), s->step_ms);
	int64_t lo = s->any && s->lo < k ? s->lo : k;
	int64_t hi = s->any && s->hi > k ? s->hi : k;

	if ((uint64_t)(hi - lo) >= SERIES_MAX)
		return an_err_set(err, AN_EDATA,
				  "--series: more than %zu intervals; use a larger step",
				  SERIES_MAX);
	if (!s->cap || lo < s->first || hi >= s->first + (int64_t)s->cap) {
		/* Grow with room on both sides: events come roughly in order. */
		size_t span = (size_t)(hi - lo + 1), cap = span * 2 + 64, i;
		int64_t first = lo - (int64_t)(span / 2) - 32;
		uint64_t *v;

		v = calloc(cap, sizeof *v);
		if (!v)
			return an_err_sys(err, ENOMEM, "out of memory for %zu intervals", cap);
		for (i = 0; s->any && i <= (size_t)(s->hi - s->lo); i++)
			v[(size_t)(s->lo - first) + i] = s->v[(size_t)(s->lo - s->first) + i];
		free(s->v);
		s->v = v;
		s->cap = cap;
		s->first = first;
	}
	s->lo = lo;
	s->hi = hi;
	s->any = 1;
	s->v[k - s->first] += weight;
	return AN_OK;
}

int an_jfrs_series_write(const struct an_jfrs_series *s, FILE *f, struct an_err *err)
{
	char tb[32], nb[AN_NUM_BUF];
	size_t i;

	fputs("series\ttime\tvalue\n", f);
	for (i = 0; s->any && i <= (size_t)(s->hi - s->lo); i++) {
		fputs("event=", f);
		an_tsv_write_escaped(f, s->label, strlen(s->label));
		fprintf(f, "\t%s\t%s\n", an_time_fmt(tb, (s->lo + (int64_t)i) * s->step_ms),
			an_num_fmt_u64(nb, s->v[(size_t)(s->lo - s->first) + i]));
	}
	return werr(f, err);
}
