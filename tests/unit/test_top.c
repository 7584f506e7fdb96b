/* Unit tests of an_top: self and total, recursion counted once, the
 * application-frame attribution, classes, sorting and the table text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_normalize.h"
#include "an_top.h"
#include "unit.h"

static struct an_top *top_new(enum an_top_by by, const char *re, const char *prefix)
{
	struct an_top_opts o = { by, re, prefix, 0, 0 };
	struct an_top *t;
	struct an_err err;

	if (an_top_new(&t, &o, &err) != AN_OK)
		abort();
	return t;
}

static void add(struct an_top *t, const char *stack, uint64_t count)
{
	struct an_err err;

	if (an_top_add(t, stack, strlen(stack), count, &err) != AN_OK)
		abort();
}

static int row(struct an_top *t, const char *name, uint64_t self, uint64_t total)
{
	uint64_t s, tt;

	return an_top_lookup(t, name, strlen(name), &s, &tt) && s == self && tt == total;
}

static char *table(struct an_top *t, enum an_top_sort sort, size_t limit)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof buf, "w");
	struct an_err err;

	if (!f || an_top_write(t, f, sort, limit, &err) != AN_OK)
		abort();
	fclose(f);
	return buf;
}

static void test_self_total(void)
{
	struct an_top *t = top_new(AN_TOP_METHOD, NULL, NULL);

	add(t, "main;a;b", 3);
	add(t, "main;a", 2);
	add(t, "main;c", 5);
	CHECK(an_top_total(t) == 10);
	CHECK(row(t, "main", 0, 10));
	CHECK(row(t, "a", 2, 5));
	CHECK(row(t, "b", 3, 3));
	CHECK(row(t, "c", 5, 5));
	CHECK(!row(t, "zzz", 0, 0));
	an_top_free(t);
}

static void test_recursion(void)
{
	struct an_top *t = top_new(AN_TOP_METHOD, NULL, NULL);

	add(t, "main;fib;fib;fib", 4);
	add(t, "main;fib;x;fib", 1);
	CHECK(row(t, "fib", 5, 5));      /* not 4*3 + 2 */
	CHECK(row(t, "x", 0, 1));
	CHECK(row(t, "main", 0, 5));
	an_top_free(t);
}

static void test_app_frames(void)
{
	struct an_top *t = top_new(AN_TOP_METHOD, "^app/", NULL);

	add(t, "java/Thread.run;app/A.handle;java/HashMap.get;java/String.hashCode", 7);
	add(t, "java/Thread.run;app/A.handle;app/B.work", 2);
	add(t, "java/Thread.run;java/GC.run", 4);
	add(t, "app/A.handle;java/x;app/A.handle;java/y", 1);
	CHECK(row(t, "app/A.handle", 8, 10));   /* 7 from library callees, 1 recursive */
	CHECK(row(t, "app/B.work", 2, 2));
	CHECK(row(t, AN_TOP_NO_APP, 4, 4));
	CHECK(!row(t, "java/HashMap.get", 0, 0)); /* library frames get no row */
	CHECK(!row(t, "java/Thread.run", 0, 0));
	CHECK_STR(table(t, AN_TOP_SORT_SELF, 0),
		  "self\tself%\ttotal\ttotal%\tframe\n"
		  "8\t57.14\t10\t71.43\tapp/A.handle\n"
		  "4\t28.57\t4\t28.57\t[no app frame]\n"
		  "2\t14.29\t2\t14.29\tapp/B.work\n");
	an_top_free(t);
}

static void test_app_prefix(void)
{
	struct an_top *t = top_new(AN_TOP_METHOD, NULL, "org.acme");

	add(t, "java/a;org/acme/X.f;java/b", 1);
	add(t, "org/acmefoo/Y.g", 1);            /* a prefix, as documented */
	CHECK(row(t, "org/acme/X.f", 1, 1));
	CHECK(row(t, "org/acmefoo/Y.g", 1, 1));
	an_top_free(t);
}

static void test_class(void)
{
	struct an_top *t = top_new(AN_TOP_CLASS, NULL, NULL);

	CHECK(an_top_class("java/lang/String.split_[j]", 26) == 16);
	CHECK(an_top_class("JavaCalls::call_helper", 22) == 9);
	CHECK(an_top_class("std::vector<int>::push_back", 27) == 16);
	CHECK(an_top_class("[unknown]", 9) == 9);
	CHECK(an_top_class("[pool tid=1]", 12) == 12);
	CHECK(an_top_class("java.lang.Object_[i]", 20) == 16);
	CHECK(an_top_class("clear_page_erms_[k]", 19) == 15);
	CHECK(an_top_class("I2C/C2I adapters", 16) == 16);
	CHECK(an_top_class("p/Foo$$Lambda$6.0x00007f.run", 28) == 24);
	add(t, "app/A.f;app/A.g;app/B.h", 2);
	add(t, "app/A.f;app/A.f_[j]", 1);
	CHECK(row(t, "app/A", 1, 3));           /* once per stack */
	CHECK(row(t, "app/B", 2, 2));
	an_top_free(t);
}

