/* Unit tests of an_plot: zone offsets, quoting, gaps, windows, errors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_plot.h"
#include "unit.h"

static void test_tz(void)
{
	struct an_err e;
	long off;

	CHECK(an_plot_tz_parse("UTC", &off, &e) == AN_OK && off == 0);
	CHECK(an_plot_tz_parse("Z", &off, &e) == AN_OK && off == 0);
	CHECK(an_plot_tz_parse("+02:00", &off, &e) == AN_OK && off == 7200);
	CHECK(an_plot_tz_parse("-0530", &off, &e) == AN_OK && off == -19800);
	CHECK(an_plot_tz_parse("+2", &off, &e) == AN_OK && off == 7200);
	CHECK(an_plot_tz_parse("+18:00", &off, &e) == AN_OK && off == 64800);
	CHECK(an_plot_tz_parse("+18:30", &off, &e) == AN_EDATA);
	CHECK(an_plot_tz_parse("+19", &off, &e) == AN_EDATA);
	CHECK(an_plot_tz_parse("+02:60", &off, &e) == AN_EDATA);
	CHECK(an_plot_tz_parse("+02:0", &off, &e) == AN_EDATA);
	CHECK(an_plot_tz_parse("CET", &off, &e) == AN_EDATA);
	CHECK(an_plot_tz_parse("+", &off, &e) == AN_EDATA);
	CHECK_STR(e.msg, "'+' is not a zone offset such as +02:00 or UTC");
}

static struct an_series mk(const char *name, const double *v, size_t n)
{
	struct an_series s;
	size_t i;

	s.name = (char *)name;
	s.name_len = strlen(name);
	s.pts = malloc(n * sizeof *s.pts);
	s.n = s.cap = n;
	for (i = 0; i < n; i++) {
		s.pts[i].t = 1000 + 2 * (double)i;
		s.pts[i].v = v[i];
	}
	return s;
}

static char *script(const struct an_series_set *set, const struct an_windows *w,
		    const struct an_plot_opts *o, int *rc)
{
	static char buf[8192];
	struct an_err e;
	FILE *f = fmemopen(buf, sizeof buf, "w");

	*rc = an_plot_write(f, set, w, o, &e);
	fclose(f);
	return buf;
}

static void test_script(void)
{
	double a[] = { 1, NAN, NAN, 2, INFINITY, 3 }, b[] = { 5 };
	struct an_series s[2];
	struct an_series_set set = { s, 2, 2, 0, 0, 0 };
	struct an_window win[3] = {
		{ "x", 1, 1002, 1004, 0, 0, 0, 0, 0, 1 },
		{ "y", 1, 1002, 1004, 0, 0, 0, 0, 0, 1 },
		{ "y", 1, 1008, 1008, 0, 0, 0, 0, 0, 1 },
	};
	struct an_windows w = { win, 3, 3 };
	struct an_plot_opts o = { 1, 640, 320, "a 'b'", "s\tx", 1, 3600 };
	char *out;
	int rc;

	s[0] = mk("app=it's\\,x,pod=\xff", a, 6);
	s[1] = mk("", b, 1);
	out = script(&set, &w, &o, &rc);
	CHECK(rc == AN_OK);
	CHECK(strstr(out, "set terminal pngcairo size 640,320 ") != NULL);
	CHECK(strstr(out, "set title \"a \\47b\\47\"\n") != NULL);
	CHECK(strstr(out, "set ylabel \"s?x\"\n") != NULL);
	CHECK(strstr(out, "set xlabel 'time (UTC+01:00)'\n") != NULL);
	CHECK(strstr(out, "set logscale y\n") != NULL);
	CHECK(strstr(out, "set object 1 rect from 4602, graph 0 to 4604, graph 1") != NULL);
	CHECK(strstr(out, "set object 2") == NULL);	/* same span drawn once */
	CHECK(strstr(out, "set arrow 2 from 4608, graph 0 to 4608, graph 1") != NULL);
	CHECK(strstr(out, "$s0 << EOD\n4600 1\n\n4606 2\n\n4610 3\nEOD\n") != NULL);
	CHECK(strstr(out, "title \"app=it\\47s,x,pod=?\"") != NULL);
	CHECK(strstr(out, "title \"(no labels)\"") != NULL);
	free(s[0].pts);
	free(s[1].pts);
}

