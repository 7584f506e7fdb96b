/* Unit tests of an_pb (the protobuf encoder) and an_pprof (profile.proto). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "an_pb.h"
#include "an_pprof.h"
#include "an_profile.h"
#include "unit.h"

static int bytes_eq(const struct an_pb *b, const unsigned char *want, size_t n)
{
	return b->len == n && memcmp(b->buf, want, n) == 0;
}

static void test_varint(void)
{
	struct an_pb b;
	static const unsigned char w0[] = { 0x00 }, w1[] = { 0x01 }, w127[] = { 0x7f },
		w128[] = { 0x80, 0x01 }, w300[] = { 0xac, 0x02 },
		wmax[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };

	an_pb_init(&b);
	an_pb_varint(&b, 0); CHECK(bytes_eq(&b, w0, 1)); an_pb_reset(&b);
	an_pb_varint(&b, 1); CHECK(bytes_eq(&b, w1, 1)); an_pb_reset(&b);
	an_pb_varint(&b, 127); CHECK(bytes_eq(&b, w127, 1)); an_pb_reset(&b);
	an_pb_varint(&b, 128); CHECK(bytes_eq(&b, w128, 2)); an_pb_reset(&b);
	an_pb_varint(&b, 300); CHECK(bytes_eq(&b, w300, 2)); an_pb_reset(&b);
	an_pb_varint(&b, UINT64_MAX); CHECK(bytes_eq(&b, wmax, 10));
	CHECK(an_pb_varint_len(0) == 1);
	CHECK(an_pb_varint_len(127) == 1);
	CHECK(an_pb_varint_len(128) == 2);
	CHECK(an_pb_varint_len(16383) == 2);
	CHECK(an_pb_varint_len(16384) == 3);
	CHECK(an_pb_varint_len(UINT64_MAX) == 10);
	CHECK(!an_pb_failed(&b));
	an_pb_free(&b);
}

static void test_fields(void)
{
	struct an_pb b;
	/* field 1 = 150 (the protobuf documentation's example), field 2 "testing" */
	static const unsigned char w[] = { 0x08, 0x96, 0x01,
		0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g', 0x32, 0x00 };
	static const unsigned char big[] = { 0x80, 0x01, 0x05 };

	an_pb_init(&b);
	an_pb_uint(&b, 1, 150);
	an_pb_bytes(&b, 2, "testing", 7);
	an_pb_bytes(&b, 6, "", 0);       /* the empty string is written */
	CHECK(bytes_eq(&b, w, sizeof w));
	an_pb_reset(&b);
	an_pb_uint(&b, 16, 5);           /* a tag over one byte */
	CHECK(bytes_eq(&b, big, sizeof big));
	an_pb_free(&b);
}

static void test_packed(void)
{
	struct an_pb b;
	/* field 4 packed [3, 270, 86942] (the protobuf documentation's example) */
	static const uint64_t v[] = { 3, 270, 86942 };
	static const unsigned char w[] = { 0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05 };

	an_pb_init(&b);
	an_pb_packed(&b, 4, v, 3);
	CHECK(bytes_eq(&b, w, sizeof w));
	an_pb_reset(&b);
	an_pb_packed(&b, 4, v, 0);       /* nothing for an empty list */
	CHECK(b.len == 0);
	an_pb_free(&b);
}

static void test_event_kind(void)
{
	CHECK(an_pprof_event_kind(NULL) == AN_PPROF_SAMPLES);
	CHECK(an_pprof_event_kind("") == AN_PPROF_SAMPLES);
	CHECK(an_pprof_event_kind("cpu") == AN_PPROF_CPU);
	CHECK(an_pprof_event_kind("cpu-clock") == AN_PPROF_CPU);
	CHECK(an_pprof_event_kind("itimer") == AN_PPROF_CPU);
	CHECK(an_pprof_event_kind("wall") == AN_PPROF_WALL);
	CHECK(an_pprof_event_kind("alloc") == AN_PPROF_ALLOC);
	CHECK(an_pprof_event_kind("lock") == AN_PPROF_LOCK);
	CHECK(an_pprof_event_kind("wait") == AN_PPROF_WAIT);
	CHECK(an_pprof_event_kind("cycles") == AN_PPROF_OTHER);
}

