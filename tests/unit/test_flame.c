/* Unit tests of an_flame (tree, layout) and an_svg (escaping, kinds,
 * palettes, minimum width, the written document). */
#include <stdlib.h>
#include <unistd.h>

#include "an_flame.h"
#include "an_svg.h"
#include "unit.h"

static void add(struct an_flame *f, const char *stack, uint64_t c0, uint64_t c1)
{
	struct an_err err;

	CHECK(an_flame_add(f, stack, strlen(stack), c0, c1, &err) == AN_OK);
}

/* "name@depth+offset:value" per frame, joined by spaces. */
static char *layout_str(struct an_flame *f, int which, uint64_t min)
{
	static char buf[1024];
	struct an_flame_frame *fr;
	struct an_err err;
	size_t i, n, used = 0;
	uint32_t depth;

	buf[0] = '\0';
	if (an_flame_layout(f, which, min, &fr, &n, &depth, &err) != AN_OK)
		return NULL;
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%.*s@%u+%llu:%llu",
					 i ? " " : "", (int)fr[i].name_len, fr[i].name,
					 fr[i].depth, (unsigned long long)fr[i].offset,
					 (unsigned long long)fr[i].value);
	free(fr);
	return buf;
}

static void test_merge_and_order(void)
{
	struct an_flame *f = an_flame_new(1, 0, 0);

	/* "a b" sorts between "a" and "a;..." as text: the tree must not care */
	add(f, "a;x", 2, 0);
	add(f, "a b;c", 1, 0);
	add(f, "a", 3, 0);
	add(f, "a;x", 4, 0);
	CHECK(an_flame_total(f, 0) == 10);
	CHECK_STR(layout_str(f, 0, 0), "all@0+0:10 a@1+0:9 x@2+0:6 a b@1+9:1 c@2+9:1");
	an_flame_free(f);
}

static void test_reverse(void)
{
	struct an_flame *f = an_flame_new(1, 1, 0);

	add(f, "main;a;leaf", 3, 0);
	add(f, "main;b;leaf", 2, 0);
	add(f, "main;c", 1, 0);
	CHECK_STR(layout_str(f, 0, 0),
		  "all@0+0:6 c@1+0:1 main@2+0:1 leaf@1+1:5 a@2+1:3 main@3+1:3 b@2+4:2 main@3+4:2");
	an_flame_free(f);
}

static void test_min_value_keeps_gaps(void)
{
	struct an_flame *f = an_flame_new(1, 0, 0);

	add(f, "r;a", 1, 0);
	add(f, "r;b", 5, 0);
	add(f, "r;c;d", 4, 0);
	add(f, "r;c;e", 1, 0);
	/* a and e are dropped, b keeps its place after a's gap */
	CHECK_STR(layout_str(f, 0, 2), "all@0+0:11 r@1+0:11 b@2+1:5 c@2+6:5 d@3+6:4");
	/* zero-width frames are never drawn */
	add(f, "r;z", 0, 0);
	CHECK_STR(layout_str(f, 0, 0),
		  "all@0+0:11 r@1+0:11 a@2+0:1 b@2+1:5 c@2+6:5 d@3+6:4 e@3+10:1");
	an_flame_free(f);
}

static void test_diff_counts(void)
{
	struct an_flame *f = an_flame_new(2, 0, 0);
	struct an_flame_frame *fr;
	struct an_err err;
	size_t n;
	uint32_t depth;

	add(f, "m;old", 5, 0);
	add(f, "m;new", 0, 7);
	add(f, "m;same", 2, 2);
	add(f, "m;same_[j]", 1, 0);
	CHECK(an_flame_ncounts(f) == 2);
	CHECK(an_flame_total(f, 0) == 8 && an_flame_total(f, 1) == 9);
	/* widths from the second count: "old" has none */
	CHECK_STR(layout_str(f, 1, 0), "all@0+0:9 m@1+0:9 new@2+0:7 same@2+7:2");
	CHECK(an_flame_layout(f, 1, 0, &fr, &n, &depth, &err) == AN_OK);
	CHECK(n == 4 && fr[2].other == 0 && fr[3].other == 2 && fr[1].other == 8);
	CHECK(depth == 2);
	free(fr);
	an_flame_free(f);
}

