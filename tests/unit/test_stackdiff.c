/* Unit tests of an_stackdiff: difffolded.pl's scaling and hex stripping,
 * and the frame table (shares, recursion, new/gone, ranking ties). */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "an_normalize.h"
#include "an_stackdiff.h"
#include "unit.h"

static void add(struct an_stackdiff *d, int side, const char *stack, uint64_t n)
{
	struct an_err err;

	CHECK(an_stackdiff_add(d, side, stack, strlen(stack), n, &err) == AN_OK);
}

/* The table of d as rows; frees nothing (callers free *rows). */
static size_t table(struct an_stackdiff *d, enum an_stackdiff_metric m,
		    double min_delta, size_t limit, struct an_stackdiff_row **rows)
{
	struct an_stackdiff_table_opts o = { m, min_delta, limit };
	struct an_err err;
	size_t n = 0;

	CHECK(an_stackdiff_table(d, &o, rows, &n, &err) == AN_OK);
	return n;
}

static const struct an_stackdiff_row *row(const struct an_stackdiff_row *rows,
					  size_t n, const char *frame)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rows[i].frame_len == strlen(frame) &&
		    memcmp(rows[i].frame, frame, rows[i].frame_len) == 0)
			return &rows[i];
	return NULL;
}

static int near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static void test_scale_as_perl(void)
{
	CHECK(an_stackdiff_scale(1, 3, 10) == 3);
	CHECK(an_stackdiff_scale(2, 3, 10) == 6);
	CHECK(an_stackdiff_scale(7, 7, 7) == 7);        /* equal totals: as is */
	CHECK(an_stackdiff_scale(0, 0, 10) == 0);       /* empty before */
	CHECK(an_stackdiff_scale(5, 10, 0) == 0);       /* empty after */
	/* beyond 64 bits the scaled count saturates, as totals do */
	CHECK(an_stackdiff_scale(UINT64_MAX - 4, 3, 4) == UINT64_MAX);
	CHECK(an_stackdiff_scale(UINT64_MAX / 2, 2, 3) == UINT64_MAX);
	/* product beyond 2^53, exact: Perl's integer division */
	CHECK(an_stackdiff_scale(3, 6, 1ull << 60) == 1ull << 59);
	/* product beyond 2^53, inexact: a double division, digits lost */
	CHECK(an_stackdiff_scale(1, 6, 1ull << 60) == 192153584101141152ull);
	/* product over 64 bits: multiplied in doubles */
	CHECK(an_stackdiff_scale(9007199254740993ull, 9007199254740996ull,
				 9007199254740998ull) == 9007199254740994ull);
}

static char *folded(struct an_stackdiff *d, int scale)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct an_err err;

	CHECK(an_stackdiff_write_folded(d, scale, f, &err) == AN_OK);
	fclose(f);
	return buf;
}

static void test_strip_hex(void)
{
	struct an_stackdiff *d = an_stackdiff_new(1, 0);
	char *out;

	add(d, 0, "t;0x7f00aa;f", 2);
	add(d, 1, "t;0xDEADbeef;f", 3);
	add(d, 0, "0x0x12;0Xab;0x;a0x1fz", 1);
	out = folded(d, 0);
	CHECK_STR(out, "0x...x12;0Xab;0x;a0x...z 1 0\nt;0x...;f 2 3\n");
	free(out);
	an_stackdiff_free(d);
}

/* Normalised names merge before hex stripping sees them. */
static void test_normalize_then_strip(void)
{
	struct an_stackdiff *d = an_stackdiff_new(1, 0);
	char *out;

	an_stackdiff_set_normalize(d, AN_NORM_ANNOTATIONS | AN_NORM_LAMBDAS);
	add(d, 0, "m_[j];F$$Lambda$5.0x00007fdb1c000c08.run_[1]", 2);
	add(d, 1, "m_[i];F$$Lambda$9.0x00007f8ee4007000.run_[0]", 3);
	out = folded(d, 0);
	CHECK_STR(out, "m;F$$Lambda.0x....run 2 3\n");
	free(out);
	an_stackdiff_free(d);
}

