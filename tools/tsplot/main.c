/* tsplot - time-series charts (SVG or PNG) through gnuplot, spike windows
 * shaded. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_plot.h"
#include "an_reader.h"
#include "an_series.h"
#include "an_spikes.h"
#include "help.h"
#include "run.h"
#include "tool.h"

struct cfg {
	struct an_plot_opts po;
	struct an_series_opts ro;
	const char *windows_file, *output, *format, *gnuplot;
	int dry_run;
	size_t max_line, max_points;
};

enum {
	OPT_SIZE = 256, OPT_YLABEL, OPT_LOGSCALE, OPT_TZ, OPT_DRY_RUN, OPT_GNUPLOT,
	OPT_MAX_LINE, OPT_MAX_POINTS, OPT_HELP, OPT_VERSION
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'f' },
	{ "windows", required_argument, NULL, 'W' },
	{ "title", required_argument, NULL, 't' },
	{ "ylabel", required_argument, NULL, OPT_YLABEL },
	{ "logscale", no_argument, NULL, OPT_LOGSCALE },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "value", required_argument, NULL, 'v' },
	{ "query", required_argument, NULL, 'q' },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "gnuplot", required_argument, NULL, OPT_GNUPLOT },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "max-points", required_argument, NULL, OPT_MAX_POINTS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void parse_size(const char *val, struct an_plot_opts *po)
{
	const char *x = strchr(val, 'x');
	uint64_t w, h;

	if (!x || an_num_parse_u64(val, (size_t)(x - val), &w) != 0 ||
	    an_num_parse_u64(x + 1, strlen(x + 1), &h) != 0 || w < 100 ||
	    h < 100 || w > 20000 || h > 20000)
		tool_usage("option --size: '%s' is not WIDTHxHEIGHT in pixels, "
			   "100 to 20000 each", val);
	po->width = (unsigned)w;
	po->height = (unsigned)h;
}

static void parse_opt(int ch, struct cfg *c)
{
	struct an_err err;

	switch (ch) {
	case 'o': c->output = optarg; break;
	case 'f':
		if (strcmp(optarg, "svg") != 0 && strcmp(optarg, "png") != 0)
			tool_usage("option --format: '%s' is not svg or png", optarg);
		c->format = optarg;
		break;
	case 'W': c->windows_file = optarg; break;
	case 't': c->po.title = optarg; break;
	case OPT_YLABEL: c->po.ylabel = optarg; break;
	case OPT_LOGSCALE: c->po.logscale = 1; break;
	case OPT_SIZE: parse_size(optarg, &c->po); break;
	case OPT_TZ:
		if (an_plot_tz_parse(optarg, &c->po.tz_offset, &err) != AN_OK)
			tool_usage("option --tz: %s", err.msg);
		break;
	case 'v': c->ro.value_col = optarg; break;
	case 'q': c->ro.query = optarg; break;
	case OPT_DRY_RUN: c->dry_run = 1; break;
	case OPT_GNUPLOT: c->gnuplot = optarg; break;
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
	size_t n;

	c->po.width = 900;
	c->po.height = 500;
	while ((ch = tool_getopt(argc, argv, "o:f:W:t:v:q:", longopts)) != -1)
		parse_opt(ch, c);
	if (!c->format) {
		n = c->output ? strlen(c->output) : 0;
		c->format = n > 4 && strcmp(c->output + n - 4, ".png") == 0 ? "png" : "svg";
	}
	c->po.png = strcmp(c->format, "png") == 0;
	if (!c->gnuplot)
		c->gnuplot = getenv("GNUPLOT") && *getenv("GNUPLOT") ? getenv("GNUPLOT")
								     : "gnuplot";
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

static void read_inputs(int argc, char **argv, const struct cfg *c,
			struct an_series_set *set, struct an_windows *w)
{
	struct an_reader *r;
	struct an_err err;
	int k;

	for (k = optind; k < (optind < argc ? argc : optind + 1); k++) {
		r = open_input(optind < argc ? argv[k] : NULL, c);
		if (an_series_read(set, r, &c->ro, &err) != AN_OK)
			tool_die_err(&err);
		an_reader_free(r);
	}
	if (!c->windows_file)
		return;
	r = open_input(c->windows_file, c);
	if (an_windows_read(w, r, &err) != AN_OK)
		tool_die_err(&err);
	an_reader_free(r);
}

/*
 * Render the script through gnuplot into a temporary file, check that the
 * chart is complete (gnuplot exits 0 on a full disk or a closed output)
 * and copy it to `out`.
 */
static void render(const struct cfg *c, FILE *script, FILE *out)
{
	struct an_err err;
	FILE *chart = tmpfile();

	if (!chart)
		tool_die(EXIT_SYS, "cannot create a temporary file: %s", strerror(errno));
	if (fflush(script) != 0 || fseek(script, 0, SEEK_SET) != 0)
		tool_die(EXIT_SYS, "cannot write the gnuplot script: %s", strerror(errno));
	tool_run(c->gnuplot, fileno(script), fileno(chart),
		 " (install gnuplot, or name it with --gnuplot or GNUPLOT)");
	if (an_plot_chart_copy(chart, out, c->po.png, &err) != AN_OK)
		tool_die_err(&err);
	fclose(chart);
}

int main(int argc, char **argv)
{
	struct cfg c = { 0 };
	struct an_series_set set;
	struct an_windows w;
	struct an_err err;
	FILE *out, *script = NULL;

	tool_init("tsplot");
	parse_args(argc, argv, &c);
	an_series_set_init(&set, c.max_points);
	an_windows_init(&w);
	read_inputs(argc, argv, &c, &set, &w);
	if (!c.dry_run && !(script = tmpfile()))
		tool_die(EXIT_SYS, "cannot create a temporary file: %s", strerror(errno));
	out = tool_out_open(c.output);
	if (an_plot_write(script ? script : out, &set, &w, &c.po, &err) != AN_OK)
		tool_die_err(&err);
	if (script) {
		render(&c, script, out);
		fclose(script);
	}
	tool_out_close(out);
	an_windows_release(&w);
	an_series_set_release(&set);
	return EXIT_OK;
}
