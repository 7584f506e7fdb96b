/* Unit tests of an_tsv (header, rows, fields, caps) and an_series
 * (grouping, sorting, queries, errors). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "an_reader.h"
#include "an_series.h"
#include "an_tsv.h"
#include "unit.h"
#include "unit_reader.h"

/* A reader over the string s, through a temporary file. */
static struct an_reader *reader_of(const char *s)
{
	return unit_reader(s, strlen(s), "t.tsv");
}

static void test_tsv_rows(void)
{
	struct an_reader *r = reader_of("a\tb\tc\r\n1\t\tx\n\n2\t3\t\n");
	struct an_tsv *t;
	struct an_err e;
	size_t len;
	char *f;

	CHECK(an_tsv_open(&t, r, &e) == AN_OK);
	CHECK(an_tsv_ncols(t) == 3);
	CHECK_STR(an_tsv_colname(t, 2), "c");
	CHECK(an_tsv_col(t, "b") == 1);
	CHECK(an_tsv_col(t, "d") == -1);
	CHECK(an_tsv_next(t, &e) == 1);
	f = an_tsv_field(t, 1, &len);
	CHECK(len == 0);
	f = an_tsv_field(t, 2, &len);
	CHECK_MEM(f, len, "x");
	CHECK(an_tsv_next(t, &e) == 1);	/* blank line skipped */
	CHECK(an_tsv_lineno(t) == 4);
	f = an_tsv_field(t, 2, &len);
	CHECK(len == 0);
	CHECK(an_tsv_next(t, &e) == 0);
	an_tsv_free(t);
	an_reader_free(r);
}

static void test_tsv_header_errors(void)
{
	const char *bad[] = { "", "\n\n", "a\t\tb\n", "a\tb\ta\n" };
	const char *msg[] = {
		"t.tsv: empty input: expected a header line",
		"t.tsv: empty input: expected a header line",
		"t.tsv:1: empty column name '' in the header",
		"t.tsv:1: duplicate column 'a' in the header"
	};
	size_t i;

	for (i = 0; i < 4; i++) {
		struct an_reader *r = reader_of(bad[i]);
		struct an_tsv *t = NULL;
		struct an_err e;

		CHECK(an_tsv_open(&t, r, &e) == AN_EDATA);
		CHECK(t == NULL);
		CHECK_STR(e.msg, msg[i]);
		an_reader_free(r);
	}
}

static void test_tsv_cols_cap(void)
{
	size_t n = AN_TSV_COLS_MAX + 1, i;
	char *s = malloc(n * 8 + 2), *p = s;
	struct an_reader *r;
	struct an_tsv *t;
	struct an_err e;

	for (i = 0; i < n; i++)
		p += sprintf(p, "%sc%zu", i ? "\t" : "", i);
	strcpy(p, "\n");
	r = reader_of(s);
	CHECK(an_tsv_open(&t, r, &e) == AN_EDATA);
	CHECK(strstr(e.msg, "more than the cap of 4096") != NULL);
	an_reader_free(r);
	free(s);
}

static void test_tsv_fields(void)
{
	struct an_reader *r = reader_of("value\ts\n1e3\ta\\,b\\=c\n-Inf\tx\\\n+1.5\\\t\\q\nabc\ty\n");
	struct an_tsv *t;
	struct an_err e;
	double v;

	CHECK(an_tsv_open(&t, r, &e) == AN_OK);
	CHECK(an_tsv_next(t, &e) == 1);
	CHECK(an_tsv_field_double(t, 0, &v, &e) == AN_OK && v == 1000);
	CHECK(an_tsv_field_check_escapes(t, 1, &e) == AN_OK);
	CHECK(an_tsv_next(t, &e) == 1);
	CHECK(an_tsv_field_double(t, 0, &v, &e) == AN_OK && isinf(v) && v < 0);
	CHECK(an_tsv_field_check_escapes(t, 1, &e) == AN_EDATA);
	CHECK_STR(e.msg, "t.tsv:3: column 's': bad escape in 'x\\\\'");
	CHECK(an_tsv_next(t, &e) == 1);
	CHECK(an_tsv_field_double(t, 0, &v, &e) == AN_EDATA);
	CHECK(an_tsv_field_check_escapes(t, 1, &e) == AN_EDATA);
	CHECK(an_tsv_next(t, &e) == 1);
	CHECK(an_tsv_field_double(t, 0, &v, &e) == AN_EDATA);
	CHECK_STR(e.msg, "t.tsv:5: column 'value': 'abc' is not a number");
	an_tsv_free(t);
	an_reader_free(r);
}

static void test_tsv_ragged_and_need(void)
{
	struct an_reader *r = reader_of("a\tb\n1\t2\t3\n");
	struct an_tsv *t;
	struct an_err e;

	CHECK(an_tsv_open(&t, r, &e) == AN_OK);
	CHECK(an_tsv_col_need(t, "time", &e) == -1);
	CHECK_STR(e.msg, "t.tsv:1: no 'time' column in the header (columns: a, b)");
	CHECK(an_tsv_next(t, &e) == -1);
	CHECK_STR(e.msg, "t.tsv:2: row has 3 fields, the header has 2");
	an_tsv_free(t);
	an_reader_free(r);
}

