/* an_offcpu.c - samples attributed to their last application frame. */
#include <stdlib.h>
#include <string.h>

#include "an_appmatch.h"
#include "an_collapsed.h"
#include "an_normalize.h"
#include "an_num.h"
#include "an_offcpu.h"
#include "an_profile.h"
#include "an_strmap.h"

struct an_offcpu {
	enum an_event event;
	struct an_appmatch *app;
	struct an_strmap *rows;		/* "frame\0detail" -> uint64_t count */
	struct an_strmap *threads;	/* thread frame -> struct thread */
	struct an_strmap *frames;	/* application frame -> struct frame */
	struct an_profile *flame;	/* collapsed output */
	char *buf;			/* normalised stack, then the flame stack */
	size_t cap;
	uint64_t all, kept, no_thread_other, stamp;
};

struct frame {
	uint64_t self, total, stamp;
};

struct thread {
	uint64_t app, other;
};

static const char *const event_names[] = { "cpu", "wall", "lock", "alloc", "wait" };
static const char *const detail_names[] = { "state", "state", "monitor", "class", "state" };

/* Wall and wait: request threads only, the detail is the state. */
static int by_state(enum an_event ev)
{
	return ev == AN_EVENT_WALL || ev == AN_EVENT_WAIT;
}

int an_event_parse(const char *s, enum an_event *ev, struct an_err *err)
{
	size_t i;
	char q[64];

	for (i = 0; i < AN_EVENT_N; i++)
		if (strcmp(s, event_names[i]) == 0) {
			*ev = (enum an_event)i;
			return AN_OK;
		}
	if (strcmp(s, "itimer") == 0 || strcmp(s, "ctimer") == 0) {
		*ev = AN_EVENT_CPU;
		return AN_OK;
	}
	return an_err_set(err, AN_EDATA, "unknown event '%s' (cpu, wall, lock, alloc or wait)",
			  an_err_quote(q, sizeof q, s, strlen(s)));
}

const char *an_event_name(enum an_event ev)
{
	return event_names[ev];
}

const char *an_offcpu_detail_name(enum an_event ev)
{
	return detail_names[ev];
}

int an_offcpu_new(struct an_offcpu **out, const struct an_offcpu_opts *o,
		  struct an_err *err)
{
	struct an_offcpu *a = calloc(1, sizeof *a);
	size_t cap = o->max_bytes ? o->max_bytes : (size_t)4 << 30;
	int rc;

	*out = NULL;
	if (!a)
		return an_err_set(err, AN_ESYS, "out of memory");
	a->event = o->event;
	rc = an_appmatch_new(&a->app, o->app_regex, o->app_prefix, err);
	if (rc != AN_OK) {
		free(a);
		return rc;
	}
	a->rows = an_strmap_new(sizeof(uint64_t), cap);
	a->threads = an_strmap_new(sizeof(struct thread), cap);
	a->frames = an_strmap_new(sizeof(struct frame), cap);
	a->flame = an_profile_new(1, cap);
	if (!a->rows || !a->threads || !a->frames || !a->flame) {
		an_offcpu_free(a);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	*out = a;
	return AN_OK;
}

void an_offcpu_free(struct an_offcpu *a)
{
	if (!a)
		return;
	an_appmatch_free(a->app);
	an_strmap_free(a->rows);
	an_strmap_free(a->threads);
	an_strmap_free(a->frames);
	an_profile_free(a->flame);
	free(a->buf);
	free(a);
}

static uint64_t sat_add(uint64_t x, uint64_t y)
{
	return x > UINT64_MAX - y ? UINT64_MAX : x + y;
}

static int reserve(struct an_offcpu *a, size_t n, struct an_err *err)
{
	char *p;

	if (n <= a->cap)
		return AN_OK;
	p = realloc(a->buf, n);
	if (!p)
		return an_err_set(err, AN_ESYS, "out of memory");
	a->buf = p;
	a->cap = n;
	return AN_OK;
}

/* A parsed sample: offsets into a->buf. */
struct sample {
	size_t body;		/* first frame after the thread frame */
	size_t thread_len;	/* 0: no thread frame */
	size_t app, app_end;	/* last application frame [app, app_end) */
	int has_app;
	size_t leaf, len;	/* leaf frame [leaf, len) */
};

/* async-profiler -t: "[NAME tid=N]" as the root frame. */
static int is_thread_frame(const char *f, size_t n)
{
	return n >= 2 && f[0] == '[' && f[n - 1] == ']' &&
	       memmem(f, n, " tid=", 5) != NULL;
}

static int parse(struct an_offcpu *a, size_t len, struct sample *s,
		 struct an_err *err)
{
	size_t pos = 0, flen;
	const char *f;
	int r;

