/* Fuzz target: flame graph tree and layout over collapsed or diff-folded
 * lines (plain and reversed), then the SVG writer.  Aborts when a frame
 * leaves its parent's span, siblings overlap or go backwards, the root is
 * not the total, or the SVG's frame count or CDATA end count is wrong. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_collapsed.h"
#include "an_flame.h"
#include "an_svg.h"

#define TRACK 64

static void check_layout(struct an_flame *f, int which, uint64_t min)
{
	struct an_flame_frame *fr;
	size_t last[TRACK];   /* index of the last frame seen at each depth */
	struct an_err err;
	size_t i, n;
	uint32_t depth;

	if (an_flame_layout(f, which, min, &fr, &n, &depth, &err) != AN_OK)
		abort();
	if (n < 1 || fr[0].depth != 0 || fr[0].value != an_flame_total(f, which))
		abort();
	last[0] = 0;
	for (i = 1; i < TRACK; i++)
		last[i] = 0;
	for (i = 1; i < n; i++) {
		uint32_t d = fr[i].depth;
		const struct an_flame_frame *p, *prev;

		if (d == 0 || d > depth || d > fr[i - 1].depth + 1)
			abort();
		if (fr[i].value == 0 || fr[i].value < min)
			abort();
		if (d >= TRACK)
			continue;
		p = &fr[last[d - 1]];
		if (fr[i].offset < p->offset || fr[i].offset + fr[i].value > p->offset + p->value)
			abort();
		/* a later sibling starts where the previous one ended, or after */
		prev = &fr[last[d]];
		if (last[d] > last[d - 1] && fr[i].offset < prev->offset + prev->value)
			abort();
		last[d] = i;
	}
	free(fr);
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s += strlen(what);
	}
	return n;
}

static void check_svg(struct an_flame *f)
{
	struct an_svg_opts o;
	struct an_flame_frame *fr;
	struct an_err err;
	char *buf = NULL;
	size_t len = 0, n;
	uint32_t depth;
	int which = an_flame_ncounts(f) == 2;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	an_svg_opts_init(&o);
	o.min_width = 0;
	if (an_svg_write(m, f, &o, &err) != AN_OK)
		abort();
	fclose(m);
	if (an_flame_total(f, which) == 0)
		n = 0;
	else if (an_flame_layout(f, which, 0, &fr, &n, &depth, &err) == AN_OK)
		free(fr);
	else
		abort();
	if (count(buf, "<g data-o=") != n || count(buf, "]]>") != 1 ||
	    count(buf, "<script") != 1 || strcmp(buf + len - 7, "</svg>\n") != 0)
		abort();
	free(buf);
}

static void run(const char *data, size_t size, int flags)
{
	const char *p = data, *end = data + size;
	struct an_flame *f = NULL;
	int ok = 1, which;

	for (; ok && p < end; p++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct an_folded fd;
		struct an_err err;

		if (len && !f && !(f = an_flame_new(an_collapsed_detect(p, len), flags, 64 << 20)))
			return;
		if (len && an_collapsed_parse(p, len, an_flame_ncounts(f), &fd, &err) == AN_OK &&
		    an_flame_add(f, fd.stack, fd.stack_len, fd.count[0], fd.count[1], &err) != AN_OK)
			ok = 0;
		p += len;
	}
	if (!f)
		return;
	which = an_flame_ncounts(f) == 2;
	if (ok && an_flame_total(f, which)) {
		check_layout(f, which, 0);
		check_layout(f, which, 2);
	}
	if (ok)
		check_svg(f);
	an_flame_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run((const char *)data, size, 0);
	run((const char *)data, size, AN_FLAME_REVERSE | AN_FLAME_STRIP_DIFF);
	return 0;
}
