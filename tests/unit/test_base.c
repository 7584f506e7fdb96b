/* Unit tests of the engine's base modules: an_err, an_num, an_text,
 * an_reader, an_strmap, an_collapsed. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "an_collapsed.h"
#include "an_err.h"
#include "an_num.h"
#include "an_reader.h"
#include "an_strmap.h"
#include "an_text.h"
#include "unit.h"

static void test_err_quote(void)
{
	char q[16];

	CHECK_STR(an_err_quote(q, sizeof q, "a\tb\\", 4), "a\\x09b\\\\");
	CHECK_STR(an_err_quote(q, sizeof q, "0123456789abcdef", 16), "0123456789ab...");
}

static void test_err_prefix(void)
{
	struct an_err e;

	an_err_set(&e, AN_EDATA, "bad %s", "thing");
	an_err_prefix(&e, "%s:%d", "f", 3);
	CHECK_STR(e.msg, "f:3: bad thing");
	CHECK(e.status == AN_EDATA);
}

static void test_num_fmt(void)
{
	char b[AN_NUM_BUF];

	CHECK_STR(an_num_fmt(b, 0.1), "0.1");
	CHECK_STR(an_num_fmt(b, 1.0 / 3), "0.3333333333333333");
	CHECK_STR(an_num_fmt(b, NAN), "NaN");
	CHECK_STR(an_num_fmt(b, -INFINITY), "-Inf");
	CHECK_STR(an_num_fmt(b, -0.0), "0");
	CHECK_STR(an_num_fmt(b, 1795920561), "1795920561");
	CHECK_STR(an_num_fmt_fixed(b, -0.0001, 2), "0.00");
	CHECK_STR(an_num_fmt_fixed(b, 2.5, 3), "2.500");
	CHECK_STR(an_num_fmt_u64(b, 18446744073709551615ull), "18446744073709551615");
}

static void test_num_parse(void)
{
	uint64_t u;
	double d;

	CHECK(an_num_parse_u64("18446744073709551615", 20, &u) == 0 && u == UINT64_MAX);
	CHECK(an_num_parse_u64("18446744073709551616", 20, &u) == -2);
	CHECK(an_num_parse_u64("", 0, &u) == -1);
	CHECK(an_num_parse_u64("-1", 2, &u) == -1);
	CHECK(an_num_parse_double("+Inf", 4, &d) == 0 && isinf(d) && d > 0);
	CHECK(an_num_parse_double("NaN", 3, &d) == 0 && isnan(d));
	CHECK(an_num_parse_double("1e-3", 4, &d) == 0 && d == 1e-3);
	CHECK(an_num_parse_double("0x10", 4, &d) == -1);
	CHECK(an_num_parse_double(" 1", 2, &d) == -1);
}

static void test_utf8(void)
{
	CHECK(an_utf8_valid_prefix("abc", 3) == 3);
	CHECK(an_utf8_valid_prefix("a\xc3\xa9z", 4) == 4);
	CHECK(an_utf8_valid_prefix("ab\xc3", 3) == 2);      /* truncated */
	CHECK(an_utf8_valid_prefix("\xc0\x80", 2) == 0);    /* overlong */
	CHECK(an_utf8_valid_prefix("\xed\xa0\x80", 3) == 0); /* surrogate */
	CHECK(an_utf8_valid_prefix("12345678\xff", 9) == 8);
	CHECK(an_utf8_valid_prefix("\xf0\x9f\x94\xa5", 4) == 4);
}

static void test_tsv_escape_roundtrip(void)
{
	char buf[64];
	char *mem = NULL;
	size_t n = 0, m;
	FILE *f = open_memstream(&mem, &n);

	an_tsv_write_escaped(f, "a,b=c\\d\te\nf", 11);
	fclose(f);
	CHECK_STR(mem, "a\\,b\\=c\\\\d\\te\\nf");
	memcpy(buf, mem, n + 1);
	m = an_tsv_unescape(buf, n);
	CHECK_MEM(buf, m, "a,b=c\\d\te\nf");
	CHECK(an_tsv_unescape(buf, 0) == 0);
	memcpy(buf, "x\\", 2);
	CHECK(an_tsv_unescape(buf, 2) == (size_t)-1);
	/* the same escape into a buffer */
	m = an_tsv_escape(buf, "a,b=c\\d\te\nf\r", 12);
	CHECK_MEM(buf, m, "a\\,b\\=c\\\\d\\te\\nf\\r");
	free(mem);
}

