/* Unit tests of an_perf (perf script to stacks) and an_stacks (format
 * detection, reading through a filter into a sink). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "an_perf.h"
#include "an_stacks.h"
#include "unit.h"

static char got[4096];

static int collect(void *ctx, const char *stack, size_t len, uint64_t count,
		   struct an_err *err)
{
	size_t n = strlen(got);

	(void)ctx;
	(void)err;
	snprintf(got + n, sizeof got - n, "%.*s %llu\n", (int)len, stack,
		 (unsigned long long)count);
	return AN_OK;
}

/* Feed text line by line; returns the status, got holds the stacks. */
static int feed(const struct an_perf_opts *o, const char *text, struct an_err *err)
{
	struct an_perf *p = an_perf_new(o);
	const char *s = text;
	int rc = AN_OK;

	got[0] = '\0';
	while (rc == AN_OK && *s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);

		rc = an_perf_feed(p, s, len, collect, NULL, err);
		s += len + (nl ? 1 : 0);
	}
	if (rc == AN_OK)
		rc = an_perf_finish(p, collect, NULL, err);
	an_perf_free(p);
	return rc;
}

static const char *name(const char *sym, const char *mod)
{
	static char out[256];
	size_t n = an_perf_frame_name(sym, strlen(sym), mod, strlen(mod), out, sizeof out - 1);

	if (n == (size_t)-1)
		return "TOO LONG";
	out[n] = '\0';
	return out;
}

static void test_frame_names(void)
{
	const char *map = "/tmp/perf-4242.map";

	CHECK_STR(name("java.lang.String org.example.Foo.bar(java.lang.String, boolean)+0x146", map),
		  "org/example/Foo.bar");
	CHECK_STR(name("long org.example.Hot.work(int)", map), "org/example/Hot.work");
	CHECK_STR(name("java.lang.Object[] java.util.ArrayList.grow()+0x1", map),
		  "java/util/ArrayList.grow");
	CHECK_STR(name("void org.example.Outer$Inner.<init>(int)", map),
		  "org/example/Outer$Inner.<init>");
	CHECK_STR(name("int org.example.Hot$$Lambda$14/0x0000000800c0b000.applyAsInt(int)", map),
		  "org/example/Hot$$Lambda$14.0x0000000800c0b000.applyAsInt");
	CHECK_STR(name("Interpreter+0x7af", map), "Interpreter");
	CHECK_STR(name("StubRoutines (1)+0xc9", map), "StubRoutines");
	CHECK_STR(name("I2C/C2I adapters", map), "I2C/C2I adapters");
	CHECK_STR(name("clear_page_erms+0x7", "[kernel.kallsyms]"), "clear_page_erms_[k]");
	CHECK_STR(name("do_syscall_64", "/boot/vmlinux"), "do_syscall_64_[k]");
	CHECK_STR(name("[unknown]", "/usr/lib/jvm/lib/server/libjvm.so"), "[libjvm.so]");
	CHECK_STR(name("[unknown]", "[unknown]"), "[unknown]");
	CHECK_STR(name("", ""), "[unknown]");
	CHECK_STR(name("JavaCalls::call_helper(JavaValue*, JavaThread*)+0x302", "libjvm.so"),
		  "JavaCalls::call_helper");
	CHECK_STR(name("(anonymous namespace)::f", "a.so"), "(anonymous namespace)::f");
	CHECK_STR(name("a;b\"c'", "a.so"), "a:bc");
	/* the perf-map rule only for a perf-PID.map module */
	CHECK_STR(name("long org.example.Hot.work(int)", "/tmp/perf-x.map"), "long org.example.Hot.work");
	CHECK(an_perf_frame_name("abcdef", 6, "", 0, got, 3) == (size_t)-1);
}

static const char *two_events =
	"# header comment\n"
	"VM Thread 42/43 [001]  10.5:   10101010 cpu-clock: \n"
	"\t    7f52948e2aa3 VMThread::loop()+0x3c3 (/usr/lib/libjvm.so)\n"
	"\t          8282d2 start_thread+0x1 (/usr/lib/libc.so.6)\n"
	"\n"
	"java 44  10.6:   20202020 cpu-clock: \n"
	"\tffffffff82256067 clear_page_erms+0x7 ([kernel.kallsyms])\n"
	"\t    7f5294edd846 long a.B.c(int)+0x146 (/tmp/perf-42.map)\n";

