/* Unit tests of an_changepoint and an_peers: segmentation of exact steps,
 * the sigma = 0 case, NaN points, the minimum segment, the change cap,
 * and peer ratios (median without the series itself, floor, gaps). */
#include <math.h>
#include <stdlib.h>

#include "an_changepoint.h"
#include "an_peers.h"
#include "unit.h"

static struct an_spikes_opts sopts(void)
{
	struct an_spikes_opts o = { 3, 0, 0, 0, 0, 0, 0 };

	return o;
}

static struct an_series series_of(const char *name, const double *v, size_t n)
{
	struct an_series s;
	size_t i;

	s.name = (char *)name;
	s.name_len = strlen(name);
	s.pts = malloc(n * sizeof *s.pts);
	s.n = s.cap = n;
	for (i = 0; i < n; i++) {
		s.pts[i].t = 100 + (double)i;
		s.pts[i].v = v[i];
	}
	return s;
}

static void test_segment_exact_steps(void)
{
	double v[] = { 1, 1, 1, 1, 5, 5, 5, 1, 1, 1 };
	struct an_cp_opts o;
	struct an_err err;
	size_t starts[33], n;
	double sigma;

	an_cp_opts_init(&o);
	n = an_cp_segment(v, 10, &o, starts, &sigma, &err);
	CHECK(n == 3);
	CHECK(starts[0] == 0 && starts[1] == 4 && starts[2] == 7);
	/* MAD of the differences is 0: the mean absolute difference rule */
	CHECK(fabs(sigma - 1.2533 * 8.0 / 9.0 / sqrt(2)) < 1e-12);
}

static void test_segment_flat_and_single(void)
{
	double v[] = { 2, 2, 2, 2 };
	struct an_cp_opts o;
	struct an_err err;
	size_t starts[33];
	double sigma;

	an_cp_opts_init(&o);
	CHECK(an_cp_segment(v, 4, &o, starts, &sigma, &err) == 1);
	CHECK(an_cp_segment(v, 1, &o, starts, &sigma, &err) == 1);
	CHECK(an_cp_segment(v, 0, &o, starts, &sigma, &err) == 0);
}

static void test_segment_min_segment_and_cap(void)
{
	double v[] = { 1, 1, 1, 9, 1, 1, 1, 1, 9, 9, 1, 1 };
	struct an_cp_opts o;
	struct an_err err;
	size_t starts[33];
	double sigma;

	an_cp_opts_init(&o);
	o.penalty = 0.01;	/* the bumps are the noise estimate: split anyway */
	o.min_segment = 1;
	CHECK(an_cp_segment(v, 12, &o, starts, &sigma, &err) == 5);
	o.min_segment = 3;	/* the one-point and two-point bumps cannot split */
	CHECK(an_cp_segment(v, 12, &o, starts, &sigma, &err) < 5);
	o.min_segment = 1;
	o.max_changes = 1;
	CHECK(an_cp_segment(v, 12, &o, starts, &sigma, &err) == 2);
}

static void test_detect_step_with_nan(void)
{
	double v[] = { 1, 1, NAN, 1, 1, 4, 4, NAN, 4, 4 };
	struct an_series s = series_of("s", v, 10);
	struct an_spikes_opts so = sopts();
	struct an_cp_opts o;
	struct an_windows w;
	struct an_err err;

	an_cp_opts_init(&o);
	an_windows_init(&w);
	CHECK(an_cp_detect(&s, &so, &o, &w, &err) == AN_OK);
	CHECK(w.n == 1);
	CHECK(w.n == 1 && w.w[0].start == 105 && w.w[0].end == 109);
	CHECK(w.n == 1 && w.w[0].baseline == 1 && w.w[0].peak == 4);
	an_windows_release(&w);
	so.below = 1;		/* the low level is now the anomaly */
	CHECK(an_cp_detect(&s, &so, &o, &w, &err) == AN_OK);
	CHECK(w.n == 1 && w.w[0].start == 100 && w.w[0].end == 104);
	an_windows_release(&w);
	free(s.pts);
}

