/* Unit tests of an_heatmap: bucketing, edges of seconds and buckets, the
 * caps, the samples reader's errors and the JSON string escaping. */
#include <stdint.h>
#include <stdlib.h>

#include "an_heatmap.h"
#include "an_reader.h"
#include "unit.h"
#include "unit_reader.h"

static int add(struct an_heatmap *h, int64_t ms, uint64_t w, const char *stack,
	       struct an_err *e)
{
	return an_heatmap_add(h, ms, w, stack, strlen(stack), e);
}

static void test_heatmap_buckets(void)
{
	struct an_heatmap *h = an_heatmap_new(50, 0, 0);
	struct an_err e;

	CHECK(h != NULL);
	/* 20 ms buckets: 0..19 row 0, 20 row 1, 999 row 49 */
	CHECK(add(h, 1000000, 1, "a;b", &e) == AN_OK);
	CHECK(add(h, 1000019, 2, "a;b", &e) == AN_OK);
	CHECK(add(h, 1000020, 4, "a", &e) == AN_OK);
	CHECK(add(h, 1000999, 8, "a;c", &e) == AN_OK);
	CHECK(add(h, 1003000, 16, "a;b", &e) == AN_OK);
	CHECK(add(h, 1000000, 32, "a;b", &e) == AN_OK);	/* unsorted: merged at finish */
	CHECK(an_heatmap_finish(h, &e) == AN_OK);
	CHECK(an_heatmap_first_second(h) == 1000);
	CHECK(an_heatmap_ncols(h) == 4);
	CHECK(an_heatmap_cell(h, 0, 0) == 35);
	CHECK(an_heatmap_cell(h, 0, 1) == 4);
	CHECK(an_heatmap_cell(h, 0, 49) == 8);
	CHECK(an_heatmap_cell(h, 1, 0) == 0);
	CHECK(an_heatmap_cell(h, 3, 0) == 16);
	CHECK(an_heatmap_cell(h, 4, 0) == 0);	/* outside */
	CHECK(an_heatmap_cell(h, 0, 50) == 0);
	CHECK(an_heatmap_total(h) == 63);
	CHECK(an_heatmap_events(h) == 6);
	CHECK(an_heatmap_nframes(h) == 3);	/* a b c */
	CHECK(an_heatmap_nnodes(h) == 3);	/* a, a;b, a;c */
	an_heatmap_free(h);
}

static void test_heatmap_rows(void)
{
	struct an_heatmap *h;
	struct an_err e;

	CHECK(an_heatmap_new(0, 0, 0) == NULL);
	CHECK(an_heatmap_new(3, 0, 0) == NULL);
	CHECK(an_heatmap_new(1001, 0, 0) == NULL);
	h = an_heatmap_new(1000, 0, 0);
	CHECK(add(h, 5999, 1, "x", &e) == AN_OK);
	CHECK(an_heatmap_finish(h, &e) == AN_OK);
	CHECK(an_heatmap_cell(h, 0, 999) == 1);
	an_heatmap_free(h);
	h = an_heatmap_new(1, 0, 0);
	CHECK(add(h, 0, 1, "x", &e) == AN_OK);	/* time 0 is valid */
	CHECK(add(h, 999, 1, "x", &e) == AN_OK);
	CHECK(an_heatmap_finish(h, &e) == AN_OK);
	CHECK(an_heatmap_cell(h, 0, 0) == 2);
	an_heatmap_free(h);
}

