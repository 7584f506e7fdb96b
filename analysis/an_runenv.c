/* an_runenv.c - run.env: KEY=value lines, read as data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_runenv.h"

struct an_runenv_kv {
	char *key, *value;
};

struct an_runenv {
	struct an_runenv_kv *kv;
	size_t n, cap;
	char *name;
};

static int key_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

static int has_control(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

/* Set key (len klen) to value; the last one wins. */
static int put(struct an_runenv *e, const char *k, size_t klen, const char *v,
	       size_t vlen)
{
	struct an_runenv_kv *slot = NULL;
	char *val = strndup(v, vlen);
	size_t i;

	if (!val)
		return -1;
	for (i = 0; i < e->n && !slot; i++)
		if (strlen(e->kv[i].key) == klen && memcmp(e->kv[i].key, k, klen) == 0)
			slot = &e->kv[i];
	if (!slot) {
		if (e->n == e->cap) {
			size_t cap = e->cap ? 2 * e->cap : 16;
			struct an_runenv_kv *kv = realloc(e->kv, cap * sizeof *kv);

			if (!kv) {
				free(val);
				return -1;
			}
			e->kv = kv;
			e->cap = cap;
		}
		slot = &e->kv[e->n];
		slot->key = strndup(k, klen);
		slot->value = NULL;
		if (!slot->key) {
			free(val);
			return -1;
		}
		e->n++;
	}
	free(slot->value);
	slot->value = val;
	return 0;
}

static int parse_line(struct an_runenv *e, struct an_reader *r, char *line,
		      size_t len, struct an_err *err)
{
	const char *name = an_reader_name(r);
	unsigned long long ln = (unsigned long long)an_reader_lineno(r);
	char *eq;
	char q[80];

	if (len && line[len - 1] == '\r')
		len--;
	if (len == 0 || line[0] == '#')
		return AN_OK;
	eq = memchr(line, '=', len);
	if (!eq)
		return an_err_set(err, AN_EDATA, "%s:%llu: not KEY=value: '%s'",
				  name, ln, an_err_quote(q, sizeof q, line, len));
	if (!key_ok(line, (size_t)(eq - line)))
		return an_err_set(err, AN_EDATA, "%s:%llu: bad key '%s' (letters, "
				  "digits and _)", name, ln,
				  an_err_quote(q, sizeof q, line, (size_t)(eq - line)));
	if (has_control(line, len))
		return an_err_set(err, AN_EDATA, "%s:%llu: control character in "
				  "the value of '%.*s'", name, ln,
				  (int)(eq - line), line);
	if (len > AN_RUNENV_VALUE_MAX)
		return an_err_set(err, AN_EDATA, "%s:%llu: line over %d bytes",
				  name, ln, AN_RUNENV_VALUE_MAX);
	if (put(e, line, (size_t)(eq - line), eq + 1, len - (size_t)(eq - line) - 1))
		return an_err_set(err, AN_ESYS, "out of memory");
	return AN_OK;
}

int an_runenv_read(struct an_runenv **out, struct an_reader *r,
		   struct an_err *err)
{
	struct an_runenv *e = calloc(1, sizeof *e);
	char *line;
	size_t len;
	int rc;

	*out = NULL;
	if (!e || !(e->name = strdup(an_reader_name(r)))) {
		free(e);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	while ((rc = an_reader_getline(r, &line, &len, err)) == 1)
		if (parse_line(e, r, line, len, err) != AN_OK) {
			rc = -1;
			break;
		}
	if (rc != 0) {
		an_runenv_free(e);
		return err->status;
	}
	*out = e;
	return AN_OK;
}

void an_runenv_free(struct an_runenv *e)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < e->n; i++) {
		free(e->kv[i].key);
		free(e->kv[i].value);
	}
	free(e->kv);
	free(e->name);
	free(e);
}

const char *an_runenv_get(const struct an_runenv *e, const char *key)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->kv[i].key, key) == 0)
			return e->kv[i].value;
	return NULL;
}

int an_runenv_epoch(const struct an_runenv *e, const char *key, int64_t *out,
		    struct an_err *err)
{
	const char *v = an_runenv_get(e, key);
	uint64_t u;
	char q[80];

	if (!v)
		return an_err_set(err, AN_EDATA, "%s: no %s", e->name, key);
	if (an_num_parse_u64(v, strlen(v), &u) != 0 || u >= (uint64_t)1 << 53)
		return an_err_set(err, AN_EDATA, "%s: %s: '%s' is not epoch seconds",
				  e->name, key, an_err_quote(q, sizeof q, v, strlen(v)));
	*out = (int64_t)u;
	return AN_OK;
}

int an_runenv_load(const struct an_runenv *e, int64_t warmup, int64_t *start,
		   int64_t *end, struct an_err *err)
{
	int64_t s, t;

	if (an_runenv_epoch(e, "load_start", &s, err) != AN_OK ||
	    an_runenv_epoch(e, "load_end", &t, err) != AN_OK)
		return err->status;
	if (t <= s)
		return an_err_set(err, AN_EDATA, "%s: empty load window "
				  "(load_start=%lld, load_end=%lld)", e->name,
				  (long long)s, (long long)t);
	if (s + warmup >= t)
		return an_err_set(err, AN_EDATA, "%s: the load lasts %lld s: a "
				  "warm-up of %lld s leaves nothing of it", e->name,
				  (long long)(t - s), (long long)warmup);
	*start = s + warmup;
	*end = t;
	return AN_OK;
}

int an_runenv_interval(const struct an_runenv *e, const char *stem,
		       int64_t *start, int64_t *end, struct an_err *err)
{
	const char *dot = strrchr(stem, '.');
	char ks[300], ke[300], q[160];

	if (!dot || dot == stem || !key_ok(dot + 1, strlen(dot + 1)) ||
	    strlen(dot + 1) > 200)
		return an_err_set(err, AN_EDATA, "profile '%s': name is not "
				  "POD.EVENT", an_err_quote(q, sizeof q, stem,
							    strlen(stem)));
	snprintf(ks, sizeof ks, "profile_%s_start", dot + 1);
	snprintf(ke, sizeof ke, "profile_%s_end", dot + 1);
	/* a profile cut from the pod's whole-run recording (POD.jfr) */
	if ((!an_runenv_get(e, ks) || !an_runenv_get(e, ke)) &&
	    an_runenv_get(e, "profile_jfr_start") && an_runenv_get(e, "profile_jfr_end")) {
		snprintf(ks, sizeof ks, "profile_jfr_start");
		snprintf(ke, sizeof ke, "profile_jfr_end");
	}
	if (!an_runenv_get(e, ks) || !an_runenv_get(e, ke))
		return an_err_set(err, AN_EDATA, "%s: no capture interval "
				  "(profile_%s_start/end) for profile '%s'",
				  e->name, dot + 1,
				  an_err_quote(q, sizeof q, stem, strlen(stem)));
	if (an_runenv_epoch(e, ks, start, err) != AN_OK ||
	    an_runenv_epoch(e, ke, end, err) != AN_OK)
		return err->status;
	if (*end < *start)
		return an_err_set(err, AN_EDATA, "%s: %s is before %s", e->name,
				  ke, ks);
	return AN_OK;
}
