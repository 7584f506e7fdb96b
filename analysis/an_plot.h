/*
 * an_plot.h - gnuplot scripts for time-series charts.
 *
 * The engine only writes the script (with the data inline, as gnuplot
 * datablocks), so one file renders the chart: `gnuplot SCRIPT > chart`.
 * The tool decides whether to run gnuplot on it.  The chart goes to
 * gnuplot's standard output (the script sets no output file).
 *
 * One line per series (titled by its label set, unescaped), a shaded band
 * per distinct window (a vertical line for a window of one instant), the
 * time axis in UTC shifted by a fixed zone offset.  Non-finite values are
 * gaps (a blank line in the data ends the line segment).  Text from the
 * input is data, never gnuplot code: it is written as a double-quoted
 * string with every quote, backslash, '`', '@' and '$' as an octal escape
 * (enhanced text off); control characters and invalid UTF-8 become '?'.
 */
#ifndef AN_PLOT_H
#define AN_PLOT_H

#include <stdio.h>

#include "an_err.h"
#include "an_series.h"
#include "an_spikes.h"

struct an_plot_opts {
	int png;		/* 0: svg terminal, 1: pngcairo */
	unsigned width, height;	/* pixels */
	const char *title;	/* NULL: none */
	const char *ylabel;	/* NULL: none */
	int logscale;		/* logarithmic y axis */
	long tz_offset;		/* seconds east of UTC added to every time */
};

/*
 * Parse a zone offset: "UTC" or "Z" (0), or a sign and hours with optional
 * minutes: "+02:00", "-0530", "+2".  At most 18 hours.  Returns AN_OK, or
 * AN_EDATA with "'S' is not a zone offset such as +02:00 or UTC".
 */
int an_plot_tz_parse(const char *s, long *offset, struct an_err *err);

/*
 * Write the gnuplot script for the series of `set` (at least one finite
 * value needed) and the windows `w` (may be NULL or empty) to f.
 * Returns AN_OK; AN_EDATA "nothing to plot: no finite value in the input"
 * when there is no finite point, AN_EDATA when a plotted time or a window
 * (shifted by the zone offset) lies outside the years 1 to 9999 (gnuplot's
 * time axis cannot show it); AN_ESYS when a write fails.
 */
int an_plot_write(FILE *f, const struct an_series_set *set,
		  const struct an_windows *w, const struct an_plot_opts *o,
		  struct an_err *err);

/*
 * Check that `chart` (a file gnuplot has written, any position) ends as a
 * complete SVG ("</svg>") or PNG (IEND chunk) does, then copy it to `out`.
 * Returns AN_OK; AN_ESYS "the chart is incomplete (N bytes, ...)" when it
 * is cut short (gnuplot does not report a full disk), or when a read or a
 * write fails.  `out` is not flushed.
 */
int an_plot_chart_copy(FILE *chart, FILE *out, int png, struct an_err *err);

#endif