static void test_tsv_line_cap(void)
{
	struct an_reader *r = reader_of("a\n0123456789\n");
	struct an_tsv *t;
	struct an_err e;

	an_reader_set_line_max(r, 8);
	CHECK(an_tsv_open(&t, r, &e) == AN_OK);
	CHECK(an_tsv_next(t, &e) == -1);
	CHECK(e.status == AN_EDATA);
	an_tsv_free(t);
	an_reader_free(r);
}

static int read_set(struct an_series_set *set, const char *s,
		    const struct an_series_opts *o, struct an_err *e)
{
	struct an_reader *r = reader_of(s);
	int rc = an_series_read(set, r, o, e);

	an_reader_free(r);
	return rc;
}

static void test_series_group_sort(void)
{
	struct an_series_set set;
	struct an_err e;
	const struct an_series *s;

	an_series_set_init(&set, 0);
	CHECK(read_set(&set, "time\tseries\tvalue\n3\tpod=b\t1\n1\tpod=b\tNaN\n"
		       "2\tpod=a\t5\n2\tpod=b\t7\n", NULL, &e) == AN_OK);
	CHECK(set.n == 2 && set.points == 4 && set.rows_read == 4);
	CHECK_STR(set.s[0].name, "pod=a");
	s = an_series_find(&set, "pod=b", 5);
	CHECK(s == &set.s[1]);
	CHECK(s->n == 3 && s->pts[0].t == 1 && isnan(s->pts[0].v));
	CHECK(s->pts[1].t == 2 && s->pts[1].v == 7 && s->pts[2].t == 3);
	CHECK(an_series_find(&set, "pod=c", 5) == NULL);
	/* a second input merges by name */
	CHECK(read_set(&set, "series\ttime\tvalue\npod=a\t1\t4\npod=c\t1\t1\n",
		       NULL, &e) == AN_OK);
	CHECK(set.n == 3 && set.s[0].n == 2 && set.s[0].pts[0].t == 1);
	an_series_set_release(&set);
}

static void test_series_queries(void)
{
	const char *in = "query\tseries\ttime\tvalue\np99\ta=1\t1\t1\ncpu\ta=1\t1\t2\n";
	struct an_series_opts o = { NULL, "cpu" };
	struct an_series_set set;
	struct an_err e;

	an_series_set_init(&set, 0);
	CHECK(read_set(&set, in, NULL, &e) == AN_EDATA);
	CHECK_STR(e.msg, "t.tsv:3: rows of several queries ('p99', 'cpu'): "
		  "choose one with --query");
	an_series_set_release(&set);
	CHECK(read_set(&set, in, &o, &e) == AN_OK);
	CHECK(set.n == 1 && set.s[0].n == 1 && set.s[0].pts[0].v == 2);
	an_series_set_release(&set);
	o.query = "gc";
	CHECK(read_set(&set, in, &o, &e) == AN_EDATA);
	CHECK_STR(e.msg, "t.tsv: no rows of query 'gc' (queries: 'p99', 'cpu')");
	an_series_set_release(&set);
	CHECK(read_set(&set, "time\tvalue\n1\t1\n", &o, &e) == AN_EDATA);
	CHECK(strstr(e.msg, "no 'query' column") != NULL);
	an_series_set_release(&set);
}

static void test_series_errors(void)
{
	struct an_series_opts o = { "p99", NULL };
	struct an_series_set set;
	struct an_err e;

	an_series_set_init(&set, 3);
	CHECK(read_set(&set, "time\tvalue\n1\t1\n", &o, &e) == AN_EDATA);
	CHECK(strstr(e.msg, "no 'p99' column") != NULL);
	CHECK(read_set(&set, "time\tvalue\nNaN\t1\n", NULL, &e) == AN_EDATA);
	CHECK_STR(e.msg, "t.tsv:2: column 'time': 'NaN' is not a finite time");
	an_series_set_release(&set);
	CHECK(read_set(&set, "time\tvalue\n1\t1\n1\t2\n", NULL, &e) == AN_EDATA);
	CHECK_STR(e.msg, "t.tsv: series '': time 1 appears twice");
	an_series_set_release(&set);
	CHECK(read_set(&set, "time\tvalue\n1\t1\n2\t1\n3\t1\n4\t1\n", NULL, &e) == AN_ESYS);
	CHECK(strstr(e.msg, "more than 3 points") != NULL);
	an_series_set_release(&set);
	CHECK(read_set(&set, "series\ttime\tvalue\na=\\\t1\t1\n", NULL, &e) == AN_EDATA);
	CHECK(strstr(e.msg, "bad escape") != NULL);
	an_series_set_release(&set);
}

int main(void)
{
	RUN(test_tsv_rows);
	RUN(test_tsv_header_errors);
	RUN(test_tsv_cols_cap);
	RUN(test_tsv_fields);
	RUN(test_tsv_ragged_and_need);
	RUN(test_tsv_line_cap);
	RUN(test_series_group_sort);
	RUN(test_series_queries);
	RUN(test_series_errors);
	return unit_done();
}
