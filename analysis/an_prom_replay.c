/*
 * an_prom_replay.c - saved responses read back, grouped by query.
 */
#include <stdlib.h>
#include <string.h>

#include "an_prom.h"
#include "an_reader.h"

static void names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

/* Each file's query name; the queries made in order of first appearance. */
static char **query_names(struct an_prom *p, char *const *paths, size_t n,
			  struct an_err *err)
{
	char **names = calloc(n ? n : 1, sizeof *names);
	size_t i, q;

	if (!names) {
		an_err_set(err, AN_ESYS, "out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		char buf[256];

		an_prom_name_from_path(buf, sizeof buf, paths[i]);
		names[i] = strdup(strcmp(paths[i], "-") == 0 ? "stdin" : buf);
		if (!names[i] || an_prom_query(p, names[i], &q, err) != AN_OK) {
			names_free(names, n);
			an_err_set(err, AN_ESYS, "out of memory");
			return NULL;
		}
	}
	return names;
}

static int read_file(struct an_prom *p, size_t q, const char *path,
		     an_prom_warn_fn warn, void *warn_ctx, struct an_err *err)
{
	struct an_reader *r;
	int rc;

	if ((rc = an_reader_open(&r, path, err)) != AN_OK)
		return rc;
	rc = an_prom_read(p, q, r, warn, warn_ctx, err);
	an_reader_free(r);
	return rc;
}

int an_prom_replay(struct an_prom *p, char *const *paths, size_t n,
		   an_prom_warn_fn warn, void *warn_ctx, an_prom_done_fn done,
		   void *done_ctx, struct an_err *err)
{
	char **names = query_names(p, paths, n, err);
	size_t k, q;
	int rc = AN_OK;

	if (!names)
		return AN_ESYS;
	for (q = 0; rc == AN_OK && q < an_prom_query_count(p); q++) {
		for (k = 0; rc == AN_OK && k < n; k++)
			if (strcmp(names[k], an_prom_query_name(p, q)) == 0)
				rc = read_file(p, q, paths[k], warn, warn_ctx, err);
		if (rc == AN_OK)
			rc = done(done_ctx, q, err);
	}
	names_free(names, n);
	return rc;
}
