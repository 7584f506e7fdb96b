/* test_prom.c - query_range parsing, stitching, output and chunking. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_prom.h"
#include "an_text.h"
#include "unit.h"

static const char doc[] =
	"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
	"{\"metric\":{\"z\":\"1\",\"a\":\"x,y=\\\\\\t\"},\"values\":[[10,\"1.5\"],[20.5,\"NaN\"]]},"
	"{\"values\":[[10,\"+Inf\"],[30,\"-inf\"]],\"metric\":{}},"
	"{\"metric\":{\"a\":\"b\"},\"values\":[[10.001,\"2\"]]}]}}";

static const char doc_long[] =
	"query\tseries\ttime\tvalue\n"
	"q\t\t10\t+Inf\n"
	"q\t\t30\t-Inf\n"
	"q\ta=b\t10.001\t2\n"
	"q\ta=x\\,y\\=\\\\\\t,z=1\t10\t1.5\n"
	"q\ta=x\\,y\\=\\\\\\t,z=1\t20.5\tNaN\n";

/* Parse text into a new store (query "q"), fed `step` bytes at a time. */
static struct an_prom *parse(const char *text, size_t step, struct an_err *err, int *rc)
{
	struct an_prom *p;
	struct an_prom_parse *ps;
	size_t q, off, len = strlen(text);

	if (an_prom_new(&p, 0, err) || an_prom_query(p, "q", &q, err) ||
	    an_prom_parse_new(&ps, p, q, "t", NULL, NULL, err))
		abort();
	*rc = AN_OK;
	for (off = 0; *rc == AN_OK && off < len; off += step)
		*rc = an_prom_parse_feed(ps, text + off, len - off < step ? len - off : step, err);
	if (*rc == AN_OK)
		*rc = an_prom_parse_finish(ps, err);
	an_prom_parse_free(ps);
	return p;
}

static char *long_text(struct an_prom *p, size_t q, int *rc, struct an_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	an_prom_write_long_header(f);
	*rc = an_prom_write_long(p, q, f, err);
	fclose(f);
	return buf;
}

static void test_any_split(void)
{
	size_t step;

	for (step = 1; step <= sizeof doc; step++) {
		struct an_err err;
		int rc;
		struct an_prom *p = parse(doc, step, &err, &rc);
		char *out;

		CHECK(rc == AN_OK);
		out = long_text(p, 0, &rc, &err);
		CHECK(rc == AN_OK);
		CHECK_STR(out, doc_long);
		free(out);
		an_prom_free(p);
	}
}

/* The series escape is the one an_tsv_write_escaped writes. */
static void test_escape_matches_text(void)
{
	struct an_err err;
	int rc;
	struct an_prom *p = parse(doc, 4096, &err, &rc);
	char *buf = NULL, *out;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fputs("q\ta=", f);
	an_tsv_write_escaped(f, "x,y=\\\t", 6);
	fputs(",z=1\t10\t1.5\n", f);
	fclose(f);
	out = long_text(p, 0, &rc, &err);
	CHECK(strstr(out, buf) != NULL);
	free(out);
	free(buf);
	an_prom_free(p);
}

static void test_errors(void)
{
	static const struct { const char *doc, *msg; int status; } cases[] = {
		{ "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out\"}",
		  "t: prometheus error: timeout: query timed out", AN_ESYS },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
		  "resultType 'vector'", AN_EDATA },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"values\":[[1,\"1\"],[1,\"2\"]]}]}}",
		  "two points at time 1", AN_EDATA },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"values\":[[1]]}]}}",
		  "byte 74: not a query_range response: expected a string as the value", AN_EDATA },
		{ "{\"status\":\"success\",\"data\":", "premature EOF", AN_EDATA },
		{ "[1,2]", "expected a JSON object", AN_EDATA },
		{ "{\"status\":\"ok\"}", "unknown status 'ok'", AN_EDATA },
		{ "{\"status\":\"success\"} {}", "malformed JSON", AN_EDATA },
		{ "{\"status\":\"success\",\"data\":{\"result\":[{\"values\":[[1,\"\"]]}]}}", "bad value ''", AN_EDATA },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct an_err err;
		int rc;
		struct an_prom *p = parse(cases[i].doc, 7, &err, &rc);
		char *out;

		if (rc == AN_OK) {
			out = long_text(p, 0, &rc, &err);
			free(out);
		}
		CHECK(rc == cases[i].status);
		if (!strstr(err.msg, cases[i].msg))
			printf("  case %zu: %s\n", i, err.msg);
		CHECK(strstr(err.msg, cases[i].msg) != NULL);
		an_prom_free(p);
	}
}

static void test_memory_cap(void)
{
	struct an_prom *p;
	struct an_err err;
	size_t q;
	int rc;
	char *big = malloc(3 << 20), *s = big;
	int i;

	s += sprintf(s, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"values\":[");
	for (i = 0; i < 100000; i++)
		s += sprintf(s, "%s[%d,\"%d\"]", i ? "," : "", i, i);
	strcpy(s, "]}]}}");
	CHECK(an_prom_new(&p, 1 << 20, &err) == AN_OK);
	an_prom_query(p, "q", &q, &err);
	{
		struct an_prom_parse *ps;

		an_prom_parse_new(&ps, p, q, "big", NULL, NULL, &err);
		rc = an_prom_parse_feed(ps, big, strlen(big), &err);
		CHECK(rc == AN_ESYS);
		CHECK(strstr(err.msg, "memory cap of 1 MiB") != NULL);
		an_prom_parse_free(ps);
	}
	an_prom_free(p);
	free(big);
}