static void test_folded_order_and_zero(void)
{
	struct an_stackdiff *d = an_stackdiff_new(0, 0);
	char *out;

	add(d, 1, "b;c", 4);
	add(d, 0, "a b", 1);
	add(d, 0, "a", 0);      /* printed as difffolded.pl does: "a 0 0" */
	add(d, 0, "a;b", 2);
	add(d, 0, "b;c", 1);
	out = folded(d, 0);
	CHECK_STR(out, "a 0 0\na b 1 0\na;b 2 0\nb;c 1 4\n");
	free(out);
	out = folded(d, 1);       /* before total 4, after total 4: as is */
	CHECK_STR(out, "a 0 0\na b 1 0\na;b 2 0\nb;c 1 4\n");
	free(out);
	add(d, 1, "z", 4);        /* after total 8: doubled */
	out = folded(d, 1);
	CHECK_STR(out, "a 0 0\na b 2 0\na;b 4 0\nb;c 2 4\nz 0 4\n");
	free(out);
	an_stackdiff_free(d);
}

static void test_shares_recursion_once(void)
{
	struct an_stackdiff *d = an_stackdiff_new(0, 0);
	struct an_stackdiff_row *rows;
	const struct an_stackdiff_row *r;
	size_t n;

	add(d, 0, "main;walk;walk;walk;leaf", 3);
	add(d, 0, "main;walk", 1);
	add(d, 1, "main;walk;walk", 2);
	add(d, 1, "main;other", 6);
	n = table(d, AN_STACKDIFF_TOTAL, 0, 0, &rows);
	CHECK(n == 4);
	r = row(rows, n, "walk");
	CHECK(r && r->total[0] == 4 && r->total[1] == 2);   /* not 10 and 4 */
	CHECK(r && r->self[0] == 1 && r->self[1] == 2);
	CHECK(r && near(r->total_pct[0], 100) && near(r->total_pct[1], 25));
	CHECK(r && near(r->delta_total, -75) && near(r->rel_change, -75));
	CHECK(r && near(r->self_pct[0], 25) && near(r->delta_self, 0));
	CHECK(r && r->status == AN_STACKDIFF_CHANGED);
	r = row(rows, n, "main");
	CHECK(r && r->status == AN_STACKDIFF_SAME && near(r->rel_change, 0));
	r = row(rows, n, "leaf");
	CHECK(r && r->status == AN_STACKDIFF_GONE && near(r->rel_change, -100));
	r = row(rows, n, "other");
	CHECK(r && r->status == AN_STACKDIFF_NEW && isinf(r->rel_change));
	CHECK(r && near(r->self_pct[1], 75) && r->self_pct[0] == 0);
	/* ranked by |delta total|: walk 75, other 75 (by name), leaf 75 ... */
	CHECK(rows[0].frame[0] == 'l' && rows[1].frame[0] == 'o' &&
	      rows[2].frame[0] == 'w' && rows[3].frame[0] == 'm');
	free(rows);
	an_stackdiff_free(d);
}

static void test_same_when_proportional(void)
{
	struct an_stackdiff *d = an_stackdiff_new(0, 0);
	struct an_stackdiff_row *rows;
	size_t n, i;

	add(d, 0, "a;b", 1);
	add(d, 0, "a;c", 3);
	add(d, 1, "a;b", 5);
	add(d, 1, "a;c", 15);
	n = table(d, AN_STACKDIFF_SELF, 0, 0, &rows);
	CHECK(n == 3);
	for (i = 0; i < n; i++)
		CHECK(rows[i].status == AN_STACKDIFF_SAME);
	/* all deltas 0: by name; a has no self share: NaN */
	CHECK(rows[0].frame[0] == 'a' && isnan(rows[0].rel_change));
	free(rows);
	an_stackdiff_free(d);
}

/* Equal |delta| exactly, though the doubles differ in the last bits:
 * 3/7 - 1/3 = 2/21 and 4/7 - 2/3 = -2/21.  The name decides. */
static void test_exact_ties(void)
{
	struct an_stackdiff *d = an_stackdiff_new(0, 0);
	struct an_stackdiff_row *rows;
	size_t n;

	add(d, 0, "a_up", 1);
	add(d, 0, "z_down", 2);
	add(d, 1, "a_up", 3);
	add(d, 1, "z_down", 4);
	n = table(d, AN_STACKDIFF_TOTAL, 0, 0, &rows);
	CHECK(n == 2);
	CHECK(n == 2 && rows[0].frame[0] == 'a' && rows[1].frame[0] == 'z');
	CHECK(n == 2 && fabs(rows[1].delta_total) > fabs(rows[0].delta_total));
	free(rows);
	an_stackdiff_free(d);
}

