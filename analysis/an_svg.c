#include "an_svg.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_strmap.h"
#include "an_text.h"

#define XPAD 10.0

void an_svg_opts_init(struct an_svg_opts *o)
{
	memset(o, 0, sizeof *o);
	o->nametype = "Function:";
	o->countname = "samples";
	o->fonttype = "Verdana, sans-serif";
	o->bgcolor1 = "#eeeeee";
	o->bgcolor2 = "#eeeeb0";
	o->width = 1200;
	o->frame_height = 16;
	o->font_size = 12;
	o->font_width = 0.59;
	o->min_width = 0.1;
	o->palette = AN_PAL_JAVA;
}

static const char *const palette_names[] = {
	"java", "hot", "mem", "io", "red", "green", "blue", "aqua", "yellow",
	"purple", "orange"
};

int an_svg_palette_parse(const char *name, enum an_svg_palette *out)
{
	size_t i;

	for (i = 0; i < sizeof palette_names / sizeof *palette_names; i++) {
		if (strcmp(name, palette_names[i]) == 0) {
			*out = (enum an_svg_palette)i;
			return 0;
		}
	}
	return -1;
}

int an_svg_bgcolors_parse(const char *name, const char **c1, const char **c2)
{
	static const char *const bg[][3] = {
		{ "yellow", "#eeeeee", "#eeeeb0" },
		{ "blue", "#eeeeee", "#e0e0ff" },
		{ "green", "#eef2ee", "#e0ffe0" },
		{ "grey", "#f8f8f8", "#e8e8e8" },
	};
	size_t i;

	for (i = 0; i < sizeof bg / sizeof *bg; i++) {
		if (strcmp(name, bg[i][0]) == 0) {
			*c1 = bg[i][1];
			*c2 = bg[i][2];
			return 0;
		}
	}
	if (strlen(name) != 7 || name[0] != '#' || strspn(name + 1, "0123456789abcdefABCDEF") != 6)
		return -1;
	*c1 = *c2 = name;
	return 0;
}

int an_svg_escape(FILE *out, const char *s, size_t len)
{
	size_t i = 0, run = 0, ok = an_utf8_valid_prefix(s, len);

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;

		if (i >= ok) {
			rep = "\xef\xbf\xbd";
			ok = i + 1 + an_utf8_valid_prefix(s + i + 1, len - i - 1);
		} else if (c == '<') {
			rep = "&lt;";
		} else if (c == '>') {
			rep = "&gt;";
		} else if (c == '&') {
			rep = "&amp;";
		} else if (c == '"') {
			rep = "&quot;";
		} else if (c == '\'') {
			rep = "&#39;";
		} else if (c == '\t') {
			rep = "&#9;";
		} else if (c < 0x20) {
			rep = "\xef\xbf\xbd";
		} else if (c == 0xef && i + 2 < len && (unsigned char)s[i + 1] == 0xbf &&
			   ((unsigned char)s[i + 2] & 0xfe) == 0xbe) {
			/* U+FFFE and U+FFFF are not XML characters */
			fwrite(s + i - run, 1, run, out);
			fputs("\xef\xbf\xbd", out);
			run = 0;
			i += 3;
			continue;
		}
		if (!rep) {
			run++;
			i++;
			continue;
		}
		fwrite(s + i - run, 1, run, out);
		fputs(rep, out);
		run = 0;
		i++;
	}
	fwrite(s + len - run, 1, run, out);
	return ferror(out) ? -1 : 0;
}

static int escape_str(FILE *out, const char *s)
{
	return an_svg_escape(out, s, strlen(s));
}

uint64_t an_svg_min_value(const struct an_svg_opts *o, uint64_t total)
{
	double plot = o->width - 2 * XPAD;
	double v;

	if (o->min_width_pct)
		v = (double)total * o->min_width / 100.0;
	else
		v = plot > 0 ? o->min_width * (double)total / plot : 0;
	v = ceil(v);
	if (!(v > 0))
		return 0;
	return v >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)v;
}

/* Pixel value with at most two decimals, trailing zeros dropped. */
static char *px(char *buf, double v)
{
	size_t n;

	an_num_fmt_fixed(buf, v, 2);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
	return buf;
}

struct rgb {
	int r, g, b;
};

static struct rgb mix(double v, int r0, int rr, int g0, int gr, int b0, int br)
{
	return (struct rgb){ r0 + (int)(rr * v), g0 + (int)(gr * v), b0 + (int)(br * v) };
}