static char *write_tmp(const char *content, size_t len, int gz)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/unit-reader-XXXXXX");
	fd = mkstemp(path);
	if (gz) {
		gzFile g = gzdopen(fd, "wb");

		gzwrite(g, content, (unsigned)len);
		gzclose(g);
	} else {
		if (write(fd, content, len) != (ssize_t)len)
			abort();
		close(fd);
	}
	return path;
}

static void test_reader_lines(void)
{
	struct an_reader *r;
	struct an_err e;
	char *line;
	size_t len;
	char *path = write_tmp("one\ntwo\r\nthree", 14, 1);

	CHECK(an_reader_open(&r, path, &e) == AN_OK);
	CHECK(an_reader_getline(r, &line, &len, &e) == 1);
	CHECK_MEM(line, len, "one");
	CHECK(an_reader_getline(r, &line, &len, &e) == 1);
	CHECK_MEM(line, len, "two\r");
	CHECK(an_reader_getline(r, &line, &len, &e) == 1);
	CHECK_MEM(line, len, "three");
	CHECK(an_reader_lineno(r) == 3);
	CHECK(an_reader_getline(r, &line, &len, &e) == 0);
	CHECK(an_reader_is_gzip(r));
	an_reader_free(r);
	unlink(path);
}

static void test_reader_cap_and_long_lines(void)
{
	struct an_reader *r;
	struct an_err e;
	char *line;
	size_t len, n = 600000;
	char *big = malloc(n + 3);
	char *path;

	memset(big, 'x', n);
	memcpy(big + n, "\ny\n", 3);
	path = write_tmp(big, n + 3, 0);
	CHECK(an_reader_open(&r, path, &e) == AN_OK);
	CHECK(an_reader_getline(r, &line, &len, &e) == 1 && len == n);
	CHECK(an_reader_getline(r, &line, &len, &e) == 1 && len == 1);
	an_reader_free(r);
	CHECK(an_reader_open(&r, path, &e) == AN_OK);
	an_reader_set_line_max(r, 1000);
	CHECK(an_reader_getline(r, &line, &len, &e) == -1);
	CHECK(strstr(e.msg, ":1: line longer than the cap of 1000 bytes") != NULL);
	an_reader_free(r);
	unlink(path);
	free(big);
}

static void test_reader_truncated_gzip(void)
{
	struct an_reader *r;
	struct an_err e;
	char *line;
	size_t len;
	char data[4096];
	char *path;
	FILE *f;
	long sz;
	int rc;

	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (char)('a' + (i * 7919) % 26);
	path = write_tmp(data, sizeof data, 1);
	f = fopen(path, "r+");
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	fclose(f);
	CHECK(truncate(path, sz - 10) == 0);
	CHECK(an_reader_open(&r, path, &e) == AN_OK);
	while ((rc = an_reader_getline(r, &line, &len, &e)) == 1)
		;
	CHECK(rc == -1);
	CHECK(e.status == AN_EDATA && strstr(e.msg, "truncated gzip") != NULL);
	an_reader_free(r);
	unlink(path);
}

static void test_reader_missing_file(void)
{
	struct an_reader *r;
	struct an_err e;

	CHECK(an_reader_open(&r, "/nonexistent/x", &e) == AN_ESYS);
	CHECK_STR(e.msg, "cannot open '/nonexistent/x': No such file or directory");
	CHECK(r == NULL);
}

static void test_strmap(void)
{
	struct an_strmap *m = an_strmap_new(sizeof(uint64_t), 0);
	struct an_err e;
	char key[32];
	int is_new;
	size_t len;

	for (int i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof key, "k%d", i);
		int64_t id = an_strmap_intern(m, key, (size_t)n, &is_new, &e);

		CHECK(id == i && is_new);
		*(uint64_t *)an_strmap_data(m, (size_t)id) += (uint64_t)i;
	}
	CHECK(an_strmap_intern(m, "k42", 3, &is_new, &e) == 42 && !is_new);
	CHECK(an_strmap_find(m, "k4999", 5) == 4999);
	CHECK(an_strmap_find(m, "nope", 4) == -1);
	CHECK(*(uint64_t *)an_strmap_data(m, 77) == 77);
	{
		const char *k = an_strmap_key(m, 123, &len);

		CHECK_MEM(k, len, "k123");
	}
	CHECK(an_strmap_count(m) == 5000);
	an_strmap_free(m);
}

static void test_strmap_cap(void)
{
	struct an_strmap *m = an_strmap_new(0, 2 << 20);
	struct an_err e;
	char key[32];
	int64_t id = 0;

	for (int i = 0; i < 1000000 && id >= 0; i++) {
		int n = snprintf(key, sizeof key, "key-%d", i);

		id = an_strmap_intern(m, key, (size_t)n, NULL, &e);
	}
	CHECK(id == -1);
	CHECK(strstr(e.msg, "memory cap of 2 MiB") != NULL);
	an_strmap_free(m);
}

