/* Fuzz target: the TSV reader (header, row splitting, numbers, escapes),
 * series grouping, windows files, and spike detection and outlier ranking
 * on what was read.  A first byte '!' reads the value column "p99" of
 * query "q".  Invariants: rows have the header's field count and no tab or
 * newline inside a field; series are sorted by name and their points by
 * strictly increasing finite times; windows lie in their series' time
 * range, in order, peak inside; ranks are 1..n; every error has a message. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "an_outliers.h"
#include "an_series.h"
#include "an_spikes.h"
#include "an_text.h"
#include "an_tsv.h"
#include "fuzz_reader.h"

static void fuzz_rows(const uint8_t *data, size_t size)
{
	struct an_reader *r = fuzz_reader(data, size, 256);
	struct an_tsv *t;
	struct an_err err;
	size_t i, len;
	double v;
	int k;

	if (an_tsv_open(&t, r, &err) != AN_OK) {
		fuzz_check_err(&err);
		an_reader_free(r);
		return;
	}
	while ((k = an_tsv_next(t, &err)) == 1)
		for (i = 0; i < an_tsv_ncols(t); i++) {
			char *f = an_tsv_field(t, i, &len), *copy;

			if (memchr(f, '\t', len) || memchr(f, '\n', len))
				abort();
			if (an_tsv_field_double(t, i, &v, &err) != AN_OK)
				fuzz_check_err(&err);
			if (an_tsv_field_check_escapes(t, i, &err) != AN_OK) {
				fuzz_check_err(&err);
				continue;
			}
			copy = malloc(len + 1);
			memcpy(copy, f, len);
			if (an_tsv_unescape(copy, len) > len)
				abort();
			free(copy);
		}
	if (k < 0)
		fuzz_check_err(&err);
	an_tsv_free(t);
	an_reader_free(r);
}

static void check_windows(const struct an_series *s, const struct an_windows *w,
			  size_t from)
{
	size_t i;

	for (i = from; i < w->n; i++) {
		const struct an_window *x = &w->w[i];

		if (!(x->start <= x->end) || x->start < s->pts[0].t ||
		    x->end > s->pts[s->n - 1].t || x->peak_time < x->start ||
		    x->peak_time > x->end || !(x->score > 0))
			abort();
		if (i > from && !(w->w[i - 1].end < x->start))
			abort();
	}
}

static void analyse(const struct an_series_set *set)
{
	struct an_spikes_opts o = { 2, 0, 0, 0, 0, 0, 1 };
	struct an_outliers_opts oo = { AN_STAT_P95, 3, 0.2 };
	struct an_outlier *rows;
	struct an_windows w;
	struct an_err err;
	size_t i, nv, seen = 0;
	int none;

	an_windows_init(&w);
	for (i = 0; i < set->n; i++) {
		size_t from = w.n;

		if (an_spikes_detect(&set->s[i], &o, &w, &none, &err) != AN_OK)
			abort();
		check_windows(&set->s[i], &w, from);
	}
	an_windows_release(&w);
	if (an_outliers_rank(set, -INFINITY, INFINITY, &oo, &rows, &nv, &err) != AN_OK)
		abort();
	for (i = 0; i < set->n; i++) {
		if (rows[i].rank != i + 1 || rows[i].series >= set->n)
			abort();
		seen ^= rows[i].series ^ i;
	}
	if (seen != 0 || nv > set->n)
		abort();
	free(rows);
}

static void fuzz_series(const uint8_t *data, size_t size)
{
	struct an_series_opts o = { NULL, NULL };
	struct an_reader *r = fuzz_reader(data, size, 256);
	struct an_series_set set;
	struct an_err err;
	size_t i, j, points = 0;

	if (size && data[0] == '!') {
		o.value_col = "p99";
		o.query = "q";
	}
	an_series_set_init(&set, 512);
	if (an_series_read(&set, r, &o, &err) != AN_OK) {
		fuzz_check_err(&err);
		goto out;
	}
	for (i = 0; i < set.n; i++) {
		const struct an_series *s = &set.s[i];

		if (an_series_find(&set, s->name, s->name_len) != s || s->n == 0)
			abort();
		for (j = 0; j < s->n; j++)
			if (!isfinite(s->pts[j].t) || (j && !(s->pts[j - 1].t < s->pts[j].t)))
				abort();
		points += s->n;
	}
	if (points != set.points || points > set.rows_read)
		abort();
	analyse(&set);
out:
	an_series_set_release(&set);
	an_reader_free(r);
}

static void fuzz_windows(const uint8_t *data, size_t size)
{
	struct an_reader *r = fuzz_reader(data, size, 256);
	struct an_windows w;
	struct an_err err;
	size_t i;

	an_windows_init(&w);
	if (an_windows_read(&w, r, &err) != AN_OK)
		fuzz_check_err(&err);
	for (i = 0; i < w.n; i++)
		if (!(w.w[i].start <= w.w[i].end) || !isfinite(w.w[i].peak_time))
			abort();
	an_windows_release(&w);
	an_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 60000 || (size >= 2 && data[0] == 0x1f && data[1] == 0x8b))
		return 0;
	fuzz_rows(data, size);
	fuzz_series(data, size);
	fuzz_windows(data, size);
	return 0;
}