static void test_detect_empty(void)
{
	struct an_series s = { (char *)"s", 1, NULL, 0, 0 };
	struct an_spikes_opts so = sopts();
	struct an_cp_opts o;
	struct an_windows w;
	struct an_err err;

	an_cp_opts_init(&o);
	an_windows_init(&w);
	CHECK(an_cp_detect(&s, &so, &o, &w, &err) == AN_OK && w.n == 0);
}

static void test_peers(void)
{
	double a[] = { 1, 1, 1, 1, 1 }, b[] = { 1, 1, 1, 1, 2 };
	double c[] = { 1, 5, 5, NAN, 1 };
	struct an_series s[3];
	struct an_series_set set = { s, 3, 3, 15, 0, 0 };
	struct an_spikes_opts so = sopts();
	struct an_peers_opts po = { 2, 0 };
	struct an_windows w;
	struct an_err err;

	s[0] = series_of("a", a, 5);
	s[1] = series_of("b", b, 5);
	s[2] = series_of("c", c, 5);
	an_windows_init(&w);
	CHECK(an_peers_detect(&set, &so, &po, &w, &err) == AN_OK);
	/* c: 5 over peers 1 at t=101,102; b at t=104: 2 / median(1, 1) = 2, not > 2 */
	CHECK(w.n == 1);
	CHECK(w.n == 1 && strcmp(w.w[0].series, "c") == 0);
	CHECK(w.n == 1 && w.w[0].start == 101 && w.w[0].end == 102);
	CHECK(w.n == 1 && w.w[0].baseline == 1 && w.w[0].score == 5);
	an_windows_release(&w);
	po.ratio = 1.5;
	CHECK(an_peers_detect(&set, &so, &po, &w, &err) == AN_OK);
	CHECK(w.n == 2 && strcmp(w.w[0].series, "b") == 0 && w.w[0].start == 104);
	an_windows_release(&w);
	set.n = 1;		/* no peers, no window */
	CHECK(an_peers_detect(&set, &so, &po, &w, &err) == AN_OK && w.n == 0);
	free(s[0].pts);
	free(s[1].pts);
	free(s[2].pts);
}

static void test_peers_floor(void)
{
	double a[] = { 0, 0, 0, 0 }, b[] = { 0, 0, 0, 0 }, c[] = { 0, 0.01, 4, 4 };
	struct an_series s[3];
	struct an_series_set set = { s, 3, 3, 12, 0, 0 };
	struct an_spikes_opts so = sopts();
	struct an_peers_opts po = { 2, 0 };
	struct an_windows w;
	struct an_err err;

	s[0] = series_of("a", a, 4);
	s[1] = series_of("b", b, 4);
	s[2] = series_of("c", c, 4);
	an_windows_init(&w);
	/* no floor: any value over zero peers is infinitely far */
	CHECK(an_peers_detect(&set, &so, &po, &w, &err) == AN_OK);
	CHECK(w.n == 1 && w.w[0].start == 101 && isinf(w.w[0].score));
	an_windows_release(&w);
	/* floor 1 x median of all values (0): the same */
	po.floor = 1;
	CHECK(an_peers_detect(&set, &so, &po, &w, &err) == AN_OK);
	CHECK(w.n == 1 && w.w[0].start == 101);
	an_windows_release(&w);
	free(s[0].pts);
	free(s[1].pts);
	free(s[2].pts);
}

int main(void)
{
	RUN(test_segment_exact_steps);
	RUN(test_segment_flat_and_single);
	RUN(test_segment_min_segment_and_cap);
	RUN(test_detect_step_with_nan);
	RUN(test_detect_empty);
	RUN(test_peers);
	RUN(test_peers_floor);
	return unit_done();
}
