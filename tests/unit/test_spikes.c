/* Unit tests of an_spikes: baseline and its MAD = 0 guard, detection
 * (merge gap, minimum duration, dips, NaN gaps), window specs, windows
 * files, alignment and clipping. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "an_reader.h"
#include "an_spikes.h"
#include "unit.h"
#include "unit_reader.h"

static struct an_reader *reader_of(const char *s)
{
	return unit_reader(s, strlen(s), "w.tsv");
}

/* A series "s" of values v[i] at times 100 + i. */
static struct an_series series_of(const double *v, size_t n)
{
	struct an_series s;
	size_t i;

	s.name = "s";
	s.name_len = 1;
	s.pts = malloc(n * sizeof *s.pts);
	s.n = s.cap = n;
	for (i = 0; i < n; i++) {
		s.pts[i].t = 100 + (double)i;
		s.pts[i].v = v[i];
	}
	return s;
}

static struct an_spikes_opts opts(void)
{
	struct an_spikes_opts o = { 3, 0, 0, 0, 0, 0, 0 };

	return o;
}

static void test_median(void)
{
	double a[] = { 3, 1, 2 }, b[] = { 4, 1, 3, 2 }, c[] = { 7 };

	CHECK(an_spikes_median(a, 3) == 2);
	CHECK(an_spikes_median(b, 4) == 2.5);
	CHECK(an_spikes_median(c, 1) == 7);
}

static void test_baseline(void)
{
	double v[] = { 1, 2, 3, 4, 100, NAN }, f[] = { 5, 5, 5, 5, 9 },
	       z[] = { 2, 2, 2 }, scratch[6], m, s;
	struct an_series x = series_of(v, 6), y = series_of(f, 5), w = series_of(z, 3);
	struct an_spikes_opts o = opts();

	CHECK(an_spikes_baseline(&x, &o, scratch, &m, &s) == 5);
	CHECK(m == 3 && fabs(s - 1.4826) < 1e-12);	/* MAD 1 */
	CHECK(an_spikes_baseline(&y, &o, scratch, &m, &s) == 5);
	CHECK(m == 5 && fabs(s - 1.2533 * 0.8) < 1e-12);	/* MAD 0: mean AD */
	CHECK(an_spikes_baseline(&w, &o, scratch, &m, &s) == 3 && s == 0);
	o.have_baseline = 1;
	o.base_start = 102;
	o.base_end = 103;
	CHECK(an_spikes_baseline(&x, &o, scratch, &m, &s) == 2 && m == 3.5);
	o.base_start = 200;
	o.base_end = 300;
	CHECK(an_spikes_baseline(&x, &o, scratch, &m, &s) == 0 && isnan(m));
	free(x.pts);
	free(y.pts);
	free(w.pts);
}

static void test_detect(void)
{
	double v[] = { 10, 11, 10, 9, 30, 31, 10, 11, NAN, 40, 10, 9, 11, 10, 30 };
	struct an_series s = series_of(v, 15);
	struct an_spikes_opts o = opts();
	struct an_windows w;
	struct an_err e;
	int none;

	an_windows_init(&w);
	CHECK(an_spikes_detect(&s, &o, &w, &none, &e) == AN_OK && !none);
	CHECK(w.n == 3);
	CHECK(w.w[0].start == 104 && w.w[0].end == 105 && w.w[0].peak_time == 105);
	/* median 10.5, MAD 0.5 */
	CHECK(w.w[0].peak == 31 && w.w[0].baseline == 10.5);
	CHECK(fabs(w.w[0].score - 20.5 / (1.4826 * 0.5)) < 1e-9);
	CHECK(w.w[1].start == 109 && w.w[1].end == 109);
	CHECK(w.w[2].start == 114 && w.w[2].end == 114);	/* last point */
	an_windows_release(&w);
	o.merge_gap = 4;	/* 105 -> 109 bridged, NaN included */
	CHECK(an_spikes_detect(&s, &o, &w, &none, &e) == AN_OK && w.n == 2);
	CHECK(w.w[0].start == 104 && w.w[0].end == 109 && w.w[0].peak == 40);
	an_windows_release(&w);
	o.merge_gap = 0;
	o.min_duration = 1;
	CHECK(an_spikes_detect(&s, &o, &w, &none, &e) == AN_OK && w.n == 1);
	CHECK(w.w[0].start == 104);
	an_windows_release(&w);
	o.min_duration = 0;
	o.threshold = 40;	/* 31 is 27.7 sigmas, 40 is 39.8 */
	CHECK(an_spikes_detect(&s, &o, &w, &none, &e) == AN_OK && w.n == 0);
	free(s.pts);
}