static void test_nothing(void)
{
	double a[] = { NAN, -INFINITY };
	struct an_series s = mk("a=1", a, 2);
	struct an_series_set set = { &s, 1, 1, 0, 0, 0 };
	struct an_plot_opts o = { 0, 900, 500, NULL, NULL, 0, 0 };
	int rc;

	script(&set, NULL, &o, &rc);
	CHECK(rc == AN_EDATA);
	set.n = 0;
	script(&set, NULL, &o, &rc);
	CHECK(rc == AN_EDATA);
	free(s.pts);
}

/* Text is never gnuplot code: quotes, '\\', '`', '@', '$' escaped, and an
 * octal digit after an escape escaped too (an escape takes 3 digits). */
static void test_hostile_text(void)
{
	double a[] = { 1 };
	struct an_series s = mk("x=`id`@a$s0", a, 1);
	struct an_series_set set = { &s, 1, 1, 0, 0, 0 };
	struct an_plot_opts o = { 0, 900, 500, "'''1\"\\8", NULL, 0, 0 };
	char *out;
	int rc;

	out = script(&set, NULL, &o, &rc);
	CHECK(rc == AN_OK);
	CHECK(strstr(out, "set title \"\\47\\47\\47\\61\\42\\1348\"\n") != NULL);
	CHECK(strstr(out, "title \"x=\\140id\\140\\100a\\44s0\"\n") != NULL);
	free(s.pts);
}

/* Times gnuplot's time axis cannot show are refused (it loops on some). */
static void test_time_range(void)
{
	double a[] = { 1, 2 };
	struct an_series s = mk("a=1", a, 2);
	struct an_series_set set = { &s, 1, 1, 0, 0, 0 };
	struct an_plot_opts o = { 0, 900, 500, NULL, NULL, 0, 0 };
	struct an_window win = { "x", 1, 1000, 1e15, 0, 0, 0, 0, 0, 1 };
	struct an_windows w = { &win, 1, 1 };
	int rc;

	s.pts[1].t = 253402300799.0;	/* 9999-12-31T23:59:59Z */
	script(&set, NULL, &o, &rc);
	CHECK(rc == AN_OK);
	o.tz_offset = 1;
	script(&set, NULL, &o, &rc);
	CHECK(rc == AN_EDATA);
	o.tz_offset = 0;
	s.pts[1].t = -62135596801.0;
	script(&set, NULL, &o, &rc);
	CHECK(rc == AN_EDATA);
	s.pts[1].t = 2000;
	script(&set, &w, &o, &rc);
	CHECK(rc == AN_EDATA);
	free(s.pts);
}

static int copy(const char *chart, size_t n, int png, char *out, size_t outsz)
{
	struct an_err e;
	FILE *in = tmpfile(), *f = fmemopen(out, outsz, "w");
	int rc;

	fwrite(chart, 1, n, in);
	rc = an_plot_chart_copy(in, f, png, &e);
	fclose(in);
	fclose(f);
	return rc;
}

/* gnuplot exits 0 with its output cut short on a full disk. */
static void test_chart_copy(void)
{
	static const char png[] = "\x89PNG\r\n\x1a\n...\0\0\0\0IEND\xae\x42\x60\x82";
	char out[256];

	CHECK(copy("<svg>\n</svg>\n", 13, 0, out, sizeof out) == AN_OK);
	CHECK_STR(out, "<svg>\n</svg>\n");
	CHECK(copy("<svg>\n<g>", 9, 0, out, sizeof out) == AN_ESYS);
	CHECK(copy("", 0, 0, out, sizeof out) == AN_ESYS);
	CHECK(copy(png, sizeof png - 1, 1, out, sizeof out) == AN_OK);
	CHECK(copy(png, sizeof png - 2, 1, out, sizeof out) == AN_ESYS);
	CHECK(copy("<svg>\n</svg>\n", 13, 1, out, sizeof out) == AN_ESYS);
}

int main(void)
{
	RUN(test_tz);
	RUN(test_script);
	RUN(test_nothing);
	RUN(test_hostile_text);
	RUN(test_time_range);
	RUN(test_chart_copy);
	return unit_done();
}