static void test_min_delta_limit_zero(void)
{
	struct an_stackdiff *d = an_stackdiff_new(0, 0);
	struct an_stackdiff_row *rows;
	size_t n;

	add(d, 1, "x;a", 1);
	add(d, 1, "x;b", 3);
	add(d, 0, "x;zero", 0);   /* no samples anywhere: no row */
	n = table(d, AN_STACKDIFF_SELF, 30, 0, &rows);
	CHECK(n == 1 && rows[0].frame[0] == 'b');
	CHECK(n == 1 && rows[0].self_pct[0] == 0 && near(rows[0].self_pct[1], 75));
	free(rows);
	n = table(d, AN_STACKDIFF_TOTAL, 0, 2, &rows);
	CHECK(n == 2 && rows[0].frame[0] == 'x' && rows[1].frame[0] == 'b');
	free(rows);
	n = table(d, AN_STACKDIFF_TOTAL, 100.5, 0, &rows);
	CHECK(n == 0 && rows == NULL);
	an_stackdiff_free(d);
}

static void test_write_table(void)
{
	struct an_stackdiff *d = an_stackdiff_new(0, 0);
	struct an_stackdiff_row *rows;
	char *buf = NULL;
	size_t len = 0, n;
	FILE *f = open_memstream(&buf, &len);
	struct an_err err;

	add(d, 0, "r;t\tab\\x", 1);
	add(d, 1, "r;new", 2);
	n = table(d, AN_STACKDIFF_TOTAL, 0, 0, &rows);
	CHECK(an_stackdiff_write_table(rows, n, f, &err) == AN_OK);
	fclose(f);
	CHECK_STR(buf, "frame\tbefore_self%\tafter_self%\tdelta_self%\tbefore_total%\t"
		  "after_total%\tdelta_total%\trel_change%\tstatus\n"
		  "new\t0.000\t100.000\t100.000\t0.000\t100.000\t100.000\t+Inf\tnew\n"
		  "t\\tab\\\\x\t100.000\t0.000\t-100.000\t100.000\t0.000\t-100.000\t-100.000\tgone\n"
		  "r\t0.000\t0.000\t0.000\t100.000\t100.000\t0.000\t0.000\tsame\n");
	free(buf);
	free(rows);
	an_stackdiff_free(d);
}

static int read_text(struct an_stackdiff *d, int side, const char *text,
		     struct an_err *err)
{
	char path[] = "/tmp/test_stackdiff.XXXXXX";
	int fd = mkstemp(path), rc;
	struct an_reader *r;

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return -1;
	close(fd);
	rc = an_reader_open(&r, path, err);
	if (rc == AN_OK) {
		rc = an_stackdiff_read(d, r, side, err);
		an_reader_free(r);
	}
	unlink(path);
	return rc;
}

static void test_read(void)
{
	struct an_stackdiff *d = an_stackdiff_new(0, 0);
	struct an_err err;

	CHECK(read_text(d, 0, "\na;b 2\r\n\na;b 3\nfr ame 1\n", &err) == AN_OK);
	CHECK(an_stackdiff_total(d, 0) == 6 && an_stackdiff_stacks(d) == 2);
	CHECK(read_text(d, 1, "a;b 1 2\n", &err) == AN_EDATA);
	CHECK(strstr(err.msg, ":1: line ends in two counts: this is diff-folded") != NULL);
	CHECK(read_text(d, 1, "a;b 1\na;;c 2\n", &err) == AN_EDATA);
	CHECK(strstr(err.msg, ":2: empty frame name (frame 2)") != NULL);
	CHECK(read_text(d, 1, "a;b -4\n", &err) == AN_EDATA);
	CHECK(strstr(err.msg, ":1: negative count '-4'") != NULL);
	an_stackdiff_free(d);
}

static void test_memory_cap(void)
{
	struct an_stackdiff *d = an_stackdiff_new(0, 4096);
	struct an_err err;
	char stack[64];
	int i, rc = AN_OK;

	for (i = 0; i < 1000 && rc == AN_OK; i++) {
		snprintf(stack, sizeof stack, "frame%d", i);
		rc = an_stackdiff_add(d, 0, stack, strlen(stack), 1, &err);
	}
	CHECK(rc == AN_ESYS && err.msg[0] != '\0');
	an_stackdiff_free(d);
}

int main(void)
{
	RUN(test_scale_as_perl);
	RUN(test_strip_hex);
	RUN(test_normalize_then_strip);
	RUN(test_folded_order_and_zero);
	RUN(test_shares_recursion_once);
	RUN(test_same_when_proportional);
	RUN(test_exact_ties);
	RUN(test_min_delta_limit_zero);
	RUN(test_write_table);
	RUN(test_read);
	RUN(test_memory_cap);
	return unit_done();
}
