#include "an_perf.h"

#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_text.h"

#define PERF_STACK_MAX_DEFAULT ((size_t)16 << 20)

struct an_perf {
	struct an_perf_opts o;
	char *event;            /* kept type, once known */
	uint64_t skipped;
	int in_event;           /* a header was read, frames may follow */
	int skipping;           /* the current event is of another type */
	uint64_t count;
	char *frames;           /* frame names of the current event, leaf first */
	size_t flen, fcap;
	size_t *ends;           /* end offset of each frame in frames */
	size_t nframes, ecap;
	char *thread;           /* "[COMM tid=TID]" of the current event */
	size_t tlen, tcap;
	char *out;              /* the stack being emitted */
	size_t ocap;
};

struct an_perf *an_perf_new(const struct an_perf_opts *opts)
{
	struct an_perf *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	if (opts)
		p->o = *opts;
	if (!p->o.max_stack)
		p->o.max_stack = PERF_STACK_MAX_DEFAULT;
	p->o.event = NULL;
	if (opts && opts->event && !(p->event = strdup(opts->event))) {
		free(p);
		return NULL;
	}
	return p;
}

void an_perf_free(struct an_perf *p)
{
	if (!p)
		return;
	free(p->event);
	free(p->frames);
	free(p->ends);
	free(p->thread);
	free(p->out);
	free(p);
}

uint64_t an_perf_skipped(const struct an_perf *p)
{
	return p->skipped;
}

const char *an_perf_event(const struct an_perf *p)
{
	return p->event;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return n > 0;
}

struct header {
	const char *comm, *tid, *event;
	size_t comm_len, tid_len, event_len;
	uint64_t period;
};

/* The PID[/TID] field: the first all-digit field after COMM. */
static int find_pid(const char *s, size_t n, struct header *h, size_t *rest)
{
	size_t i, k, c;

	for (i = 1; i < n; i++) {
		if (!is_space(s[i - 1]) || !is_digit(s[i]))
			continue;
		for (k = i; k < n && is_digit(s[k]); k++)
			;
		h->tid = s + i;
		h->tid_len = k - i;
		if (k < n && s[k] == '/') {
			for (c = k + 1; c < n && is_digit(s[c]); c++)
				;
			if (c == k + 1)
				continue;
			h->tid = s + k + 1;
			h->tid_len = c - k - 1;
			k = c;
		}
		if (k < n && !is_space(s[k]))
			continue;
		for (c = i; c > 0 && is_space(s[c - 1]); c--)
			;
		h->comm = s;
		h->comm_len = c;
		*rest = k;
		return 1;
	}
	return 0;
}

static int next_token(const char *s, size_t n, size_t *pos, const char **t, size_t *tl)
{
	size_t i = *pos;

	while (i < n && is_space(s[i]))
		i++;
	if (i == n)
		return 0;
	*t = s + i;
	while (i < n && !is_space(s[i]))
		i++;
	*tl = (size_t)(s + i - *t);
	*pos = i;
	return 1;
}

/* After PID: [CPU] TIME: [PERIOD] EVENT: ...; all optional, as in
 * stackcollapse-perf.pl. */
static void parse_event(const char *s, size_t n, size_t pos, struct header *h)
{
	const char *t;
	size_t tl;
	int seen_time = 0;

	h->event = "";
	h->event_len = 0;
	h->period = 1;
	while (next_token(s, n, &pos, &t, &tl)) {
		if (!seen_time) {
			seen_time = tl > 1 && t[tl - 1] == ':' && is_digit(t[0]);
			continue;
		}
		if (all_digits(t, tl)) {
			if (an_num_parse_u64(t, tl, &h->period) != 0)
				h->period = UINT64_MAX;
			continue;
		}
		if (tl > 1 && t[tl - 1] == ':') {
			h->event = t;
			h->event_len = tl - 1;
		}
		return;
	}
}