/* Chunks cover exactly the evaluation times of the unsplit range. */
static void test_chunks(void)
{
	static const struct { int64_t start, end, step; uint64_t max; } cases[] = {
		{ 0, 0, 1000, 11000 }, { 1000, 11000 * 1000, 1000, 11000 },
		{ 1000, 11000 * 1000 + 1000, 1000, 11000 }, { 7, 100000, 15000, 3 },
		{ 500, 500 + 29 * 250, 250, 10 }, { 0, 12345, 1000, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t n, k, seen = 0;
		int64_t expect = cases[i].start, cs, ce, t;
		struct an_err err;

		CHECK(an_prom_chunk_count(cases[i].start, cases[i].end, cases[i].step,
					  cases[i].max, &n, &err) == AN_OK);
		for (k = 0; k < n; k++) {
			an_prom_chunk(cases[i].start, cases[i].end, cases[i].step, cases[i].max,
				      k, &cs, &ce);
			CHECK(ce <= cases[i].end);
			for (t = cs; t <= ce; t += cases[i].step) {
				CHECK(t == expect);
				expect += cases[i].step;
				seen++;
			}
			CHECK(seen <= (k + 1) * cases[i].max);
		}
		CHECK(expect > cases[i].end && expect - cases[i].step <= cases[i].end);
	}
	{
		uint64_t n;
		struct an_err err;

		CHECK(an_prom_chunk_count(0, 22000 * 1000 - 1000, 1000, 11000, &n, &err) == AN_OK && n == 2);
		CHECK(an_prom_chunk_count(0, 22000 * 1000, 1000, 11000, &n, &err) == AN_OK && n == 3);
		CHECK(an_prom_chunk_count(10, 0, 1000, 11000, &n, &err) == AN_EDATA);
		CHECK(an_prom_chunk_count(0, 10, 0, 11000, &n, &err) == AN_EDATA);
	}
}

static void test_stitch_and_wide(void)
{
	static const char *parts[] = {
		"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"p\":\"b\"},\"values\":[[3,\"3\"]]},{\"metric\":{\"p\":\"a\"},\"values\":[[4,\"4\"]]}]}}",
		"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"p\":\"a\"},\"values\":[[1,\"1\"],[2,\"2\"]]}]}}",
	};
	struct an_prom *p;
	struct an_prom_parse *ps;
	struct an_err err;
	size_t q, i;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	an_prom_new(&p, 0, &err);
	an_prom_query(p, "x", &q, &err);
	for (i = 0; i < 2; i++) {
		an_prom_parse_new(&ps, p, q, "part", NULL, NULL, &err);
		CHECK(an_prom_parse_feed(ps, parts[i], strlen(parts[i]), &err) == AN_OK);
		CHECK(an_prom_parse_finish(ps, &err) == AN_OK);
		an_prom_parse_free(ps);
	}
	CHECK(an_prom_series_count(p, q) == 2);
	f = open_memstream(&buf, &len);
	CHECK(an_prom_write_wide(p, f, &err) == AN_OK);
	fclose(f);
	CHECK_STR(buf, "time\tx{p=a}\tx{p=b}\n1\t1\tNaN\n2\t2\tNaN\n3\tNaN\t3\n4\t4\tNaN\n");
	free(buf);
	an_prom_query_release(p, q);
	CHECK(an_prom_series_count(p, q) == 0);
	an_prom_free(p);
}

static void test_names(void)
{
	char b[64];
	struct an_err err;

	CHECK_STR(an_prom_name_from_path(b, sizeof b, "a/b/p99_by_pod.json"), "p99_by_pod");
	CHECK_STR(an_prom_name_from_path(b, sizeof b, "lat.part12.json"), "lat");
	CHECK_STR(an_prom_name_from_path(b, sizeof b, "lat.part0.json.gz"), "lat");
	CHECK_STR(an_prom_name_from_path(b, sizeof b, "lat.part.json"), "lat.part");
	CHECK_STR(an_prom_name_from_path(b, sizeof b, "x.json.txt"), "x.json.txt");
	CHECK_STR(an_prom_name_from_path(b, sizeof b, ".json"), ".json");
	CHECK(an_prom_name_check("p99_by-pod:x", &err) == AN_OK);
	CHECK(an_prom_name_check("", &err) == AN_EDATA);
	CHECK(an_prom_name_check("a/b", &err) == AN_EDATA);
	CHECK(an_prom_name_check("a.b", &err) == AN_EDATA);
}

int main(void)
{
	RUN(test_any_split);
	RUN(test_escape_matches_text);
	RUN(test_errors);
	RUN(test_memory_cap);
	RUN(test_chunks);
	RUN(test_stitch_and_wide);
	RUN(test_names);
	return unit_done();
}