static void test_quantity(void)
{
	struct an_err err;
	uint64_t v = 0;

	CHECK(an_pprof_parse_quantity("10ms", 1, 0, &v, &err) == AN_OK && v == 10000000);
	CHECK(an_pprof_parse_quantity("250", 1, 0, &v, &err) == AN_OK && v == 250);
	CHECK(an_pprof_parse_quantity("30", 1000000000, 0, &v, &err) == AN_OK && v == 30000000000ULL);
	CHECK(an_pprof_parse_quantity("7us", 1, 0, &v, &err) == AN_OK && v == 7000);
	CHECK(an_pprof_parse_quantity("512k", 1, 1, &v, &err) == AN_OK && v == 524288);
	CHECK(an_pprof_parse_quantity("2m", 1, 1, &v, &err) == AN_OK && v == 2097152);
	CHECK(an_pprof_parse_quantity("0", 1, 0, &v, &err) == AN_EDATA);
	CHECK_STR(err.msg, "must be more than 0: '0'");
	CHECK(an_pprof_parse_quantity("10x", 1, 0, &v, &err) == AN_EDATA);
	CHECK_STR(err.msg, "expected a number with a unit ns, us, ms or s: '10x'");
	CHECK(an_pprof_parse_quantity("1ms", 1, 1, &v, &err) == AN_EDATA);
	CHECK_STR(err.msg, "expected a number of bytes, optionally with k, m or g: '1ms'");
	CHECK(an_pprof_parse_quantity("-1", 1, 0, &v, &err) == AN_EDATA);
	CHECK(an_pprof_parse_quantity("", 1, 0, &v, &err) == AN_EDATA);
	CHECK(an_pprof_parse_quantity("99999999999999999999", 1, 0, &v, &err) == AN_EDATA);
	CHECK(an_pprof_parse_quantity("18446744073709551615s", 1, 0, &v, &err) == AN_EDATA);
}

/* The profile as written, gunzipped (malloc'd, *n bytes). */
static unsigned char *write_profile(const struct an_profile *p, const struct an_pprof_opts *o,
				    size_t *n, int *rc, struct an_err *err)
{
	char *gz = NULL;
	size_t gzlen = 0;
	FILE *f = open_memstream(&gz, &gzlen);
	unsigned char *out = malloc(1 << 20);
	z_stream z;

	*rc = an_pprof_write(p, o, f, err);
	fclose(f);
	memset(&z, 0, sizeof z);
	inflateInit2(&z, 31);
	z.next_in = (unsigned char *)gz;
	z.avail_in = (unsigned)gzlen;
	z.next_out = out;
	z.avail_out = 1 << 20;
	CHECK(*rc != AN_OK || inflate(&z, Z_FINISH) == Z_STREAM_END);
	*n = z.total_out;
	inflateEnd(&z);
	/* fixed gzip header: no mtime, no name, OS unknown */
	CHECK(*rc != AN_OK || (gzlen > 10 && memcmp(gz, "\x1f\x8b\x08\x00\x00\x00\x00\x00", 8) == 0 &&
			       (unsigned char)gz[9] == 0xff));
	free(gz);
	return out;
}

static uint64_t get_varint(const unsigned char *p, size_t n, size_t *i)
{
	uint64_t v = 0;
	int shift = 0;

	while (*i < n) {
		unsigned char c = p[(*i)++];

		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			break;
		shift += 7;
	}
	return v;
}