static struct rgb hue(enum an_svg_palette p, double v1, double v2, double v3)
{
	switch (p) {
	case AN_PAL_HOT: {
		struct rgb c = { 205 + (int)(50 * v3), (int)(230 * v1), (int)(55 * v2) };
		return c;
	}
	case AN_PAL_MEM: {
		struct rgb c = { 0, 190 + (int)(50 * v2), (int)(210 * v1) };
		return c;
	}
	case AN_PAL_IO: {
		struct rgb c = { 80 + (int)(60 * v1), 80 + (int)(60 * v1), 190 + (int)(55 * v2) };
		return c;
	}
	case AN_PAL_RED:    return mix(v1, 200, 55, 50, 80, 50, 80);
	case AN_PAL_GREEN:  return mix(v1, 50, 60, 200, 55, 50, 60);
	case AN_PAL_BLUE:   return mix(v1, 80, 60, 80, 60, 205, 50);
	case AN_PAL_AQUA:   return mix(v1, 50, 60, 165, 55, 165, 55);
	case AN_PAL_YELLOW: return mix(v1, 175, 55, 175, 55, 50, 20);
	case AN_PAL_PURPLE: return mix(v1, 190, 65, 80, 60, 190, 65);
	case AN_PAL_ORANGE: return mix(v1, 190, 65, 90, 65, 0, 0);
	case AN_PAL_JAVA:   break;
	}
	return mix(v1, 200, 55, 50, 80, 50, 80);
}

static struct rgb kind_colour(enum an_frame_kind k, double v1)
{
	switch (k) {
	case AN_KIND_JIT:         return hue(AN_PAL_GREEN, v1, 0, 0);
	case AN_KIND_INLINED:     return hue(AN_PAL_AQUA, v1, 0, 0);
	case AN_KIND_INTERPRETED: return mix(v1, 150, 40, 215, 30, 120, 40);
	case AN_KIND_C1:          return mix(v1, 170, 40, 210, 30, 40, 30);
	case AN_KIND_KERNEL:      return hue(AN_PAL_ORANGE, v1, 0, 0);
	case AN_KIND_CPP:         return hue(AN_PAL_YELLOW, v1, 0, 0);
	case AN_KIND_THREAD:      return mix(v1, 160, 40, 170, 40, 200, 40);
	case AN_KIND_NATIVE:      break;
	}
	return hue(AN_PAL_RED, v1, 0, 0);
}

static struct rgb frame_colour(const struct an_svg_opts *o, const struct an_flame_frame *fr)
{
	size_t shown;
	enum an_frame_kind k = an_flame_frame_kind(fr->name, fr->name_len, &shown);
	uint64_t h = an_hash_bytes(fr->name, shown);
	double v1 = (double)(h & 0xffff) / 65536.0;
	double v2 = (double)(h >> 16 & 0xffff) / 65536.0;
	double v3 = (double)(h >> 32 & 0xffff) / 65536.0;

	if (fr->depth == 0)
		return (struct rgb){ 210, 210, 210 };
	if (o->palette == AN_PAL_JAVA)
		return kind_colour(k, v1);
	return hue(o->palette, v1, v2, v3);
}

/* Red where the width profile grew, blue where it shrank (or swapped). */
static struct rgb diff_colour(const struct an_svg_opts *o, const struct an_flame_frame *fr,
			      double max_delta)
{
	double d = (double)fr->value - (double)fr->other;
	int c;

	if (o->negate)
		d = -d;
	if (d == 0 || max_delta <= 0)
		return (struct rgb){ 245, 245, 245 };
	c = (int)lround(220.0 * (1.0 - fabs(d) / max_delta));
	return d > 0 ? (struct rgb){ 255, c, c } : (struct rgb){ c, c, 255 };
}

struct geom {
	double width, height, plot, ypad1, ypad2, fh, glyph;
	uint64_t total;
	uint32_t max_depth;
};

static void geom_init(struct geom *g, const struct an_svg_opts *o, uint64_t total,
		      uint32_t max_depth)
{
	g->width = o->width;
	g->plot = o->width - 2 * XPAD;
	g->fh = o->frame_height;
	g->ypad1 = o->font_size * (o->subtitle ? 5 : 3);
	g->ypad2 = o->font_size * 2 + 10;
	g->height = g->ypad1 + g->ypad2 + (max_depth + 1) * g->fh;
	g->glyph = o->font_size * o->font_width;
	g->total = total;
	g->max_depth = max_depth;
}

static double frame_y(const struct geom *g, const struct an_svg_opts *o, uint32_t depth)
{
	if (o->inverted)
		return g->ypad1 + depth * g->fh;
	return g->height - g->ypad2 - (depth + 1) * g->fh;
}

/* Number of UTF-8 code points in s[0..len) (the input is valid UTF-8). */
static size_t code_points(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/* Byte length of the first `n` code points of s. */
static size_t prefix_bytes(const char *s, size_t len, size_t n)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && n-- == 0)
			break;
	return i;
}