int an_perf_detect(const char *line, size_t len)
{
	struct header h;
	size_t rest;

	if (len && line[len - 1] == '\r')
		len--;
	if (len && line[0] == '#')
		return 1;
	while (len && is_space(line[len - 1]))
		len--;
	if (!len || is_space(line[0]) || line[len - 1] != ':')
		return 0;
	return find_pid(line, len, &h, &rest);
}

static int grow(char **buf, size_t *cap, size_t need, size_t max, struct an_err *err)
{
	size_t c = *cap ? *cap : 256;
	char *nb;

	if (need <= *cap)
		return AN_OK;
	if (need > max)
		return an_err_set(err, AN_EDATA, "stack longer than the cap of %zu bytes", max);
	while (c < need)
		c *= 2;
	if (c > max)
		c = max;
	nb = realloc(*buf, c);
	if (!nb)
		return an_err_set(err, AN_ESYS, "out of memory for a stack of %zu bytes", need);
	*buf = nb;
	*cap = c;
	return AN_OK;
}

static size_t copy_clean(char *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = s[i] == ';' ? ':' : s[i];
	return n;
}

static int start_event(struct an_perf *p, const struct header *h, struct an_err *err)
{
	size_t need = h->comm_len + h->tid_len + 8;

	p->in_event = 1;
	p->nframes = 0;
	p->flen = 0;
	p->count = p->o.weight_period ? h->period : 1;
	if (!p->event) {
		p->event = malloc(h->event_len + 1);
		if (!p->event)
			return an_err_set(err, AN_ESYS, "out of memory");
		memcpy(p->event, h->event, h->event_len);
		p->event[h->event_len] = '\0';
	}
	p->skipping = strlen(p->event) != h->event_len ||
		      memcmp(p->event, h->event, h->event_len) != 0;
	if (p->skipping) {
		p->skipped++;
		return AN_OK;
	}
	if (grow(&p->thread, &p->tcap, need, p->o.max_stack, err) != AN_OK)
		return err ? (int)err->status : AN_EDATA;
	p->thread[0] = '[';
	p->tlen = 1 + copy_clean(p->thread + 1, h->comm, h->comm_len);
	memcpy(p->thread + p->tlen, " tid=", 5);
	p->tlen += 5;
	memcpy(p->thread + p->tlen, h->tid, h->tid_len);
	p->tlen += h->tid_len;
	p->thread[p->tlen++] = ']';
	return AN_OK;
}

static int end_event(struct an_perf *p, an_perf_emit_fn emit, void *ctx,
		     struct an_err *err)
{
	size_t i, w, need;

	if (!p->in_event)
		return AN_OK;
	p->in_event = 0;
	if (p->skipping)
		return AN_OK;
	if (!p->nframes)
		return an_err_set(err, AN_EDATA,
				  "event without a call chain (record with perf record -g)");
	need = p->tlen + p->flen + p->nframes;
	if (grow(&p->out, &p->ocap, need, p->o.max_stack, err) != AN_OK)
		return err ? (int)err->status : AN_EDATA;
	memcpy(p->out, p->thread, p->tlen);
	w = p->tlen;
	for (i = p->nframes; i-- > 0;) {
		size_t start = i ? p->ends[i - 1] : 0;

		p->out[w++] = ';';
		memcpy(p->out + w, p->frames + start, p->ends[i] - start);
		w += p->ends[i] - start;
	}
	return emit(ctx, p->out, w, p->count, err);
}

static size_t strip_offset(const char *s, size_t n)
{
	size_t i = n;

	while (i > 0 && is_hex(s[i - 1]))
		i--;
	if (i < n && i >= 3 && s[i - 1] == 'x' && s[i - 2] == '0' && s[i - 3] == '+')
		return i - 3;
	return n;
}

static const char *base_name(const char *s, size_t n, size_t *bl)
{
	const char *slash = memrchr(s, '/', n);
	const char *b = slash ? slash + 1 : s;

	*bl = (size_t)(s + n - b);
	return b;
}

static int is_perf_map(const char *mod, size_t n)
{
	size_t bl;
	const char *b = base_name(mod, n, &bl);

	return bl > 9 && memcmp(b, "perf-", 5) == 0 && memcmp(b + bl - 4, ".map", 4) == 0 &&
	       all_digits(b + 5, bl - 9);
}

