/* Unit tests of an_jtl: layouts, framing (fast path and libcsv), caps,
 * time specifications and filters. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "an_jtl.h"
#include "an_reader.h"
#include "unit.h"
#include "unit_reader.h"

/* A reader over `len` bytes of `s`, through a temporary file. */
static struct an_reader *reader_of(const char *s, size_t len)
{
	return unit_reader(s, len, "t.jtl");
}

struct fixture {
	struct an_reader *r;
	struct an_jtl *j;
	struct an_err err;
	int rc;
};

static void fx_open(struct fixture *fx, const char *s, const struct an_jtl_opts *o)
{
	fx->r = reader_of(s, strlen(s));
	fx->j = NULL;
	fx->rc = fx->r ? an_jtl_open(&fx->j, fx->r, o, &fx->err) : -1;
}

static void fx_close(struct fixture *fx)
{
	an_jtl_free(fx->j);
	an_reader_free(fx->r);
}

static void test_header_layout(void)
{
	struct fixture fx;
	struct an_jtl_sample s;
	size_t hl;

	fx_open(&fx, "\xef\xbb\xbflabel,elapsed,timeStamp,success\r\n\r\nA,12,1000,FALSE\r\n", NULL);
	CHECK(fx.rc == AN_OK);
	CHECK(an_jtl_header(fx.j, &hl) != NULL && hl == 36);
	CHECK(an_jtl_has(fx.j, AN_JTL_SUCCESS) && !an_jtl_has(fx.j, AN_JTL_URL));
	CHECK(an_jtl_next(fx.j, &s, &fx.err) == 1);
	CHECK(s.timestamp == 1000 && s.elapsed == 12 && !s.success && s.lineno == 3);
	CHECK_MEM(s.val[AN_JTL_LABEL], s.len[AN_JTL_LABEL], "A");
	CHECK_MEM(s.raw, s.raw_len, "A,12,1000,FALSE\r\n");
	CHECK(an_jtl_next(fx.j, &s, &fx.err) == 0);
	fx_close(&fx);
}

static void test_headerless_layouts(void)
{
	struct fixture fx;
	struct an_jtl_sample s;
	size_t hl;

	fx_open(&fx, "5,7,L,200,OK,T,text,true,99,1,1,6", NULL);
	CHECK(fx.rc == AN_OK && an_jtl_columns(fx.j) == 12);
	CHECK(an_jtl_header(fx.j, &hl) == NULL);
	CHECK(!an_jtl_has(fx.j, AN_JTL_SENT) && an_jtl_has(fx.j, AN_JTL_BYTES));
	CHECK(an_jtl_next(fx.j, &s, &fx.err) == 1 && s.bytes == 99 && s.success);
	CHECK_MEM(s.raw, s.raw_len, "5,7,L,200,OK,T,text,true,99,1,1,6");
	fx_close(&fx);
	fx_open(&fx, "5,7,L,200,OK,T,text,true,,99,12,1,1,http://u,6,0,1\n", NULL);
	CHECK(fx.rc == AN_OK && an_jtl_columns(fx.j) == 17);
	CHECK(an_jtl_next(fx.j, &s, &fx.err) == 1 && s.sent == 12);
	CHECK_MEM(s.val[AN_JTL_URL], s.len[AN_JTL_URL], "http://u");
	fx_close(&fx);
	fx_open(&fx, "5,7,L\n", NULL);
	CHECK(fx.rc == AN_EDATA && strstr(fx.err.msg, "t.jtl:1: no header line") != NULL);
	fx_close(&fx);
}

static void test_columns_option(void)
{
	struct an_jtl_opts o = { "elapsed,timeStamp,Hostname", 0, 0 };
	struct fixture fx;
	struct an_jtl_sample s;

	fx_open(&fx, "3,4,h\n", &o);
	CHECK(fx.rc == AN_OK && an_jtl_next(fx.j, &s, &fx.err) == 1);
	CHECK(s.elapsed == 3 && s.timestamp == 4 && s.success);
	fx_close(&fx);
	o.columns = "timeStamp,elapsed,elapsed";
	fx_open(&fx, "3,4,5\n", &o);
	CHECK(fx.rc == AN_EDATA);
	CHECK_STR(fx.err.msg, "duplicate column 'elapsed' in --columns");
	fx_close(&fx);
	o.columns = "timeStamp,label";
	fx_open(&fx, "3,4\n", &o);
	CHECK_STR(fx.err.msg, "no 'elapsed' column in --columns");
	fx_close(&fx);
}