static void test_events(void)
{
	struct an_perf_opts o = { 0, NULL, 0 };
	struct an_err err;

	CHECK(feed(&o, two_events, &err) == AN_OK);
	CHECK_STR(got, "[VM Thread tid=43];start_thread;VMThread::loop 1\n"
		       "[java tid=44];a/B.c;clear_page_erms_[k] 1\n");
	o.weight_period = 1;
	CHECK(feed(&o, two_events, &err) == AN_OK);
	CHECK_STR(got, "[VM Thread tid=43];start_thread;VMThread::loop 10101010\n"
		       "[java tid=44];a/B.c;clear_page_erms_[k] 20202020\n");
}

static void test_event_types(void)
{
	const char *text =
		"a 1 1.0: 1 cpu-clock:\n\tff f (m)\n\n"
		"a 1 1.1: 1 page-faults:\n\tff g (m)\n\n"
		"a 1 1.2: 1 cpu-clock:\n\tff h (m)\n";
	struct an_perf_opts o = { 0, NULL, 0 };
	struct an_perf *p;
	struct an_err err;

	CHECK(feed(&o, text, &err) == AN_OK);
	CHECK_STR(got, "[a tid=1];f 1\n[a tid=1];h 1\n");
	o.event = "page-faults";
	CHECK(feed(&o, text, &err) == AN_OK);
	CHECK_STR(got, "[a tid=1];g 1\n");
	p = an_perf_new(&o);
	CHECK_STR(an_perf_event(p), "page-faults");
	CHECK(an_perf_skipped(p) == 0);
	an_perf_free(p);
}

static void test_malformed(void)
{
	struct an_perf_opts o = { 0, NULL, 0 };
	struct an_err err;

	CHECK(feed(&o, "\tff f (m)\n", &err) == AN_EDATA);
	CHECK_STR(err.msg, "stack frame line before any event header");
	CHECK(feed(&o, "not a header\n", &err) == AN_EDATA);
	CHECK(strncmp(err.msg, "malformed event header", 22) == 0);
	CHECK(feed(&o, "a 1 1.0: 1 cpu-clock:\n\tzz f (m)\n", &err) == AN_EDATA);
	CHECK(strncmp(err.msg, "malformed stack frame line", 26) == 0);
	CHECK(feed(&o, "a 1 1.0: 1 cpu-clock:\n\n", &err) == AN_EDATA);
	CHECK_STR(err.msg, "event without a call chain (record with perf record -g)");
	CHECK(feed(&o, "a 1 1.0: 1 cpu-clock:\n", &err) == AN_EDATA);   /* at the end */
	CHECK(feed(&o, "a 1 1.0: 1 cpu-clock:\n\tff f\xff (m)\n", &err) == AN_EDATA);
	CHECK_STR(err.msg, "invalid UTF-8 at byte 6 of the line");
	o.max_stack = 20;
	CHECK(feed(&o, "a 1 1.0: 1 cpu-clock:\n\tff abcdefgh (m)\n\tff abcdefgh (m)\n", &err) == AN_EDATA);
	CHECK_STR(err.msg, "stack longer than the cap of 20 bytes");
	CHECK(feed(&o, "a 1 1.0: 1 cpu-clock:\n\tff abcdef (m)\n\tff abc (m)\n", &err) == AN_OK);
	CHECK_STR(got, "[a tid=1];abc;abcdef 1\n");   /* exactly 20 bytes */
}

static void test_crlf_and_header_forms(void)
{
	struct an_perf_opts o = { 0, NULL, 0 };
	struct an_err err;

	CHECK(feed(&o, "a b c 7/8 [000] 1.0: 5 cpu-clock: \r\n\tff f (m)\r\n\r\n", &err) == AN_OK);
	CHECK_STR(got, "[a b c tid=8];f 1\n");
	/* no time, no event: accepted as stackcollapse-perf.pl does */
	CHECK(feed(&o, "x 12\n\tff f (m)\n", &err) == AN_OK);
	CHECK_STR(got, "[x tid=12];f 1\n");
}

static void test_detect(void)
{
	CHECK(an_perf_detect("java 18365  2051.364545:   10101010 cpu-clock: ", 46));
	CHECK(an_perf_detect("# ========", 10));
	CHECK(!an_perf_detect("a;b;c 12", 8));
	CHECK(!an_perf_detect("java 1 2", 8));
	CHECK(!an_perf_detect("\tff f (m)", 9));
}

