/* Unit tests of an_runenv (run.env as data) and the pipeline's decisions
 * in the engine: an_pod_name_valid, an_hotpod_pick, an_windows_best. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_hotpod.h"
#include "an_runenv.h"
#include "an_winbest.h"
#include "unit.h"
#include "unit_reader.h"

static struct an_runenv *env_of(const char *s, struct an_err *err)
{
	struct an_reader *r = unit_reader(s, strlen(s), "run.env");
	struct an_runenv *e = NULL;

	if (r && an_runenv_read(&e, r, err) != AN_OK)
		e = NULL;
	an_reader_free(r);
	return e;
}

static void test_values_are_data(void)
{
	struct an_err err;
	struct an_runenv *e = env_of("# c\n\nx=$(id) `id`\nk=a=b\nk=last\r\nempty=\n", &err);
	int64_t v;

	CHECK(e != NULL);
	if (!e)
		return;
	CHECK_STR(an_runenv_get(e, "x"), "$(id) `id`");
	CHECK_STR(an_runenv_get(e, "k"), "last");
	CHECK_STR(an_runenv_get(e, "empty"), "");
	CHECK(an_runenv_get(e, "nope") == NULL);
	CHECK(an_runenv_epoch(e, "empty", &v, &err) == AN_EDATA);
	CHECK(an_runenv_epoch(e, "nope", &v, &err) == AN_EDATA);
	CHECK_STR(err.msg, "run.env: no nope");
	an_runenv_free(e);
}

static void test_refused_lines(void)
{
	static const char *const bad[] = {
		"novalue\n", "=x\n", "1a=x\n", "a b=x\n", "a=x\ty\n", "a=\x1b[31m\n",
		"export A=1\n"
	};
	struct an_err err;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		CHECK(env_of(bad[i], &err) == NULL);
		CHECK(err.status == AN_EDATA);
		CHECK(strncmp(err.msg, "run.env:1: ", 11) == 0);
	}
}

static void test_windows(void)
{
	struct an_err err;
	struct an_runenv *e = env_of("load_start=100\nload_end=200\nprofile_cpu_start=150\n"
				     "profile_cpu_end=160\nprofile_x_start=5\nprofile_x_end=4\n", &err);
	int64_t a, b;

	CHECK(e != NULL);
	if (!e)
		return;
	CHECK(an_runenv_load(e, 20, &a, &b, &err) == AN_OK && a == 120 && b == 200);
	CHECK(an_runenv_load(e, 100, &a, &b, &err) == AN_EDATA);
	CHECK(an_runenv_interval(e, "pod-1.x.cpu", &a, &b, &err) == AN_OK && a == 150 && b == 160);
	CHECK(an_runenv_interval(e, "pod-1.x", &a, &b, &err) == AN_EDATA);	/* end before start */
	CHECK(an_runenv_interval(e, "pod", &a, &b, &err) == AN_EDATA);
	CHECK(an_runenv_interval(e, "pod.wall", &a, &b, &err) == AN_EDATA);
	an_runenv_free(e);
}

static void test_pod_names(void)
{
	static const char *const good[] = { "a", "catalog-5d8b9c-g5h6i", "a.b", "0-9", "a--b" };
	static const char *const bad[] = {
		"", "-a", "a-", ".a", "a.", "a..b", "a.-b", "a-.b", "A", "a_b", "a/b", "../x",
		"a b", "a;b", "$(id)"
	};
	char big[300];
	size_t i;

	for (i = 0; i < sizeof good / sizeof *good; i++)
		CHECK(an_pod_name_valid(good[i], strlen(good[i])));
	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(!an_pod_name_valid(bad[i], strlen(bad[i])));
	memset(big, 'a', sizeof big);
	CHECK(an_pod_name_valid(big, 253));
	CHECK(!an_pod_name_valid(big, 254));
}

static int has_all(const char *pod, void *ctx)
{
	(void)pod;
	(void)ctx;
	return 1;
}

static void ranking(struct an_ranking *rk, const char *name, const char *rows)
{
	struct an_reader *r;
	struct an_err err;
	char buf[1024];

	snprintf(buf, sizeof buf, "start\tend\trank\tseries\tscore\thot\n%s", rows);
	r = unit_reader(buf, strlen(buf), name);
	CHECK(an_ranking_read(rk, name, r, &err) == AN_OK);
	an_reader_free(r);
}

static void test_pick(void)
{
	struct an_ranking rk[2];
	struct an_hotpod h;
	struct an_err err;

	ranking(&rk[0], "p99", "1\t2\t1\tpod=b\t1.5\tno\n1\t2\t2\tpod=a\t0\tno\n1\t2\t3\tpod=c\t-1\tno\n");
	ranking(&rk[1], "cpu", "1\t2\t1\tpod=c\t+Inf\tyes\n1\t2\t2\tpod=a\t0\tno\n1\t2\t3\tpod=b\t-1\tno\n");
	CHECK(an_hotpod_pick(rk, 2, has_all, NULL, &h, &err) == AN_OK);
	CHECK_STR(h.hot, "c");
	CHECK_STR(h.top, "c");
	CHECK_STR(h.normal, "a");	/* the p99 ranking's lowest other pod */
	CHECK_STR(h.basis, "cpu");
	CHECK(isinf(h.score));
	CHECK(an_hotpod_pick(rk, 1, has_all, NULL, &h, &err) == AN_OK);
	CHECK_STR(h.hot, "");
	CHECK_STR(h.top, "b");
	CHECK_STR(h.normal, "c");
	an_ranking_release(&rk[0]);
	an_ranking_release(&rk[1]);
}

static void window(struct an_windows *w, double s, double e, double score, size_t n)
{
	struct an_err err;
	struct an_window *x = an_windows_add(w, "s", 1, &err);

	x->start = s;
	x->end = e;
	x->score = score;
	x->windows = n;
}

static void test_best(void)
{
	struct an_windows in, out;
	struct an_err err;

	an_windows_init(&in);
	an_windows_init(&out);
	window(&in, 10, 20, 5, 1);
	window(&in, 30, 40, INFINITY, 1);
	window(&in, 50, 60, NAN, 1);
	CHECK(an_windows_best(&in, 0, 0, 100, &out, &err) == AN_OK);
	CHECK(out.n == 1 && out.w[0].start == 30);	/* +Inf beats 5 */
	window(&in, 70, 72, NAN, 2);
	CHECK(an_windows_best(&in, 10, 0, 75, &out, &err) == AN_OK);
	/* the most sources first; widened around 71 to 10 s, kept inside */
	CHECK(out.n == 2 && out.w[1].start == 65 && out.w[1].end == 75);
	an_windows_release(&in);
	an_windows_init(&in);
	CHECK(an_windows_best(&in, 10, 3, 7, &out, &err) == AN_OK);
	CHECK(out.n == 3 && strcmp(out.w[2].series, AN_WINBEST_FALLBACK) == 0);
	CHECK(out.w[2].start == 3 && out.w[2].end == 7 && isnan(out.w[2].score));
	an_windows_release(&in);
	an_windows_release(&out);
}

int main(void)
{
	RUN(test_values_are_data);
	RUN(test_refused_lines);
	RUN(test_windows);
	RUN(test_pod_names);
	RUN(test_pick);
	RUN(test_best);
	return unit_done();
}