/* Second counts that start after the tree has grown past its first
 * mapping, and go on while it grows again. */
static void test_diff_counts_late(void)
{
	struct an_flame *f = an_flame_new(2, 0, 0);
	char name[64];
	int i;

	for (i = 0; i < 100000; i++) {
		snprintf(name, sizeof name, "m;f%d", i);
		add(f, name, 1, 0);
	}
	add(f, "m;f5", 0, 3);
	add(f, "m;g", 0, 4);
	for (i = 0; i < 200000; i++) {
		snprintf(name, sizeof name, "m;h%d", i);
		add(f, name, 0, 1);
	}
	CHECK(an_flame_total(f, 0) == 100000 && an_flame_total(f, 1) == 200007);
	CHECK_STR(layout_str(f, 1, 3), "all@0+0:200007 m@1+0:200007 f5@2+0:3 g@2+3:4");
	CHECK_STR(layout_str(f, 0, 2), "all@0+0:100000 m@1+0:100000");
	an_flame_free(f);
}

static void test_strip_diff(void)
{
	struct an_flame *f = an_flame_new(2, AN_FLAME_STRIP_DIFF, 0);
	struct an_flame *c = an_flame_new(1, AN_FLAME_STRIP_DIFF, 0);

	add(f, "m_[0];a/B.c_[j]", 4, 0);
	add(f, "m_[0];a/B.c_[i]", 0, 3);
	add(f, "m_[0];a/B.c_[x]", 0, 1);
	CHECK_STR(layout_str(f, 1, 0), "all@0+0:4 m@1+0:4 a/B.c@2+0:3 a/B.c_[x]@2+3:1");
	/* collapsed input keeps the kinds apart, as async-profiler does */
	add(c, "m;a/B.c_[j]", 4, 0);
	add(c, "m;a/B.c_[i]", 3, 0);
	CHECK_STR(layout_str(c, 0, 0), "all@0+0:7 m@1+0:7 a/B.c_[i]@2+0:3 a/B.c_[j]@2+3:4");
	an_flame_free(f);
	an_flame_free(c);
}

static void test_overflow_and_cap(void)
{
	struct an_flame *f = an_flame_new(1, 0, 0);
	struct an_err err;
	char name[64];
	int i, rc = AN_OK;

	add(f, "a", UINT64_MAX - 1, 0);
	CHECK(an_flame_add(f, "b", 1, 2, 0, &err) == AN_EDATA);
	CHECK_STR(err.msg, "count sum overflows 64 bits");
	CHECK(an_flame_total(f, 0) == UINT64_MAX - 1);
	an_flame_free(f);

	f = an_flame_new(1, 0, 4 << 20);
	CHECK(f != NULL);
	for (i = 0; f && i < 1000000 && rc == AN_OK; i++) {
		snprintf(name, sizeof name, "frame%d", i);
		rc = an_flame_add(f, name, strlen(name), 1, 0, &err);
	}
	CHECK(rc == AN_ESYS);
	CHECK(strstr(err.msg, "memory cap of 4") != NULL);
	an_flame_free(f);
}

static void test_read_errors(void)
{
	struct an_flame *f = an_flame_new(0, 0, 0);
	struct an_reader *r;
	struct an_err err;
	int fds[2];

	CHECK(pipe(fds) == 0);
	CHECK(write(fds[1], "a;b 1 2\n\na;c 3 4\na;d 5\n", 24) == 24);
	close(fds[1]);
	CHECK(an_reader_fdopen(&r, fds[0], 1, "in", &err) == AN_OK);
	CHECK(an_flame_read(f, r, &err) == AN_EDATA);
	CHECK_STR(err.msg, "in:4: expected two counts (diff-folded), found one");
	CHECK(an_flame_ncounts(f) == 2 && an_flame_total(f, 1) == 6);
	an_reader_free(r);
	an_flame_free(f);
}