static void test_heatmap_errors(void)
{
	struct an_heatmap *h = an_heatmap_new(50, 0, 0);
	struct an_err e;

	CHECK(add(h, -1, 1, "x", &e) == AN_EDATA);
	CHECK(add(h, 1000, 1, "", &e) == AN_EDATA);
	CHECK_STR(e.msg, "empty stack");
	CHECK(add(h, 1000, 1, "a;;b", &e) == AN_EDATA);
	CHECK_STR(e.msg, "empty frame in the stack");
	CHECK(add(h, 1000, 1, ";a", &e) == AN_EDATA);
	CHECK(add(h, 1000, 1, "a;", &e) == AN_EDATA);
	/* span: 32000 columns at most */
	CHECK(add(h, 1000, 1, "a", &e) == AN_OK);
	CHECK(add(h, 1000 + (int64_t)(AN_HEATMAP_COLS_MAX - 1) * 1000 + 999, 1, "a", &e) == AN_OK);
	CHECK(add(h, 1000 + (int64_t)AN_HEATMAP_COLS_MAX * 1000, 1, "a", &e) == AN_EDATA);
	CHECK(strstr(e.msg, "over the cap of 32000 s") != NULL);
	CHECK(add(h, 999, 1, "a", &e) == AN_EDATA);
	/* total weight: 2^53 - 1 at most */
	CHECK(add(h, 2000, AN_HEATMAP_WEIGHT_MAX - 2, "a", &e) == AN_OK);
	CHECK(add(h, 2000, 1, "a", &e) == AN_EDATA);
	CHECK(strstr(e.msg, "2^53 - 1") != NULL);
	CHECK(add(h, 2000, UINT64_MAX, "a", &e) == AN_EDATA);
	CHECK(add(h, 2000, 0, "a", &e) == AN_OK);
	CHECK(an_heatmap_total(h) == AN_HEATMAP_WEIGHT_MAX - 2 + 2);
	an_heatmap_free(h);
}

static void test_heatmap_caps(void)
{
	struct an_heatmap *h = an_heatmap_new(50, 4, 3);
	struct an_err e;
	int i;

	CHECK(add(h, 1000, 1, "a;b;c;d", &e) == AN_OK);	/* 4 nodes, 4 frames */
	CHECK(add(h, 1000, 1, "a;b;c;e", &e) == AN_EDATA);
	CHECK(strstr(e.msg, "over 4 distinct frame names (the cap)") != NULL);
	an_heatmap_free(h);
	/* pairs: merging repeated pairs keeps under the cap; new ones exceed it */
	h = an_heatmap_new(50, 0, 3);
	for (i = 0; i < 5000; i++)
		CHECK(add(h, 1000 + (i % 3) * 20, 1, "a", &e) == AN_OK);
	CHECK(an_heatmap_finish(h, &e) == AN_OK);
	CHECK(an_heatmap_cell(h, 0, 0) == 1667);
	CHECK(an_heatmap_cell(h, 0, 2) == 1666);
	for (i = 0; i < 5000 && add(h, 1000 + (i % 5) * 20, 1, "a", &e) == AN_OK; i++)
		;
	CHECK(i < 5000);
	CHECK(strstr(e.msg, "over 3 distinct (second, bucket, stack) cells") != NULL);
	an_heatmap_free(h);
	h = an_heatmap_new(50, 0, 1000);
	for (i = 0; i < 1001; i++)
		add(h, 1000 + (int64_t)i * 20, 1, "a", &e);
	CHECK(an_heatmap_finish(h, &e) == AN_EDATA);
	an_heatmap_free(h);
}

static int read_str(const char *s, struct an_heatmap **hp, struct an_err *e)
{
	struct an_reader *r = unit_reader(s, strlen(s), "s.tsv");
	int rc;

	*hp = an_heatmap_new(50, 0, 0);
	rc = an_heatmap_read(*hp, r, e);
	an_reader_free(r);
	return rc;
}

