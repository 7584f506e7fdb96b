/* test_timespec.c - times and durations typed on a command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_timespec.h"
#include "unit.h"

#define NOW INT64_C(1764511500000)

static int64_t t_ok(const char *s)
{
	struct an_err err;
	int64_t t = -1;

	CHECK(an_time_parse(s, NOW, &t, &err) == AN_OK);
	return t;
}

static int t_bad(const char *s)
{
	struct an_err err;
	int64_t t;

	return an_time_parse(s, NOW, &t, &err) == AN_EDATA && strstr(err.msg, "bad time") != NULL;
}

static int64_t d_ok(const char *s)
{
	struct an_err err;
	int64_t d = -1;

	CHECK(an_duration_parse(s, &d, &err) == AN_OK);
	return d;
}

static int d_bad(const char *s)
{
	struct an_err err;
	int64_t d;

	return an_duration_parse(s, &d, &err) == AN_EDATA && strstr(err.msg, "bad duration") != NULL;
}

static void test_rfc3339(void)
{
	CHECK(t_ok("1970-01-01T00:00:00Z") == 0);
	CHECK(t_ok("2025-11-30T14:05:00Z") == NOW);
	CHECK(t_ok("2025-11-30t14:05:00z") == NOW);
	CHECK(t_ok("2025-11-30 14:05:00Z") == NOW);
	CHECK(t_ok("2025-11-30T15:05:00+01:00") == NOW);
	CHECK(t_ok("2025-11-30T13:35:00-00:30") == NOW);
	CHECK(t_ok("2025-11-30T14:05:00.25Z") == NOW + 250);
	CHECK(t_ok("2025-11-30T14:05:00.123456789Z") == NOW + 123);
	CHECK(t_ok("2025-11-30T14:05:00.9996Z") == NOW + 1000);
	CHECK(t_ok("2024-02-29T00:00:00Z") == INT64_C(1709164800000));
	CHECK(t_bad("2023-02-29T00:00:00Z"));	/* not a leap year */
	CHECK(t_bad("1900-02-29T00:00:00Z"));	/* nor is a century */
	CHECK(t_ok("2000-02-29T00:00:00Z") == INT64_C(951782400000));
	CHECK(t_bad("2025-02-31T00:00:00Z"));
	CHECK(t_bad("2025-02-30T00:00:00Z"));
	CHECK(t_bad("2025-04-31T00:00:00Z"));
	CHECK(t_bad("2025-06-31T00:00:00Z"));
	CHECK(t_bad("2025-09-31T00:00:00Z"));
	CHECK(t_bad("2025-11-31T00:00:00Z"));
	CHECK(t_ok("2025-12-31T00:00:00Z") == INT64_C(1767139200000));
	CHECK(t_bad("2025-01-00T00:00:00Z"));
	CHECK(t_bad("2025-13-01T00:00:00Z"));
	CHECK(t_bad("2025-11-30T24:00:00Z"));
	CHECK(t_bad("2025-11-30T14:05:00"));
	CHECK(t_bad("2025-11-30T14:05:00.Z"));
	CHECK(t_bad("2025-11-30T14:05:00+0100"));
	CHECK(t_bad("2025-11-30"));
}

static void test_epoch_and_relative(void)
{
	CHECK(t_ok("1764511500") == NOW);
	CHECK(t_ok("1764511500.5") == NOW + 500);
	CHECK(t_ok("1764511500.0005") == NOW + 1);
	CHECK(t_ok("now") == NOW);
	CHECK(t_ok("-30m") == NOW - 1800000);
	CHECK(t_ok("now-1h30m") == NOW - 5400000);
	CHECK(t_ok("now+5m") == NOW + 300000);
	CHECK(t_ok("-15") == NOW - 15000);
	CHECK(t_bad(""));
	CHECK(t_bad("yesterday"));
	CHECK(t_bad("-"));
	CHECK(t_bad("now-"));
	CHECK(t_bad("1e9"));
	CHECK(t_bad("99999999999999999999"));
	CHECK(t_bad(" 1764511500"));
}

static void test_duration(void)
{
	CHECK(d_ok("15") == 15000);
	CHECK(d_ok("0.5") == 500);
	CHECK(d_ok("2s") == 2000);
	CHECK(d_ok("1m") == 60000);
	CHECK(d_ok("1h30m") == 5400000);
	CHECK(d_ok("500ms") == 500);
	CHECK(d_ok("1d") == 86400000);
	CHECK(d_ok("1w") == 604800000);
	CHECK(d_ok("1y") == INT64_C(31536000000));
	CHECK(d_ok("1m30s500ms") == 90500);
	CHECK(d_ok("1.5m") == 90000);
	CHECK(d_ok("40.05s") == 40050);
	CHECK(d_ok("1h0.5m") == 3630000);
	CHECK(d_ok("0.000001y") == 31536);
	CHECK(d_bad("0.5ms"));
	CHECK(d_bad("1.0001s"));
	CHECK(d_bad("1.s"));
	CHECK(d_bad("1.1234567h"));
	CHECK(d_bad("0"));
	CHECK(d_bad("0s"));
	CHECK(d_bad("0.0001"));
	CHECK(d_bad("-5s"));
	CHECK(d_bad("5"  "x"));
	CHECK(d_bad("30s1m"));
	CHECK(d_bad("1m1m"));
	CHECK(d_bad(""));
	CHECK(d_bad("s"));
	CHECK(d_bad("99999999999999y"));
}

/* an_time_fmt writes what an_num_fmt writes for ms / 1000.0. */
static void test_fmt(void)
{
	static const int64_t v[] = { 0, 1, 10, 100, 999, 1000, 1500, 1764511500000,
				     1764511500001, 1764511500120, 1795920563123, -500, -1 };
	char a[32], b[AN_NUM_BUF];
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		CHECK_STR(an_time_fmt(a, v[i]), an_num_fmt(b, (double)v[i] / 1000.0));
	CHECK_STR(an_time_fmt(a, 1764511500250), "1764511500.25");
	CHECK_STR(an_time_fmt(a, -1764511500250), "-1764511500.25");
	CHECK_STR(an_time_fmt(a, -2000), "-2");
	CHECK_STR(an_time_fmt(a, INT64_MAX), "9223372036854775.807");
	CHECK_STR(an_time_fmt(a, INT64_MIN), "-9223372036854775.808");
}

int main(void)
{
	RUN(test_rfc3339);
	RUN(test_epoch_and_relative);
	RUN(test_duration);
	RUN(test_fmt);
	return unit_done();
}
