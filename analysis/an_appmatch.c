/* an_appmatch.c - application frames by prefix or PCRE2 pattern. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "an_appmatch.h"

struct an_appmatch {
	pcre2_code *re;
	pcre2_match_data *md;
	char *prefix;
	size_t prefix_len;
};

static int compile(struct an_appmatch *m, const char *regex, struct an_err *err)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	char q[200];
	int ec;

	m->re = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
			      &ec, &off, NULL);
	if (m->re) {
		m->md = pcre2_match_data_create(1, NULL);
		return m->md ? AN_OK : an_err_set(err, AN_ESYS, "out of memory");
	}
	pcre2_get_error_message(ec, msg, sizeof msg);
	return an_err_set(err, AN_EDATA, "bad regular expression '%s': %s at offset %zu",
			  an_err_quote(q, sizeof q, regex, strlen(regex)),
			  (const char *)msg, (size_t)off);
}

int an_appmatch_new(struct an_appmatch **out, const char *regex,
		    const char *prefix, struct an_err *err)
{
	struct an_appmatch *m = calloc(1, sizeof *m);
	size_t i;
	int rc = AN_OK;

	*out = NULL;
	if (!m)
		return an_err_set(err, AN_ESYS, "out of memory");
	if (regex)
		rc = compile(m, regex, err);
	if (rc == AN_OK && prefix) {
		m->prefix = strdup(prefix);
		m->prefix_len = strlen(prefix);
		if (!m->prefix)
			rc = an_err_set(err, AN_ESYS, "out of memory");
		else if (!strchr(m->prefix, '/'))
			for (i = 0; i < m->prefix_len; i++)
				if (m->prefix[i] == '.')
					m->prefix[i] = '/';
	}
	if (rc != AN_OK) {
		an_appmatch_free(m);
		return rc;
	}
	*out = m;
	return AN_OK;
}

void an_appmatch_free(struct an_appmatch *m)
{
	if (!m)
		return;
	pcre2_code_free(m->re);
	pcre2_match_data_free(m->md);
	free(m->prefix);
	free(m);
}

int an_appmatch_test(struct an_appmatch *m, const char *frame, size_t len,
		     struct an_err *err)
{
	PCRE2_UCHAR msg[256];
	char q[200];
	int rc;

	if (!m->re && !m->prefix)
		return len > 0 && frame[0] != '[';
	if (m->prefix && len >= m->prefix_len &&
	    memcmp(frame, m->prefix, m->prefix_len) == 0)
		return 1;
	if (!m->re)
		return 0;
	rc = pcre2_match(m->re, (PCRE2_SPTR)frame, len, 0, PCRE2_NO_UTF_CHECK,
			 m->md, NULL);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	pcre2_get_error_message(rc, msg, sizeof msg);
	an_err_set(err, AN_EDATA, "application pattern failed on '%s': %s",
		   an_err_quote(q, sizeof q, frame, len), (const char *)msg);
	return -1;
}
