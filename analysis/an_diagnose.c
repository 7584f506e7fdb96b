/* an_diagnose.c - kind of bottleneck from metric ratios and profiles. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_diagnose.h"
#include "an_num.h"
#include "an_tsv.h"

/* 1 when the escaped label set s[0..n) holds pod=POD. */
static int has_pod(const char *s, size_t n, const char *pod)
{
	size_t plen = strlen(pod), i = 0, start = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] == '\\') {
			i++;
			continue;
		}
		if (i < n && s[i] != ',')
			continue;
		if (i - start == 4 + plen && memcmp(s + start, "pod=", 4) == 0 &&
		    memcmp(s + start + 4, pod, plen) == 0)
			return 1;
		start = i + 1;
	}
	return 0;
}

int an_diag_metric_read(struct an_diag_metric *m, struct an_reader *r,
			const char *pod, struct an_err *err)
{
	struct an_tsv *t;
	int cs, cv, cp, rc;

	memset(m, 0, sizeof *m);
	if ((rc = an_tsv_open(&t, r, err)) != AN_OK)
		return rc;
	if ((cs = an_tsv_col_need(t, "series", err)) < 0 ||
	    (cv = an_tsv_col_need(t, "value", err)) < 0 ||
	    (cp = an_tsv_col_need(t, "peer_median", err)) < 0) {
		an_tsv_free(t);
		return err->status;
	}
	while ((rc = an_tsv_next(t, err)) == 1) {
		size_t len;
		const char *s = an_tsv_field(t, (size_t)cs, &len);

		if (pod && !has_pod(s, len, pod))
			continue;
		if (an_tsv_field_double(t, (size_t)cv, &m->value, err) != AN_OK ||
		    an_tsv_field_double(t, (size_t)cp, &m->peers, err) != AN_OK) {
			an_tsv_free(t);
			return err->status;
		}
		if (isnan(m->value) || isnan(m->peers))
			m->ratio = NAN;
		else
			m->ratio = m->peers > 0 ? m->value / m->peers :
				   (m->value > 0 ? INFINITY : NAN);
		/* no peers (one pod) or no value: nothing to compare with */
		m->have = !isnan(m->ratio);
		break;
	}
	an_tsv_free(t);
	return rc < 0 ? err->status : AN_OK;
}

