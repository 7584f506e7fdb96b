/*
 * an_prom_archive.c - the archive of responses: its index, written while
 * fetching, read back for --replay.
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

int an_prom_index_header(FILE *f)
{
	return fputs("name\tfile\tquery\tstart\tend\tstep\n", f) == EOF ? -1 : 0;
}

int an_prom_index_row(FILE *f, const struct an_prom_range *rg, const char *file,
		      int64_t s, int64_t e)
{
	char a[32], b[32], c[32];

	fprintf(f, "%s\t%s\t", rg->name, file);
	an_tsv_write_escaped(f, rg->expr, strlen(rg->expr));
	fprintf(f, "\t%s\t%s\t%s\n", an_time_fmt(a, s), an_time_fmt(b, e),
		an_time_fmt(c, rg->step));
	return ferror(f) ? -1 : 0;
}


int an_prom_archive_open(const char *dir, FILE **index, struct an_err *err)
{
	char *tmp;

	*index = NULL;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return an_err_sys(err, errno, "cannot create '%s'", dir);
	if (asprintf(&tmp, "%s/.%s.tmp", dir, AN_PROM_INDEX) < 0)
		return an_err_set(err, AN_ESYS, "out of memory");
	*index = fopen(tmp, "w");
	if (!*index || an_prom_index_header(*index) != 0) {
		an_err_sys(err, errno, "cannot write '%s'", tmp);
		free(tmp);
		return AN_ESYS;
	}
	free(tmp);
	return AN_OK;
}

int an_prom_archive_close(const char *dir, FILE *index, struct an_err *err)
{
	char *tmp, *final;
	int rc = AN_OK;

	if (asprintf(&tmp, "%s/.%s.tmp", dir, AN_PROM_INDEX) < 0)
		return an_err_set(err, AN_ESYS, "out of memory");
	if (asprintf(&final, "%s/%s", dir, AN_PROM_INDEX) < 0) {
		free(tmp);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	if (fclose(index) != 0 || rename(tmp, final) != 0)
		rc = an_err_sys(err, errno, "cannot write '%s'", final);
	free(tmp);
	free(final);
	return rc;
}

void an_prom_paths_free(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/* One index row: check its file name, append DIR/FILE to the list. */
static int index_add(const char *dir, char *line, size_t len, uint64_t lineno,
		     char ***paths, size_t *n, struct an_err *err)
{
	char *tab1 = memchr(line, '\t', len), *tab2, name[256];
	char **np;

	tab2 = tab1 ? memchr(tab1 + 1, '\t', len - (size_t)(tab1 + 1 - line)) : NULL;
	if (!tab2)
		return an_err_set(err, AN_EDATA, "%s/%s:%llu: expected name<TAB>file<TAB>...",
				  dir, AN_PROM_INDEX, (unsigned long long)lineno);
	*tab1 = *tab2 = '\0';
	an_prom_name_from_path(name, sizeof name, tab1 + 1);
	if (strchr(tab1 + 1, '/') || an_prom_name_check(line, NULL) != AN_OK ||
	    strcmp(name, line) != 0) {
		char q[80];

		return an_err_set(err, AN_EDATA, "%s/%s:%llu: bad file name '%s' for query '%s'",
				  dir, AN_PROM_INDEX, (unsigned long long)lineno,
				  an_err_quote(q, sizeof q, tab1 + 1, strlen(tab1 + 1)), name);
	}
	np = realloc(*paths, (*n + 1) * sizeof *np);
	if (!np)
		return an_err_set(err, AN_ESYS, "out of memory");
	*paths = np;
	if (asprintf(&np[*n], "%s/%s", dir, tab1 + 1) < 0)
		return an_err_set(err, AN_ESYS, "out of memory");
	(*n)++;
	return AN_OK;
}

int an_prom_index_read(const char *dir, char ***paths, size_t *n, struct an_err *err)
{
	static const char header[] = "name\tfile\tquery\tstart\tend\tstep";
	struct an_reader *r;
	char *path, *line;
	size_t len;
	int got, rc;

	*paths = NULL;
	*n = 0;
	if (asprintf(&path, "%s/%s", dir, AN_PROM_INDEX) < 0)
		return an_err_set(err, AN_ESYS, "out of memory");
	rc = an_reader_open(&r, path, err);
	free(path);
	if (rc != AN_OK)
		return rc;
	got = an_reader_getline(r, &line, &len, err);
	if (got > 0 && (len != sizeof header - 1 || memcmp(line, header, len) != 0))
		rc = an_err_set(err, AN_EDATA, "%s/%s:1: not an archive index: expected the header '%s'",
				dir, AN_PROM_INDEX, "name<TAB>file<TAB>query<TAB>start<TAB>end<TAB>step");
	else if (got == 0)
		rc = an_err_set(err, AN_EDATA, "%s/%s: empty archive index", dir, AN_PROM_INDEX);
	while (rc == AN_OK && got > 0 && (got = an_reader_getline(r, &line, &len, err)) > 0)
		rc = index_add(dir, line, len, an_reader_lineno(r), paths, n, err);
	if (rc == AN_OK && got < 0)
		rc = err ? err->status : AN_ESYS;
	an_reader_free(r);
	if (rc != AN_OK) {
		an_prom_paths_free(*paths, *n);
		*paths = NULL;
		*n = 0;
	}
	return rc;
}
