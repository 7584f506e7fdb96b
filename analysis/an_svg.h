/*
 * an_svg.h - a flame graph as one self-contained interactive SVG.
 *
 * The SVG needs no network and no other file: frames are <g> elements
 * (a <title> tooltip, a <rect>, a <text> label) and an embedded script
 * adds hover details, click to zoom, reset, and regex search reporting the
 * matched share.  Every name is escaped for XML (a name holding '<', '&',
 * '"', '\'' or "]]>" cannot break the document or run script), colours
 * come from a hash of the frame name (same name, same colour, in every
 * graph), and the same tree and options always give the same bytes.
 *
 * The script's interface, on the <svg> element as `svg.fg` (for tests and
 * for pages that embed the graph):
 *   fg.search(re)    highlight frames whose name matches re (a string or
 *                    RegExp); returns the matched share of the total in
 *                    percent (nested matches counted once), NaN if the
 *                    regex is invalid
 *   fg.resetSearch() clear the highlight
 *   fg.zoom(x)       zoom on frame x: a <g> element or a frame name (the
 *                    widest frame of that name); returns the <g> or null
 *   fg.unzoom()      back to the whole graph
 */
#ifndef AN_SVG_H
#define AN_SVG_H

#include <stdio.h>

#include "an_err.h"
#include "an_flame.h"

enum an_svg_palette {
	AN_PAL_JAVA,      /* by frame kind: JIT, inlined, interpreted, C1, kernel, C++, native */
	AN_PAL_HOT,
	AN_PAL_MEM,
	AN_PAL_IO,
	AN_PAL_RED,
	AN_PAL_GREEN,
	AN_PAL_BLUE,
	AN_PAL_AQUA,
	AN_PAL_YELLOW,
	AN_PAL_PURPLE,
	AN_PAL_ORANGE
};


struct an_svg_opts {
	const char *title;        /* NULL: "Flame Graph" ("Icicle Graph" inverted) */
	const char *subtitle;     /* NULL: none */
	const char *notes;        /* NULL: none; written in <desc> */
	const char *nametype;     /* label before the hovered name: "Function:" */
	const char *countname;    /* unit of the counts: "samples" */
	const char *fonttype;     /* font-family: "Verdana, sans-serif" */
	const char *bgcolor1;     /* background gradient top, "#rrggbb" */
	const char *bgcolor2;     /* background gradient bottom */
	double width;             /* image width in px */
	double frame_height;      /* px per frame */
	double font_size;         /* px */
	double font_width;        /* average glyph width / font size */
	double min_width;         /* px, or percent of the total when min_width_pct */
	int min_width_pct;
	int inverted;             /* icicle: root at the top */
	int negate;               /* differential: swap red and blue */
	int keep_annotations;     /* show "_[j]" and friends in names */
	enum an_svg_palette palette;
};

/* flamegraph.pl's defaults: 1200 px wide, 16 px frames, Verdana 12, 0.1 px. */
void an_svg_opts_init(struct an_svg_opts *o);

/*
 * Palette by name ("java", "hot", "mem", "io", "red", "green", "blue",
 * "aqua", "yellow", "purple", "orange"); returns 0 and sets *out, or -1.
 */
int an_svg_palette_parse(const char *name, enum an_svg_palette *out);

/*
 * Background by name: "yellow" (the default), "blue", "green", "grey", or
 * one colour "#rrggbb" (flat); returns 0 and sets the two gradient colours
 * (static strings, or `name` itself), or -1.
 */
int an_svg_bgcolors_parse(const char *name, const char **c1, const char **c2);

/*
 * Write s[0..len) to out as XML character data or attribute text: '<',
 * '>', '&', '"' and '\'' become entities; control characters other than
 * tab, U+FFFE, U+FFFF and invalid UTF-8 become U+FFFD (none of them may
 * appear in XML).  Returns 0, or -1 on a write error.
 */
int an_svg_escape(FILE *out, const char *s, size_t len);

/*
 * The count below which frames are left out for o->min_width, given the
 * total count.  0 keeps every frame of non-zero width.
 */
uint64_t an_svg_min_value(const struct an_svg_opts *o, uint64_t total);

/*
 * Lay out f and write the whole SVG to out.  A diff-folded tree
 * (an_flame_ncounts 2) is drawn as a differential graph: widths from the
 * second profile, red where it grew, blue where it shrank (swapped with
 * o->negate), more saturated for larger changes.  An empty tree (total 0)
 * gives a valid SVG saying "no samples".  Returns AN_OK, AN_ESYS on a
 * write error or when out of memory.
 */
int an_svg_write(FILE *out, struct an_flame *f, const struct an_svg_opts *o,
		 struct an_err *err);

#endif
