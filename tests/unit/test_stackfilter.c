/* Unit tests of an_stackfilter: each pprof-style step, their order, thread
 * frames, and the cache of frame matches. */
#include <stdlib.h>
#include <string.h>

#include "an_normalize.h"
#include "an_stackfilter.h"
#include "unit.h"

static char out[512];

/* Apply and return the stack, "" when dropped, "ERROR" on error. */
static const char *run(struct an_stackfilter *f, const char *in)
{
	struct an_err err;
	size_t n = 0;
	int rc = an_stackfilter_apply(f, in, strlen(in), out, &n, &err);

	if (rc < 0)
		return "ERROR";
	out[rc ? n : 0] = '\0';
	return out;
}

static struct an_stackfilter *with(enum an_sf_kind k, const char *re)
{
	struct an_stackfilter *f = an_stackfilter_new(0);
	struct an_err err;

	if (an_stackfilter_add(f, k, re, &err) != AN_OK)
		abort();
	return f;
}

static void test_passthrough(void)
{
	struct an_stackfilter *f = an_stackfilter_new(0);

	CHECK(!an_stackfilter_active(f));
	CHECK_STR(run(f, "a;b;c"), "a;b;c");
	an_stackfilter_free(f);
}

static void test_focus_ignore(void)
{
	struct an_stackfilter *f = with(AN_SF_FOCUS, "^b$");
	struct an_err err;

	CHECK(an_stackfilter_active(f));
	CHECK_STR(run(f, "a;b;c"), "a;b;c");
	CHECK_STR(run(f, "a;bb;c"), "");
	CHECK(an_stackfilter_add(f, AN_SF_FOCUS, "x", &err) == AN_OK);
	CHECK_STR(run(f, "a;bb;xc"), "a;bb;xc");   /* alternatives */
	an_stackfilter_free(f);
	f = with(AN_SF_IGNORE, "c");
	CHECK_STR(run(f, "a;b;c"), "");
	CHECK_STR(run(f, "a;b"), "a;b");
	an_stackfilter_free(f);
}

static void test_root_at_prune_from(void)
{
	struct an_stackfilter *f = with(AN_SF_ROOT_AT, "^h");
	struct an_err err;

	CHECK_STR(run(f, "main;h1;x;h2;y"), "h1;x;h2;y");   /* rootmost match */
	CHECK_STR(run(f, "main;x"), "");
	an_stackfilter_free(f);
	f = with(AN_SF_PRUNE_FROM, "^h");
	CHECK_STR(run(f, "main;h1;x;h2;y"), "main;h1");
	CHECK_STR(run(f, "main;x"), "main;x");
	CHECK(an_stackfilter_add(f, AN_SF_ROOT_AT, "^x$", &err) == AN_OK);
	/* root-at first, then prune-from within what is left */
	CHECK_STR(run(f, "main;h1;x;h2;y"), "x;h2");
	an_stackfilter_free(f);
}

static void test_hide_show(void)
{
	struct an_stackfilter *f = with(AN_SF_HIDE, "^java/");
	struct an_err err;

	CHECK_STR(run(f, "java/a;app/b;java/c;app/d"), "app/b;app/d");
	CHECK_STR(run(f, "java/a;java/b"), "");
	an_stackfilter_free(f);
	f = with(AN_SF_SHOW, "^app/");
	CHECK_STR(run(f, "java/a;app/b;java/c;app/d"), "app/b;app/d");
	CHECK(an_stackfilter_add(f, AN_SF_HIDE, "d$", &err) == AN_OK);
	CHECK_STR(run(f, "java/a;app/b;java/c;app/d"), "app/b");
	an_stackfilter_free(f);
}

static void test_threads(void)
{
	struct an_stackfilter *f = with(AN_SF_THREAD, "^pool-1");
	const char *name;
	size_t n;

	CHECK(an_stackfilter_thread_name("[pool-1-thread-2 tid=42]", 24, &name, &n));
	CHECK_MEM(name, n, "pool-1-thread-2");
	CHECK(!an_stackfilter_thread_name("[unknown]", 9, &name, &n));
	CHECK(!an_stackfilter_thread_name("[x tid=]", 8, &name, &n));
	CHECK_STR(run(f, "[pool-1-thread-2 tid=42];a;b"), "[pool-1-thread-2 tid=42];a;b");
	CHECK_STR(run(f, "[main tid=1];a;b"), "");
	CHECK_STR(run(f, "a;b"), "");                   /* no thread frame */
	/* the pattern sees the name only, not " tid=" */
	an_stackfilter_free(f);
	f = with(AN_SF_THREAD, "tid");
	CHECK_STR(run(f, "[main tid=1];a"), "");
	an_stackfilter_free(f);
	f = an_stackfilter_new(0);
	an_stackfilter_set_no_threads(f, 1);
	CHECK_STR(run(f, "[main tid=1];a;b"), "a;b");
	CHECK_STR(run(f, "[unknown];a"), "[unknown];a");
	CHECK_STR(run(f, "[main tid=1]"), "");
	an_stackfilter_free(f);
}

static void test_normalize_before_match(void)
{
	struct an_stackfilter *f = with(AN_SF_HIDE, "^Foo\\$\\$Lambda\\.run$");

	CHECK_STR(run(f, "a;Foo$$Lambda$3.0x7f00.run_[j];b"), "a;Foo$$Lambda$3.0x7f00.run_[j];b");
	an_stackfilter_set_normalize(f, AN_NORM_ALL);
	CHECK_STR(run(f, "a_[j];Foo$$Lambda$3.0x7f00.run_[j];b"), "a;b");
	/* thread selection sees the frame before normalisation drops tid= */
	an_stackfilter_set_no_threads(f, 1);
	CHECK_STR(run(f, "[t tid=3];a_[j]"), "a");
	an_stackfilter_free(f);
}

static void test_cache_consistent(void)
{
	struct an_stackfilter *f = with(AN_SF_HIDE, "^x");
	int i;

	for (i = 0; i < 3; i++) {
		CHECK_STR(run(f, "x1;a;x2;a"), "a;a");
		CHECK_STR(run(f, "a;x1"), "a");
	}
	an_stackfilter_free(f);
}

static void test_bad_regex(void)
{
	struct an_stackfilter *f = an_stackfilter_new(0);
	struct an_err err;

	CHECK(an_stackfilter_add(f, AN_SF_FOCUS, "a(b", &err) == AN_EDATA);
	CHECK_STR(err.msg, "bad regular expression 'a(b': missing closing parenthesis at offset 3");
	CHECK(!an_stackfilter_active(f));
	an_stackfilter_free(f);
}

static void test_in_place(void)
{
	struct an_stackfilter *f = with(AN_SF_SHOW, "b");
	char buf[32] = "a;bb;c;b";
	size_t n;
	struct an_err err;

	an_stackfilter_set_normalize(f, AN_NORM_ALL);
	CHECK(an_stackfilter_apply(f, buf, strlen(buf), buf, &n, &err) == 1);
	CHECK_MEM(buf, n, "bb;b");
	an_stackfilter_free(f);
}

int main(void)
{
	RUN(test_passthrough);
	RUN(test_focus_ignore);
	RUN(test_root_at_prune_from);
	RUN(test_hide_show);
	RUN(test_threads);
	RUN(test_normalize_before_match);
	RUN(test_cache_consistent);
	RUN(test_bad_regex);
	RUN(test_in_place);
	return unit_done();
}