static int is_kernel(const char *mod, size_t n)
{
	if (n >= 2 && mod[0] == '[' && !(n == 9 && memcmp(mod, "[unknown]", 9) == 0))
		return 1;
	return n >= 7 && memcmp(mod + n - 7, "vmlinux", 7) == 0;
}

/* "ret pkg.Class.method(args)" -> "pkg/Class.method"; 0 if not that form. */
static size_t java_name(const char *s, size_t n, char *out, size_t cap)
{
	const char *paren = memchr(s, '(', n), *q, *dot;
	size_t ql, i;

	if (!paren || s[n - 1] != ')')
		return 0;
	q = memrchr(s, ' ', (size_t)(paren - s));
	q = q ? q + 1 : s;
	ql = (size_t)(paren - q);
	dot = ql ? memrchr(q, '.', ql) : NULL;
	if (!dot || dot == q || dot == q + ql - 1 || ql > cap)
		return 0;
	for (i = 0; i < ql; i++) {
		char c = q[i];

		if (q + i == dot)
			out[i] = '.';
		else if (c == '.')
			out[i] = '/';
		else if (c == '/')
			out[i] = '.';
		else
			out[i] = c == ';' ? ':' : c;
	}
	return ql;
}

/* stackcollapse-perf.pl's tidy_generic: drop "(...)" and quotes, ';'->':'. */
static size_t generic_name(const char *s, size_t n, char *out, size_t cap)
{
	const char *paren = memchr(s, '(', n);
	size_t i, w = 0;

	if (paren && !(n - (size_t)(paren - s) >= 21 &&
		       memcmp(paren, "(anonymous namespace)", 21) == 0))
		n = (size_t)(paren - s);
	while (n && is_space(s[n - 1]))
		n--;
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\'')
			continue;
		if (w == cap)
			return (size_t)-1;
		out[w++] = s[i] == ';' ? ':' : s[i];
	}
	return w;
}

size_t an_perf_frame_name(const char *sym, size_t symlen, const char *mod,
			  size_t modlen, char *out, size_t cap)
{
	size_t n = strip_offset(sym, symlen), w = 0;

	if (n == 0 || (n == 9 && memcmp(sym, "[unknown]", 9) == 0)) {
		size_t bl;
		const char *b = base_name(mod, modlen, &bl);

		if (!modlen || (modlen == 9 && memcmp(mod, "[unknown]", 9) == 0) || !bl) {
			b = "unknown";
			bl = 7;
		}
		if (bl + 2 > cap)
			return (size_t)-1;
		out[0] = '[';
		w = 1 + copy_clean(out + 1, b, bl);
		out[w++] = ']';
		return w;
	}
	if (is_perf_map(mod, modlen))
		w = java_name(sym, n, out, cap);
	if (!w) {
		w = generic_name(sym, n, out, cap);
		if (w == (size_t)-1)
			return w;
	}
	if (!w) {
		if (cap < 9)
			return (size_t)-1;
		memcpy(out, "[unknown]", 9);
		return 9;
	}
	if (is_kernel(mod, modlen)) {
		if (w + 4 > cap)
			return (size_t)-1;
		memcpy(out + w, "_[k]", 4);
		w += 4;
	}
	return w;
}

/* "\t ADDRESS SYMBOL (MODULE)" split into its parts; 0 if malformed. */
static int split_frame(const char *s, size_t n, const char **sym, size_t *sl,
		       const char **mod, size_t *ml)
{
	size_t i = 0, a;

	while (i < n && is_space(s[i]))
		i++;
	for (a = i; i < n && is_hex(s[i]); i++)
		;
	if (i == a || (i < n && !is_space(s[i])))
		return 0;
	while (i < n && is_space(s[i]))
		i++;
	while (n > i && is_space(s[n - 1]))
		n--;
	*sym = s + i;
	*sl = n - i;
	*mod = "";
	*ml = 0;
	if (n > i && s[n - 1] == ')') {
		size_t depth = 0, k = n;
		int found = 0;

		while (!found && k-- > i) {
			if (s[k] == ')')
				depth++;
			else if (s[k] == '(' && --depth == 0)
				found = 1;
		}
		if (found && k > i && is_space(s[k - 1])) {
			*mod = s + k + 1;
			*ml = n - k - 2;
			for (n = k; n > i && is_space(s[n - 1]); n--)
				;
			*sl = n - i;
		} else if (found && k == i) {
			*mod = s + k + 1;
			*ml = n - k - 2;
			*sl = 0;
		}
	}
	return 1;
}