/* The label of a frame: as many code points as fit, ".." when cut. */
static void write_label(FILE *out, const char *s, size_t len, size_t chars)
{
	if (code_points(s, len) <= chars) {
		an_svg_escape(out, s, len);
		return;
	}
	an_svg_escape(out, s, prefix_bytes(s, len, chars - 2));
	fputs("..", out);
}

static void write_tooltip(FILE *out, const struct an_svg_opts *o, const struct geom *g,
			  int diff, const struct an_flame_frame *fr, size_t shown)
{
	char a[AN_NUM_BUF], b[AN_NUM_BUF];

	an_svg_escape(out, fr->name, shown);
	fprintf(out, " (%s ", an_num_fmt_u64(a, fr->value));
	escape_str(out, o->countname);
	fprintf(out, ", %s%%", an_num_fmt_fixed(b, 100.0 * (double)fr->value / (double)g->total, 2));
	if (diff && fr->other == 0) {
		fputs("; new", out);
	} else if (diff) {
		uint64_t d = fr->value >= fr->other ? fr->value - fr->other : fr->other - fr->value;
		const char *sign = fr->value >= fr->other ? "+" : "-";

		fprintf(out, "; was %s, %s%s", an_num_fmt_u64(a, fr->other), sign,
			an_num_fmt_u64(b, d));
		fprintf(out, ", %s%s%%", sign,
			an_num_fmt_fixed(a, 100.0 * (double)d / (double)fr->other, 2));
	}
	fputc(')', out);
}

static void write_frame(FILE *out, const struct an_svg_opts *o, const struct geom *g,
			int diff, double max_delta, const struct an_flame_frame *fr)
{
	char b1[AN_NUM_BUF], b2[AN_NUM_BUF], b3[AN_NUM_BUF], b4[AN_NUM_BUF];
	double scale = g->plot / (double)g->total;
	double x = XPAD + (double)fr->offset * scale, w = (double)fr->value * scale;
	double y = frame_y(g, o, fr->depth);
	struct rgb c = diff ? diff_colour(o, fr, max_delta) : frame_colour(o, fr);
	size_t shown = fr->name_len;

	if (!o->keep_annotations)
		an_flame_frame_kind(fr->name, fr->name_len, &shown);
	fprintf(out, "<g data-o=\"%s\"", an_num_fmt_u64(b1, fr->offset));
	fprintf(out, " data-s=\"%s\"><title>", an_num_fmt_u64(b1, fr->value));
	write_tooltip(out, o, g, diff, fr, shown);
	fprintf(out, "</title><rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\""
		" fill=\"rgb(%d,%d,%d)\" rx=\"2\" ry=\"2\"/>",
		px(b1, x), px(b2, y), px(b3, w), px(b4, g->fh - 1), c.r, c.g, c.b);
	if (g->glyph > 0 && w >= 3 * g->glyph && (w - 3) / g->glyph >= 3) {
		fprintf(out, "<text x=\"%s\" y=\"%s\">", px(b1, x + 3),
			px(b2, y + g->fh / 2 + o->font_size * 0.35 - 0.5));
		write_label(out, fr->name, shown, (size_t)((w - 3) / g->glyph));
		fputs("</text>", out);
	}
	fputs("</g>\n", out);
}

/* The embedded script: hover, zoom, reset, search (see an_svg.h); the
 * JavaScript lives in analysis/flamegraph.js. */
#include "flamegraph_js.h"

static void write_head(FILE *out, const struct an_svg_opts *o, const struct geom *g)
{
	char w[AN_NUM_BUF], h[AN_NUM_BUF], fs[AN_NUM_BUF], ts[AN_NUM_BUF];

	px(w, g->width);
	px(h, g->height);
	px(fs, o->font_size);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n", out);
	fprintf(out, "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\""
		" width=\"%s\" height=\"%s\" viewBox=\"0 0 %s %s\" font-family=\"",
		w, h, w, h);
	escape_str(out, o->fonttype);
	fprintf(out, "\" font-size=\"%s\">\n", fs);
	if (o->notes) {
		fputs("<desc>", out);
		escape_str(out, o->notes);
		fputs("</desc>\n", out);
	}
	fprintf(out, "<defs><linearGradient id=\"fg-bg\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">"
		"<stop offset=\"5%%\" stop-color=\"%s\"/><stop offset=\"95%%\" stop-color=\"%s\"/>"
		"</linearGradient></defs>\n", o->bgcolor1, o->bgcolor2);
	fprintf(out, "<style>\n"
		".fg-title { font-size: %spx; text-anchor: middle; }\n"
		".fg-subtitle { text-anchor: middle; fill: #808080; }\n"
		".fg-btn { cursor: pointer; }\n"
		".fg-off { opacity: 0; pointer-events: none; }\n"
		".fg-hide { display: none; }\n"
		".fg-parent { opacity: 0.5; }\n"
		".fg-frames g { cursor: pointer; }\n"
		".fg-frames g:hover rect { stroke: #000000; stroke-width: 0.5; }\n"
		".fg-frames text { pointer-events: none; }\n"
		"</style>\n", px(ts, o->font_size + 5));
	fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%s\" height=\"%s\" fill=\"url(#fg-bg)\"/>\n",
		w, h);
}

