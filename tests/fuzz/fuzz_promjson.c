/*
 * fuzz_promjson.c - the query_range parser and writers on arbitrary bytes.
 *
 * Input: the first byte picks the feed size (so splits at every position
 * are explored), the rest is the response.  Invariants checked: every
 * failure is a status with a message; a parse that succeeds writes long
 * output whose rows all have four fields and whose header comes first;
 * wide output has as many fields on every row as on its header.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_prom.h"

static size_t count_fields(const char *s, size_t len)
{
	size_t n = 1, i;

	for (i = 0; i < len; i++)
		n += s[i] == '\t';
	return n;
}

/* Every line of text has `want` fields (0: as many as the first line). */
static void check_lines(const char *text, size_t len, size_t want)
{
	const char *p = text, *end = text + len;

	if (len == 0 || text[len - 1] != '\n')
		abort();
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = count_fields(p, (size_t)(nl - p));

		if (want == 0)
			want = n;
		if (n != want)
			abort();
		p = nl + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct an_prom *p;
	struct an_prom_parse *ps;
	struct an_err err;
	size_t q, step, off;
	int rc = AN_OK;

	if (size < 1)
		return 0;
	step = (size_t)data[0] + 1;
	data++;
	size--;
	if (an_prom_new(&p, 64 << 20, &err) != AN_OK || an_prom_query(p, "q", &q, &err) != AN_OK ||
	    an_prom_parse_new(&ps, p, q, "fuzz", NULL, NULL, &err) != AN_OK)
		abort();
	for (off = 0; rc == AN_OK && off < size; off += step)
		rc = an_prom_parse_feed(ps, data + off, size - off < step ? size - off : step, &err);
	if (rc == AN_OK)
		rc = an_prom_parse_finish(ps, &err);
	an_prom_parse_free(ps);
	if (rc != AN_OK && (rc != (int)err.status || err.msg[0] == '\0'))
		abort();
	if (rc == AN_OK) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		if (!f)
			abort();
		rc = an_prom_write_wide(p, f, &err);
		fclose(f);
		if (rc == AN_OK)
			check_lines(buf, len, 0);
		else if (rc != AN_EDATA || !strstr(err.msg, "two points"))
			abort();
		free(buf);
		buf = NULL;
		f = open_memstream(&buf, &len);
		an_prom_write_long_header(f);
		rc = an_prom_write_long(p, q, f, &err);
		fclose(f);
		if (rc == AN_OK)
			check_lines(buf, len, 4);
		free(buf);
	}
	an_prom_free(p);
	return 0;
}