static void test_collapsed_ok(void)
{
	struct an_folded f;
	struct an_err e;
	const char *l = "a;b c;d 42";

	CHECK(an_collapsed_parse(l, strlen(l), 1, &f, &e) == AN_OK);
	CHECK_MEM(f.stack, f.stack_len, "a;b c;d");
	CHECK(f.count[0] == 42);
	l = "a;b 1 2\r";
	CHECK(an_collapsed_parse(l, strlen(l), 2, &f, &e) == AN_OK);
	CHECK_MEM(f.stack, f.stack_len, "a;b");
	CHECK(f.count[0] == 1 && f.count[1] == 2);
	CHECK(an_collapsed_detect("a;b 1 2", 7) == 2);
	CHECK(an_collapsed_detect("a;b 2", 5) == 1);
	CHECK(an_collapsed_detect("1 2", 3) == 1);
}

static void expect_bad(const char *line, size_t len, int n, const char *msg)
{
	struct an_folded f;
	struct an_err e;

	an_err_clear(&e);
	CHECK(an_collapsed_parse(line, len, n, &f, &e) == AN_EDATA);
	if (strcmp(e.msg, msg) != 0)
		printf("  got: %s\n", e.msg);
	CHECK_STR(e.msg, msg);
}

static void test_collapsed_bad(void)
{
	expect_bad("a;b", 3, 1, "no count: expected 'stack COUNT'");
	expect_bad("a;b x", 5, 1, "count 'x' is not a non-negative integer");
	expect_bad("a;b -3", 6, 1, "negative count '-3'");
	expect_bad("a;b 99999999999999999999", 24, 1,
		   "count '99999999999999999999' overflows 64 bits");
	expect_bad("a;;b 1", 6, 1, "empty frame name (frame 2)");
	expect_bad(";a 1", 4, 1, "empty frame name (frame 1)");
	expect_bad("a;b;c; 1", 8, 1, "empty frame name (frame 4)");
	expect_bad("a;b;;c;;d 1", 11, 1, "empty frame name (frame 3)");
	expect_bad("; 1", 3, 1, "empty frame name (frame 1)");
	expect_bad(";; 1", 4, 1, "empty frame name (frame 1)");
	expect_bad(" 1", 2, 1, "empty stack before the count");
	expect_bad("a\0b 1", 5, 1, "NUL byte in the stack");
	expect_bad("a\xff 1", 4, 1, "invalid UTF-8 at byte 2 of the stack");
	expect_bad("a;b 1", 5, 2, "expected two counts (diff-folded), found one");
	expect_bad("a;b ", 4, 1, "missing count after the last space");
}

/* A byte order mark is dropped from line 1 only. */
static void test_collapsed_bom(void)
{
	const char *l = "\xef\xbb\xbf" "a;b 1";

	CHECK(an_collapsed_bom_len(l, strlen(l), 1) == 3);
	CHECK(an_collapsed_bom_len(l, strlen(l), 2) == 0);
	CHECK(an_collapsed_bom_len(l, 2, 1) == 0);
	CHECK(an_collapsed_bom_len("a;b 1", 5, 1) == 0);
	CHECK(an_collapsed_bom_len("\xef\xbb" "x", 3, 1) == 0);
}

static void test_frames(void)
{
	const char *s = "x;y z;w", *f;
	size_t pos = 0, n, k = 0;
	const char *want[] = { "x", "y z", "w" };

	while (an_stack_next_frame(s, strlen(s), &pos, &f, &n)) {
		CHECK(k < 3);
		if (k < 3)
			CHECK_MEM(f, n, want[k]);
		k++;
	}
	CHECK(k == 3);
}

int main(void)
{
	RUN(test_err_quote);
	RUN(test_err_prefix);
	RUN(test_num_fmt);
	RUN(test_num_parse);
	RUN(test_utf8);
	RUN(test_tsv_escape_roundtrip);
	RUN(test_reader_lines);
	RUN(test_reader_cap_and_long_lines);
	RUN(test_reader_truncated_gzip);
	RUN(test_reader_missing_file);
	RUN(test_strmap);
	RUN(test_strmap_cap);
	RUN(test_collapsed_ok);
	RUN(test_collapsed_bad);
	RUN(test_collapsed_bom);
	RUN(test_frames);
	return unit_done();
}
