/* Fuzz target: two-count (diff-folded) lines read into a comparison, the
 * diff-folded writer (plain and scaled) and the frame table.  The first
 * byte picks hex stripping, the table's metric and whether the reader runs
 * too (bits 0, 1, 2); the rest is lines:
 * two-count lines give both sides, one-count lines alternate sides.  The
 * whole input also goes through an_stackdiff_read as a collapsed file.
 * Invariants (abort on failure): the written lines parse back with the
 * same totals; scaled counts never exceed the after total; every frame's
 * shares lie in [0, 100] with self <= total; the self counts of all rows
 * add up to each side's total; rows are ranked by |delta| then name. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "an_collapsed.h"
#include "an_stackdiff.h"

/* Memory cap of each map: above the 1 MiB a map's first key takes. */
#define CAP ((size_t)4 << 20)

static void feed_lines(struct an_stackdiff *d, const char *p, const char *end)
{
	int side = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		int n = an_collapsed_detect(p, len);
		struct an_folded f;
		struct an_err err;

		if (len && an_collapsed_parse(p, len, n, &f, &err) == AN_OK) {
			if (n == 2) {
				if (an_stackdiff_add(d, 0, f.stack, f.stack_len, f.count[0], &err) == AN_OK)
					an_stackdiff_add(d, 1, f.stack, f.stack_len, f.count[1], &err);
			} else {
				an_stackdiff_add(d, side, f.stack, f.stack_len, f.count[0], &err);
				side ^= 1;
			}
		} else if (len && err.msg[0] == '\0') {
			abort();
		}
		p += len + 1;
	}
}

/* Parse the written diff-folded text back; check sums and the scale cap. */
static void check_folded(const struct an_stackdiff *d, int scale)
{
	uint64_t t0 = an_stackdiff_total(d, 0), t1 = an_stackdiff_total(d, 1);
	uint64_t s0 = 0, s1 = 0;
	size_t len = 0, lines = 0;
	char *buf = NULL, *p, *nl;
	FILE *f = open_memstream(&buf, &len);
	struct an_err err;

	if (!f || an_stackdiff_write_folded(d, scale, f, &err) != AN_OK)
		abort();
	fclose(f);
	for (p = buf; p < buf + len; p = nl + 1) {
		struct an_folded fo;

		nl = memchr(p, '\n', (size_t)(buf + len - p));
		if (!nl || an_collapsed_parse(p, (size_t)(nl - p), 2, &fo, &err) != AN_OK)
			abort();
		if (scale && t0 && t1 < ((uint64_t)1 << 53) && fo.count[0] > t1)
			abort();
		s0 += fo.count[0];
		s1 += fo.count[1];
		lines++;
	}
	if (lines != an_stackdiff_stacks(d))
		abort();
	/* totals saturate where the sums above wrap: compare unsaturated ones */
	if ((t1 != UINT64_MAX && s1 != t1) || (!scale && t0 != UINT64_MAX && s0 != t0))
		abort();
	free(buf);
}

static void check_table(struct an_stackdiff *d, enum an_stackdiff_metric m)
{
	struct an_stackdiff_table_opts o = { m, 0, 0 };
	struct an_stackdiff_row *rows;
	struct an_err err;
	uint64_t self[2] = { 0, 0 };
	size_t n, i;
	int k;

	if (an_stackdiff_table(d, &o, &rows, &n, &err) != AN_OK) {
		if (err.status != AN_ESYS || !strstr(err.msg, "memory cap"))
			abort();
		return;   /* more frames than the cap */
	}
	for (i = 0; i < n; i++) {
		const struct an_stackdiff_row *r = &rows[i];

		for (k = 0; k < 2; k++) {
			if (r->self[k] > r->total[k] || r->self_pct[k] > r->total_pct[k] ||
			    r->total_pct[k] < 0 || r->total_pct[k] > 100.0000001)
				abort();
			self[k] += r->self[k];
		}
		if ((r->status == AN_STACKDIFF_NEW) != (r->total[0] == 0) ||
		    (r->status == AN_STACKDIFF_GONE) != (r->total[0] && !r->total[1]))
			abort();
		if (i && rows[i - 1].frame_len == r->frame_len &&
		    memcmp(rows[i - 1].frame, r->frame, r->frame_len) == 0)
			abort();   /* a frame twice */
		if (i) {
			double a = fabs(m ? rows[i - 1].delta_self : rows[i - 1].delta_total);
			double b = fabs(m ? r->delta_self : r->delta_total);

			if (a < b - 1e-9 * (a + b + 1))
				abort();
		}
	}
	for (k = 0; k < 2; k++)
		if (self[k] != an_stackdiff_total(d, k) &&
		    an_stackdiff_total(d, k) != UINT64_MAX)
			abort();
	free(rows);
}

/* The same bytes as one collapsed file through the reader. */
static void read_whole(const uint8_t *data, size_t size)
{
	struct an_stackdiff *d = an_stackdiff_new(0, CAP);
	int fd = memfd_create("fuzz", 0);
	struct an_reader *r;
	struct an_err err;

	if (!d || fd < 0 || write(fd, data, size) != (ssize_t)size ||
	    lseek(fd, 0, SEEK_SET) != 0)
		abort();
	if (an_reader_fdopen(&r, fd, 1, "fuzz", &err) != AN_OK)
		abort();
	if (an_stackdiff_read(d, r, 0, &err) != AN_OK && err.msg[0] == '\0')
		abort();
	an_reader_free(r);
	an_stackdiff_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct an_stackdiff *d;

	if (size == 0)
		return 0;
	d = an_stackdiff_new(data[0] & 1, CAP);
	if (!d)
		abort();
	feed_lines(d, (const char *)data + 1, (const char *)data + size);
	check_folded(d, 0);
	check_folded(d, 1);
	check_table(d, (data[0] & 2) ? AN_STACKDIFF_SELF : AN_STACKDIFF_TOTAL);
	an_stackdiff_free(d);
	if (data[0] & 4)
		read_whole(data + 1, size - 1);
	return 0;
}
