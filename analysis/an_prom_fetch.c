/*
 * an_prom_fetch.c - range queries over HTTP, chunk by chunk, each body
 * spooled to a file (the archive's, or an anonymous one) and parsed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>

#include "an_prom.h"
#include "an_text.h"
#include "an_timespec.h"

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
		if (rc == AN_OK && index && an_prom_index_row(index, rg, file, cs, ce) != 0)
			rc = an_err_sys(err, errno, "cannot write the archive index");
	}
	free(qurl);
	return rc;
}
