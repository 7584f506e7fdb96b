/* Unit tests of an_outliers: statistics, leave-one-out scores for 1, 2, 3
 * and 5 series, MAD = 0, ties, series without values, output; the fast
 * leave-one-out against sorting each series' peers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_spikes.h"

#include "an_outliers.h"
#include "unit.h"

/* A set of n series "s0".."s9", each with the values v[i][0..m) at times
 * 100, 110, ... (NaN-padded rows allowed). */
static void set_of(struct an_series_set *set, size_t n, size_t m,
		   const double v[][4])
{
	size_t i, j;

	an_series_set_init(set, 0);
	set->s = calloc(n, sizeof *set->s);
	set->n = set->cap = n;
	for (i = 0; i < n; i++) {
		struct an_series *s = &set->s[i];

		s->name = malloc(3);
		s->name[0] = 's';
		s->name[1] = (char)('0' + i);
		s->name[2] = '\0';
		s->name_len = 2;
		s->pts = malloc(m * sizeof *s->pts);
		s->n = s->cap = m;
		for (j = 0; j < m; j++) {
			s->pts[j].t = 100 + 10 * (double)j;
			s->pts[j].v = v[i][j];
		}
	}
}

static struct an_outliers_opts defaults(void)
{
	struct an_outliers_opts o = { AN_STAT_MEAN, 3, 0.2 };

	return o;
}

static void test_stats(void)
{
	const double v[][4] = { { 1, 9, NAN, 2 } };
	struct an_series_set set;
	double scratch[4];
	enum an_stat st;

	set_of(&set, 1, 4, v);
	CHECK(an_stat_compute(&set.s[0], 0, 1000, AN_STAT_MEAN, scratch) == 4);
	CHECK(an_stat_compute(&set.s[0], 0, 1000, AN_STAT_MEDIAN, scratch) == 2);
	CHECK(an_stat_compute(&set.s[0], 0, 1000, AN_STAT_MAX, scratch) == 9);
	/* sorted 1 2 9: h = 1.9, 2 + 0.9 * 7 */
	CHECK(fabs(an_stat_compute(&set.s[0], 0, 1000, AN_STAT_P95, scratch) - 8.3) < 1e-12);
	CHECK(an_stat_compute(&set.s[0], 105, 115, AN_STAT_MEAN, scratch) == 9);
	CHECK(isnan(an_stat_compute(&set.s[0], 120, 125, AN_STAT_MEAN, scratch)));
	CHECK(an_stat_parse("p95", &st) == 0 && st == AN_STAT_P95);
	CHECK(an_stat_parse("p99", &st) == -1);
	CHECK_STR(an_stat_name(AN_STAT_MEDIAN), "median");
	an_series_set_release(&set);
}

static void test_two(void)
{
	const double v[][4] = { { 10 }, { 17 } };
	struct an_outliers_opts o = defaults();
	struct an_series_set set;
	struct an_outlier *r;
	struct an_err e;
	size_t nv;

	set_of(&set, 2, 1, v);
	CHECK(an_outliers_rank(&set, 0, 1000, &o, &r, &nv, &e) == AN_OK && nv == 2);
	CHECK(r[0].series == 1 && r[0].rank == 1 && r[0].peer_median == 10);
	CHECK(fabs(r[0].score - 3.5) < 1e-12 && r[0].hot);	/* 70% above */
	CHECK(fabs(r[1].score - (-7 / 3.4)) < 1e-12 && !r[1].hot);
	free(r);
	set.s[1].pts[0].v = 15.9;	/* 59% above: not hot */
	CHECK(an_outliers_rank(&set, 0, 1000, &o, &r, &nv, &e) == AN_OK);
	CHECK(!r[0].hot);
	free(r);
	an_series_set_release(&set);
}

static void test_three_and_five(void)
{
	const double v3[][4] = { { 10 }, { 14 }, { 40 } };
	const double v5[][4] = { { 10 }, { 11 }, { 12 }, { 13 }, { 14 } };
	struct an_outliers_opts o = defaults();
	struct an_series_set set;
	struct an_outlier *r;
	struct an_err e;
	size_t nv;

	set_of(&set, 3, 1, v3);
	/* peers 10, 14: m 12, MAD 2, sigma max(2.9652, 2.4) */
	CHECK(an_outliers_rank(&set, 0, 1000, &o, &r, &nv, &e) == AN_OK);
	CHECK(r[0].series == 2 && fabs(r[0].score - 28 / 2.9652) < 1e-12 && r[0].hot);
	CHECK(!r[1].hot && !r[2].hot);
	free(r);
	an_series_set_release(&set);
	set_of(&set, 5, 1, v5);	/* nothing stands out */
	CHECK(an_outliers_rank(&set, 0, 1000, &o, &r, &nv, &e) == AN_OK && nv == 5);
	CHECK(r[0].series == 4 && !r[0].hot && r[4].series == 0);
	free(r);
	o.min_rel = 0;	/* s4: peers 10..13, m 11.5, MAD 1: 2.5 / 1.4826 */
	CHECK(an_outliers_rank(&set, 0, 1000, &o, &r, &nv, &e) == AN_OK);
	CHECK(fabs(r[0].score - 2.5 / 1.4826) < 1e-12);
	free(r);
	an_series_set_release(&set);
}

