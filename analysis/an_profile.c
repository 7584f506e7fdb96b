#include "an_profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "an_collapsed.h"
#include "an_num.h"
#include "an_strmap.h"

struct an_profile {
	struct an_strmap *map;   /* stack -> uint64_t[2] */
	int ncounts;
	uint64_t total[2];
};

struct an_profile *an_profile_new(int ncounts, size_t max_bytes)
{
	struct an_profile *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->ncounts = ncounts;
	p->map = an_strmap_new(2 * sizeof(uint64_t),
			       max_bytes ? max_bytes : AN_PROFILE_MAX_BYTES_DEFAULT);
	if (!p->map) {
		free(p);
		return NULL;
	}
	return p;
}

void an_profile_free(struct an_profile *p)
{
	if (!p)
		return;
	an_strmap_free(p->map);
	free(p);
}

int an_profile_ncounts(const struct an_profile *p)
{
	return p->ncounts;
}

int an_profile_add(struct an_profile *p, const char *stack, size_t len,
		   uint64_t c0, uint64_t c1, struct an_err *err)
{
	int64_t id = an_strmap_intern(p->map, stack, len, NULL, err);
	uint64_t *v;

	if (id < 0)
		return err ? (int)err->status : AN_ESYS;
	v = an_strmap_data(p->map, (size_t)id);
	/* a stack's count is at most the total: checking the total is enough */
	if (p->total[0] > UINT64_MAX - c0 || p->total[1] > UINT64_MAX - c1)
		return an_err_set(err, AN_EDATA, "count sum overflows 64 bits");
	v[0] += c0;
	v[1] += c1;
	p->total[0] += c0;
	p->total[1] += c1;
	return AN_OK;
}

int an_profile_read(struct an_profile *p, struct an_reader *r, struct an_err *err)
{
	char *line;
	size_t len;
	int rc;

	while ((rc = an_reader_getline(r, &line, &len, err)) == 1) {
		struct an_folded f;
		size_t bom = an_collapsed_bom_len(line, len, an_reader_lineno(r));

		line += bom;
		len -= bom;

		if (len == 0 || (len == 1 && line[0] == '\r'))
			continue;
		if (!p->ncounts)
			p->ncounts = an_collapsed_detect(line, len);
		if (an_collapsed_parse(line, len, p->ncounts, &f, err) != AN_OK ||
		    an_profile_add(p, f.stack, f.stack_len, f.count[0], f.count[1],
				   err) != AN_OK) {
			an_err_prefix(err, "%s:%llu", an_reader_name(r),
				      (unsigned long long)an_reader_lineno(r));
			return err ? (int)err->status : AN_EDATA;
		}
	}
	return rc < 0 ? (err ? (int)err->status : AN_ESYS) : AN_OK;
}

size_t an_profile_count(const struct an_profile *p)
{
	return an_strmap_count(p->map);
}

const char *an_profile_stack(const struct an_profile *p, size_t id, size_t *len)
{
	return an_strmap_key(p->map, id, len);
}

uint64_t an_profile_value(const struct an_profile *p, size_t id, int which)
{
	return ((const uint64_t *)an_strmap_data(p->map, id))[which];
}

uint64_t an_profile_total(const struct an_profile *p, int which)
{
	return p->total[which];
}

static int cmp_stack(const void *a, const void *b, void *ctx)
{
	const struct an_profile *p = ctx;
	size_t la, lb, ia = *(const size_t *)a, ib = *(const size_t *)b;
	const char *sa = an_strmap_key(p->map, ia, &la);
	const char *sb = an_strmap_key(p->map, ib, &lb);
	int c = memcmp(sa, sb, la < lb ? la : lb);

	if (c)
		return c;
	return la < lb ? -1 : la > lb;
}

size_t *an_profile_sorted(const struct an_profile *p, size_t *n, struct an_err *err)
{
	size_t i, count = an_strmap_count(p->map);
	size_t *ids;

	*n = count;
	if (!count)
		return NULL;
	ids = malloc(count * sizeof *ids);
	if (!ids) {
		an_err_sys(err, ENOMEM, "out of memory sorting %zu stacks", count);
		return NULL;
	}
	for (i = 0; i < count; i++)
		ids[i] = i;
	qsort_r(ids, count, sizeof *ids, cmp_stack, (void *)p);
	return ids;
}

int an_profile_write(const struct an_profile *p, FILE *f, struct an_err *err)
{
	size_t i, n, len;
	size_t *ids = an_profile_sorted(p, &n, err);
	char b[AN_NUM_BUF];

	if (!ids && n)
		return err ? (int)err->status : AN_ESYS;
	for (i = 0; i < n; i++) {
		const char *s = an_profile_stack(p, ids[i], &len);
		uint64_t c0 = an_profile_value(p, ids[i], 0);
		uint64_t c1 = an_profile_value(p, ids[i], 1);

		if (!c0 && !c1)
			continue;
		fwrite(s, 1, len, f);
		putc(' ', f);
		fputs(an_num_fmt_u64(b, c0), f);
		if (p->ncounts == 2) {
			putc(' ', f);
			fputs(an_num_fmt_u64(b, c1), f);
		}
		putc('\n', f);
	}
	free(ids);
	if (ferror(f))
		return an_err_sys(err, errno ? errno : EIO, "write error");
	return AN_OK;
}
