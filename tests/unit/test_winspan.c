/* Unit tests of an_winspan: window edges moved by the interval each point
 * stands for (previous or next point, at most one step), the first and last
 * points of a series, missing stretches, several series, the option text. */
#include <math.h>
#include <string.h>

#include "an_reader.h"
#include "an_series.h"
#include "an_spikes.h"
#include "an_winspan.h"
#include "unit.h"
#include "unit_reader.h"

static void read_set(struct an_series_set *set, const char *tsv)
{
	struct an_series_opts o = { 0 };
	struct an_reader *r = unit_reader(tsv, strlen(tsv), "s.tsv");
	struct an_err err;

	an_series_set_init(set, 0);
	CHECK(an_series_read(set, r, &o, &err) == AN_OK);
	an_reader_free(r);
}

static void add(struct an_windows *w, const char *series, double a, double b)
{
	struct an_err err;
	struct an_window *x = an_windows_add(w, series, strlen(series), &err);

	CHECK(x != NULL);
	x->start = x->peak_time = a;
	x->end = b;
	x->score = 1;
}

/* points every 5 s from 100 to 140, a missing stretch 120..135 for "a" */
static const char tsv[] =
	"series\ttime\tvalue\n"
	"a\t100\t1\na\t105\t1\na\t110\t1\na\t115\t1\na\t135\t1\na\t140\t1\n"
	"b\t100\t1\nb\t102\t1\n"
	"c\t100\t1\n";

static void test_previous(void)
{
	struct an_series_set set;
	struct an_windows w;
	struct an_err err;

	read_set(&set, tsv);
	an_windows_init(&w);
	add(&w, "a", 100, 100);	/* first point: nothing before it */
	add(&w, "a", 110, 115);	/* 105 before it */
	add(&w, "a", 135, 140);	/* 115 before it, 20 s away: one step */
	add(&w, "b", 102, 102);
	add(&w, "c", 100, 100);	/* one point: left as it is */
	add(&w, "zz", 7, 8);	/* no such series */
	CHECK(an_windows_span(&w, 0, &set, AN_SPAN_PREVIOUS, &err) == AN_OK);
	CHECK(w.n == 6);
	CHECK(w.w[0].start == 100 && w.w[0].end == 100);
	CHECK(w.w[1].start == 105 && w.w[1].end == 115);
	CHECK(w.w[2].start == 130 && w.w[2].end == 140);
	CHECK(w.w[3].start == 100 && w.w[3].end == 102);
	CHECK(w.w[4].start == 100 && w.w[4].end == 100);
	CHECK(w.w[5].start == 7 && w.w[5].end == 8);
	an_windows_release(&w);
	an_series_set_release(&set);
}

static void test_next(void)
{
	struct an_series_set set;
	struct an_windows w;
	struct an_err err;

	read_set(&set, tsv);
	an_windows_init(&w);
	add(&w, "a", 100, 100);
	add(&w, "a", 115, 115);	/* next point 20 s away: one step */
	add(&w, "a", 140, 140);	/* last point: plus one step */
	CHECK(an_windows_span(&w, 0, &set, AN_SPAN_NEXT, &err) == AN_OK);
	CHECK(w.n == 3);
	CHECK(w.w[0].start == 100 && w.w[0].end == 105);
	CHECK(w.w[1].start == 115 && w.w[1].end == 120);
	CHECK(w.w[2].start == 140 && w.w[2].end == 145);
	an_windows_release(&w);
	an_series_set_release(&set);
}

static void test_merge_and_from(void)
{
	struct an_series_set set;
	struct an_windows w;
	struct an_err err;

	read_set(&set, tsv);
	an_windows_init(&w);
	add(&w, "a", 100, 100);	/* before `from`: untouched */
	add(&w, "a", 100, 105);
	add(&w, "a", 110, 110);	/* its start moves to 105: touches */
	w.w[2].score = 4;
	w.w[2].peak_time = 110;
	CHECK(an_windows_span(&w, 1, &set, AN_SPAN_PREVIOUS, &err) == AN_OK);
	CHECK(w.n == 2);
	CHECK(w.w[0].start == 100 && w.w[0].end == 100);
	CHECK(w.w[1].start == 100 && w.w[1].end == 110);
	CHECK(w.w[1].score == 4 && w.w[1].peak_time == 110);
	an_windows_release(&w);
	an_series_set_release(&set);
}

static void test_parse(void)
{
	enum an_point_span s = AN_SPAN_INSTANT;
	struct an_err err;

	CHECK(an_point_span_parse("previous", &s, &err) == AN_OK && s == AN_SPAN_PREVIOUS);
	CHECK(an_point_span_parse("next", &s, &err) == AN_OK && s == AN_SPAN_NEXT);
	CHECK(an_point_span_parse("Next", &s, &err) == AN_EDATA);
	CHECK(strstr(err.msg, "'Next' is not 'previous' or 'next'") != NULL);
}

int main(void)
{
	RUN(test_previous);
	RUN(test_next);
	RUN(test_merge_and_from);
	RUN(test_parse);
	return unit_done();
}