	memset(s, 0, sizeof *s);
	s->len = len;
	while (an_stack_next_frame(a->buf, len, &pos, &f, &flen)) {
		if (f == a->buf && pos < len && is_thread_frame(f, flen)) {
			s->thread_len = flen;
			s->body = pos;
			continue;
		}
		s->leaf = (size_t)(f - a->buf);
		r = an_appmatch_test(a->app, f, flen, err);
		if (r < 0)
			return err->status;
		if (r) {
			s->has_app = 1;
			s->app = s->leaf;
			s->app_end = s->leaf + flen;
		}
	}
	return AN_OK;
}

static void count_thread(struct an_offcpu *a, const struct sample *s,
			 uint64_t count, struct an_err *err, int *rc)
{
	struct thread *t;
	int64_t id;

	if (!s->thread_len) {
		if (!s->has_app)
			a->no_thread_other = sat_add(a->no_thread_other, count);
		return;
	}
	id = an_strmap_intern(a->threads, a->buf, s->thread_len, NULL, err);
	if (id < 0) {
		*rc = err->status;
		return;
	}
	t = an_strmap_data(a->threads, (size_t)id);
	if (s->has_app)
		t->app = sat_add(t->app, count);
	else
		t->other = sat_add(t->other, count);
}

/* async-profiler's class frames: dotted names (java.lang.Object, byte[]);
 * a method ("a/b/C.m", "C::m") or an empty frame is not one. */
static int is_class_frame(const char *f, size_t n)
{
	return n && !memchr(f, '/', n) && !memmem(f, n, "::", 2) &&
	       (memchr(f, '.', n) || (n > 2 && f[n - 1] == ']' && f[n - 2] == '['));
}

/* The detail of a sample (see the header); points into a->buf or static. */
static const char *detail_of(const struct an_offcpu *a, const struct sample *s,
			     size_t *dlen)
{
	const char *d;

	switch (a->event) {
	case AN_EVENT_WALL:
	case AN_EVENT_WAIT:
		d = an_state_name(s->has_app && s->app_end < s->len ?
				  an_state_of(a->buf + s->app_end + 1,
						  s->len - s->app_end - 1) :
				  AN_STATE_RUNNING);
		break;
	case AN_EVENT_LOCK:
	case AN_EVENT_ALLOC:
		if (is_class_frame(a->buf + s->leaf, s->len - s->leaf)) {
			*dlen = s->len - s->leaf;
			return a->buf + s->leaf;
		}
		d = AN_OFFCPU_NO_CLASS;
		break;
	default:
		d = an_state_name(AN_STATE_RUNNING);
	}
	*dlen = strlen(d);
	return d;
}

static struct frame *frame_of(struct an_offcpu *a, const char *f, size_t n,
			      struct an_err *err)
{
	int64_t id = an_strmap_intern(a->frames, f, n, NULL, err);

	return id < 0 ? NULL : an_strmap_data(a->frames, (size_t)id);
}

/* Self of the attributed frame; total of every application frame of the
 * stack, once per stack however deep the recursion. */
static int add_frames(struct an_offcpu *a, const struct sample *s,
		      const char *frame, size_t flen, uint64_t count,
		      struct an_err *err)
{
	size_t pos = s->body, n;
	struct frame *fr;
	const char *f;
	int r;

