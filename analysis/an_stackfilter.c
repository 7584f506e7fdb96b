#include "an_stackfilter.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "an_normalize.h"
#include "an_strmap.h"

#define CACHE_MAX_DEFAULT ((size_t)1 << 30)

struct pattern {
	pcre2_code *code;
	char *text;
	enum an_sf_kind kind;
};

struct frame {
	size_t start, len;
	unsigned bits;
};

struct an_stackfilter {
	struct pattern *pats;
	size_t npats;
	unsigned kinds;          /* bit per kind with at least one pattern */
	int no_threads;
	unsigned norm;
	pcre2_match_data *md;
	struct an_strmap *cache; /* frame name -> bits + 1 (0: not computed) */
	size_t max_bytes;
	struct frame *frames;
	size_t fcap;
};

struct an_stackfilter *an_stackfilter_new(size_t max_bytes)
{
	struct an_stackfilter *f = calloc(1, sizeof *f);

	if (!f)
		return NULL;
	f->max_bytes = max_bytes ? max_bytes : CACHE_MAX_DEFAULT;
	return f;
}

void an_stackfilter_free(struct an_stackfilter *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->npats; i++) {
		pcre2_code_free(f->pats[i].code);
		free(f->pats[i].text);
	}
	free(f->pats);
	pcre2_match_data_free(f->md);
	an_strmap_free(f->cache);
	free(f->frames);
	free(f);
}

int an_stackfilter_add(struct an_stackfilter *f, enum an_sf_kind kind,
		       const char *pattern, struct an_err *err)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_code *code;
	struct pattern *np;
	char q[200];

	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
			     &ec, &off, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(ec, msg, sizeof msg);
		return an_err_set(err, AN_EDATA, "bad regular expression '%s': %s at offset %zu",
				  an_err_quote(q, sizeof q, pattern, strlen(pattern)),
				  (const char *)msg, (size_t)off);
	}
	np = realloc(f->pats, (f->npats + 1) * sizeof *np);
	if (!np || (!f->md && !(f->md = pcre2_match_data_create(1, NULL)))) {
		if (np)
			f->pats = np;
		pcre2_code_free(code);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	f->pats = np;
	f->pats[f->npats].code = code;
	f->pats[f->npats].kind = kind;
	f->pats[f->npats].text = strdup(pattern);
	if (!f->pats[f->npats].text) {
		pcre2_code_free(code);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	f->npats++;
	f->kinds |= 1u << kind;
	an_strmap_free(f->cache);   /* cached matches predate this pattern */
	f->cache = NULL;
	return AN_OK;
}

void an_stackfilter_set_no_threads(struct an_stackfilter *f, int on)
{
	f->no_threads = on;
}

void an_stackfilter_set_normalize(struct an_stackfilter *f, unsigned rules)
{
	f->norm = rules;
}

int an_stackfilter_active(const struct an_stackfilter *f)
{
	return f->kinds || f->no_threads || f->norm;
}

int an_stackfilter_thread_name(const char *frame, size_t len, const char **name,
			       size_t *nlen)
{
	size_t i;

	if (len < 8 || frame[0] != '[' || frame[len - 1] != ']')
		return 0;
	for (i = len - 1; i > 1 && frame[i - 1] >= '0' && frame[i - 1] <= '9'; i--)
		;
	if (i == len - 1 || i < 6 || memcmp(frame + i - 5, " tid=", 5) != 0)
		return 0;
	*name = frame + 1;
	*nlen = i - 6;
	return 1;
}

/* 1 if a pattern of `kind` matches s[0..n), 0 if none, -1 on error. */
static int match_kind(struct an_stackfilter *f, enum an_sf_kind kind,
		      const char *s, size_t n, struct an_err *err)
{
	size_t i;
	char q[200];

	for (i = 0; i < f->npats; i++) {
		int rc;

		if (f->pats[i].kind != kind)
			continue;
		rc = pcre2_match(f->pats[i].code, (PCRE2_SPTR)s, n, 0,
				 PCRE2_NO_UTF_CHECK, f->md, NULL);
		if (rc >= 0)
			return 1;
		if (rc != PCRE2_ERROR_NOMATCH) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(rc, msg, sizeof msg);
			an_err_set(err, AN_EDATA, "regular expression '%s' failed on frame '%s': %s",
				   f->pats[i].text, an_err_quote(q, sizeof q, s, n),
				   (const char *)msg);
			return -1;
		}
	}
	return 0;
}

