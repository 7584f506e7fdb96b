/* an_tsv.c - header-driven TSV reader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_text.h"
#include "an_tsv.h"

struct an_tsv {
	struct an_reader *r;
	size_t ncols;
	char **names;		/* ncols NUL-terminated column names */
	char **field;		/* current row: field starts */
	size_t *flen;		/* current row: field lengths */
	char *scratch;		/* copy of a field for escape checks */
	size_t scratch_cap;
};

/* Next non-blank line without its trailing '\r'; 1, 0 at end, -1 error. */
static int next_line(struct an_tsv *t, char **line, size_t *len,
		     struct an_err *err)
{
	int rc;

	while ((rc = an_reader_getline(t->r, line, len, err)) == 1) {
		if (*len && (*line)[*len - 1] == '\r')
			(*len)--;
		if (*len)
			return 1;
	}
	return rc;
}

static size_t count_fields(const char *s, size_t len)
{
	size_t n = 1;
	const char *p = s, *end = s + len;

	while ((p = memchr(p, '\t', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/* Split into t->field/t->flen; the caller checked the count. */
static void split(struct an_tsv *t, char *s, size_t len)
{
	char *p = s, *end = s + len;
	size_t i;

	for (i = 0; i < t->ncols; i++) {
		char *tab = memchr(p, '\t', (size_t)(end - p));
		char *fend = tab ? tab : end;

		t->field[i] = p;
		t->flen[i] = (size_t)(fend - p);
		p = fend + 1;
	}
}

static int header_err(struct an_tsv *t, struct an_err *err, const char *what,
		      const char *s, size_t len)
{
	char q[96];

	return an_err_set(err, AN_EDATA, "%s:1: %s '%s' in the header",
			  an_reader_name(t->r), what,
			  an_err_quote(q, sizeof q, s, len));
}

static int read_header(struct an_tsv *t, struct an_err *err)
{
	char *line;
	size_t len, i, j;
	int rc = next_line(t, &line, &len, err);

	if (rc < 0)
		return err->status;
	if (rc == 0)
		return an_err_set(err, AN_EDATA, "%s: empty input: expected a "
				  "header line", an_reader_name(t->r));
	t->ncols = count_fields(line, len);
	if (t->ncols > AN_TSV_COLS_MAX)
		return an_err_set(err, AN_EDATA, "%s:1: header has %zu columns, "
				  "more than the cap of %d", an_reader_name(t->r),
				  t->ncols, AN_TSV_COLS_MAX);
	t->names = calloc(t->ncols, sizeof *t->names);
	t->field = calloc(t->ncols, sizeof *t->field);
	t->flen = calloc(t->ncols, sizeof *t->flen);
	if (!t->names || !t->field || !t->flen)
		return an_err_set(err, AN_ESYS, "out of memory");
	split(t, line, len);
	for (i = 0; i < t->ncols; i++) {
		if (t->flen[i] == 0)
			return header_err(t, err, "empty column name", "", 0);
		for (j = 0; j < i; j++)
			if (strlen(t->names[j]) == t->flen[i] &&
			    memcmp(t->names[j], t->field[i], t->flen[i]) == 0)
				return header_err(t, err, "duplicate column",
						  t->field[i], t->flen[i]);
		t->names[i] = malloc(t->flen[i] + 1);
		if (!t->names[i])
			return an_err_set(err, AN_ESYS, "out of memory");
		memcpy(t->names[i], t->field[i], t->flen[i]);
		t->names[i][t->flen[i]] = '\0';
	}
	return AN_OK;
}

int an_tsv_open(struct an_tsv **out, struct an_reader *r, struct an_err *err)
{
	struct an_tsv *t = calloc(1, sizeof *t);

	*out = NULL;
	if (!t)
		return an_err_set(err, AN_ESYS, "out of memory");
	t->r = r;
	if (read_header(t, err) != AN_OK) {
		an_tsv_free(t);
		return err->status;
	}
	*out = t;
	return AN_OK;
}

void an_tsv_free(struct an_tsv *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; t->names && i < t->ncols; i++)
		free(t->names[i]);
	free(t->names);
	free(t->field);
	free(t->flen);
	free(t->scratch);
	free(t);
}

size_t an_tsv_ncols(const struct an_tsv *t)
{
	return t->ncols;
}

const char *an_tsv_colname(const struct an_tsv *t, size_t i)
{
	return t->names[i];
}

int an_tsv_col(const struct an_tsv *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->names[i], name) == 0)
			return (int)i;
	return -1;
}

int an_tsv_col_need(const struct an_tsv *t, const char *name, struct an_err *err)
{
	char list[512], q[96];
	size_t i, used = 0;
	int c = an_tsv_col(t, name);

	if (c >= 0)
		return c;
	list[0] = '\0';
	for (i = 0; i < t->ncols && used + 4 < sizeof list; i++) {
		int n = snprintf(list + used, sizeof list - used, "%s%s",
				 i ? ", " : "", an_err_quote(q, sizeof q, t->names[i],
							     strlen(t->names[i])));

		used = n < 0 ? used : used + (size_t)n;
	}
	if (used >= sizeof list)
		strcpy(list + sizeof list - 4, "...");
	an_err_set(err, AN_EDATA, "%s:1: no '%s' column in the header "
		   "(columns: %s)", an_reader_name(t->r),
		   an_err_quote(q, sizeof q, name, strlen(name)), list);
	return -1;
}

int an_tsv_next(struct an_tsv *t, struct an_err *err)
{
	char *line;
	size_t len, n;
	int rc = next_line(t, &line, &len, err);

	if (rc <= 0)
		return rc;
	n = count_fields(line, len);
	if (n != t->ncols) {
		an_err_set(err, AN_EDATA, "%s:%llu: row has %zu field%s, the "
			   "header has %zu", an_reader_name(t->r),
			   (unsigned long long)an_reader_lineno(t->r), n,
			   n == 1 ? "" : "s", t->ncols);
		return -1;
	}
	split(t, line, len);
	return 1;
}

char *an_tsv_field(const struct an_tsv *t, size_t i, size_t *len)
{
	*len = t->flen[i];
	return t->field[i];
}

int an_tsv_field_double(const struct an_tsv *t, size_t i, double *out,
			struct an_err *err)
{
	char q[96];

	if (an_num_parse_double(t->field[i], t->flen[i], out) == 0)
		return AN_OK;
	return an_err_set(err, AN_EDATA, "%s:%llu: column '%s': '%s' is not a "
			  "number", an_reader_name(t->r),
			  (unsigned long long)an_reader_lineno(t->r), t->names[i],
			  an_err_quote(q, sizeof q, t->field[i], t->flen[i]));
}

int an_tsv_field_check_escapes(struct an_tsv *t, size_t i, struct an_err *err)
{
	char q[96];
	size_t len = t->flen[i];

	if (!memchr(t->field[i], '\\', len))
		return AN_OK;
	if (len > t->scratch_cap) {
		char *p = realloc(t->scratch, len);

		if (!p)
			return an_err_set(err, AN_ESYS, "out of memory");
		t->scratch = p;
		t->scratch_cap = len;
	}
	memcpy(t->scratch, t->field[i], len);
	if (an_tsv_unescape(t->scratch, len) != (size_t)-1)
		return AN_OK;
	return an_err_set(err, AN_EDATA, "%s:%llu: column '%s': bad escape in "
			  "'%s'", an_reader_name(t->r),
			  (unsigned long long)an_reader_lineno(t->r), t->names[i],
			  an_err_quote(q, sizeof q, t->field[i], len));
}

uint64_t an_tsv_lineno(const struct an_tsv *t)
{
	return an_reader_lineno(t->r);
}

const char *an_tsv_name(const struct an_tsv *t)
{
	return an_reader_name(t->r);
}