static void test_quoted_multiline(void)
{
	const char *in = "timeStamp,elapsed,label,success\n"
			 "1,2,\"a,\"\"b\"\"\nc\",true\n"
			 "3,4,\"\",false\n";
	struct fixture fx;
	struct an_jtl_sample s;

	fx_open(&fx, in, NULL);
	CHECK(an_jtl_next(fx.j, &s, &fx.err) == 1);
	CHECK_MEM(s.val[AN_JTL_LABEL], s.len[AN_JTL_LABEL], "a,\"b\"\nc");
	CHECK_MEM(s.raw, s.raw_len, "1,2,\"a,\"\"b\"\"\nc\",true\n");
	CHECK(s.lineno == 2);
	CHECK(an_jtl_next(fx.j, &s, &fx.err) == 1);
	CHECK(s.lineno == 4 && s.len[AN_JTL_LABEL] == 0 && !s.success);
	CHECK(an_jtl_next(fx.j, &s, &fx.err) == 0);
	fx_close(&fx);
}

/* A quoted record that straddles the reader's 1 MiB chunks. */
static void test_quoted_across_chunks(void)
{
	size_t n = 3u << 20, pos = 0, rows = 0, seen = 0;
	char *in = malloc(n + 200);
	struct an_reader *r;
	struct an_jtl *j = NULL;
	struct an_jtl_sample s;
	struct an_err err;
	int rc, ok = 1;

	pos += (size_t)sprintf(in, "timeStamp,elapsed,label\n");
	while (pos < n) {
		if (rows % 5000 == 4999)
			pos += (size_t)sprintf(in + pos, "%zu,1,\"x\ny,%zu\"\n", rows, rows);
		else
			pos += (size_t)sprintf(in + pos, "%zu,1,plain\n", rows);
		rows++;
	}
	r = reader_of(in, pos);
	CHECK(r && an_jtl_open(&j, r, NULL, &err) == AN_OK);
	while (j && (rc = an_jtl_next(j, &s, &err)) == 1) {
		if (s.timestamp != (int64_t)seen)
			ok = 0;
		if (seen % 5000 == 4999 && (s.len[AN_JTL_LABEL] < 4 ||
					    memcmp(s.val[AN_JTL_LABEL], "x\ny,", 4) != 0))
			ok = 0;
		if (s.raw[s.raw_len - 1] != '\n')
			ok = 0;
		seen++;
	}
	CHECK(ok && seen == rows);
	an_jtl_free(j);
	an_reader_free(r);
	free(in);
}

static void test_bad_records(void)
{
	struct an_jtl_opts o = { NULL, 9, 0 };
	struct fixture fx;
	struct an_jtl_sample s;

	fx_open(&fx, "timeStamp,elapsed\n1,2\n1,abc\n", NULL);
	CHECK(an_jtl_next(fx.j, &s, &fx.err) == 1);
	CHECK(an_jtl_next(fx.j, &s, &fx.err) == -1);
	CHECK_STR(fx.err.msg, "t.jtl:3: elapsed is not a whole number: 'abc'");
	fx_close(&fx);
	fx_open(&fx, "timeStamp,elapsed\n1,\"2\n", NULL);
	CHECK(an_jtl_next(fx.j, &s, &fx.err) == -1);
	CHECK_STR(fx.err.msg, "t.jtl:2: unterminated quoted field at end of input");
	fx_close(&fx);
	fx_open(&fx, "timeStamp,elapsed\n1,\"2\"x\n", NULL);
	CHECK(an_jtl_next(fx.j, &s, &fx.err) == -1 && strstr(fx.err.msg, "malformed quoting"));
	fx_close(&fx);
	fx_open(&fx, "timeStamp,elapsed\n1,2,3\n", NULL);
	CHECK(an_jtl_next(fx.j, &s, &fx.err) == -1);
	CHECK_STR(fx.err.msg, "t.jtl:2: expected 2 fields, found 3");
	fx_close(&fx);
	fx_open(&fx, "timeStamp,elapsed\n1,\"1234567890\"\n", &o);
	CHECK(an_jtl_next(fx.j, &s, &fx.err) == -1);
	CHECK_STR(fx.err.msg, "t.jtl:2: field 2 longer than 9 bytes (the field cap)");
	fx_close(&fx);
	fx_open(&fx, "", NULL);
	CHECK(fx.rc == AN_EDATA && strstr(fx.err.msg, "empty input"));
	fx_close(&fx);
}

#define NOW_MS INT64_C(1795920603000)

