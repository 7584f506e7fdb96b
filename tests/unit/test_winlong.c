/* Unit tests of an_winlong: median/MAD windows kept unless the change-point
 * windows hold a quarter of the series and more points; windows before
 * `from` untouched. */
#include <string.h>

#include "an_series.h"
#include "an_spikes.h"
#include "an_winlong.h"
#include "unit.h"

static struct an_point pts[20];

/* A series "s" of 20 points at times 0..19. */
static struct an_series series20(void)
{
	struct an_series s;
	size_t i;

	for (i = 0; i < 20; i++) {
		pts[i].t = (double)i;
		pts[i].v = 1;
	}
	s.name = "s";
	s.name_len = 1;
	s.pts = pts;
	s.n = s.cap = 20;
	return s;
}

static void add(struct an_windows *w, double a, double b, double score)
{
	struct an_err err;
	struct an_window *x = an_windows_add(w, "s", 1, &err);

	CHECK(x != NULL);
	x->start = x->peak_time = a;
	x->end = b;
	x->score = score;
}

static void test_long_replaces(void)
{
	struct an_series s = series20();
	struct an_windows w, cp;
	struct an_err err;
	int used = -1;

	an_windows_init(&w);
	an_windows_init(&cp);
	add(&w, 0, 0, 9);	/* another series' window, before `from` */
	add(&w, 8, 8, 3);	/* one point */
	add(&cp, 5, 14, 4);	/* ten points: half the series */
	CHECK(an_windows_or_changepoint(&w, 1, &cp, &s, &used, &err) == AN_OK);
	CHECK(used == 1);
	CHECK(w.n == 2);
	CHECK(w.w[0].start == 0 && w.w[0].score == 9);
	CHECK(w.w[1].start == 5 && w.w[1].end == 14 && w.w[1].score == 4);
	CHECK(strcmp(w.w[1].series, "s") == 0 && w.w[1].series != cp.w[0].series);
	an_windows_release(&w);
	an_windows_release(&cp);
}

static void test_short_keeps(void)
{
	struct an_series s = series20();
	struct an_windows w, cp;
	struct an_err err;
	int used = -1;

	an_windows_init(&w);
	an_windows_init(&cp);
	add(&cp, 5, 8, 4);	/* four points: under a quarter */
	CHECK(an_windows_or_changepoint(&w, 0, &cp, &s, &used, &err) == AN_OK);
	CHECK(used == 0 && w.n == 0);
	add(&w, 4, 10, 5);	/* seven points */
	an_windows_release(&cp);
	an_windows_init(&cp);
	add(&cp, 4, 10, 2);	/* as many: median/MAD stays */
	CHECK(an_windows_or_changepoint(&w, 0, &cp, &s, &used, &err) == AN_OK);
	CHECK(used == 0 && w.n == 1 && w.w[0].score == 5);
	an_windows_release(&w);
	an_windows_release(&cp);
}

int main(void)
{
	RUN(test_long_replaces);
	RUN(test_short_keeps);
	return unit_done();
}