static void write_chrome(FILE *out, const struct an_svg_opts *o, const struct geom *g)
{
	char a[AN_NUM_BUF], b[AN_NUM_BUF], c[AN_NUM_BUF], d[AN_NUM_BUF];
	const char *title = o->title ? o->title : o->inverted ? "Icicle Graph" : "Flame Graph";

	px(a, g->width / 2);
	px(b, o->font_size * 2);
	px(c, g->width - XPAD);
	px(d, g->height - g->ypad2 / 2);
	fprintf(out, "<text class=\"fg-title\" x=\"%s\" y=\"%s\">", a, b);
	escape_str(out, title);
	fputs("</text>\n", out);
	if (o->subtitle) {
		fprintf(out, "<text class=\"fg-subtitle\" x=\"%s\" y=\"%s\">", a,
			px(c, o->font_size * 4));
		escape_str(out, o->subtitle);
		fputs("</text>\n", out);
		px(c, g->width - XPAD);
	}
	fprintf(out, "<text class=\"fg-unzoom fg-btn fg-off\" x=\"%s\" y=\"%s\">Reset Zoom</text>\n",
		px(a, XPAD), b);
	fprintf(out, "<text class=\"fg-search fg-btn\" x=\"%s\" y=\"%s\" text-anchor=\"end\">"
		"Search</text>\n", c, b);
	fprintf(out, "<text class=\"fg-details\" x=\"%s\" y=\"%s\" data-nametype=\"", a, d);
	escape_str(out, o->nametype);
	fputs("\"> </text>\n", out);
	fprintf(out, "<text class=\"fg-matched\" x=\"%s\" y=\"%s\" text-anchor=\"end\"> </text>\n",
		c, d);
}

static void write_frames(FILE *out, const struct an_svg_opts *o, const struct geom *g,
			 int diff, const struct an_flame_frame *frames, size_t n)
{
	char a[AN_NUM_BUF], b[AN_NUM_BUF], c[AN_NUM_BUF];
	double max_delta = 0;
	size_t i;

	fprintf(out, "<g class=\"fg-frames\" data-total=\"%s\" data-x0=\"%s\" data-plot=\"%s\"",
		an_num_fmt_u64(a, g->total), px(b, XPAD), px(c, g->plot));
	fprintf(out, " data-glyph=\"%s\" data-inverted=\"%d\">\n",
		an_num_fmt(a, g->glyph), o->inverted ? 1 : 0);
	for (i = 0; diff && i < n; i++) {
		double d = fabs((double)frames[i].value - (double)frames[i].other);

		if (d > max_delta)
			max_delta = d;
	}
	for (i = 0; i < n; i++)
		write_frame(out, o, g, diff, max_delta, &frames[i]);
	if (!n)
		fprintf(out, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">no samples</text>\n",
			px(a, g->width / 2), px(b, g->ypad1 + g->fh));
	fputs("</g>\n", out);
}

int an_svg_write(FILE *out, struct an_flame *f, const struct an_svg_opts *o,
		 struct an_err *err)
{
	int diff = an_flame_ncounts(f) == 2, which = diff ? 1 : 0;
	uint64_t total = an_flame_total(f, which);
	struct an_flame_frame *frames = NULL;
	size_t n = 0;
	uint32_t max_depth = 1;
	struct geom g;

	if (total > 0 &&
	    an_flame_layout(f, which, an_svg_min_value(o, total), &frames, &n, &max_depth,
			    err) != AN_OK)
		return err ? (int)err->status : AN_ESYS;
	geom_init(&g, o, total, max_depth);
	write_head(out, o, &g);
	write_chrome(out, o, &g);
	write_frames(out, o, &g, diff, frames, n);
	fputs("<script><![CDATA[\n", out);
	fputs(flamegraph_js, out);
	fputs("]]></script>\n</svg>\n", out);
	free(frames);
	if (ferror(out))
		return an_err_sys(err, errno ? errno : EIO, "write error");
	return AN_OK;
}