static void test_heatmap_read(void)
{
	struct an_heatmap *h;
	struct an_err e;

	CHECK(read_str("stack\tx\tweight\ttime\na\\tb;c\\\\d\t?\t3\t10.0205\n"
		       "a\\tb\t?\t0\t10.9995\n", &h, &e) == AN_OK);
	CHECK(an_heatmap_finish(h, &e) == AN_OK);
	CHECK(an_heatmap_cell(h, 0, 1) == 3);	/* .0205 rounds to .021 */
	CHECK(an_heatmap_ncols(h) == 2);	/* .9995 rounds to 11.000 */
	CHECK(an_heatmap_nframes(h) == 2);
	an_heatmap_free(h);
#define BAD(in, want) do { \
	CHECK(read_str(in, &h, &e) == AN_EDATA); \
	CHECK_STR(e.msg, want); \
	an_heatmap_free(h); } while (0)
	BAD("time\tstack\n1\ta\n",
	    "s.tsv:1: no 'weight' column in the header (columns: time, stack)");
	BAD("time\tweight\tstack\nx\t1\ta\n",
	    "s.tsv:2: column 'time': 'x' is not a time in epoch seconds (0 to 253402300799.999)");
	BAD("time\tweight\tstack\n-1\t1\ta\n",
	    "s.tsv:2: column 'time': '-1' is not a time in epoch seconds (0 to 253402300799.999)");
	BAD("time\tweight\tstack\nNaN\t1\ta\n",
	    "s.tsv:2: column 'time': 'NaN' is not a time in epoch seconds (0 to 253402300799.999)");
	BAD("time\tweight\tstack\n1e300\t1\ta\n",
	    "s.tsv:2: column 'time': '1e300' is not a time in epoch seconds (0 to 253402300799.999)");
	BAD("time\tweight\tstack\n1\t-1\ta\n",
	    "s.tsv:2: column 'weight': '-1' is not a non-negative integer");
	BAD("time\tweight\tstack\n1\t1.5\ta\n",
	    "s.tsv:2: column 'weight': '1.5' is not a non-negative integer");
	BAD("time\tweight\tstack\n1\t18446744073709551616\ta\n",
	    "s.tsv:2: column 'weight': '18446744073709551616' is over 64 bits");
	BAD("time\tweight\tstack\n1\t1\ta\\xb\n",
	    "s.tsv:2: column 'stack': bad escape in 'a\\\\xb' (only \\\\ \\t \\r \\n)");
	BAD("time\tweight\tstack\n1\t1\ta\\\n",
	    "s.tsv:2: column 'stack': bad escape in 'a\\\\' (only \\\\ \\t \\r \\n)");
	BAD("time\tweight\tstack\n1\t1\t\n", "s.tsv:2: empty stack");
	BAD("time\tweight\tstack\n1\t1\n", "s.tsv:2: row has 2 fields, the header has 3");
	BAD("", "s.tsv: empty input: expected a header line");
}

static void test_heatmap_windows(void)
{
	struct an_heatmap *h = an_heatmap_new(50, 0, 0);
	struct an_reader *r;
	struct an_err e;
	const char *ok = "series\tstart\tend\tpeak\npod=a\\,b\t10\t20.5\t1\n";
	const char *bad = "series\tstart\tend\npod=a\t20\t10\n";

	r = unit_reader(ok, strlen(ok), "w.tsv");
	CHECK(an_heatmap_read_windows(h, r, &e) == AN_OK);
	an_reader_free(r);
	r = unit_reader(bad, strlen(bad), "w.tsv");
	CHECK(an_heatmap_read_windows(h, r, &e) == AN_EDATA);
	CHECK_STR(e.msg, "w.tsv:2: the window ends before it starts");
	an_reader_free(r);
	an_heatmap_free(h);
}

static void test_heatmap_json(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	an_heatmap_json_string(f, "</script>\"\\\x01\t&\xe2\x80\xa8\xff\xc3\xa9", 20);
	fclose(f);
	CHECK_STR(buf, "\"\\u003c/script\\u003e\\\"\\\\\\u0001\\u0009\\u0026\\u2028\\ufffd\xc3\xa9\"");
	free(buf);
}

int main(void)
{
	RUN(test_heatmap_buckets);
	RUN(test_heatmap_rows);
	RUN(test_heatmap_errors);
	RUN(test_heatmap_caps);
	RUN(test_heatmap_read);
	RUN(test_heatmap_windows);
	RUN(test_heatmap_json);
	return unit_done();
}