	a->stamp++;
	while (s->has_app && pos < s->app_end &&
	       an_stack_next_frame(a->buf, s->app_end, &pos, &f, &n)) {
		if ((r = an_appmatch_test(a->app, f, n, err)) < 0)
			return err->status;
		if (!r)
			continue;
		if (!(fr = frame_of(a, f, n, err)))
			return err->status;
		if (fr->stamp != a->stamp)
			fr->total = sat_add(fr->total, count);
		fr->stamp = a->stamp;
	}
	if (!(fr = frame_of(a, frame, flen, err)))
		return err->status;
	if (!s->has_app)
		fr->total = sat_add(fr->total, count);
	fr->self = sat_add(fr->self, count);
	return AN_OK;
}

static int add_row(struct an_offcpu *a, char *key, const char *frame,
		   size_t flen, const char *detail, size_t dlen, uint64_t count,
		   struct an_err *err)
{
	uint64_t *c;
	int64_t id;

	memcpy(key, frame, flen);
	key[flen] = '\0';
	memcpy(key + flen + 1, detail, dlen);
	id = an_strmap_intern(a->rows, key, flen + 1 + dlen, NULL, err);
	if (id < 0)
		return err->status;
	c = an_strmap_data(a->rows, (size_t)id);
	*c = sat_add(*c, count);
	return AN_OK;
}

/* The flame-graph stack: body down to the application frame, "[detail]". */
static size_t flame_stack(const struct an_offcpu *a, const struct sample *s,
			  const char *detail, size_t dlen, char *out)
{
	size_t n;

	if (s->has_app) {
		n = s->app_end - s->body;
		memcpy(out, a->buf + s->body, n);
	} else {
		n = strlen(AN_OFFCPU_NO_APP);
		memcpy(out, AN_OFFCPU_NO_APP, n);
	}
	out[n++] = ';';
	out[n++] = '[';
	memcpy(out + n, detail, dlen);
	n += dlen;
	out[n++] = ']';
	return n;
}

int an_offcpu_add(struct an_offcpu *a, const char *stack, size_t len,
		  uint64_t count, struct an_err *err)
{
	const char *frame, *detail;
	size_t nlen, flen, dlen, klen;
	struct sample s;
	int rc = AN_OK;

	if (len > (SIZE_MAX - 64) / 5)
		return an_err_set(err, AN_ESYS, "stack too long");
	if (reserve(a, 5 * len + 64, err) != AN_OK)
		return err->status;
	nlen = an_normalize_stack(AN_NORM_ALL & ~AN_NORM_TIDS, stack, len, a->buf);
	if (parse(a, nlen, &s, err) != AN_OK)
		return err->status;
	a->all = sat_add(a->all, count);
	count_thread(a, &s, count, err, &rc);
	if (rc != AN_OK || (!s.has_app && by_state(a->event)))
		return rc;
	frame = s.has_app ? a->buf + s.app : AN_OFFCPU_NO_APP;
	flen = s.has_app ? s.app_end - s.app : strlen(AN_OFFCPU_NO_APP);
	detail = detail_of(a, &s, &dlen);
	klen = flen + 1 + dlen;
	if (add_row(a, a->buf + nlen, frame, flen, detail, dlen, count, err) != AN_OK ||
	    add_frames(a, &s, frame, flen, count, err) != AN_OK)
		return err->status;
	flen = flame_stack(a, &s, detail, dlen, a->buf + nlen + klen);
	if (an_profile_add(a->flame, a->buf + nlen + klen, flen, count, 0, err) != AN_OK)
		return err->status;
	a->kept = sat_add(a->kept, count);
	return AN_OK;
}

void an_offcpu_totals(const struct an_offcpu *a, struct an_offcpu_totals *t)
{
	size_t i, n = an_strmap_count(a->threads);

	memset(t, 0, sizeof *t);
	t->all = a->all;
	t->kept = a->kept;
	t->other = a->no_thread_other;
	t->threads = n;
	for (i = 0; i < n; i++) {
		const struct thread *th = an_strmap_data(a->threads, i);

		if (th->app) {
			t->request_threads++;
			t->idle = sat_add(t->idle, th->other);
		} else {
			t->other = sat_add(t->other, th->other);
		}
	}
	if (!by_state(a->event))
		t->idle = t->other = 0;
}

static int bytecmp(const char *x, size_t xl, const char *y, size_t yl)
{
	int c = memcmp(x, y, xl < yl ? xl : yl);

	return c ? c : (xl > yl) - (xl < yl);
}

static int cmp_row(const void *x, const void *y)
{
	const struct an_offcpu_row *a = x, *b = y;
	int c;

	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	c = bytecmp(a->frame, a->frame_len, b->frame, b->frame_len);
	return c ? c : bytecmp(a->detail, a->detail_len, b->detail, b->detail_len);
}

struct an_offcpu_row *an_offcpu_rows(const struct an_offcpu *a, size_t *n,
				     struct an_err *err)
{
	size_t i, m = an_strmap_count(a->rows);
	struct an_offcpu_row *r;