static void test_sort_and_limit(void)
{
	struct an_top *t = top_new(AN_TOP_METHOD, NULL, NULL);

	add(t, "r;b", 1);
	add(t, "r;a", 1);
	add(t, "r;c;d", 2);
	CHECK_STR(table(t, AN_TOP_SORT_SELF, 3),
		  "self\tself%\ttotal\ttotal%\tframe\n"
		  "2\t50.00\t2\t50.00\td\n"
		  "1\t25.00\t1\t25.00\ta\n"
		  "1\t25.00\t1\t25.00\tb\n");
	CHECK_STR(table(t, AN_TOP_SORT_TOTAL, 2),
		  "self\tself%\ttotal\ttotal%\tframe\n"
		  "0\t0.00\t4\t100.00\tr\n"
		  "0\t0.00\t2\t50.00\tc\n");
	an_top_free(t);
}

static void test_zero_and_empty(void)
{
	struct an_top *t = top_new(AN_TOP_METHOD, NULL, NULL);

	CHECK_STR(table(t, AN_TOP_SORT_SELF, 0), "self\tself%\ttotal\ttotal%\tframe\n");
	add(t, "a;b", 0);
	CHECK_STR(table(t, AN_TOP_SORT_SELF, 0), "self\tself%\ttotal\ttotal%\tframe\n");
	add(t, "a", UINT64_MAX - 5);
	add(t, "b", 5);
	CHECK(row(t, "a", UINT64_MAX - 5, UINT64_MAX - 5));
	{
		struct an_err err;
		uint64_t self, total;

		/* a sum over 64 bits is an error, as in flamegraph; nothing added */
		CHECK(an_top_add(t, "c", 1, 1, &err) == AN_EDATA);
		CHECK_STR(err.msg, "count sum overflows 64 bits");
		CHECK(!an_top_lookup(t, "c", 1, &self, &total));
		CHECK(an_top_total(t) == UINT64_MAX);
	}
	an_top_free(t);
}

/* Normalised rows: as if the stacks were normalised first, recursion
 * through two spellings of one frame counted once. */
static void test_normalize(void)
{
	struct an_top_opts o = { AN_TOP_METHOD, "^app/", NULL, 0, AN_NORM_ALL };
	struct an_top *t;
	struct an_err err;

	CHECK(an_top_new(&t, &o, &err) == AN_OK);
	add(t, "[w tid=1];app/Foo.bar_[j];app/Foo$$Lambda$3.0x7f00.run_[j];app/Foo.bar_[i];lib/x_[k]", 3);
	add(t, "[w tid=2];app/Foo.bar_[0]", 1);
	CHECK(row(t, "app/Foo.bar", 4, 4));
	CHECK(row(t, "app/Foo$$Lambda.run", 0, 3));
	CHECK(!row(t, "app/Foo.bar_[j]", 0, 0));
	CHECK_STR(table(t, AN_TOP_SORT_SELF, 0),
		  "self\tself%\ttotal\ttotal%\tframe\n"
		  "4\t100.00\t4\t100.00\tapp/Foo.bar\n"
		  "0\t0.00\t3\t75.00\tapp/Foo$$Lambda.run\n");
	an_top_free(t);
	o.by = AN_TOP_CLASS;
	o.app_regex = NULL;
	CHECK(an_top_new(&t, &o, &err) == AN_OK);
	add(t, "app/Foo.bar_[j];app/Foo$$Lambda$3.0x7f00.run_[j];app/Foo.baz:12_[i]", 2);
	CHECK(row(t, "app/Foo", 2, 2));
	CHECK(row(t, "app/Foo$$Lambda", 0, 2));
	CHECK(row(t, "[w]", 0, 0) == 0);
	an_top_free(t);
}

/* Many rows: the row store moves while a stack's self row is pending. */
static void test_many_rows(void)
{
	struct an_top *t = top_new(AN_TOP_METHOD, "^app/", NULL);
	char stack[64];
	int i;

	for (i = 0; i < 20000; i++) {
		snprintf(stack, sizeof stack, "app/A.run;lib/L%05d.f;lib/M%05d.g", i, i);
		add(t, stack, 1);
	}
	CHECK(row(t, "app/A.run", 20000, 20000));
	CHECK(!row(t, "lib/L00042.f", 0, 0));
	an_top_free(t);
	t = top_new(AN_TOP_METHOD, NULL, NULL);
	for (i = 0; i < 20000; i++) {
		snprintf(stack, sizeof stack, "r;f%d;f%d", i % 5000, i % 7);
		add(t, stack, 2);
	}
	CHECK(row(t, "r", 0, 40000));
	CHECK(row(t, "f3", 2 * 2857, 2 * 2860));  /* i % 7 == 3, or i % 5000 == 3 */
	CHECK(row(t, "f4999", 0, 8));
	an_top_free(t);
}

static void test_bad_app_regex(void)
{
	struct an_top_opts o = { AN_TOP_METHOD, "(", NULL, 0, 0 };
	struct an_top *t = (struct an_top *)1;
	struct an_err err;

	CHECK(an_top_new(&t, &o, &err) == AN_EDATA);
	CHECK(t == NULL);
	CHECK(strstr(err.msg, "bad regular expression '('") == err.msg);
}

int main(void)
{
	RUN(test_self_total);
	RUN(test_recursion);
	RUN(test_app_frames);
	RUN(test_app_prefix);
	RUN(test_class);
	RUN(test_sort_and_limit);
	RUN(test_zero_and_empty);
	RUN(test_normalize);
	RUN(test_many_rows);
	RUN(test_bad_app_regex);
	return unit_done();
}