int an_diag_pod_valid(const char *pod, size_t len)
{
	size_t i;

	if (len == 0 || len > 253 || pod[0] == '.' || pod[0] == '-')
		return 0;
	for (i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._-", pod[i]) || pod[i] == '\0')
			return 0;
	return 1;
}

int an_diag_pod_read(struct an_reader *r, const char *col, char **pod,
		     struct an_err *err)
{
	struct an_tsv *t;
	const char *v;
	size_t len;
	char q[96];
	int c, rc;

	*pod = NULL;
	if ((rc = an_tsv_open(&t, r, err)) != AN_OK)
		return rc;
	if ((c = an_tsv_col_need(t, col, err)) < 0 || (rc = an_tsv_next(t, err)) < 0) {
		an_tsv_free(t);
		return err->status;
	}
	if (rc == 0) {
		rc = an_err_set(err, AN_EDATA, "%s: no row: no pod", an_tsv_name(t));
	} else if (v = an_tsv_field(t, (size_t)c, &len), !an_diag_pod_valid(v, len)) {
		rc = an_err_set(err, AN_EDATA, "%s:%llu: '%s' is not a pod name",
				an_tsv_name(t), (unsigned long long)an_tsv_lineno(t),
				an_err_quote(q, sizeof q, v, len));
	} else if (!(*pod = strndup(v, len))) {
		rc = an_err_set(err, AN_ESYS, "out of memory");
	} else {
		rc = AN_OK;
	}
	an_tsv_free(t);
	return rc;
}

/* One frame of a profile, its rows summed. */
struct fsum {
	const char *frame, *detail;	/* detail: its largest row's */
	size_t frame_len, detail_len;
	uint64_t total, top, state[AN_STATE_N];
};

/* What one profile says. */
struct pview {
	const struct an_offcpu *a;
	struct an_offcpu_totals tot;
	struct fsum *f;		/* by total, then waiting, then name */
	size_t n;
	struct fsum *top_app;	/* largest application frame, or NULL */
	struct fsum *top_wait;	/* wall: most waiting samples, or NULL */
	uint64_t waiting;	/* wall: samples not running */
};

static int bytecmp(const char *x, size_t xl, const char *y, size_t yl)
{
	int c = memcmp(x, y, xl < yl ? xl : yl);

	return c ? c : (xl > yl) - (xl < yl);
}

static int cmp_row_frame(const void *x, const void *y)
{
	const struct an_offcpu_row *a = x, *b = y;

	return bytecmp(a->frame, a->frame_len, b->frame, b->frame_len);
}

static int cmp_fsum(const void *x, const void *y)
{
	const struct fsum *a = x, *b = y;

	if (a->total != b->total)
		return a->total < b->total ? 1 : -1;
	return bytecmp(a->frame, a->frame_len, b->frame, b->frame_len);
}

static uint64_t waiting_of(const struct fsum *s)
{
	return s->total - s->state[AN_STATE_RUNNING];
}

static int is_no_app(const struct fsum *s)
{
	return bytecmp(s->frame, s->frame_len, AN_OFFCPU_NO_APP,
		       strlen(AN_OFFCPU_NO_APP)) == 0;
}

static int state_index(const char *d, size_t n)
{
	int i;

	for (i = 0; i < AN_STATE_N; i++)
		if (bytecmp(d, n, an_state_name(i), strlen(an_state_name(i))) == 0)
			return i;
	return AN_STATE_RUNNING;
}

/* Sum rows by frame; each frame keeps the detail of its largest row (ties:
 * the bytewise smaller detail).  Returns the number of frames. */
static size_t sum_frames(struct an_offcpu_row *r, size_t n, struct fsum *f)
{
	size_t i, m = 0;

	qsort(r, n, sizeof *r, cmp_row_frame);
	for (i = 0; i < n; i++) {
		struct fsum *s = &f[m];

		if (i == 0 || cmp_row_frame(&r[i - 1], &r[i]) != 0) {
			memset(s, 0, sizeof *s);
			s->frame = r[i].frame;
			s->frame_len = r[i].frame_len;
			m++;
		} else {
			s = &f[m - 1];
		}
		s->total += r[i].count;
		s->state[state_index(r[i].detail, r[i].detail_len)] += r[i].count;
		if (r[i].count > s->top || (r[i].count == s->top &&
		    bytecmp(r[i].detail, r[i].detail_len, s->detail, s->detail_len) < 0)) {
			s->top = r[i].count;
			s->detail = r[i].detail;
			s->detail_len = r[i].detail_len;
		}
	}
	qsort(f, m, sizeof *f, cmp_fsum);
	return m;
}

static int view_init(struct pview *v, const struct an_offcpu *a,
		     enum an_event ev, struct an_err *err)
{
	struct an_offcpu_row *r;
	size_t i, n;

	memset(v, 0, sizeof *v);
	if (!a)
		return AN_OK;
	v->a = a;
	an_offcpu_totals(a, &v->tot);
	an_err_clear(err);
	r = an_offcpu_rows(a, &n, err);
	if (err->status != AN_OK)
		return err->status;
	v->f = malloc((n + 1) * sizeof *v->f);
	if (!v->f) {
		free(r);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	v->n = n ? sum_frames(r, n, v->f) : 0;
	free(r);
	for (i = 0; i < v->n; i++) {
		struct fsum *s = &v->f[i];

		if (!v->top_app && !is_no_app(s))
			v->top_app = s;
		if (ev != AN_EVENT_WALL)
			continue;
		v->waiting += waiting_of(s);
		if (waiting_of(s) && (!v->top_wait || waiting_of(s) > waiting_of(v->top_wait)))
			v->top_wait = s;
	}
	return AN_OK;
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

static double top_share(const struct pview *v)
{
	return v->top_app ? pct(v->top_app->total, v->tot.kept) : 0;
}

enum kind { KIND_GC, KIND_CPU, KIND_LOCK, KIND_NONE };

static const char *const kind_names[] = {
	"GC/allocation-bound", "CPU-bound", "lock/wait-bound", "no clear cause"
};

struct verdict {
	enum kind kind;
	int rule;
	enum an_event from;
	const struct fsum *culprit;	/* NULL: none */
};

struct sig {
	int lat_up, lat_normal, cpu_up, gc_up;
	int cpu_hot, waiting, lock_hot, alloc_hot;
};

static void signals(const struct an_diag_input *in, const struct pview *v,
		    struct sig *g)
{
	g->lat_up = in->p99.have && in->p99.ratio >= AN_DIAG_LATENCY_UP;
	g->lat_normal = in->p99.have && !g->lat_up;
	g->cpu_up = in->cpu.have && in->cpu.ratio >= AN_DIAG_CPU_UP;
	g->gc_up = in->gc.have && in->gc.ratio >= AN_DIAG_GC_UP &&
		   in->gc.value >= AN_DIAG_GC_MIN;
	g->cpu_hot = v[AN_EVENT_CPU].a && top_share(&v[AN_EVENT_CPU]) >= AN_DIAG_CPU_HOT;
	g->waiting = v[AN_EVENT_WALL].top_wait &&
		     pct(v[AN_EVENT_WALL].waiting, v[AN_EVENT_WALL].tot.kept) >= AN_DIAG_WAITING;
	g->lock_hot = v[AN_EVENT_LOCK].a && top_share(&v[AN_EVENT_LOCK]) >= AN_DIAG_LOCK_HOT;
	g->alloc_hot = v[AN_EVENT_ALLOC].a &&
		       top_share(&v[AN_EVENT_ALLOC]) >= AN_DIAG_ALLOC_HOT;
}

static void decide(const struct an_diag_input *in, const struct pview *v,
		   const struct sig *g, struct verdict *d)
{
	memset(d, 0, sizeof *d);
	d->kind = KIND_NONE;
	d->rule = 5;
	if (g->gc_up && (g->alloc_hot || !v[AN_EVENT_ALLOC].a) &&
	    !(g->cpu_up && g->cpu_hot && in->gc.value < AN_DIAG_GC_OVER_CPU)) {
		d->kind = KIND_GC;
		d->rule = 1;
		d->from = AN_EVENT_ALLOC;
		d->culprit = g->alloc_hot ? v[AN_EVENT_ALLOC].top_app : NULL;
	} else if (g->cpu_up && g->cpu_hot) {
		d->kind = KIND_CPU;
		d->rule = 2;
		d->from = AN_EVENT_CPU;
		d->culprit = v[AN_EVENT_CPU].top_app;
	} else if (!g->cpu_up && !g->lat_normal && g->waiting) {
		d->kind = KIND_LOCK;
		d->rule = 3;
		d->from = AN_EVENT_WALL;
		d->culprit = v[AN_EVENT_WALL].top_wait;
	} else if (!g->cpu_up && !g->lat_normal && !v[AN_EVENT_WALL].tot.kept &&
		   g->lock_hot) {
		/* a wall profile without request-thread samples says nothing:
		 * a JDK Flight Recorder recording has no wall-clock samples, so
		 * its wall cut is empty, and the lock profile decides */
		d->kind = KIND_LOCK;
		d->rule = 3;
		d->from = AN_EVENT_LOCK;
		d->culprit = v[AN_EVENT_LOCK].top_app;
	} else if (!in->cpu.have && g->cpu_hot) {
		d->kind = KIND_CPU;
		d->rule = 4;
		d->from = AN_EVENT_CPU;
		d->culprit = v[AN_EVENT_CPU].top_app;
	}
}

/* Output pieces: values TSV-escaped, frames in backquotes. */
static void name(FILE *f, const char *s, size_t n)
{
	fputc('`', f);
	an_offcpu_write_field(f, s, n);
	fputc('`', f);
}

static void percent(FILE *f, double p)
{
	char b[AN_NUM_BUF];

	fprintf(f, "%s%%", an_num_fmt_fixed(b, p, 1));
}

static void metric_row(FILE *f, const char *what, const struct an_diag_metric *m,
		       int up, const char *up_text, const char *flat_text)
{
	char a[AN_NUM_BUF], b[AN_NUM_BUF], c[AN_NUM_BUF];

	fprintf(f, "signal\t%s: ", what);
	if (!m->have) {
		fputs("not available\n", f);
		return;
	}
	fprintf(f, "%sx its peers (%s vs %s): %s\n", an_num_fmt_fixed(a, m->ratio, 2),
		an_num_fmt(b, m->value), an_num_fmt(c, m->peers),
		up ? up_text : flat_text);
}

/* "monitor 20.0%, sleep 78.0%" of a wall frame, states in a fixed order. */
static void states(FILE *f, const struct fsum *s, uint64_t kept)
{
	int i, first = 1;

	for (i = 0; i < AN_STATE_N; i++) {
		if (!s->state[i])
			continue;
		fprintf(f, "%s%s ", first ? "" : ", ", an_state_name(i));
		percent(f, pct(s->state[i], kept));
		first = 0;
	}
}

static void profile_rows(FILE *f, const struct pview *v)
{
	static const char *const what[] = {
		"of CPU samples", "of request-thread wall time",
		"of lock contention", "of sampled allocation"
	};
	int e;

	for (e = 0; e < 4; e++) {
		const struct pview *p = &v[e];

		fprintf(f, "signal\t%s profile: ", an_event_name(e));
		if (!p->a) {
			fputs("not available\n", f);
			continue;
		}
		if (!p->top_app) {
			fputs("no application frame\n", f);
			continue;
		}
		fputs("top application frame ", f);
		name(f, p->top_app->frame, p->top_app->frame_len);
		fputc(' ', f);
		percent(f, top_share(p));
		fprintf(f, " %s", what[e]);
		if (e == AN_EVENT_LOCK || e == AN_EVENT_ALLOC) {
			fputs(" (mostly ", f);
			name(f, p->top_app->detail, p->top_app->detail_len);
			fputc(')', f);
		}
		if (e == AN_EVENT_WALL) {
			fputs("; waiting ", f);
			percent(f, pct(p->waiting, p->tot.kept));
			fprintf(f, " over %zu request threads", p->tot.request_threads);
		}
		fputc('\n', f);
	}
}

static const char *blocking_verb(const struct fsum *s, uint64_t *most)
{
	static const struct { int st; const char *verb; } b[] = {
		{ AN_STATE_SLEEP, "sleeping" }, { AN_STATE_IO, "in socket/file I/O" },
		{ AN_STATE_PARK, "parked" }
	};
	size_t i, k = 0;

	for (i = 1; i < 3; i++)
		if (s->state[b[i].st] > s->state[b[k].st])
			k = i;
	*most = s->state[b[k].st];
	return b[k].verb;
}

static void evidence_wall(FILE *f, const struct pview *w, const struct fsum *s)
{
	uint64_t mon = s->state[AN_STATE_MONITOR], most, kept = w->tot.kept;
	uint64_t blocking = s->state[AN_STATE_SLEEP] + s->state[AN_STATE_IO] +
			    s->state[AN_STATE_PARK];
	const char *verb = blocking_verb(s, &most);

	fputs("request threads spend ", f);
	if (mon && blocking) {
		percent(f, pct(blocking, kept));
		fputs(" of their time in ", f);
		name(f, s->frame, s->frame_len);
		fprintf(f, " (%s while holding its monitor), ", verb);
		percent(f, pct(mon, kept));
		fputs(" waiting to enter it", f);
	} else if (mon) {
		percent(f, pct(mon, kept));
		fputs(" of their time waiting to enter the monitor of ", f);
		name(f, s->frame, s->frame_len);
	} else {
		percent(f, pct(blocking, kept));
		fputs(" of their time waiting in ", f);
		name(f, s->frame, s->frame_len);
		fputs(" (", f);
		states(f, s, kept);
		fputc(')', f);
	}
}

static void evidence(FILE *f, const struct an_diag_input *in,
		     const struct pview *v, const struct sig *g,
		     const struct verdict *d)
{
	const struct fsum *c = d->culprit;
	char b[AN_NUM_BUF];

	fprintf(f, "evidence\t%s: ", kind_names[d->kind]);
	if (d->kind == KIND_GC)
		fprintf(f, "GC time %sx its peers; ", an_num_fmt_fixed(b, in->gc.ratio, 2));
	if (d->kind == KIND_NONE) {
		fputs(g->lat_normal ? "latency does not stand out from the peers" :
		      g->cpu_hot && in->cpu.have ? "the CPU profile has an application "
		      "hot spot but CPU is not up against the peers, and no wall or "
		      "lock profile shows request threads mostly waiting (a wall "
		      "profile tells where the time goes)" :
		      "no profile shows an application hot spot or request threads "
		      "mostly waiting", f);
	} else if (!c) {
		fputs("no allocation profile names a culprit", f);
	} else if (d->from == AN_EVENT_WALL) {
		evidence_wall(f, &v[AN_EVENT_WALL], c);
	} else {
		name(f, c->frame, c->frame_len);
		fputs(d->from == AN_EVENT_CPU ? " takes " : d->from == AN_EVENT_LOCK ?
		      " holds " : " allocates ", f);
		percent(f, top_share(&v[d->from]));
		fputs(d->from == AN_EVENT_CPU ? " of the CPU samples (its own code and "
		      "the library code it calls)" : d->from == AN_EVENT_LOCK ?
		      " of the lock contention" : " of the sampled allocation", f);
		/* "-": stacks made from JFR events end in the method, not the class */
		if (d->from != AN_EVENT_CPU && !(c->detail_len == 1 && c->detail[0] == '-')) {
			fputs(d->from == AN_EVENT_LOCK ? ", on a monitor of " : ", mostly ", f);
			name(f, c->detail, c->detail_len);
		} else if (d->from == AN_EVENT_LOCK) {
			fputs(" (request threads waiting to enter a monitor there)", f);
		}
	}
	fputc('\n', f);
}

int an_diagnose_write(FILE *f, const struct an_diag_input *in,
		      struct an_err *err)
{
	static const char *const rules[] = {
		"", "1: GC up and an allocation hot spot (or no alloc profile), "
		"and GC at least 10% of the time when CPU is up with a CPU hot spot",
		"2: CPU up and a CPU hot spot",
		"3: CPU not up, latency not normal, request threads mostly waiting "
		"(or, without request-thread samples in a wall profile, a lock hot spot)",
		"4: no CPU metric and a CPU hot spot",
		"5: none of the rules above"
	};
	struct pview v[4];
	struct verdict d;
	struct sig g;
	int e, rc = AN_OK;

	for (e = 0; e < 4 && rc == AN_OK; e++)
		rc = view_init(&v[e], in->profile[e], e, err);
	if (rc == AN_OK) {
		signals(in, v, &g);
		decide(in, v, &g, &d);
		fprintf(f, "field\tvalue\nkind\t%s\nculprit\t", kind_names[d.kind]);
		if (d.culprit)
			an_offcpu_write_field(f, d.culprit->frame,
					      d.culprit->frame_len);
		else
			fputc('-', f);
		fprintf(f, "\nprofile\t%s\n", d.culprit ? an_event_name(d.from) : "-");
		evidence(f, in, v, &g, &d);
		metric_row(f, "p99", &in->p99, g.lat_up, "latency up", "latency normal");
		metric_row(f, "cpu", &in->cpu, g.cpu_up, "CPU up", "CPU flat");
		metric_row(f, "gc", &in->gc, g.gc_up, "GC up",
			   "GC not up (needs 2x its peers and 5% of the time)");
		profile_rows(f, v);
		fprintf(f, "rule\t%s\n", rules[d.rule]);
		if (ferror(f))
			rc = an_err_set(err, AN_ESYS, "write error");
	}
	for (e = 0; e < 4; e++)
		free(v[e].f);
	return rc;
}
