/*
 * an_prom_names.c - query names: checked, taken from file names, read
 * from a queries file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "an_prom.h"

char *an_prom_name_from_path(char *out, size_t outsz, const char *path)
{
	const char *b = strrchr(path, '/');
	size_t len, k;

	b = b ? b + 1 : path;
	len = strlen(b);
	if (len > 8 && strcmp(b + len - 8, ".json.gz") == 0)
		len -= 8;
	else if (len > 5 && strcmp(b + len - 5, ".json") == 0)
		len -= 5;
	/* ".partK" */
	for (k = len; k > 0 && b[k - 1] >= '0' && b[k - 1] <= '9'; k--)
		;
	if (k < len && k > 5 && memcmp(b + k - 5, ".part", 5) == 0)
		len = k - 5;
	snprintf(out, outsz, "%.*s", (int)len, b);
	return out;
}

int an_prom_name_check(const char *name, struct an_err *err)
{
	size_t i, len = strlen(name);
	char q[80];

	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == ':'))
			break;
	}
	if (len > 0 && len <= 200 && i == len)
		return AN_OK;
	return an_err_set(err, AN_EDATA,
			  "bad query name '%s': expected 1 to 200 letters, digits, '_', '-' or ':'",
			  an_err_quote(q, sizeof q, name, len));
}


int an_prom_queries_next(struct an_reader *r, char **name, char **expr, struct an_err *err)
{
	char *line, *tab;
	size_t len;
	int got;

	while ((got = an_reader_getline(r, &line, &len, err)) > 0) {
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (len == 0 || line[0] == '#')
			continue;
		tab = memchr(line, '\t', len);
		if (!tab || tab + 1 == line + len) {
			an_err_set(err, AN_EDATA, "%s:%llu: expected NAME<TAB>EXPR",
				   an_reader_name(r), (unsigned long long)an_reader_lineno(r));
			return -1;
		}
		*name = strndup(line, (size_t)(tab - line));
		*expr = strndup(tab + 1, len - (size_t)(tab + 1 - line));
		if (!*name || !*expr) {
			free(*name);
			free(*expr);
			an_err_set(err, AN_ESYS, "out of memory");
			return -1;
		}
		if (an_prom_name_check(*name, err) == AN_OK)
			return 1;
		free(*name);
		free(*expr);
		an_err_prefix(err, "%s:%llu", an_reader_name(r),
			      (unsigned long long)an_reader_lineno(r));
		return -1;
	}
	return got;
}
