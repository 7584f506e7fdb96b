/* heatmap - per-event samples to an interactive sub-second heatmap (HTML). */
#include <getopt.h>
#include <stdlib.h>

#include "an_heatmap.h"
#include "an_reader.h"
#include "help.h"
#include "tool.h"

enum { OPT_TITLE = 256, OPT_ROWS, OPT_WINDOWS, OPT_COUNTNAME, OPT_MAXPAIRS, OPT_HELP,
       OPT_VERSION };

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "rows", required_argument, NULL, OPT_ROWS },
	{ "windows", required_argument, NULL, OPT_WINDOWS },
	{ "countname", required_argument, NULL, OPT_COUNTNAME },
	{ "max-pairs", required_argument, NULL, OPT_MAXPAIRS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

struct opts {
	const char *output, *title, *windows, *countname;
	unsigned rows;
	size_t max_pairs;
};

static int parse_options(int argc, char **argv, struct opts *o)
{
	int c;

	while ((c = tool_getopt(argc, argv, "o:", longopts)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case OPT_TITLE: o->title = optarg; break;
		case OPT_ROWS:
			o->rows = (unsigned)tool_opt_u64("--rows", optarg, 1, 1000);
			if (1000 % o->rows != 0)
				tool_usage("option --rows: '%s' does not divide 1000 (1, 2, 4, "
					   "5, 8, 10, 20, 25, 40, 50, 100, 125, 200, 250, 500, "
					   "1000)", optarg);
			break;
		case OPT_WINDOWS: o->windows = optarg; break;
		case OPT_COUNTNAME: o->countname = optarg; break;
		case OPT_MAXPAIRS:
			o->max_pairs = tool_opt_u64("--max-pairs", optarg, 1, (uint64_t)1 << 32);
			break;
		case OPT_HELP: tool_help(help_text);
		case OPT_VERSION: tool_version();
		}
	}
	return optind;
}

/* Read samples (windows == 0) or windows from path into h; exits on error. */
static void read_input(struct an_heatmap *h, const char *path, int windows)
{
	struct an_reader *r;
	struct an_err err;
	int rc;

	an_err_clear(&err);
	if (an_reader_open(&r, path, &err) != AN_OK)
		tool_die_err(&err);
	rc = windows ? an_heatmap_read_windows(h, r, &err) : an_heatmap_read(h, r, &err);
	an_reader_free(r);
	if (rc != AN_OK)
		tool_die_err(&err);
}

int main(int argc, char **argv)
{
	struct opts o = { NULL, NULL, NULL, NULL, 50, 0 };
	struct an_heatmap *h;
	struct an_err err;
	int i, first;
	FILE *out;

	tool_init("heatmap");
	first = parse_options(argc, argv, &o);
	h = an_heatmap_new(o.rows, 0, o.max_pairs);
	if (!h)
		tool_die(EXIT_SYS, "out of memory");
	if (o.windows)
		read_input(h, o.windows, 1);
	if (first == argc)
		read_input(h, NULL, 0);
	for (i = first; i < argc; i++)
		read_input(h, argv[i], 0);
	an_err_clear(&err);
	if (an_heatmap_finish(h, &err) != AN_OK)
		tool_die_err(&err);
	out = tool_out_open(o.output);
	if (an_heatmap_write_html(out, h, o.title, o.countname, &err) != AN_OK)
		tool_die_err(&err);
	tool_out_close(out);
	if (an_heatmap_events(h) == 0) {
		an_heatmap_free(h);
		tool_die(EXIT_DATA, "no samples in the input (wrote a page saying so)");
	}
	an_heatmap_free(h);
	return EXIT_OK;
}