static int add_frame(struct an_perf *p, const char *s, size_t n, struct an_err *err)
{
	const char *sym, *mod;
	size_t sl, ml, w, room;

	if (!split_frame(s, n, &sym, &sl, &mod, &ml))
		return an_err_set(err, AN_EDATA,
				  "malformed stack frame line: expected 'ADDRESS SYMBOL (MODULE)'");
	if (p->skipping)
		return AN_OK;
	/* a name is at most the symbol plus "[...]" or "_[k]" */
	room = (sl > ml ? sl : ml) + 9;
	if (p->tlen + p->flen + p->nframes + room > p->o.max_stack)
		room = p->o.max_stack > p->tlen + p->flen + p->nframes ?
		       p->o.max_stack - p->tlen - p->flen - p->nframes : 0;
	if (grow(&p->frames, &p->fcap, p->flen + room, p->o.max_stack, err) != AN_OK)
		return err ? (int)err->status : AN_EDATA;
	w = an_perf_frame_name(sym, sl, mod, ml, p->frames + p->flen, room);
	if (w == (size_t)-1)
		return an_err_set(err, AN_EDATA, "stack longer than the cap of %zu bytes",
				  p->o.max_stack);
	if (p->nframes == p->ecap) {
		size_t nc = p->ecap ? 2 * p->ecap : 64;
		size_t *ne = realloc(p->ends, nc * sizeof *ne);

		if (!ne)
			return an_err_set(err, AN_ESYS, "out of memory");
		p->ends = ne;
		p->ecap = nc;
	}
	p->flen += w;
	p->ends[p->nframes++] = p->flen;
	return AN_OK;
}

static int check_text(const char *s, size_t n, struct an_err *err)
{
	size_t bad;

	if (memchr(s, '\0', n))
		return an_err_set(err, AN_EDATA, "NUL byte in the line");
	bad = an_utf8_valid_prefix(s, n);
	if (bad < n)
		return an_err_set(err, AN_EDATA, "invalid UTF-8 at byte %zu of the line",
				  bad + 1);
	return AN_OK;
}

int an_perf_feed(struct an_perf *p, const char *line, size_t len,
		 an_perf_emit_fn emit, void *ctx, struct an_err *err)
{
	struct header h;
	size_t rest, n = len;

	if (n && line[n - 1] == '\r')
		n--;
	while (n && is_space(line[n - 1]))
		n--;
	if (!n)
		return end_event(p, emit, ctx, err);
	if (check_text(line, n, err) != AN_OK)
		return AN_EDATA;
	if (is_space(line[0])) {
		if (!p->in_event)
			return an_err_set(err, AN_EDATA,
					  "stack frame line before any event header");
		return add_frame(p, line, n, err);
	}
	if (line[0] == '#' && !p->in_event)
		return AN_OK;
	if (p->in_event) {
		int rc = end_event(p, emit, ctx, err);

		if (rc != AN_OK)
			return rc;
	}
	if (!find_pid(line, n, &h, &rest))
		return an_err_set(err, AN_EDATA,
				  "malformed event header: expected 'COMM PID[/TID] TIME: [PERIOD] EVENT:'");
	parse_event(line, n, rest, &h);
	return start_event(p, &h, err);
}

int an_perf_finish(struct an_perf *p, an_perf_emit_fn emit, void *ctx,
		   struct an_err *err)
{
	return end_event(p, emit, ctx, err);
}
