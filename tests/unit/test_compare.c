/* Unit tests of an_compare: the before/after verdict rule. */
#include <math.h>

#include "an_compare.h"
#include "unit.h"

static void fill(double *v, size_t n, double base, double jitter, unsigned seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = base + jitter * ((double)(seed >> 16 & 0x7fff) / 32767.0 - 0.5);
	}
}

static void test_median(void)
{
	double v[] = { 5, NAN, 1, 3 };
	double w[] = { 4, 1, 3, 2 };
	double z[] = { NAN };

	CHECK(an_median(v, 4) == 3);
	CHECK(an_median(w, 4) == 2.5);
	CHECK(isnan(an_median(z, 1)));
}

static void test_clear_improvement(void)
{
	double b[30], a[30];
	struct an_compare_opts o;
	struct an_compare_result r;
	struct an_err e;

	an_compare_opts_init(&o);
	fill(b, 30, 200, 20, 1);
	fill(a, 30, 100, 20, 2);
	CHECK(an_compare(b, 30, a, 30, AN_BETTER_LOWER, &o, &r, &e) == AN_OK);
	CHECK(r.verdict == AN_VERDICT_IMPROVED);
	CHECK(r.ci_high < 0 && r.ci_low < r.ci_high);
	CHECK(r.rel_change < -0.4 && r.rel_change > -0.6);
	/* the same numbers where higher is better are a regression */
	CHECK(an_compare(b, 30, a, 30, AN_BETTER_HIGHER, &o, &r, &e) == AN_OK);
	CHECK(r.verdict == AN_VERDICT_REGRESSED);
}

static void test_noise_is_not_improvement(void)
{
	double b[30], a[30];
	struct an_compare_opts o;
	struct an_compare_result r;
	struct an_err e;

	an_compare_opts_init(&o);
	fill(b, 30, 100, 60, 3);
	fill(a, 30, 97, 60, 4);   /* 3% lower, well inside the noise */
	CHECK(an_compare(b, 30, a, 30, AN_BETTER_LOWER, &o, &r, &e) == AN_OK);
	CHECK(r.verdict == AN_VERDICT_NONE);
	CHECK(r.ci_low < 0 && r.ci_high > 0);
}

static void test_small_effect_not_called(void)
{
	double b[40], a[40];
	struct an_compare_opts o;
	struct an_compare_result r;
	struct an_err e;

	an_compare_opts_init(&o);
	fill(b, 40, 100, 0.5, 5);
	fill(a, 40, 98, 0.5, 6);   /* certain, but only 2% */
	CHECK(an_compare(b, 40, a, 40, AN_BETTER_LOWER, &o, &r, &e) == AN_OK);
	CHECK(r.ci_high < 0);
	CHECK(r.verdict == AN_VERDICT_NONE);
	o.min_effect = 0.01;
	CHECK(an_compare(b, 40, a, 40, AN_BETTER_LOWER, &o, &r, &e) == AN_OK);
	CHECK(r.verdict == AN_VERDICT_IMPROVED);
}

static void test_deterministic(void)
{
	double b[25], a[25];
	struct an_compare_opts o;
	struct an_compare_result r1, r2;
	struct an_err e;

	an_compare_opts_init(&o);
	fill(b, 25, 10, 4, 7);
	fill(a, 25, 9, 4, 8);
	an_compare(b, 25, a, 25, AN_BETTER_LOWER, &o, &r1, &e);
	an_compare(b, 25, a, 25, AN_BETTER_LOWER, &o, &r2, &e);
	CHECK(r1.ci_low == r2.ci_low && r1.ci_high == r2.ci_high);
}

static void test_too_few(void)
{
	double b[] = { 1, NAN, 2, 3 }, a[] = { 1, 2 };
	struct an_compare_opts o;
	struct an_compare_result r;
	struct an_err e;

	an_compare_opts_init(&o);
	CHECK(an_compare(b, 4, a, 2, AN_BETTER_LOWER, &o, &r, &e) == AN_OK);
	CHECK(r.verdict == AN_VERDICT_NO_DATA && r.n_before == 3 && r.n_after == 2);
	CHECK(r.before == 2 && r.after == 1.5 && isnan(r.ci_low) && isnan(r.ci_high));
	CHECK(an_compare(b, 4, a, 0, AN_BETTER_LOWER, &o, &r, &e) == AN_OK);
	CHECK(r.verdict == AN_VERDICT_NO_DATA && isnan(r.after));
	{
		enum an_verdict v[] = { AN_VERDICT_NO_DATA, AN_VERDICT_NO_DATA, AN_VERDICT_NONE };

		CHECK(an_verdict_combine(v, 2) == AN_VERDICT_NO_DATA);
		CHECK(an_verdict_combine(v, 3) == AN_VERDICT_NONE);
		CHECK(an_verdict_combine(v, 0) == AN_VERDICT_NONE);
	}
	CHECK_STR(an_verdict_name(AN_VERDICT_NO_DATA), "not enough data");
	o.confidence = 1;
	CHECK(an_compare(b, 4, b, 4, AN_BETTER_LOWER, &o, &r, &e) == AN_EDATA);
}

static void test_zero_baseline(void)
{
	double b[] = { 0, 0, 0, 0, 0 }, a[] = { 0, 0, 0, 0, 0 };
	double c[] = { 2, 3, 2, 3, 2 };
	struct an_compare_opts o;
	struct an_compare_result r;
	struct an_err e;

	an_compare_opts_init(&o);
	CHECK(an_compare(b, 5, a, 5, AN_BETTER_LOWER, &o, &r, &e) == AN_OK);
	CHECK(r.verdict == AN_VERDICT_NONE && isnan(r.rel_change));
	CHECK(an_compare(b, 5, c, 5, AN_BETTER_LOWER, &o, &r, &e) == AN_OK);
	CHECK(r.verdict == AN_VERDICT_REGRESSED);
}

static void test_combine(void)
{
	enum an_verdict v1[] = { AN_VERDICT_IMPROVED, AN_VERDICT_NONE };
	enum an_verdict v2[] = { AN_VERDICT_IMPROVED, AN_VERDICT_REGRESSED };
	enum an_verdict v3[] = { AN_VERDICT_NONE };

	CHECK(an_verdict_combine(v1, 2) == AN_VERDICT_IMPROVED);
	CHECK(an_verdict_combine(v2, 2) == AN_VERDICT_REGRESSED);
	CHECK(an_verdict_combine(v3, 1) == AN_VERDICT_NONE);
	CHECK_STR(an_verdict_name(AN_VERDICT_NONE), "no significant change");
}

int main(void)
{
	RUN(test_median);
	RUN(test_clear_improvement);
	RUN(test_noise_is_not_improvement);
	RUN(test_small_effect_not_called);
	RUN(test_deterministic);
	RUN(test_too_few);
	RUN(test_zero_baseline);
	RUN(test_combine);
	return unit_done();
}