static void test_ties_zero_missing_one(void)
{
	const double t[][4] = { { 5 }, { 5 }, { 5 } };
	const double z[][4] = { { 0 }, { 0 }, { 1 } };
	const double m[][4] = { { NAN }, { 1 }, { 1 } };
	struct an_outliers_opts o = defaults();
	struct an_series_set set;
	struct an_outlier *r;
	struct an_err e;
	size_t nv;

	set_of(&set, 3, 1, t);
	CHECK(an_outliers_rank(&set, 0, 1000, &o, &r, &nv, &e) == AN_OK);
	CHECK(r[0].series == 0 && r[1].series == 1 && r[2].series == 2);
	CHECK(r[0].score == 0 && !r[0].hot);
	free(r);
	an_series_set_release(&set);
	set_of(&set, 3, 1, z);
	CHECK(an_outliers_rank(&set, 0, 1000, &o, &r, &nv, &e) == AN_OK);
	CHECK(r[0].series == 2 && isinf(r[0].score) && r[0].score > 0 && r[0].hot);
	/* s0, s1: peers 0 and 1, m 0.5, MAD 0.5: -0.5 / 0.7413 */
	CHECK(fabs(r[1].score + 0.5 / 0.7413) < 1e-12 && r[1].series == 0);
	free(r);
	an_series_set_release(&set);
	set_of(&set, 3, 1, m);
	CHECK(an_outliers_rank(&set, 0, 1000, &o, &r, &nv, &e) == AN_OK && nv == 2);
	CHECK(r[2].series == 0 && isnan(r[2].value) && isnan(r[2].score) && !r[2].hot);
	CHECK(r[0].score == 0);
	free(r);
	an_series_set_release(&set);
	set_of(&set, 1, 1, t);
	CHECK(an_outliers_rank(&set, 0, 1000, &o, &r, &nv, &e) == AN_OK && nv == 1);
	CHECK(isnan(r[0].score) && isnan(r[0].peer_median) && !r[0].hot);
	free(r);
	an_series_set_release(&set);
}

static void test_write(void)
{
	const double v[][4] = { { 10 }, { 20 } };
	struct an_outliers_opts o = defaults();
	struct an_series_set set;
	struct an_outlier *r;
	struct an_err e;
	char buf[512];
	size_t nv;
	FILE *f;

	set_of(&set, 2, 1, v);
	CHECK(an_outliers_rank(&set, 100, 110.5, &o, &r, &nv, &e) == AN_OK);
	f = fmemopen(buf, sizeof buf, "w");
	an_outliers_write_header(f);
	CHECK(an_outliers_write(f, &set, 100, 110.5, &o, r, set.n, &e) == AN_OK);
	fclose(f);
	CHECK_STR(buf, "start\tend\trank\tseries\tstat\tvalue\tpeer_median\tscore\thot\n"
		  "100\t110.5\t1\ts1\tmean\t20\t10\t5\tyes\n"
		  "100\t110.5\t2\ts0\tmean\t10\t20\t-2.5\tno\n");
	free(r);
	an_series_set_release(&set);
}

/* The definition: each series' peers sorted on their own. */
static void brute(const double *x, size_t n, double min_rel, double *med,
		  double *score)
{
	double *p = malloc(n * sizeof *p), m, mad, sigma;
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		med[i] = score[i] = NAN;
		if (isnan(x[i]))
			continue;
		for (j = k = 0; j < n; j++)
			if (j != i && !isnan(x[j]))
				p[k++] = x[j];
		if (k == 0)
			continue;
		m = an_spikes_median(p, k);
		for (j = 0; j < k; j++)
			p[j] = fabs(p[j] - m);
		mad = an_spikes_median(p, k);
		sigma = 1.4826 * mad;
		if (min_rel * fabs(m) > sigma)
			sigma = min_rel * fabs(m);
		med[i] = m;
		score[i] = sigma > 0 ? (x[i] - m) / sigma :
			   x[i] > m ? INFINITY : x[i] < m ? -INFINITY : 0;
	}
	free(p);
}

static int same(double a, double b)
{
	return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static void test_fast_equals_definition(void)
{
	struct an_outliers_opts o = defaults();
	unsigned seed = 12345;
	int round;

	for (round = 0; round < 400; round++) {
		size_t n = 1 + (size_t)(round % 23), i;
		struct an_series_set set;
		struct an_outlier *r;
		struct an_err e;
		double v[23][4], x[23], med[23], score[23];
		size_t nv;

		o.min_rel = round % 3 ? 0.2 : 0;
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			/* few distinct values: many ties; some series empty */
			x[i] = (seed >> 16) % 7 == 0 ? NAN : (double)((seed >> 8) % 5) * 1.5;
			v[i][0] = x[i];
		}
		set_of(&set, n, 1, v);
		brute(x, n, o.min_rel, med, score);
		CHECK(an_outliers_rank(&set, 0, 1000, &o, &r, &nv, &e) == AN_OK);
		for (i = 0; i < n; i++) {
			size_t s = r[i].series;

			CHECK(same(r[i].peer_median, med[s]));
			CHECK(same(r[i].score, score[s]));
		}
		free(r);
		an_series_set_release(&set);
	}
}

int main(void)
{
	RUN(test_stats);
	RUN(test_two);
	RUN(test_three_and_five);
	RUN(test_ties_zero_missing_one);
	RUN(test_write);
	RUN(test_fast_equals_definition);
	return unit_done();
}