static void test_detect_below_and_flat(void)
{
	double d[] = { 50, 51, 49, 50, 10, 50, 52, 50 }, f[] = { 4, 4, 4, 4 },
	       p[] = { 0, 0, 0, 0, 0, 3 };
	struct an_series s = series_of(d, 8), t = series_of(f, 4), u = series_of(p, 6);
	struct an_spikes_opts o = opts();
	struct an_windows w;
	struct an_err e;
	int none;

	an_windows_init(&w);
	CHECK(an_spikes_detect(&s, &o, &w, &none, &e) == AN_OK && w.n == 0);
	o.below = 1;
	CHECK(an_spikes_detect(&s, &o, &w, &none, &e) == AN_OK && w.n == 1);
	CHECK(w.w[0].start == 104 && w.w[0].peak == 10 && w.w[0].score > 0);
	an_windows_release(&w);
	o.below = 0;
	CHECK(an_spikes_detect(&t, &o, &w, &none, &e) == AN_OK && w.n == 0);
	/* MAD 0 and mean AD 0.5: 3 / (1.2533 * 0.5) = 4.79 sigmas */
	CHECK(an_spikes_detect(&u, &o, &w, &none, &e) == AN_OK && w.n == 1);
	CHECK(fabs(w.w[0].score - 3 / (1.2533 * 0.5)) < 1e-9);
	an_windows_release(&w);
	o.have_baseline = 1;
	o.base_start = 100;
	o.base_end = 104;	/* all 0: s = 0, any rise is +Inf */
	CHECK(an_spikes_detect(&u, &o, &w, &none, &e) == AN_OK && w.n == 1);
	CHECK(isinf(w.w[0].score));
	an_windows_release(&w);
	o.base_start = 500;
	o.base_end = 600;
	CHECK(an_spikes_detect(&u, &o, &w, &none, &e) == AN_OK && none && w.n == 0);
	free(s.pts);
	free(t.pts);
	free(u.pts);
}

static void test_spec(void)
{
	struct an_err e;
	double a, b;

	CHECK(an_window_spec_parse("1,2.5", &a, &b, &e) == AN_OK && a == 1 && b == 2.5);
	CHECK(an_window_spec_parse("3,3", &a, &b, &e) == AN_OK);
	CHECK(an_window_spec_parse("3,2", &a, &b, &e) == AN_EDATA);
	CHECK(an_window_spec_parse("1", &a, &b, &e) == AN_EDATA);
	CHECK(an_window_spec_parse("1,", &a, &b, &e) == AN_EDATA);
	CHECK(an_window_spec_parse("NaN,1", &a, &b, &e) == AN_EDATA);
	CHECK(an_window_spec_parse("1,2,3", &a, &b, &e) == AN_EDATA);
	CHECK_STR(e.msg, "'1,2,3' is not START,END (seconds, START <= END)");
}

static int read_windows(struct an_windows *w, const char *s, struct an_err *e)
{
	struct an_reader *r = reader_of(s);
	int rc = an_windows_read(w, r, e);

	an_reader_free(r);
	return rc;
}

#define HDR "series\tstart\tend\tpeak_time\tpeak\tbaseline\tscore"

