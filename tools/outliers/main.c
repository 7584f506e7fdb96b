/* outliers - rank series (pods) by how far they stand from their peers in
 * a window: the hot pod. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_outliers.h"
#include "an_reader.h"
#include "an_series.h"
#include "an_spikes.h"
#include "help.h"
#include "tool.h"

struct cfg {
	struct an_outliers_opts oo;
	struct an_series_opts ro;
	int have_window;
	double start, end;
	const char *windows_file, *output;
	size_t max_line, max_points;
};

enum { OPT_MIN_REL = 256, OPT_MAX_LINE, OPT_MAX_POINTS, OPT_HELP, OPT_VERSION };

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "window", required_argument, NULL, 'w' },
	{ "windows", required_argument, NULL, 'W' },
	{ "stat", required_argument, NULL, 's' },
	{ "threshold", required_argument, NULL, 'k' },
	{ "min-rel", required_argument, NULL, OPT_MIN_REL },
	{ "value", required_argument, NULL, 'v' },
	{ "query", required_argument, NULL, 'q' },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "max-points", required_argument, NULL, OPT_MAX_POINTS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void parse_opt(int ch, struct cfg *c)
{
	struct an_err err;

	switch (ch) {
	case 'o': c->output = optarg; break;
	case 'w':
		if (an_window_spec_parse(optarg, &c->start, &c->end, &err) != AN_OK)
			tool_usage("option --window: %s", err.msg);
		c->have_window = 1;
		break;
	case 'W': c->windows_file = optarg; break;
	case 's':
		if (an_stat_parse(optarg, &c->oo.stat) != 0)
			tool_usage("option --stat: '%s' is not mean, median, max or "
				   "p95", optarg);
		break;
	case 'k':
		c->oo.threshold = tool_opt_double("--threshold", optarg, 1e-9, 1e9);
		break;
	case OPT_MIN_REL:
		c->oo.min_rel = tool_opt_double("--min-rel", optarg, 0, 1e6);
		break;
	case 'v': c->ro.value_col = optarg; break;
	case 'q': c->ro.query = optarg; break;
	case OPT_MAX_LINE:
		c->max_line = tool_opt_u64("--max-line", optarg, 1, AN_READER_LINE_MAX_LIMIT);
		break;
	case OPT_MAX_POINTS:
		c->max_points = tool_opt_u64("--max-points", optarg, 1, (uint64_t)1 << 40);
		break;
	case OPT_HELP: tool_help(help_text);
	case OPT_VERSION: tool_version();
	}
}

static void parse_args(int argc, char **argv, struct cfg *c)
{
	int ch;

	c->oo.stat = AN_STAT_MEAN;
	c->oo.threshold = 3;
	c->oo.min_rel = 0.2;
	while ((ch = tool_getopt(argc, argv, "o:w:W:s:k:v:q:", longopts)) != -1)
		parse_opt(ch, c);
	if (c->have_window && c->windows_file)
		tool_usage("--window and --windows exclude each other");
}

static struct an_reader *open_input(const char *path, const struct cfg *c)
{
	struct an_reader *r;
	struct an_err err;

	if (an_reader_open(&r, path, &err) != AN_OK)
		tool_die_err(&err);
	if (c->max_line)
		an_reader_set_line_max(r, c->max_line);
	return r;
}

/* The distinct windows to rank in: the windows file's, --window, or the
 * span of the data. */
static void load_windows(const struct cfg *c, const struct an_series_set *set,
			 struct an_windows *w)
{
	struct an_reader *r;
	struct an_err err;
	struct an_window *x;

	if (!c->windows_file) {
		if (!(x = an_windows_add(w, "", 0, &err)))
			tool_die_err(&err);
		if (c->have_window) {
			x->start = c->start;
			x->end = c->end;
		} else {
			an_series_set_span(set, &x->start, &x->end);
		}
		return;
	}
	r = open_input(c->windows_file, c);
	if (an_windows_read(w, r, &err) != AN_OK)
		tool_die_err(&err);
	an_reader_free(r);
	an_windows_distinct(w);
	if (w->n == 0)
		tool_warn("%s: no windows: nothing to rank", c->windows_file);
}

static void note(const struct an_window *w, const struct an_outlier *rows,
		 size_t nvalid, const struct cfg *c)
{
	char a[AN_NUM_BUF], b[AN_NUM_BUF], s[AN_NUM_BUF], k[AN_NUM_BUF];

	an_num_fmt(a, w->start);
	an_num_fmt(b, w->end);
	if (nvalid < 2)
		tool_warn("window %s,%s: %zu series with values: no peers to "
			  "compare with", a, b, nvalid);
	else if (!rows[0].hot)
		tool_warn("window %s,%s: no series stands out (top score %s, "
			  "threshold %s)", a, b, an_num_fmt(s, rows[0].score),
			  an_num_fmt(k, c->oo.threshold));
}

static void rank_all(const struct cfg *c, const struct an_series_set *set,
		     const struct an_windows *w, FILE *out)
{
	struct an_outlier *rows;
	struct an_err err;
	size_t i, nvalid;

	an_outliers_write_header(out);
	for (i = 0; i < w->n; i++) {
		if (an_outliers_rank(set, w->w[i].start, w->w[i].end, &c->oo, &rows,
				     &nvalid, &err) != AN_OK ||
		    an_outliers_write(out, set, w->w[i].start, w->w[i].end, &c->oo,
				      rows, set->n, &err) != AN_OK)
			tool_die_err(&err);
		note(&w->w[i], rows, nvalid, c);
		free(rows);
	}
}

int main(int argc, char **argv)
{
	struct cfg c = { 0 };
	struct an_series_set set;
	struct an_windows w;
	struct an_err err;
	FILE *out;
	int k;

	tool_init("outliers");
	parse_args(argc, argv, &c);
	an_series_set_init(&set, c.max_points);
	for (k = optind; k < (optind < argc ? argc : optind + 1); k++) {
		struct an_reader *r = open_input(optind < argc ? argv[k] : NULL, &c);

		if (an_series_read(&set, r, &c.ro, &err) != AN_OK)
			tool_die_err(&err);
		an_reader_free(r);
	}
	an_windows_init(&w);
	load_windows(&c, &set, &w);
	out = tool_out_open(c.output);
	if (set.n)
		rank_all(&c, &set, &w, out);
	else
		an_outliers_write_header(out);
	if (!set.n)
		tool_warn("no series in the input: nothing to rank");
	tool_out_close(out);
	an_windows_release(&w);
	an_series_set_release(&set);
	return EXIT_OK;
}
