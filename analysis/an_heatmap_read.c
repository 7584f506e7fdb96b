/* an_heatmap_read.c - the samples TSV and the windows TSV into a heatmap. */
#include "an_heatmap.h"

#include <math.h>
#include <string.h>

#include "an_num.h"
#include "an_text.h"
#include "an_timespec.h"
#include "an_tsv.h"

/* Undo the samples format's escapes (\\ \t \r \n) in place; -1 on a bad one. */
static long unescape_stack(char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\\') {
			if (++i == len)
				return -1;
			switch (s[i]) {
			case '\\': c = '\\'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'n': c = '\n'; break;
			default: return -1;
			}
		}
		s[n++] = c;
	}
	return (long)n;
}

static int field_time(struct an_tsv *t, int col, const char *what, int64_t *ms,
		      struct an_err *err)
{
	double v;
	size_t len;
	char *f = an_tsv_field(t, (size_t)col, &len), q[80];

	if (an_num_parse_double(f, len, &v) != 0 || !(v >= 0) ||
	    v > (double)AN_TIME_MAX_MS / 1000.0)
		return an_err_set(err, AN_EDATA, "%s:%llu: column '%s': '%s' is not a time in "
				  "epoch seconds (0 to 253402300799.999)", an_tsv_name(t),
				  (unsigned long long)an_tsv_lineno(t), what,
				  an_err_quote(q, sizeof q, f, len));
	*ms = llround(v * 1000.0);
	return AN_OK;
}

static int field_weight(struct an_tsv *t, int col, uint64_t *w, struct an_err *err)
{
	size_t len;
	char *f = an_tsv_field(t, (size_t)col, &len), q[80];
	int rc = an_num_parse_u64(f, len, w);

	if (rc == 0)
		return AN_OK;
	return an_err_set(err, AN_EDATA, "%s:%llu: column 'weight': '%s' %s", an_tsv_name(t),
			  (unsigned long long)an_tsv_lineno(t), an_err_quote(q, sizeof q, f, len),
			  rc == -2 ? "is over 64 bits" : "is not a non-negative integer");
}

static int read_row(struct an_heatmap *h, struct an_tsv *t, const int col[3],
		    struct an_err *err)
{
	int64_t ms;
	uint64_t w;
	size_t len;
	char *s, q[80];
	long n;

	if (field_time(t, col[0], "time", &ms, err) != AN_OK ||
	    field_weight(t, col[1], &w, err) != AN_OK)
		return AN_EDATA;
	s = an_tsv_field(t, (size_t)col[2], &len);
	an_err_quote(q, sizeof q, s, len);
	n = unescape_stack(s, len);
	if (n < 0)
		return an_err_set(err, AN_EDATA, "%s:%llu: column 'stack': bad escape in '%s' "
				  "(only \\\\ \\t \\r \\n)", an_tsv_name(t),
				  (unsigned long long)an_tsv_lineno(t), q);
	if (an_heatmap_add(h, ms, w, s, (size_t)n, err) != AN_OK) {
		an_err_prefix(err, "%s:%llu", an_tsv_name(t), (unsigned long long)an_tsv_lineno(t));
		return err ? (int)err->status : AN_EDATA;
	}
	return AN_OK;
}

int an_heatmap_read(struct an_heatmap *h, struct an_reader *r, struct an_err *err)
{
	static const char *const names[3] = { "time", "weight", "stack" };
	struct an_tsv *t;
	int col[3], i, rc;

	if (an_tsv_open(&t, r, err) != AN_OK)
		return err ? (int)err->status : AN_EDATA;
	for (i = 0; i < 3; i++) {
		col[i] = an_tsv_col_need(t, names[i], err);
		if (col[i] < 0) {
			an_tsv_free(t);
			return AN_EDATA;
		}
	}
	while ((rc = an_tsv_next(t, err)) == 1)
		if (read_row(h, t, col, err) != AN_OK)
			break;
	an_tsv_free(t);
	if (rc == 1 || rc < 0)
		return err ? (int)err->status : AN_EDATA;
	return AN_OK;
}

static int add_window(struct an_heatmap *h, struct an_tsv *t, const int col[3],
		      struct an_err *err)
{
	int64_t s, e;
	size_t len;
	char *label;

	if (field_time(t, col[1], "start", &s, err) != AN_OK ||
	    field_time(t, col[2], "end", &e, err) != AN_OK ||
	    an_tsv_field_check_escapes(t, (size_t)col[0], err) != AN_OK)
		return AN_EDATA;
	label = an_tsv_field(t, (size_t)col[0], &len);
	len = an_tsv_unescape(label, len);
	if (an_heatmap_add_window(h, s, e, label, len, err) != AN_OK) {
		an_err_prefix(err, "%s:%llu", an_tsv_name(t), (unsigned long long)an_tsv_lineno(t));
		return err ? (int)err->status : AN_EDATA;
	}
	return AN_OK;
}

int an_heatmap_read_windows(struct an_heatmap *h, struct an_reader *r, struct an_err *err)
{
	static const char *const names[3] = { "series", "start", "end" };
	struct an_tsv *t;
	int col[3], i, rc;

	if (an_tsv_open(&t, r, err) != AN_OK)
		return err ? (int)err->status : AN_EDATA;
	for (i = 0; i < 3; i++) {
		col[i] = an_tsv_col_need(t, names[i], err);
		if (col[i] < 0) {
			an_tsv_free(t);
			return AN_EDATA;
		}
	}
	while ((rc = an_tsv_next(t, err)) == 1)
		if (add_window(h, t, col, err) != AN_OK)
			break;
	an_tsv_free(t);
	if (rc == 1 || rc < 0)
		return err ? (int)err->status : AN_EDATA;
	return AN_OK;
}