/* Match bits of one frame for every kind but AN_SF_THREAD, cached. */
static int frame_bits(struct an_stackfilter *f, const char *s, size_t n,
		      unsigned *bits, struct an_err *err)
{
	int64_t id;
	uint32_t *slot;
	unsigned b = 0;
	int k;

	if (!f->cache && !(f->cache = an_strmap_new(sizeof(uint32_t), f->max_bytes))) {
		an_err_set(err, AN_ESYS, "out of memory");
		return -1;
	}
	id = an_strmap_intern(f->cache, s, n, NULL, err);
	if (id < 0)
		return -1;
	slot = an_strmap_data(f->cache, (size_t)id);
	if (*slot) {
		*bits = *slot - 1;
		return 0;
	}
	for (k = 0; k < AN_SF_THREAD; k++) {
		int m;

		if (!(f->kinds & (1u << k)))
			continue;
		m = match_kind(f, (enum an_sf_kind)k, s, n, err);
		if (m < 0)
			return -1;
		if (m)
			b |= 1u << k;
	}
	*slot = b + 1;
	*bits = b;
	return 0;
}

/* Step 1; returns 0 to drop, 1 to go on (*skip: bytes of thread frame). */
static int select_thread(struct an_stackfilter *f, const char *in, size_t len,
			 size_t *skip, struct an_err *err)
{
	const char *semi = memchr(in, ';', len), *name;
	size_t flen = semi ? (size_t)(semi - in) : len, nlen;
	int is_thread = an_stackfilter_thread_name(in, flen, &name, &nlen);

	*skip = 0;
	if (f->kinds & (1u << AN_SF_THREAD)) {
		int m;

		if (!is_thread)
			return 0;
		m = match_kind(f, AN_SF_THREAD, name, nlen, err);
		if (m <= 0)
			return m;
	}
	if (f->no_threads && is_thread) {
		if (!semi)
			return 0;
		*skip = flen + 1;
	}
	return 1;
}

static int split_frames(struct an_stackfilter *f, const char *s, size_t len,
			size_t *nframes, struct an_err *err)
{
	size_t pos = 0, n = 0;

	while (pos <= len) {
		const char *semi = memchr(s + pos, ';', len - pos);
		size_t flen = semi ? (size_t)(semi - (s + pos)) : len - pos;

		if (n == f->fcap) {
			size_t nc = f->fcap ? 2 * f->fcap : 64;
			struct frame *nf = realloc(f->frames, nc * sizeof *nf);

			if (!nf) {
				an_err_set(err, AN_ESYS, "out of memory");
				return -1;
			}
			f->frames = nf;
			f->fcap = nc;
		}
		f->frames[n].start = pos;
		f->frames[n].len = flen;
		if (frame_bits(f, s + pos, flen, &f->frames[n].bits, err) < 0)
			return -1;
		n++;
		pos += flen + 1;
	}
	*nframes = n;
	return 0;
}

/* Steps 3 to 6 over f->frames[0..n) of s; returns 0 to drop, else 1. */
static int select_frames(struct an_stackfilter *f, char *s, size_t n, size_t *outlen)
{
	size_t i, first = 0, last = n, w = 0;
	unsigned any = 0;

	for (i = 0; i < n; i++)
		any |= f->frames[i].bits;
	if ((f->kinds & (1u << AN_SF_FOCUS)) && !(any & (1u << AN_SF_FOCUS)))
		return 0;
	if (any & (1u << AN_SF_IGNORE))
		return 0;
	if (f->kinds & (1u << AN_SF_ROOT_AT)) {
		while (first < n && !(f->frames[first].bits & (1u << AN_SF_ROOT_AT)))
			first++;
		if (first == n)
			return 0;
	}
	if (f->kinds & (1u << AN_SF_PRUNE_FROM))
		for (i = first; i < n; i++)
			if (f->frames[i].bits & (1u << AN_SF_PRUNE_FROM)) {
				last = i + 1;
				break;
			}
	for (i = first; i < last; i++) {
		unsigned b = f->frames[i].bits;

		if (b & (1u << AN_SF_HIDE))
			continue;
		if ((f->kinds & (1u << AN_SF_SHOW)) && !(b & (1u << AN_SF_SHOW)))
			continue;
		if (w)
			s[w++] = ';';
		memmove(s + w, s + f->frames[i].start, f->frames[i].len);
		w += f->frames[i].len;
	}
	*outlen = w;
	return w > 0;
}

int an_stackfilter_apply(struct an_stackfilter *f, const char *in, size_t len,
			 char *out, size_t *outlen, struct an_err *err)
{
	size_t skip, n = 0;
	int rc = select_thread(f, in, len, &skip, err);

	if (rc <= 0)
		return rc;
	*outlen = an_normalize_stack(f->norm, in + skip, len - skip, out);
	if (!(f->kinds & ~(1u << AN_SF_THREAD)))
		return 1;
	if (split_frames(f, out, *outlen, &n, err) < 0)
		return -1;
	return select_frames(f, out, n, outlen);
}
