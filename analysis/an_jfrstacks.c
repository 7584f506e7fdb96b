/* an_jfrstacks.c - JFR events as collapsed stacks (see an_jfrstacks.h). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "an_jfrstacks.h"

#include <errno.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_timespec.h"

enum { C_CPU, C_WALL, C_ALLOC, C_LOCK, C_WAIT, C_NAME };

static const char *const class_names[] = { "cpu", "wall", "alloc", "lock", "wait" };

static const char *const class_types[][8] = {
	[C_CPU] = { "jdk.ExecutionSample", NULL },
	[C_WALL] = { "profiler.WallClockSample", NULL },
	[C_ALLOC] = { "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB",
		      "jdk.ObjectAllocationSample", NULL },
	[C_LOCK] = { "jdk.JavaMonitorEnter", NULL },
	[C_WAIT] = { "jdk.ThreadPark", "jdk.ThreadSleep", "jdk.JavaMonitorWait",
		     "jdk.SocketRead", "jdk.SocketWrite", "jdk.FileRead", "jdk.FileWrite",
		     NULL },
};

struct an_jfrs {
	struct an_jfrs_opts o;
	int cls;
	int totals;
	pcre2_code *state_re;
	pcre2_match_data *md;
	int64_t origin_ns;	/* start of the current input */
	int have_origin;
	char *buf, *out;	/* stack being built, filter output */
	size_t cap;
	struct an_jfrs_info *info;
};

static int class_of(const char *event)
{
	int i;

	if (!event)
		return C_CPU;
	for (i = 0; i < C_NAME; i++)
		if (strcmp(event, class_names[i]) == 0)
			return i;
	return C_NAME;
}

int an_jfrs_event_totals(const char *event)
{
	int c = class_of(event);

	return c == C_ALLOC || c == C_LOCK || c == C_WAIT;
}

int an_jfrs_new(struct an_jfrs **out, const struct an_jfrs_opts *o, struct an_err *err)
{
	struct an_jfrs *s = calloc(1, sizeof *s);

	*out = NULL;
	if (!s)
		return an_err_sys(err, ENOMEM, "out of memory");
	s->o = *o;
	s->cls = class_of(o->event);
	if (s->cls == C_NAME && !*o->event) {
		free(s);
		return an_err_set(err, AN_EDATA, "empty event name");
	}
	s->totals = o->value == AN_JFRS_TOTAL ||
		    (o->value == AN_JFRS_DEFAULT && an_jfrs_event_totals(o->event));
	if (o->state) {
		int ec;
		PCRE2_SIZE eo;

		s->state_re = pcre2_compile((PCRE2_SPTR)o->state, PCRE2_ZERO_TERMINATED,
					    PCRE2_UTF, &ec, &eo, NULL);
		if (!s->state_re) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(ec, msg, sizeof msg);
			free(s);
			return an_err_set(err, AN_EDATA,
					  "bad regular expression '%s': %s at offset %zu",
					  o->state, (const char *)msg, (size_t)eo);
		}
		s->md = pcre2_match_data_create_from_pattern(s->state_re, NULL);
		if (!s->md) {
			pcre2_code_free(s->state_re);
			free(s);
			return an_err_sys(err, ENOMEM, "out of memory");
		}
	}
	*out = s;
	return AN_OK;
}

void an_jfrs_free(struct an_jfrs *s)
{
	if (!s)
		return;
	pcre2_match_data_free(s->md);
	pcre2_code_free(s->state_re);
	free(s->buf);
	free(s->out);
	free(s);
}

static int want(void *ctx, const char *type)
{
	struct an_jfrs *s = ctx;
	int i;

	if (s->cls == C_NAME)
		return strcmp(type, s->o.event) == 0;
	for (i = 0; class_types[s->cls][i]; i++)
		if (strcmp(type, class_types[s->cls][i]) == 0)
			return 1;
	return 0;
}