/* an_stacks over a file: detection, filter, sink. */
static int read_text(const char *text, enum an_stacks_format fmt,
		     struct an_stackfilter *f, struct an_stacks_info *info, struct an_err *err)
{
	char path[] = "/tmp/test_perf_XXXXXX";
	int fd = mkstemp(path), rc;
	struct an_reader *r;
	struct an_stacks_opts o;

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	memset(&o, 0, sizeof o);
	o.format = fmt;
	o.filter = f;
	o.sink = collect;
	got[0] = '\0';
	if (an_reader_open(&r, path, err) != AN_OK)
		abort();
	rc = an_stacks_read(&o, r, info, err);
	an_reader_free(r);
	unlink(path);
	return rc;
}

static void test_stacks_read(void)
{
	struct an_stacks_info info;
	struct an_stackfilter *f = an_stackfilter_new(0);
	struct an_err err;

	CHECK(read_text("\n\na;b 2\r\n\na;c 3\n", AN_STACKS_DETECT, NULL, &info, &err) == AN_OK);
	CHECK(info.format == AN_STACKS_COLLAPSED && info.stacks_read == 2);
	CHECK_STR(got, "a;b 2\na;c 3\n");
	CHECK(read_text(two_events, AN_STACKS_DETECT, NULL, &info, &err) == AN_OK);
	CHECK(info.format == AN_STACKS_PERF && info.stacks_kept == 2);
	CHECK_STR(info.event, "cpu-clock");
	an_stackfilter_set_no_threads(f, 1);
	CHECK(read_text(two_events, AN_STACKS_PERF, f, &info, &err) == AN_OK);
	CHECK_STR(got, "start_thread;VMThread::loop 1\na/B.c;clear_page_erms_[k] 1\n");
	CHECK(read_text("", AN_STACKS_DETECT, NULL, &info, &err) == AN_OK);
	CHECK(info.format == AN_STACKS_DETECT && info.stacks_read == 0);
	CHECK(read_text("a;b 1 2\n", AN_STACKS_DETECT, NULL, &info, &err) == AN_EDATA);
	CHECK(strstr(err.msg, ":1: diff-folded input") != NULL);
	CHECK(read_text("a;b 1\na;b x\n", AN_STACKS_COLLAPSED, NULL, &info, &err) == AN_EDATA);
	CHECK(strstr(err.msg, ":2: count 'x' is not a non-negative integer") != NULL);
	/* the one-pass check and the full parser agree, across 8-byte words */
	CHECK(read_text("abcdefg;:hij 1\nabcdefgh;;ij 1\n", AN_STACKS_COLLAPSED, NULL, &info, &err) == AN_EDATA);
	CHECK(strstr(err.msg, ":2: empty frame name (frame 2)") != NULL);
	CHECK(read_text("abcdefg;;hij 1\n", AN_STACKS_COLLAPSED, NULL, &info, &err) == AN_EDATA);
	CHECK(strstr(err.msg, ":1: empty frame name (frame 2)") != NULL);
	CHECK(read_text("abcdefghijklmno; 1\n", AN_STACKS_COLLAPSED, NULL, &info, &err) == AN_EDATA);
	CHECK(read_text(";abcdefghijklmno 1\n", AN_STACKS_COLLAPSED, NULL, &info, &err) == AN_EDATA);
	CHECK(read_text("a;\xc3\xa9t\xc3\xa9;abcdefghij 1\nabcdefg;:hij 2\n", AN_STACKS_COLLAPSED, NULL,
			&info, &err) == AN_OK);
	CHECK_STR(got, "a;\xc3\xa9t\xc3\xa9;abcdefghij 1\nabcdefg;:hij 2\n");
	CHECK(read_text("abcdefghij;k\xe9 1\n", AN_STACKS_COLLAPSED, NULL, &info, &err) == AN_EDATA);
	CHECK(strstr(err.msg, ":1: invalid UTF-8 at byte 13 of the stack") != NULL);
	/* forcing collapsed on perf text fails on its first line */
	CHECK(read_text(two_events, AN_STACKS_COLLAPSED, NULL, &info, &err) == AN_EDATA);
	CHECK(strstr(err.msg, ":1: ") != NULL);
	an_stackfilter_free(f);
}

int main(void)
{
	RUN(test_frame_names);
	RUN(test_events);
	RUN(test_event_types);
	RUN(test_malformed);
	RUN(test_crlf_and_header_forms);
	RUN(test_detect);
	RUN(test_stacks_read);
	return unit_done();
}