/* Top-level fields: counts per field number, strings of field 6 joined by '|'. */
static void scan(const unsigned char *p, size_t n, int counts[16], char *strings, size_t cap)
{
	size_t i = 0;

	memset(counts, 0, 16 * sizeof counts[0]);
	strings[0] = 0;
	while (i < n) {
		uint64_t tag = get_varint(p, n, &i), len;
		unsigned field = (unsigned)(tag >> 3);

		if (field < 16)
			counts[field]++;
		if ((tag & 7) == 0) {
			get_varint(p, n, &i);
			continue;
		}
		len = get_varint(p, n, &i);
		if (field == 6 && strlen(strings) + len + 2 < cap) {
			strcat(strings, "|");
			strncat(strings, (const char *)p + i, len);
		}
		i += len;
	}
}

static void test_profile(void)
{
	struct an_profile *p = an_profile_new(1, 0);
	struct an_pprof_opts o = { "cpu", 10000000, 0, 30000000000ULL };
	struct an_err err;
	unsigned char *buf, *again;
	size_t n, n2;
	int counts[16], rc;
	char strings[512];

	an_profile_add(p, "main;work;samples", 17, 3, 0, &err);
	an_profile_add(p, "main;idle", 9, 0, 0, &err);      /* count 0: left out */
	an_profile_add(p, "main;work", 9, 2, 0, &err);
	an_profile_add(p, "main;work;work", 14, 1, 0, &err);
	buf = write_profile(p, &o, &n, &rc, &err);
	CHECK(rc == AN_OK);
	scan(buf, n, counts, strings, sizeof strings);
	CHECK(counts[1] == 2);       /* samples/count, cpu/nanoseconds */
	CHECK(counts[2] == 3);       /* one sample per stack of non-zero count */
	CHECK(counts[4] == 3);       /* locations: main, work, samples */
	CHECK(counts[5] == 3);       /* functions */
	/* "" first, each string once ("samples" is a type and a frame), no "idle" */
	CHECK_STR(strings, "||samples|count|cpu|nanoseconds|main|work");
	CHECK(counts[10] == 1 && counts[11] == 1 && counts[12] == 1);
	CHECK(counts[9] == 0);       /* no time stamp */
	again = write_profile(p, &o, &n2, &rc, &err);
	CHECK(n == n2 && memcmp(buf, again, n) == 0);
	free(buf);
	free(again);

	/* totals: one sample type; no interval, no duration */
	o.totals = 1;
	o.duration_nanos = 0;
	buf = write_profile(p, &o, &n, &rc, &err);
	scan(buf, n, counts, strings, sizeof strings);
	CHECK(counts[1] == 1 && counts[10] == 0);
	CHECK_STR(strings, "||cpu|nanoseconds|main|work|samples");
	free(buf);

	/* a count times the interval over int64 */
	o.totals = 0;
	o.interval = (uint64_t)1 << 62;
	buf = write_profile(p, &o, &n, &rc, &err);
	CHECK(rc == AN_EDATA);
	CHECK_STR(err.msg, "count 2 times the interval 4611686018427387904 does not fit pprof's int64");
	free(buf);
	an_profile_free(p);
}

static void test_empty(void)
{
	struct an_profile *p = an_profile_new(1, 0);
	struct an_pprof_opts o = { "lock", 0, 0, 0 };
	struct an_err err;
	unsigned char *buf;
	size_t n;
	int counts[16], rc;
	char strings[512];

	buf = write_profile(p, &o, &n, &rc, &err);
	CHECK(rc == AN_OK);
	scan(buf, n, counts, strings, sizeof strings);
	CHECK(counts[1] == 1 && counts[2] == 0 && counts[4] == 0);
	CHECK_STR(strings, "||contentions|count");
	free(buf);
	an_profile_free(p);
}

int main(void)
{
	RUN(test_varint);
	RUN(test_fields);
	RUN(test_packed);
	RUN(test_event_kind);
	RUN(test_quantity);
	RUN(test_profile);
	RUN(test_empty);
	return unit_done();
}
