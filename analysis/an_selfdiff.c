/* an_selfdiff.c - per application frame, normal against hot by self share. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_selfdiff.h"
#include "an_strmap.h"

struct both {
	double self[2], total[2];	/* shares in percent: normal, hot */
};

struct row {
	const char *frame;
	size_t len;
	struct both v;
};

static int collect(struct an_strmap *m, const struct an_offcpu *a, int k,
		   struct an_err *err)
{
	struct an_offcpu_frame *fr;
	double kept = (double)an_offcpu_kept(a);
	size_t i, n;

	an_err_clear(err);
	fr = an_offcpu_frames(a, &n, err);
	if (err->status != AN_OK)
		return err->status;
	for (i = 0; i < n; i++) {
		int64_t id = an_strmap_intern(m, fr[i].frame, fr[i].frame_len, NULL, err);
		struct both *b;

		if (id < 0) {
			free(fr);
			return err->status;
		}
		b = an_strmap_data(m, (size_t)id);
		b->self[k] = kept > 0 ? 100.0 * (double)fr[i].self / kept : 0;
		b->total[k] = kept > 0 ? 100.0 * (double)fr[i].total / kept : 0;
	}
	free(fr);
	return AN_OK;
}

static int cmp_row(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	double da = fabs(a->v.self[1] - a->v.self[0]);
	double db = fabs(b->v.self[1] - b->v.self[0]);
	int c;

	if (da != db)
		return da < db ? 1 : -1;
	c = memcmp(a->frame, b->frame, a->len < b->len ? a->len : b->len);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

static void write_row(FILE *f, const struct row *r)
{
	char b[6][AN_NUM_BUF];

	an_offcpu_write_field(f, r->frame, r->len);
	fprintf(f, "\t%s\t%s\t%s\t%s\t%s\t%s\n",
		an_num_fmt_fixed(b[0], r->v.self[0], 3),
		an_num_fmt_fixed(b[1], r->v.self[1], 3),
		an_num_fmt_fixed(b[2], r->v.self[1] - r->v.self[0], 3),
		an_num_fmt_fixed(b[3], r->v.total[0], 3),
		an_num_fmt_fixed(b[4], r->v.total[1], 3),
		an_num_fmt_fixed(b[5], r->v.total[1] - r->v.total[0], 3));
}

int an_selfdiff_write(FILE *f, const struct an_offcpu *normal,
		      const struct an_offcpu *hot, size_t limit,
		      struct an_err *err)
{
	struct an_strmap *m = an_strmap_new(sizeof(struct both), 0);
	struct row *rows = NULL;
	size_t i, n;
	int rc;

	if (!m)
		return an_err_set(err, AN_ESYS, "out of memory");
	rc = collect(m, normal, 0, err);
	if (rc == AN_OK)
		rc = collect(m, hot, 1, err);
	n = an_strmap_count(m);
	if (rc == AN_OK && !(rows = malloc((n + 1) * sizeof *rows)))
		rc = an_err_set(err, AN_ESYS, "out of memory");
	if (rc == AN_OK) {
		for (i = 0; i < n; i++) {
			rows[i].frame = an_strmap_key(m, i, &rows[i].len);
			rows[i].v = *(const struct both *)an_strmap_data(m, i);
		}
		qsort(rows, n, sizeof *rows, cmp_row);
		fputs("frame\tnormal_self%\thot_self%\tdelta_self%\tnormal_total%\t"
		      "hot_total%\tdelta_total%\n", f);
		for (i = 0; i < n && (!limit || i < limit); i++)
			write_row(f, &rows[i]);
		if (ferror(f))
			rc = an_err_set(err, AN_ESYS, "write error");
	}
	free(rows);
	an_strmap_free(m);
	return rc;
}
