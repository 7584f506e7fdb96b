/* Unit tests of an_normalize: each rule alone, the rules together, frames
 * a rule must leave alone, and whole stacks. */
#include <stdlib.h>
#include <string.h>

#include "an_normalize.h"
#include "unit.h"

static char out[512];

static const char *norm(unsigned rules, const char *in)
{
	size_t n = an_normalize_frame(rules, in, strlen(in), out);

	out[n] = '\0';
	return out;
}

static void test_annotations(void)
{
	CHECK_STR(norm(AN_NORM_ANNOTATIONS, "java/lang/String.split_[j]"), "java/lang/String.split");
	CHECK_STR(norm(AN_NORM_ANNOTATIONS, "a_[i]"), "a");
	CHECK_STR(norm(AN_NORM_ANNOTATIONS, "read_[k]"), "read");
	CHECK_STR(norm(AN_NORM_ANNOTATIONS, "Foo.bar_[0]"), "Foo.bar");
	CHECK_STR(norm(AN_NORM_ANNOTATIONS, "Foo.bar_[1]"), "Foo.bar");
	/* not annotations */
	CHECK_STR(norm(AN_NORM_ANNOTATIONS, "Foo.bar_[x]"), "Foo.bar_[x]");
	CHECK_STR(norm(AN_NORM_ANNOTATIONS, "Foo.bar[j]"), "Foo.bar[j]");
	/* a frame that is only an annotation is kept, never emptied */
	CHECK_STR(norm(AN_NORM_ANNOTATIONS, "_[j]"), "_[j]");
	CHECK_STR(norm(0, "Foo.bar_[j]"), "Foo.bar_[j]");
}

static void test_lines(void)
{
	CHECK_STR(norm(AN_NORM_LINES, "org/acme/Db.query:120"), "org/acme/Db.query");
	CHECK_STR(norm(AN_NORM_LINES, "org/acme/Db.query:120_[j]"), "org/acme/Db.query_[j]");
	CHECK_STR(norm(AN_NORM_LINES | AN_NORM_ANNOTATIONS, "org/acme/Db.query:7_[j]"),
		  "org/acme/Db.query");
	CHECK_STR(norm(AN_NORM_LINES, "JavaCalls::call_helper"), "JavaCalls::call_helper");
	CHECK_STR(norm(AN_NORM_LINES, "a:"), "a:");
	CHECK_STR(norm(AN_NORM_LINES, ":123"), ":123");
	CHECK_STR(norm(AN_NORM_LINES, "f:12x"), "f:12x");
}

static void test_addresses(void)
{
	CHECK_STR(norm(AN_NORM_ADDRESSES, "org/acme/Foo$$Lambda$17.0x00007f3c1c0a2b40.apply"),
		  "org/acme/Foo$$Lambda$17.apply");
	CHECK_STR(norm(AN_NORM_ADDRESSES, "java/lang/invoke/LambdaForm$MH.0x0000000800c0c400.invoke"),
		  "java/lang/invoke/LambdaForm$MH.invoke");
	CHECK_STR(norm(AN_NORM_ADDRESSES, "Foo$$Lambda$14/0x0000000800c0b000.run"),
		  "Foo$$Lambda$14.run");
	CHECK_STR(norm(AN_NORM_ADDRESSES, "[unknown <0x7f00aa>]"), "[unknown <0x>]");
	CHECK_STR(norm(AN_NORM_ADDRESSES, "0x7f001234"), "0x");
	CHECK_STR(norm(AN_NORM_ADDRESSES, ".0x12"), ".0x");
	/* inside a word: not an address */
	CHECK_STR(norm(AN_NORM_ADDRESSES, "abc0x12"), "abc0x12");
	CHECK_STR(norm(AN_NORM_ADDRESSES, "foo 0x"), "foo 0x");
}