	*n = 0;
	if (m == 0)
		return NULL;
	r = malloc(m * sizeof *r);
	if (!r) {
		an_err_set(err, AN_ESYS, "out of memory");
		return NULL;
	}
	for (i = 0; i < m; i++) {
		size_t klen;
		const char *k = an_strmap_key(a->rows, i, &klen);
		const char *z = memchr(k, '\0', klen);

		r[i].frame = k;
		r[i].frame_len = (size_t)(z - k);
		r[i].detail = z + 1;
		r[i].detail_len = klen - r[i].frame_len - 1;
		r[i].count = *(const uint64_t *)an_strmap_data((struct an_strmap *)a->rows, i);
	}
	qsort(r, m, sizeof *r, cmp_row);
	*n = m;
	return r;
}

void an_offcpu_write_field(FILE *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *e = s[i] == '\\' ? "\\\\" : s[i] == '\t' ? "\\t" :
				s[i] == '\n' ? "\\n" : s[i] == '\r' ? "\\r" : NULL;

		if (e)
			fputs(e, f);
		else
			fputc(s[i], f);
	}
}

int an_offcpu_write_table(FILE *f, const struct an_offcpu *a, size_t limit,
			  struct an_err *err)
{
	struct an_offcpu_row *r;
	char nb[AN_NUM_BUF], pb[AN_NUM_BUF];
	size_t i, n;

	an_err_clear(err);
	r = an_offcpu_rows(a, &n, err);
	if (err->status != AN_OK)
		return err->status;
	fprintf(f, "count\tshare%%\tframe\t%s\n", an_offcpu_detail_name(a->event));
	for (i = 0; i < n && (!limit || i < limit); i++) {
		double share = a->kept ? 100.0 * (double)r[i].count / (double)a->kept : 0;

		fprintf(f, "%s\t%s\t", an_num_fmt_u64(nb, r[i].count),
			an_num_fmt_fixed(pb, share, 2));
		an_offcpu_write_field(f, r[i].frame, r[i].frame_len);
		fputc('\t', f);
		an_offcpu_write_field(f, r[i].detail, r[i].detail_len);
		fputc('\n', f);
	}
	free(r);
	if (ferror(f))
		return an_err_set(err, AN_ESYS, "write error");
	return AN_OK;
}

int an_offcpu_write_collapsed(FILE *f, const struct an_offcpu *a,
			      struct an_err *err)
{
	return an_profile_write(a->flame, f, err);
}

struct an_offcpu_frame *an_offcpu_frames(const struct an_offcpu *a, size_t *n,
					 struct an_err *err)
{
	size_t i, m = an_strmap_count(a->frames);
	struct an_offcpu_frame *r;

	*n = 0;
	if (m == 0)
		return NULL;
	r = malloc(m * sizeof *r);
	if (!r) {
		an_err_set(err, AN_ESYS, "out of memory");
		return NULL;
	}
	for (i = 0; i < m; i++) {
		const struct frame *fr = an_strmap_data(a->frames, i);

		r[i].frame = an_strmap_key(a->frames, i, &r[i].frame_len);
		r[i].self = fr->self;
		r[i].total = fr->total;
	}
	*n = m;
	return r;
}

uint64_t an_offcpu_kept(const struct an_offcpu *a)
{
	return a->kept;
}