static void test_frame_kind(void)
{
	size_t shown;

	CHECK(an_flame_frame_kind("a/B.c_[j]", 9, &shown) == AN_KIND_JIT && shown == 5);
	CHECK(an_flame_frame_kind("a/B.c_[i]", 9, &shown) == AN_KIND_INLINED && shown == 5);
	CHECK(an_flame_frame_kind("a/B.c_[0]", 9, &shown) == AN_KIND_INTERPRETED);
	CHECK(an_flame_frame_kind("a/B.c_[1]", 9, &shown) == AN_KIND_C1);
	CHECK(an_flame_frame_kind("do_syscall_64_[k]", 17, &shown) == AN_KIND_KERNEL &&
	      shown == 13);
	CHECK(an_flame_frame_kind("a/B.c", 5, &shown) == AN_KIND_JIT && shown == 5);
	CHECK(an_flame_frame_kind("G1::work", 8, &shown) == AN_KIND_CPP);
	CHECK(an_flame_frame_kind("memcpy", 6, &shown) == AN_KIND_NATIVE);
	CHECK(an_flame_frame_kind("x_[z]", 5, &shown) == AN_KIND_NATIVE && shown == 5);
	CHECK(an_flame_frame_kind("_[j]", 4, &shown) == AN_KIND_NATIVE && shown == 4);
	CHECK(an_flame_frame_kind("[main tid=1]", 12, &shown) == AN_KIND_THREAD);
	CHECK(an_flame_frame_kind("[main]", 6, &shown) == AN_KIND_NATIVE);
}

static char *escaped(const char *s, size_t len)
{
	static char out[256];
	FILE *f;

	memset(out, 0, sizeof out);
	f = fmemopen(out, sizeof out, "w");
	an_svg_escape(f, s, len);
	fclose(f);
	return out;
}

