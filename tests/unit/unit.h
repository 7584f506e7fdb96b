/*
 * unit.h - a minimal unit-test harness (one binary per engine module).
 *
 *   static void test_something(void) { CHECK(x == 1); CHECK_STR(a, "b"); }
 *   int main(void) { RUN(test_something); return unit_done(); }
 *
 * Each test prints "PASS name" or "FAIL name" (after its failed checks,
 * "  file:line: expression"); tests/run.sh counts those lines.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed_checks, unit_tests_failed;

#define CHECK(cond) do { \
	if (!(cond)) { \
		unit_failed_checks++; \
		printf("  %s:%d: CHECK(%s)\n", __FILE__, __LINE__, #cond); \
	} } while (0)

#define CHECK_STR(a, b) do { \
	const char *a_ = (a), *b_ = (b); \
	if (!a_ || !b_ || strcmp(a_, b_) != 0) { \
		unit_failed_checks++; \
		printf("  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
		       a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
	} } while (0)

#define CHECK_MEM(a, alen, b) do { \
	size_t blen_ = strlen(b); \
	if ((alen) != blen_ || memcmp((a), (b), blen_) != 0) { \
		unit_failed_checks++; \
		printf("  %s:%d: \"%.*s\" != \"%s\"\n", __FILE__, __LINE__, \
		       (int)(alen), (a), (b)); \
	} } while (0)

#define RUN(fn) do { \
	int before_ = unit_failed_checks; \
	fn(); \
	if (unit_failed_checks != before_) { \
		unit_tests_failed++; \
		printf("FAIL %s\n", #fn); \
	} else { \
		printf("PASS %s\n", #fn); \
	} \
	fflush(stdout); } while (0)

static inline int unit_done(void)
{
	return unit_tests_failed ? 1 : 0;
}

#endif
