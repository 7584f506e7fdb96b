/*
 * an_jtl_slice.c - jtlslice's passes over its inputs.
 */
#include "an_jtl_slice.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "an_reader.h"

/* The state of one input being read. */
struct input {
	struct an_reader *r;
	struct an_jtl *j;
};

static int input_open(struct input *in, const char *path, const struct an_jtl_opts *jo,
		      struct an_err *err)
{
	int rc;

	in->j = NULL;
	if ((rc = an_reader_open(&in->r, path, err)) != AN_OK)
		return rc;
	if ((rc = an_jtl_open(&in->j, in->r, jo, err)) != AN_OK)
		an_reader_free(in->r);
	return rc;
}

static void input_close(struct input *in)
{
	an_jtl_free(in->j);
	an_reader_free(in->r);
}

int an_jtl_first_timestamp(char *const *files, int n, const struct an_jtl_opts *jo,
			   int64_t *first, struct an_err *err)
{
	int i, rc = 0;

	*first = INT64_MAX;
	for (i = 0; i < n; i++) {
		struct input in;
		struct an_jtl_sample s;

		if ((rc = input_open(&in, files[i], jo, err)) != AN_OK)
			return rc;
		while ((rc = an_jtl_next(in.j, &s, err)) > 0)
			if (s.timestamp < *first)
				*first = s.timestamp;
		input_close(&in);
		if (rc < 0)
			return err->status;
	}
	return AN_OK;
}

/* The slice's header: the first input's, which later ones must repeat. */
struct header {
	char *first;
	size_t len;
};

static int header_check(struct header *h, struct input *in, int index, FILE *out,
			struct an_err *err)
{
	size_t len;
	const char *s = an_jtl_header(in->j, &len);

	if (index == 0) {
		h->len = len;
		h->first = len ? malloc(len) : NULL;
		if (len && !h->first)
			return an_err_set(err, AN_ESYS, "out of memory");
		if (len)
			memcpy(h->first, s, len);
		if (len && fwrite(s, 1, len, out) != len)
			return an_err_sys(err, errno, "write error");
		return AN_OK;
	}
	if (len != h->len || (len && memcmp(s, h->first, len) != 0))
		return an_err_set(err, AN_EDATA, "%s: header differs from the first "
				  "input's: slices of different layouts cannot be joined",
				  an_reader_name(in->r));
	return AN_OK;
}

/* One matching sample: its record to out, or into the statistics. */
static int take(struct an_jtlstats *st, const struct an_jtl_sample *s, FILE *out,
		struct an_err *err)
{
	if (st)
		return an_jtlstats_add(st, s->val[AN_JTL_LABEL], s->len[AN_JTL_LABEL],
				       s->timestamp, s->elapsed, s->success,
				       s->bytes, s->sent, err);
	if (fwrite(s->raw, 1, s->raw_len, out) != s->raw_len ||
	    (s->raw[s->raw_len - 1] != '\n' && putc('\n', out) == EOF))
		return an_err_sys(err, errno, "write error");
	return AN_OK;
}

static int read_one(struct input *in, struct an_jtl_filter *flt, struct an_jtlstats *st,
		    FILE *out, struct an_err *err)
{
	struct an_jtl_sample s;
	int rc;

	while ((rc = an_jtl_next(in->j, &s, err)) > 0) {
		int m = an_jtl_filter_match(flt, &s, err);

		if (m < 0) {
			an_err_prefix(err, "%s", an_reader_name(in->r));
			return err->status;
		}
		if (m && take(st, &s, out, err) != AN_OK)
			return err->status;
	}
	return rc < 0 ? err->status : AN_OK;
}

static int open_stats(struct an_jtlstats **st, const struct an_jtlstats_opts *o,
		      const struct an_jtl *j, struct an_err *err)
{
	struct an_jtlstats_opts so = *o;

	so.have_bytes = an_jtl_has(j, AN_JTL_BYTES);
	so.have_sent = an_jtl_has(j, AN_JTL_SENT);
	return an_jtlstats_new(st, &so, err);
}

int an_jtl_slice(char *const *files, int n, const struct an_jtl_opts *jo,
		 struct an_jtl_filter *flt, const struct an_jtlstats_opts *stats,
		 FILE *out, struct an_err *err)
{
	struct an_jtlstats *st = NULL;
	struct header h = { NULL, 0 };
	int i, rc = AN_OK;

	for (i = 0; rc == AN_OK && i < n; i++) {
		struct input in;

		if ((rc = input_open(&in, files[i], jo, err)) != AN_OK)
			break;
		rc = an_jtl_filter_check(flt, in.j, err);
		if (rc == AN_OK && stats && !st)
			rc = open_stats(&st, stats, in.j, err);
		if (rc == AN_OK && !stats)
			rc = header_check(&h, &in, i, out, err);
		if (rc == AN_OK)
			rc = read_one(&in, flt, st, out, err);
		input_close(&in);
	}
	if (rc == AN_OK && st)
		rc = an_jtlstats_write(st, out, err);
	an_jtlstats_free(st);
	free(h.first);
	return rc;
}