static int on_chunk(void *ctx, uint64_t chunk, int64_t start_ns, int64_t duration_ns,
		    struct an_err *err)
{
	struct an_jfrs *s = ctx;

	(void)chunk;
	(void)duration_ns;
	(void)err;
	if (!s->have_origin) {
		s->origin_ns = start_ns;
		s->have_origin = 1;
	}
	return AN_OK;
}

static int grow(struct an_jfrs *s, size_t need, struct an_err *err)
{
	size_t cap = s->cap ? s->cap : 4096;
	char *b, *o;

	while (cap < need)
		cap *= 2;
	if (cap == s->cap)
		return AN_OK;
	b = realloc(s->buf, cap);
	if (b)
		s->buf = b;
	o = b ? realloc(s->out, cap) : NULL;
	if (!b || !o)
		return an_err_sys(err, ENOMEM, "out of memory building a stack of %zu bytes", need);
	s->out = o;
	s->cap = cap;
	return AN_OK;
}

static const char *annotation(uint8_t type)
{
	switch (type) {
	case AN_JFR_FT_INTERPRETED: return "_[0]";
	case AN_JFR_FT_JIT: return "_[j]";
	case AN_JFR_FT_INLINED: return "_[i]";
	case AN_JFR_FT_KERNEL: return "_[k]";
	case AN_JFR_FT_C1: return "_[1]";
	default: return "";
	}
}

/* A name as one frame: ';' (the frame separator, never in a JVM name) is
 * '?', as are CR and LF outside raw output; an empty name is "[unknown]",
 * so a stack never holds an empty frame. */
static size_t put(char *dst, const char *src, size_t n, int raw)
{
	size_t i;

	if (n == 0) {
		memcpy(dst, "[unknown]", 9);
		return 9;
	}
	memcpy(dst, src, n);
	for (i = 0; i < n; i++)
		if (dst[i] == ';' || (!raw && (dst[i] == '\n' || dst[i] == '\r')))
			dst[i] = '?';
	return n;
}

static int on_event(void *ctx, const struct an_jfr_event *ev, struct an_err *err)
{
	struct an_jfrs *s = ctx;
	const struct an_jfr_stack *st = ev->stack;
	size_t need = 64, len = 0, outlen;
	uint64_t w;
	uint32_t i;
	char tid[32];
	int tidlen = 0;

	if (s->o.window) {
		int64_t base = s->o.window_relative ? s->origin_ns : 0;
		int64_t t = ev->start_ns - base;

		if (t < s->o.win_start_ms * 1000000 || t >= s->o.win_end_ms * 1000000)
			return AN_OK;
	}
	if (s->state_re &&
	    (!ev->state || pcre2_match(s->state_re, (PCRE2_SPTR)ev->state,
				       PCRE2_ZERO_TERMINATED, 0, 0, s->md, NULL) < 0))
		return AN_OK;
	if (!st || !st->n) {
		s->info->events_no_stack++;
		return AN_OK;
	}
	for (i = 0; i < st->n; i++)
		need += st->frames[i].len + 10;
	if (s->o.threads && ev->thread) {
		tidlen = snprintf(tid, sizeof tid, " tid=%llu]", (unsigned long long)ev->thread->tid);
		need += strlen(ev->thread->name) + (size_t)tidlen + 11;
	}
	if (need > s->cap && grow(s, need, err) != AN_OK)
		return AN_ESYS;
	if (s->o.threads && ev->thread) {
		s->buf[len++] = '[';
		len += put(s->buf + len, ev->thread->name, strlen(ev->thread->name), s->o.raw);
		memcpy(s->buf + len, tid, (size_t)tidlen);
		len += (size_t)tidlen;
		s->buf[len++] = ';';
	}
	for (i = st->n; i-- > 0;) {
		const struct an_jfr_frame *f = &st->frames[i];
		const char *a = s->o.annotate ? annotation(f->type) : "";

		len += put(s->buf + len, f->name, f->len, s->o.raw);
		while (*a)
			s->buf[len++] = *a++;
		s->buf[len++] = ';';
	}
	len--;
	if (s->totals)
		w = ev->has_weight ? ev->weight : ev->has_duration ?
		    (ev->duration_ns > 0 ? (uint64_t)ev->duration_ns : 0) : ev->samples;
	else
		w = ev->samples;
	if (s->o.filter && an_stackfilter_active(s->o.filter)) {
		int rc = an_stackfilter_apply(s->o.filter, s->buf, len, s->out, &outlen, err);

		if (rc < 0)
			return err->status;
		if (rc == 0)
			return AN_OK;
		if (s->o.strip_threads) {
			const char *semi = memchr(s->out, ';', outlen), *nm;
			size_t nl;

			if (semi && an_stackfilter_thread_name(s->out, (size_t)(semi - s->out),
								&nm, &nl)) {
				outlen -= (size_t)(semi + 1 - s->out);
				memmove(s->out, semi + 1, outlen);
			}
		}
		s->info->events_kept++;
		return s->o.sink(s->o.ctx, ev->start_ns, s->out, outlen, w, err);
	}
	s->info->events_kept++;
	return s->o.sink(s->o.ctx, ev->start_ns, s->buf, len, w, err);
}

