/* Unit tests of an_jtlstats: the nearest-rank definition, dense and sparse
 * histograms, TOTAL merging, series gaps and the memory cap. */
#include <stdlib.h>

#include "an_jtlstats.h"
#include "unit.h"

/* Run `st` into a string (caller frees). */
static char *output(struct an_jtlstats *st, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct an_err err;

	*rc = an_jtlstats_write(st, f, &err);
	fclose(f);
	return buf;
}

static void test_rank(void)
{
	CHECK(an_jtlstats_rank(1, 0.5) == 1);
	CHECK(an_jtlstats_rank(1, 0.4) == 1);     /* never 0 */
	CHECK(an_jtlstats_rank(2, 0.5) == 1);
	CHECK(an_jtlstats_rank(3, 0.5) == 2);     /* 1.5 rounds up */
	CHECK(an_jtlstats_rank(10, 0.9) == 9);
	CHECK(an_jtlstats_rank(1000, 0.99) == 990);
	CHECK(an_jtlstats_rank(150, 0.99) == 149); /* 148.5 */
}

static void test_summary(void)
{
	struct an_jtlstats_opts o = { 0, 0, 1, 0, 0 };
	struct an_jtlstats *st;
	struct an_err err;
	char *out;
	int i, rc;

	CHECK(an_jtlstats_new(&st, &o, &err) == AN_OK);
	/* b: 1..100 ms; a: 900000 and 5 (sparse above the dense range).
	 * b spans 1001 .. 1200 ms (199 ms); TOTAL sorted: 1..4, 5, 5, 6..100,
	 * 900000, so p50 = rank 51 = 50, p90 = rank 92 = 91. */
	for (i = 1; i <= 100; i++)
		an_jtlstats_add(st, "b", 1, 1000 + i, (uint64_t)i, i % 10 != 0, 10, 0, &err);
	an_jtlstats_add(st, "a\tx", 3, 1000, 900000, 1, 2048, 0, &err);
	an_jtlstats_add(st, "a\tx", 3, 2000, 5, 0, 0, 0, &err);
	out = output(st, &rc);
	CHECK(rc == AN_OK);
	CHECK_STR(out,
		  "label\tsamples\terrors\terror_pct\tthroughput\tmean\tmin\tp50\tp90\tp95\tp99\tmax\treceived_kb_s\tsent_kb_s\n"
		  "b\t100\t10\t10\t502.513\t50.5\t1\t50\t90\t95\t99\t100\t4.90735\tNaN\n"
		  "a\\tx\t2\t1\t50\t0.00222222\t450002\t5\t5\t900000\t900000\t900000\t900000\t0.00222222\tNaN\n"
		  "TOTAL\t102\t11\t10.7843\t0.113333\t8873.09\t1\t50\t91\t96\t100\t900000\t0.00330729\tNaN\n");
	free(out);
	an_jtlstats_free(st);
}

static void test_empty(void)
{
	struct an_jtlstats_opts o = { 0, 1, 0, 0, 0 };
	struct an_jtlstats *st;
	struct an_err err;
	char *out;
	int rc;

	CHECK(an_jtlstats_new(&st, &o, &err) == AN_OK);
	out = output(st, &rc);
	CHECK(rc == AN_OK);
	CHECK(strstr(out, "\nTOTAL\t0\t0\tNaN\t0\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN\n") != NULL);
	free(out);
	an_jtlstats_free(st);
}

static void test_series_gaps(void)
{
	struct an_jtlstats_opts o = { 1000, 0, 0, 0, 0 };
	struct an_jtlstats *st;
	struct an_err err;
	char *out;
	int rc;

	CHECK(an_jtlstats_new(&st, &o, &err) == AN_OK);
	an_jtlstats_add(st, "z", 1, 5500, 10, 1, 0, 0, &err);
	an_jtlstats_add(st, "z", 1, 5999, 30, 0, 0, 0, &err);
	an_jtlstats_add(st, "a,b", 3, 7000, 20, 1, 0, 0, &err);
	out = output(st, &rc);
	CHECK(rc == AN_OK);
	CHECK_STR(out,
		  "series\ttime\tsamples\terrors\terror_pct\tthroughput\tmean\tmin\tp50\tp90\tp95\tp99\tmax\n"
		  "label=TOTAL\t5\t2\t1\t50\t2\t20\t10\t10\t30\t30\t30\t30\n"
		  "label=TOTAL\t6\t0\t0\tNaN\t0\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN\n"
		  "label=TOTAL\t7\t1\t0\t0\t1\t20\t20\t20\t20\t20\t20\t20\n"
		  "label=a\\,b\t5\t0\t0\tNaN\t0\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN\n"
		  "label=a\\,b\t6\t0\t0\tNaN\t0\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN\n"
		  "label=a\\,b\t7\t1\t0\t0\t1\t20\t20\t20\t20\t20\t20\t20\n"
		  "label=z\t5\t2\t1\t50\t2\t20\t10\t10\t30\t30\t30\t30\n"
		  "label=z\t6\t0\t0\tNaN\t0\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN\n"
		  "label=z\t7\t0\t0\tNaN\t0\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN\n");
	free(out);
	an_jtlstats_free(st);
}

static void test_memory_cap(void)
{
	struct an_jtlstats_opts o = { 0, 0, 0, 0, 1u << 20 };
	struct an_jtlstats *st;
	struct an_err err;
	int rc = AN_OK;
	char label[16];
	int i;

	CHECK(an_jtlstats_new(&st, &o, &err) == AN_OK);
	for (i = 0; i < 1000 && rc == AN_OK; i++) {
		snprintf(label, sizeof label, "l%d", i);
		rc = an_jtlstats_add(st, label, strlen(label), 0, 100000, 1, 0, 0, &err);
	}
	CHECK(rc == AN_ESYS);
	CHECK(strstr(err.msg, "1 MiB") != NULL);
	an_jtlstats_free(st);
}

int main(void)
{
	RUN(test_rank);
	RUN(test_summary);
	RUN(test_empty);
	RUN(test_series_gaps);
	RUN(test_memory_cap);
	return unit_done();
}
