#include "an_stacks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_collapsed.h"
#include "an_num.h"

struct run {
	const struct an_stacks_opts *o;
	struct an_stacks_info *info;
	char *buf;
	size_t cap;
};

static int deliver(void *ctx, const char *stack, size_t len, uint64_t count,
		   struct an_err *err)
{
	struct run *r = ctx;
	size_t outlen;
	int rc;

	r->info->stacks_read++;
	if (!r->o->filter || !an_stackfilter_active(r->o->filter)) {
		r->info->stacks_kept++;
		return r->o->sink(r->o->ctx, stack, len, count, err);
	}
	if (len > r->cap) {
		size_t nc = r->cap ? r->cap : 4096;
		char *nb;

		while (nc < len)
			nc *= 2;
		nb = realloc(r->buf, nc);
		if (!nb)
			return an_err_set(err, AN_ESYS, "out of memory for a stack of %zu bytes",
					  len);
		r->buf = nb;
		r->cap = nc;
	}
	rc = an_stackfilter_apply(r->o->filter, stack, len, r->buf, &outlen, err);
	if (rc < 0)
		return err ? (int)err->status : AN_EDATA;
	if (rc == 0)
		return AN_OK;
	r->info->stacks_kept++;
	return r->o->sink(r->o->ctx, r->buf, outlen, count, err);
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/*
 * The common case of an_collapsed_parse in one pass of 8 bytes at a time:
 * ASCII without NUL and without an empty frame.  Returns 1 when the line
 * is certainly valid (f filled); 0 sends the line to an_collapsed_parse,
 * which decides and words the error (a few valid lines go there too:
 * non-ASCII UTF-8, or ':' right after ';', which the byte test flags).
 */
static int fast_parse(const char *line, size_t len, struct an_folded *f)
{
	const char *sp;
	uint64_t carry = 0;
	size_t i = 0, n;

	if (len && line[len - 1] == '\r')
		len--;
	sp = memrchr(line, ' ', len);
	if (!sp || an_num_parse_u64(sp + 1, (size_t)(line + len - sp - 1), &f->count[0]) != 0)
		return 0;
	n = (size_t)(sp - line);
	if (!n || line[0] == ';' || line[n - 1] == ';')
		return 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w, x, semi;

		memcpy(&w, line + i, 8);
		x = w ^ (ONES * ';');
		semi = (x - ONES) & ~x & HIGHS;     /* ';' bytes (and some ':') */
		if ((w & HIGHS) || ((w - ONES) & ~w & HIGHS) ||
		    (semi & (semi << 8)) || (carry && (semi & 0x80)))
			return 0;
		carry = semi >> 63;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == 0 || c >= 0x80 || (c == ';' && (carry || line[i - 1] == ';')))
			return 0;
		carry = 0;
	}
	f->stack = line;
	f->stack_len = n;
	f->count[1] = 0;
	return 1;
}

static int read_collapsed(struct run *run, struct an_reader *r, char *line, size_t len,
			  struct an_err *err)
{
	int rc = 1;

	if (an_collapsed_detect(line, len) == 2)
		return an_err_set(err, AN_EDATA,
				  "diff-folded input (two counts per line): expected collapsed stacks with one count");
	do {
		struct an_folded f;

		if (len == 0 || (len == 1 && line[0] == '\r'))
			continue;
		if ((!fast_parse(line, len, &f) &&
		     an_collapsed_parse(line, len, 1, &f, err) != AN_OK) ||
		    deliver(run, f.stack, f.stack_len, f.count[0], err) != AN_OK)
			return err ? (int)err->status : AN_EDATA;
	} while ((rc = an_reader_getline(r, &line, &len, err)) == 1);
	return rc < 0 ? -1 : AN_OK;
}

static int read_perf(struct run *run, struct an_reader *r, char *line, size_t len,
		     struct an_err *err)
{
	struct an_perf_opts po = run->o->perf;
	struct an_perf *p;
	int rc = 1, st = AN_OK;

	if (!po.max_stack)
		po.max_stack = run->o->max_line ? run->o->max_line : AN_READER_LINE_MAX_DEFAULT;
	p = an_perf_new(&po);
	if (!p)
		return an_err_set(err, AN_ESYS, "out of memory");
	do {
		st = an_perf_feed(p, line, len, deliver, run, err);
	} while (st == AN_OK && (rc = an_reader_getline(r, &line, &len, err)) == 1);
	if (st == AN_OK && rc == 0)
		st = an_perf_finish(p, deliver, run, err);
	run->info->events_skipped = an_perf_skipped(p);
	if (an_perf_event(p))
		snprintf(run->info->event, sizeof run->info->event, "%s", an_perf_event(p));
	an_perf_free(p);
	if (rc < 0)
		return -1;
	return st;
}

int an_stacks_read(const struct an_stacks_opts *o, struct an_reader *r,
		   struct an_stacks_info *info, struct an_err *err)
{
	struct an_stacks_info dummy;
	struct run run = { o, info ? info : &dummy, NULL, 0 };
	char *line;
	size_t len;
	int rc;

	memset(run.info, 0, sizeof *run.info);
	if (o->max_line)
		an_reader_set_line_max(r, o->max_line);
	while ((rc = an_reader_getline(r, &line, &len, err)) == 1) {
		size_t bom = an_collapsed_bom_len(line, len, an_reader_lineno(r));

		line += bom;
		len -= bom;
		if (!(len == 0 || (len == 1 && line[0] == '\r')))
			break;
	}
	if (rc <= 0)
		return rc < 0 ? (err ? (int)err->status : AN_ESYS) : AN_OK;
	run.info->format = o->format;
	if (o->format == AN_STACKS_DETECT)
		run.info->format = an_perf_detect(line, len) ? AN_STACKS_PERF : AN_STACKS_COLLAPSED;
	if (run.info->format == AN_STACKS_PERF)
		rc = read_perf(&run, r, line, len, err);
	else
		rc = read_collapsed(&run, r, line, len, err);
	free(run.buf);
	if (rc < 0)   /* the reader's error already names the place */
		return err ? (int)err->status : AN_ESYS;
	if (rc != AN_OK)
		an_err_prefix(err, "%s:%llu", an_reader_name(r),
			      (unsigned long long)an_reader_lineno(r));
	return rc;
}