int an_jfrs_read(struct an_jfrs *s, struct an_reader *r, struct an_jfrs_info *info,
		 struct an_err *err)
{
	struct an_jfr_opts jo;
	struct an_jfrs_info dummy;

	if (!info)
		info = &dummy;
	memset(info, 0, sizeof *info);
	memset(&jo, 0, sizeof jo);
	s->info = info;
	s->have_origin = 0;
	jo.want = want;
	jo.event = on_event;
	jo.chunk = on_chunk;
	jo.ctx = s;
	/* Thread frames are needed to select threads even without -t. */
	return an_jfr_read(r, &jo, &info->jfr, err);
}

/* One bound of --window: epoch seconds / RFC 3339, or "+S" (relative). */
static int window_bound(const char *s, size_t n, int *rel, int64_t *ms, struct an_err *err)
{
	char buf[64];
	double v;

	if (n == 0 || n >= sizeof buf)
		return an_err_set(err, AN_EDATA, "bad time '%.*s'", (int)(n < 40 ? n : 40), s);
	memcpy(buf, s, n);
	buf[n] = '\0';
	*rel = buf[0] == '+';
	if (!*rel)
		return an_time_parse(buf, 0, ms, err);
	if (an_num_parse_double(buf + 1, n - 1, &v) != 0 || !(v >= 0) ||
	    v * 1000 > (double)AN_TIME_MAX_MS)
		return an_err_set(err, AN_EDATA,
				  "bad relative time '%s' (seconds after the start, such as +40 or +1.5)",
				  buf);
	*ms = (int64_t)(v * 1000 + 0.5);
	return AN_OK;
}

int an_jfrs_parse_window(const char *s, struct an_jfrs_opts *o, struct an_err *err)
{
	const char *comma = strchr(s, ',');
	int r1, r2;

	if (!comma || strchr(comma + 1, ','))
		return an_err_set(err, AN_EDATA, "expected START,END, got '%s'", s);
	if (window_bound(s, (size_t)(comma - s), &r1, &o->win_start_ms, err) != AN_OK ||
	    window_bound(comma + 1, strlen(comma + 1), &r2, &o->win_end_ms, err) != AN_OK)
		return AN_EDATA;
	if (r1 != r2)
		return an_err_set(err, AN_EDATA,
				  "'%s' mixes a relative and an absolute time", s);
	if (o->win_end_ms <= o->win_start_ms)
		return an_err_set(err, AN_EDATA, "'%s' ends before it starts", s);
	o->window = 1;
	o->window_relative = r1;
	return AN_OK;
}