static void test_lambdas(void)
{
	CHECK_STR(norm(AN_NORM_LAMBDAS, "org/acme/Foo$$Lambda$17.apply"), "org/acme/Foo$$Lambda.apply");
	CHECK_STR(norm(AN_NORM_LAMBDAS, "Foo$$Lambda$3/123456.run"), "Foo$$Lambda.run");
	CHECK_STR(norm(AN_NORM_LAMBDAS, "Foo$$Lambda.run"), "Foo$$Lambda.run");
	CHECK_STR(norm(AN_NORM_LAMBDAS, "jdk/internal/reflect/GeneratedMethodAccessor123.invoke"),
		  "jdk/internal/reflect/GeneratedMethodAccessor.invoke");
	CHECK_STR(norm(AN_NORM_LAMBDAS, "GeneratedConstructorAccessor12.newInstance"),
		  "GeneratedConstructorAccessor.newInstance");
	CHECK_STR(norm(AN_NORM_LAMBDAS, "GeneratedSerializationConstructorAccessor7.x"),
		  "GeneratedSerializationConstructorAccessor.x");
	CHECK_STR(norm(AN_NORM_LAMBDAS, "com/sun/proxy/$Proxy45.query"), "com/sun/proxy/$Proxy.query");
	CHECK_STR(norm(AN_NORM_LAMBDAS, "$ProxyFactory.make"), "$ProxyFactory.make");
	/* a lambda's own method keeps its number: it names the source lambda */
	CHECK_STR(norm(AN_NORM_LAMBDAS, "Foo.lambda$run$0"), "Foo.lambda$run$0");
	/* the address form of JDK 21 is the addresses rule's */
	CHECK_STR(norm(AN_NORM_LAMBDAS, "Foo$$Lambda.0x0000000801001a00.run"),
		  "Foo$$Lambda.0x0000000801001a00.run");
}

static void test_tids(void)
{
	CHECK_STR(norm(AN_NORM_TIDS, "[pool-1-thread-11 tid=23791]"), "[pool-1-thread-11]");
	CHECK_STR(norm(AN_NORM_TIDS, "[C2 CompilerThre tid=23637]"), "[C2 CompilerThre]");
	CHECK_STR(norm(AN_NORM_TIDS, "[unknown]"), "[unknown]");
	CHECK_STR(norm(AN_NORM_TIDS, "[x tid=]"), "[x tid=]");
	CHECK_STR(norm(AN_NORM_TIDS, "a tid=5]"), "a tid=5]");
}

static void test_all(void)
{
	CHECK_STR(norm(AN_NORM_ALL, "org/acme/Foo$$Lambda$17.0x00007f3c1c0a2b40.apply_[j]"),
		  "org/acme/Foo$$Lambda.apply");
	CHECK_STR(norm(AN_NORM_ALL, "Foo$$Lambda$17/0x0000000800c0b000.apply:12_[i]"),
		  "Foo$$Lambda.apply");
	CHECK_STR(norm(AN_NORM_ALL, "plain"), "plain");
}

static void test_stack(void)
{
	char buf[256];
	const char *in = "[t tid=1];a_[0];Foo$$Lambda$1.0x10.run_[j];b:3";
	size_t n;

	strcpy(buf, in);
	n = an_normalize_stack(AN_NORM_ALL, buf, strlen(buf), buf);
	CHECK_MEM(buf, n, "[t];a;Foo$$Lambda.run;b");
	n = an_normalize_stack(0, in, strlen(in), buf);
	CHECK_MEM(buf, n, in);
	n = an_normalize_stack(AN_NORM_ANNOTATIONS, "x_[j]", 5, buf);
	CHECK_MEM(buf, n, "x");
}

static void test_parse_rules(void)
{
	unsigned r = 99;
	struct an_err err;

	CHECK(an_normalize_parse_rules("annotations,lines", &r, &err) == AN_OK);
	CHECK(r == (AN_NORM_ANNOTATIONS | AN_NORM_LINES));
	CHECK(an_normalize_parse_rules("all", &r, &err) == AN_OK && r == AN_NORM_ALL);
	CHECK(an_normalize_parse_rules("none", &r, &err) == AN_OK && r == 0);
	CHECK(an_normalize_parse_rules("lambdas,bogus", &r, &err) == AN_EDATA);
	CHECK_STR(err.msg, "unknown normalisation rule 'bogus'");
	CHECK(an_normalize_parse_rules("lines,", &r, &err) == AN_EDATA);
	CHECK_STR(err.msg, "unknown normalisation rule ''");
}

int main(void)
{
	RUN(test_annotations);
	RUN(test_lines);
	RUN(test_addresses);
	RUN(test_lambdas);
	RUN(test_tids);
	RUN(test_all);
	RUN(test_stack);
	RUN(test_parse_rules);
	return unit_done();
}
