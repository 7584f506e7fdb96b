/* flamegraph - collapsed or diff-folded stacks to an interactive SVG. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "an_flame.h"
#include "an_num.h"
#include "an_reader.h"
#include "an_svg.h"
#include "help.h"
#include "tool.h"

enum {
	OPT_TITLE = 256, OPT_SUBTITLE, OPT_WIDTH, OPT_HEIGHT, OPT_MINWIDTH,
	OPT_FONTTYPE, OPT_FONTSIZE, OPT_FONTWIDTH, OPT_COUNTNAME, OPT_NAMETYPE,
	OPT_COLORS, OPT_BGCOLORS, OPT_HASH, OPT_INVERTED, OPT_REVERSE, OPT_NEGATE,
	OPT_NOTES, OPT_KEEP, OPT_HELP, OPT_VERSION
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "subtitle", required_argument, NULL, OPT_SUBTITLE },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "height", required_argument, NULL, OPT_HEIGHT },
	{ "minwidth", required_argument, NULL, OPT_MINWIDTH },
	{ "fonttype", required_argument, NULL, OPT_FONTTYPE },
	{ "fontsize", required_argument, NULL, OPT_FONTSIZE },
	{ "fontwidth", required_argument, NULL, OPT_FONTWIDTH },
	{ "countname", required_argument, NULL, OPT_COUNTNAME },
	{ "nametype", required_argument, NULL, OPT_NAMETYPE },
	{ "colors", required_argument, NULL, OPT_COLORS },
	{ "bgcolors", required_argument, NULL, OPT_BGCOLORS },
	{ "hash", no_argument, NULL, OPT_HASH },
	{ "inverted", no_argument, NULL, OPT_INVERTED },
	{ "reverse", no_argument, NULL, OPT_REVERSE },
	{ "negate", no_argument, NULL, OPT_NEGATE },
	{ "notes", required_argument, NULL, OPT_NOTES },
	{ "keep-annotations", no_argument, NULL, OPT_KEEP },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

/* "N" pixels or "N%" of the total. */
static void parse_minwidth(struct an_svg_opts *o, const char *val)
{
	size_t n = strlen(val);
	int pct = n > 1 && val[n - 1] == '%';
	double v;

	if (an_num_parse_double(val, n - (size_t)pct, &v) != 0 || !(v >= 0) ||
	    v > (pct ? 100 : 1e9))
		tool_usage("option --minwidth: '%s' is neither pixels (0 to 1000000000) "
			   "nor a percentage (0%% to 100%%)", val);
	o->min_width = v;
	o->min_width_pct = pct;
}

static int parse_options(int argc, char **argv, struct an_svg_opts *o, int *reverse,
			 const char **output)
{
	int c;

	while ((c = tool_getopt(argc, argv, "o:", longopts)) != -1) {
		switch (c) {
		case 'o': *output = optarg; break;
		case OPT_TITLE: o->title = optarg; break;
		case OPT_SUBTITLE: o->subtitle = optarg; break;
		case OPT_WIDTH: o->width = tool_opt_double("--width", optarg, 100, 1e6); break;
		case OPT_HEIGHT:
			o->frame_height = tool_opt_double("--height", optarg, 2, 1000);
			break;
		case OPT_MINWIDTH: parse_minwidth(o, optarg); break;
		case OPT_FONTTYPE: o->fonttype = optarg; break;
		case OPT_FONTSIZE:
			o->font_size = tool_opt_double("--fontsize", optarg, 1, 500);
			break;
		case OPT_FONTWIDTH:
			o->font_width = tool_opt_double("--fontwidth", optarg, 0.05, 10);
			break;
		case OPT_COUNTNAME: o->countname = optarg; break;
		case OPT_NAMETYPE: o->nametype = optarg; break;
		case OPT_COLORS:
			if (an_svg_palette_parse(optarg, &o->palette) != 0)
				tool_usage("option --colors: unknown palette '%s' (java, hot, "
					   "mem, io, red, green, blue, aqua, yellow, purple, "
					   "orange)", optarg);
			break;
		case OPT_BGCOLORS:
			if (an_svg_bgcolors_parse(optarg, &o->bgcolor1, &o->bgcolor2) != 0)
				tool_usage("option --bgcolors: '%s' is not yellow, blue, "
					   "green, grey or #rrggbb", optarg);
			break;
		case OPT_HASH: break; /* colours always come from a hash of the name */
		case OPT_INVERTED: o->inverted = 1; break;
		case OPT_REVERSE: *reverse = 1; break;
		case OPT_NEGATE: o->negate = 1; break;
		case OPT_NOTES: o->notes = optarg; break;
		case OPT_KEEP: o->keep_annotations = 1; break;
		case OPT_HELP: tool_help(help_text);
		case OPT_VERSION: tool_version();
		}
	}
	return optind;
}

static void read_input(struct an_flame *f, const char *path)
{
	struct an_reader *r;
	struct an_err err;

	an_err_clear(&err);
	if (an_reader_open(&r, path, &err) != AN_OK)
		tool_die_err(&err);
	if (an_flame_read(f, r, &err) != AN_OK) {
		an_reader_free(r);
		tool_die_err(&err);
	}
	an_reader_free(r);
}

int main(int argc, char **argv)
{
	struct an_svg_opts o;
	struct an_flame *f;
	struct an_err err;
	const char *output = NULL;
	int i, first, reverse = 0, empty;
	FILE *out;

	tool_init("flamegraph");
	an_svg_opts_init(&o);
	first = parse_options(argc, argv, &o, &reverse, &output);
	f = an_flame_new(0, (reverse ? AN_FLAME_REVERSE : 0) |
			 (o.keep_annotations ? 0 : AN_FLAME_STRIP_DIFF), 0);
	if (!f)
		tool_die(EXIT_SYS, "out of memory");
	if (first == argc)
		read_input(f, NULL);
	for (i = first; i < argc; i++)
		read_input(f, argv[i]);
	empty = an_flame_total(f, an_flame_ncounts(f) == 2 ? 1 : 0) == 0;
	out = tool_out_open(output);
	an_err_clear(&err);
	if (an_svg_write(out, f, &o, &err) != AN_OK)
		tool_die_err(&err);
	tool_out_close(out);
	an_flame_free(f);
	if (empty)
		tool_die(EXIT_DATA, "no samples in the input (wrote a graph saying so)");
	return EXIT_OK;
}