static void test_escape(void)
{
	CHECK_STR(escaped("a<b>&\"'", 7), "a&lt;b&gt;&amp;&quot;&#39;");
	CHECK_STR(escaped("x]]>y", 5), "x]]&gt;y");
	CHECK_STR(escaped("t\tn\x01", 4), "t&#9;n\xef\xbf\xbd");
	/* invalid UTF-8: one U+FFFD per bad byte, valid text around it kept */
	CHECK_STR(escaped("a\xff\xfe\xc3\xa9", 5), "a\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9");
	CHECK_STR(escaped("\xe2\x82", 2), "\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_STR(escaped("", 0), "");
	CHECK_STR(escaped("a\xef\xbf\xbe\xef\xbf\xbf\xef\xbf\xbd\x7f", 11),
		  "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\x7f");
}

static void test_min_value(void)
{
	struct an_svg_opts o;

	an_svg_opts_init(&o);
	o.width = 1020;             /* 1000 px of plot */
	o.min_width = 2;
	CHECK(an_svg_min_value(&o, 1000) == 2);
	CHECK(an_svg_min_value(&o, 1500) == 3);
	o.min_width = 0;
	CHECK(an_svg_min_value(&o, 1000) == 0);
	o.min_width = 1.5;
	o.min_width_pct = 1;
	CHECK(an_svg_min_value(&o, 1000) == 15);
	o.min_width = 100;
	CHECK(an_svg_min_value(&o, UINT64_MAX) == UINT64_MAX);
}

static void test_parse_names(void)
{
	enum an_svg_palette p;
	const char *a, *b;

	CHECK(an_svg_palette_parse("java", &p) == 0 && p == AN_PAL_JAVA);
	CHECK(an_svg_palette_parse("orange", &p) == 0 && p == AN_PAL_ORANGE);
	CHECK(an_svg_palette_parse("Hot", &p) == -1);
	CHECK(an_svg_bgcolors_parse("grey", &a, &b) == 0 && strcmp(a, b) != 0);
	CHECK(an_svg_bgcolors_parse("#A0b1c2", &a, &b) == 0);
	CHECK_STR(a, "#A0b1c2");
	CHECK_STR(b, "#A0b1c2");
	CHECK(an_svg_bgcolors_parse("#a0b1c", &a, &b) == -1);
	CHECK(an_svg_bgcolors_parse("#a0b1cg", &a, &b) == -1);
	CHECK(an_svg_bgcolors_parse("red", &a, &b) == -1);
}

/* Write an SVG of f into a malloc'd string. */
static char *svg_of(struct an_flame *f, const struct an_svg_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct an_err err;

	CHECK(an_svg_write(m, f, o, &err) == AN_OK);
	fclose(m);
	return buf;
}

static void test_svg_document(void)
{
	struct an_flame *f1 = an_flame_new(1, 0, 0), *f2 = an_flame_new(1, 0, 0);
	struct an_flame *empty = an_flame_new(1, 0, 0);
	struct an_svg_opts o;
	char *a, *b;

	an_svg_opts_init(&o);
	add(f1, "m;x_[j]", 3, 0);
	add(f1, "m;y", 1, 0);
	add(f2, "m;y", 1, 0);
	add(f2, "m;x_[j]", 3, 0);
	a = svg_of(f1, &o);
	b = svg_of(f2, &o);
	CHECK_STR(a, b);    /* input order does not matter */
	CHECK(strstr(a, "<title>x (3 samples, 75.00%)</title>") != NULL);
	CHECK(strstr(a, "<script><![CDATA[") != NULL && strstr(a, "]]></script>\n</svg>\n"));
	/* exactly one CDATA end: names and options never reach the script */
	CHECK(strstr(strstr(a, "]]>") + 3, "]]>") == NULL);
	free(b);
	o.keep_annotations = 1;
	b = svg_of(f1, &o);
	CHECK(strstr(b, "<title>x_[j] (3 samples") != NULL);
	free(a);
	free(b);
	a = svg_of(empty, &o);
	CHECK(strstr(a, ">no samples</text>") != NULL);
	free(a);
	an_flame_free(f1);
	an_flame_free(f2);
	an_flame_free(empty);
}

static void test_svg_diff_colours(void)
{
	struct an_flame *f = an_flame_new(2, 0, 0);
	struct an_svg_opts o;
	char *s;

	an_svg_opts_init(&o);
	add(f, "m;grew", 1, 11);
	add(f, "m;shrank", 6, 1);
	add(f, "m;same", 3, 3);
	s = svg_of(f, &o);
	/* the largest change (+10) is full red; -5 is half-saturated blue */
	CHECK(strstr(s, "grew (11 samples, 73.33%; was 1, +10, +1000.00%)</title><rect") != NULL);
	CHECK(strstr(s, "fill=\"rgb(255,0,0)\"") != NULL);
	CHECK(strstr(s, "fill=\"rgb(110,110,255)\"") != NULL);
	CHECK(strstr(s, "fill=\"rgb(245,245,245)\"") != NULL);
	free(s);
	o.negate = 1;
	s = svg_of(f, &o);
	CHECK(strstr(s, "fill=\"rgb(0,0,255)\"") != NULL);
	CHECK(strstr(s, "fill=\"rgb(255,110,110)\"") != NULL);
	free(s);
	an_flame_free(f);
}

int main(void)
{
	RUN(test_merge_and_order);
	RUN(test_reverse);
	RUN(test_min_value_keeps_gaps);
	RUN(test_diff_counts);
	RUN(test_diff_counts_late);
	RUN(test_strip_diff);
	RUN(test_overflow_and_cap);
	RUN(test_read_errors);
	RUN(test_frame_kind);
	RUN(test_escape);
	RUN(test_min_value);
	RUN(test_parse_names);
	RUN(test_svg_document);
	RUN(test_svg_diff_colours);
	return unit_done();
}