/* One time grammar with an_timespec, plus +DURATION after the first sample. */
static void test_time_parse(void)
{
	struct an_jtl_time t;
	struct an_err err;
	int64_t ms;

	CHECK(an_jtl_time_parse("1795920603.1", NOW_MS, &t, &err) == AN_OK && !t.relative && t.ms == 1795920603100);
	CHECK(an_jtl_time_parse("2026-11-29T02:50:03.1Z", NOW_MS, &t, &err) == AN_OK && t.ms == 1795920603100);
	CHECK(an_jtl_time_parse("2026-11-29T03:50:03.100+01:00", NOW_MS, &t, &err) == AN_OK && t.ms == 1795920603100);
	CHECK(an_jtl_time_parse("1970-01-01T00:00:00Z", NOW_MS, &t, &err) == AN_OK && t.ms == 0);
	CHECK(an_jtl_time_parse("+40s", NOW_MS, &t, &err) == AN_OK && t.relative && t.ms == 40000);
	CHECK(an_jtl_time_parse("+1m30s", NOW_MS, &t, &err) == AN_OK && t.ms == 90000);
	CHECK(an_jtl_time_parse("+1.5m", NOW_MS, &t, &err) == AN_OK && t.ms == 90000);
	CHECK(an_jtl_time_parse("+250ms", NOW_MS, &t, &err) == AN_OK && t.ms == 250);
	CHECK(an_jtl_time_parse("+2", NOW_MS, &t, &err) == AN_OK && t.ms == 2000);
	CHECK(an_jtl_time_parse("+2d", NOW_MS, &t, &err) == AN_OK && t.ms == 172800000);
	CHECK(an_jtl_time_parse("-5s", NOW_MS, &t, &err) == AN_OK && !t.relative &&
	      t.ms == NOW_MS - 5000);
	CHECK(an_jtl_time_parse("now", NOW_MS, &t, &err) == AN_OK && t.ms == NOW_MS);
	CHECK(an_jtl_time_parse("+-5s", NOW_MS, &t, &err) == AN_EDATA);
	CHECK(an_jtl_time_parse("2026-02-31T00:00:00Z", NOW_MS, &t, &err) == AN_EDATA);
	CHECK(strstr(err.msg, "bad time '2026-02-31T00:00:00Z'") != NULL);
	CHECK(an_jtl_time_parse("2026-04-31T00:00:00Z", NOW_MS, &t, &err) == AN_EDATA);
	CHECK(an_jtl_time_parse("2026-02-29T00:00:00Z", NOW_MS, &t, &err) == AN_EDATA);
	CHECK(an_jtl_time_parse("2028-02-29T00:00:00Z", NOW_MS, &t, &err) == AN_OK);
	CHECK(an_jtl_time_parse("2026-13-01T00:00:00Z", NOW_MS, &t, &err) == AN_EDATA);
	CHECK(an_jtl_time_parse("2026-11-29T02:50:03", NOW_MS, &t, &err) == AN_EDATA);
	CHECK(an_jtl_time_parse("1e9", NOW_MS, &t, &err) == AN_EDATA);
	CHECK(an_jtl_interval_parse("10s", &ms, &err) == AN_OK && ms == 10000);
	CHECK(an_jtl_interval_parse("500ms", &ms, &err) == AN_OK && ms == 500);
	CHECK(an_jtl_interval_parse("1h", &ms, &err) == AN_OK && ms == 3600000);
	CHECK(an_jtl_interval_parse("0.5ms", &ms, &err) == AN_EDATA);
	CHECK(an_jtl_interval_parse("", &ms, &err) == AN_EDATA);
}

static void test_filter(void)
{
	struct an_jtl_filter_spec spec = { 10, 20, "^GET", "admin", "^2", NULL, NULL, 1, 0 };
	struct an_jtl_filter *f;
	struct an_jtl_sample s;
	struct an_err err;

	memset(&s, 0, sizeof s);
	CHECK(an_jtl_filter_new(&f, &spec, &err) == AN_OK);
	s.timestamp = 10;
	s.success = 1;
	s.val[AN_JTL_LABEL] = "GET /x";
	s.len[AN_JTL_LABEL] = 6;
	s.val[AN_JTL_CODE] = "204";
	s.len[AN_JTL_CODE] = 3;
	CHECK(an_jtl_filter_match(f, &s, &err) == 1);
	s.timestamp = 20;
	CHECK(an_jtl_filter_match(f, &s, &err) == 0);
	s.timestamp = 15;
	s.val[AN_JTL_LABEL] = "GET /admin";
	s.len[AN_JTL_LABEL] = 10;
	CHECK(an_jtl_filter_match(f, &s, &err) == 0);
	s.len[AN_JTL_LABEL] = 6;   /* "GET /a" */
	s.success = 0;
	CHECK(an_jtl_filter_match(f, &s, &err) == 0);
	an_jtl_filter_free(f);
	spec.label = "([";
	CHECK(an_jtl_filter_new(&f, &spec, &err) == AN_EDATA && f == NULL);
	CHECK(strstr(err.msg, "bad label regex '(['") == err.msg);
}

int main(void)
{
	RUN(test_header_layout);
	RUN(test_headerless_layouts);
	RUN(test_columns_option);
	RUN(test_quoted_multiline);
	RUN(test_quoted_across_chunks);
	RUN(test_bad_records);
	RUN(test_time_parse);
	RUN(test_filter);
	return unit_done();
}