static void test_windows_read_write(void)
{
	struct an_windows w;
	struct an_err e;
	char buf[512];
	FILE *f;

	an_windows_init(&w);
	CHECK(read_windows(&w, HDR "\tx\na=1\t1\t2\t1.5\t9\t1\t+Inf\tz\n", &e) == AN_OK);
	CHECK(w.n == 1 && isinf(w.w[0].score) && w.w[0].coverage == 1);
	f = fmemopen(buf, sizeof buf, "w");
	CHECK(an_windows_write(f, &w, AN_WINDOWS_COL_COVERAGE, &e) == AN_OK);
	fclose(f);
	CHECK_STR(buf, HDR "\tcoverage\na=1\t1\t2\t1.5\t9\t1\t+Inf\t1.0000\n");
	an_windows_release(&w);
	CHECK(read_windows(&w, "series\tstart\tend\n", &e) == AN_EDATA);
	CHECK(strstr(e.msg, "w.tsv:1: not a windows file") != NULL);
	CHECK(read_windows(&w, HDR "\na\t2\t1\t1\t1\t1\t1\n", &e) == AN_EDATA);
	CHECK(strstr(e.msg, "w.tsv:2: window 2,1") != NULL);
	CHECK(read_windows(&w, HDR "\na\tNaN\t1\t1\t1\t1\t1\n", &e) == AN_EDATA);
	CHECK(read_windows(&w, HDR "\na\t1\t1\t1\tx\t1\t1\n", &e) == AN_EDATA);
	CHECK(read_windows(&w, HDR "\na\\\t1\t1\t1\t1\t1\t1\n", &e) == AN_EDATA);
	an_windows_release(&w);
}

static void add(struct an_windows *w, const char *s, double a, double b, double score)
{
	char line[256];
	struct an_err e;

	snprintf(line, sizeof line, HDR "\n%s\t%g\t%g\t%g\t1\t0\t%g\n", s, a, b, a, score);
	CHECK(read_windows(w, line, &e) == AN_OK);
}

static void test_align(void)
{
	struct an_windows in[3], out;
	struct an_err e;
	size_t i;

	for (i = 0; i < 3; i++)
		an_windows_init(&in[i]);
	an_windows_init(&out);
	add(&in[0], "a", 0, 10, 1);
	add(&in[0], "a", 5, 20, 2);	/* overlaps the first: one span 0-20 */
	add(&in[0], "a", 30, 40, 3);
	add(&in[1], "b", 15, 35, 5);
	add(&in[2], "c", 18, 18, 0.5);
	add(&in[2], "c", 40, 50, 0.5);
	CHECK(an_windows_align(in, 2, 0, &out, &e) == AN_OK && out.n == 2);
	CHECK(out.w[0].start == 15 && out.w[0].end == 20);
	CHECK_STR(out.w[0].series, "b");
	CHECK(out.w[0].windows == 2);
	CHECK(out.w[1].start == 30 && out.w[1].end == 35 && out.w[1].windows == 2);
	an_windows_release(&out);
	CHECK(an_windows_align(in, 3, 0, &out, &e) == AN_OK && out.n == 1);
	CHECK(out.w[0].start == 18 && out.w[0].end == 18 && out.w[0].windows == 3);
	an_windows_release(&out);
	CHECK(an_windows_align(in, 3, 1, &out, &e) == AN_OK && out.n == 1);
	CHECK(out.w[0].start == 0 && out.w[0].end == 50 && out.w[0].windows == 6);
	CHECK(out.w[0].score == 5);
	an_windows_release(&out);
	an_windows_release(&in[1]);	/* an empty list empties an intersection */
	CHECK(an_windows_align(in, 2, 0, &out, &e) == AN_OK && out.n == 0);
	CHECK(an_windows_align(in, 2, 1, &out, &e) == AN_OK && out.n == 2);
	an_windows_release(&out);
	for (i = 0; i < 3; i++)
		an_windows_release(&in[i]);
}

static void test_clip(void)
{
	struct an_windows w;

	an_windows_init(&w);
	add(&w, "a", 0, 10, 1);
	add(&w, "a", 20, 20, 1);
	add(&w, "a", 30, 40, 1);
	add(&w, "a", 50, 60, 1);
	an_windows_clip(&w, 5, 35);
	CHECK(w.n == 3);
	CHECK(w.w[0].start == 5 && w.w[0].end == 10 && w.w[0].coverage == 0.5);
	CHECK(w.w[1].coverage == 1);
	CHECK(w.w[2].start == 30 && w.w[2].end == 35 && w.w[2].peak_time == 30);
	an_windows_clip(&w, 100, 200);
	CHECK(w.n == 0);
	an_windows_release(&w);
}

int main(void)
{
	RUN(test_median);
	RUN(test_baseline);
	RUN(test_detect);
	RUN(test_detect_below_and_flat);
	RUN(test_spec);
	RUN(test_windows_read_write);
	RUN(test_align);
	RUN(test_clip);
	return unit_done();
}
