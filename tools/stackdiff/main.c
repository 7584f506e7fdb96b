/* stackdiff - compare two collapsed profiles: diff-folded stacks, or a
 * table of the frames whose share changed most. */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "an_normalize.h"
#include "an_num.h"
#include "an_reader.h"
#include "an_stackdiff.h"
#include "help.h"
#include "tool.h"

struct cfg {
	int table, scale, strip_hex, have_rows, have_sort, have_min;
	unsigned norm_rules;
	struct an_stackdiff_table_opts topts;
	size_t max_memory, max_line;
	const char *output;
};

enum {
	OPT_SORT = 256, OPT_MIN_DELTA, OPT_NORMALIZE, OPT_MAX_LINE, OPT_MAX_MEMORY, OPT_HELP,
	OPT_VERSION
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "table", no_argument, NULL, 't' },
	{ "rows", required_argument, NULL, 'n' },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "min-delta", required_argument, NULL, OPT_MIN_DELTA },
	{ "scale", no_argument, NULL, 'S' },
	{ "strip-hex", no_argument, NULL, 's' },
	{ "normalize", required_argument, NULL, OPT_NORMALIZE },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static size_t parse_rows(const char *val)
{
	uint64_t v;

	if (an_num_parse_u64(val, strlen(val), &v) != 0 || v == 0 || v > SIZE_MAX)
		tool_usage("option -n: '%s' is not a row count from 1 (to scale the "
			   "counts as difffolded.pl -n does, use --scale)", val);
	return (size_t)v;
}

static void parse_args(int argc, char **argv, struct cfg *c)
{
	struct an_err err;
	int ch;

	while ((ch = tool_getopt(argc, argv, "o:tn:SsN", longopts)) != -1) {
		switch (ch) {
		case 'o': c->output = optarg; break;
		case 't': c->table = 1; break;
		case 'n': c->topts.limit = parse_rows(optarg); c->have_rows = 1; break;
		case OPT_SORT:
			if (strcmp(optarg, "total") == 0)
				c->topts.sort = AN_STACKDIFF_TOTAL;
			else if (strcmp(optarg, "self") == 0)
				c->topts.sort = AN_STACKDIFF_SELF;
			else
				tool_usage("option --sort: '%s' is not 'self' or 'total'", optarg);
			c->have_sort = 1;
			break;
		case OPT_MIN_DELTA:
			c->topts.min_delta = tool_opt_double("--min-delta", optarg, 0, 100);
			c->have_min = 1;
			break;
		case 'S': c->scale = 1; break;
		case 's': c->strip_hex = 1; break;
		case 'N': c->norm_rules = AN_NORM_ALL; break;
		case OPT_NORMALIZE:
			if (an_normalize_parse_rules(optarg, &c->norm_rules, &err) != AN_OK)
				tool_usage("option --normalize: %s", err.msg);
			break;
		case OPT_MAX_LINE:
			c->max_line = tool_opt_u64("--max-line", optarg, 1, AN_READER_LINE_MAX_LIMIT);
			break;
		case OPT_MAX_MEMORY:
			c->max_memory = tool_opt_u64("--max-memory", optarg, 2, 1u << 20) << 20;
			break;
		case OPT_HELP: tool_help(help_text);
		case OPT_VERSION: tool_version();
		}
	}
	if (!c->table && (c->have_rows || c->have_sort || c->have_min))
		tool_usage("-n, --sort and --min-delta need --table");
	if (c->table && c->scale)
		tool_usage("--scale does nothing with --table: its shares are "
			   "already of each profile's own total");
}

static void read_input(struct an_stackdiff *d, const char *path, int side,
		       const struct cfg *c)
{
	struct an_reader *r;
	struct an_err err;
	uint64_t before = an_stackdiff_total(d, side);

	if (an_reader_open(&r, path, &err) != AN_OK)
		tool_die_err(&err);
	if (c->max_line)
		an_reader_set_line_max(r, c->max_line);
	if (an_stackdiff_read(d, r, side, &err) != AN_OK)
		tool_die_err(&err);
	if (an_stackdiff_total(d, side) == before)
		tool_warn("%s: no samples in the %s profile", an_reader_name(r),
			  side ? "after" : "before");
	an_reader_free(r);
}

static void write_table(struct an_stackdiff *d, const struct cfg *c, FILE *out)
{
	struct an_stackdiff_row *rows;
	struct an_err err;
	size_t n;

	if (an_stackdiff_table(d, &c->topts, &rows, &n, &err) != AN_OK ||
	    an_stackdiff_write_table(rows, n, out, &err) != AN_OK)
		tool_die_err(&err);
	free(rows);
}

int main(int argc, char **argv)
{
	struct cfg c = { 0 };
	struct an_stackdiff *d;
	struct an_err err;
	FILE *out;

	tool_init("stackdiff");
	parse_args(argc, argv, &c);
	if (argc - optind < 2)
		tool_usage("missing %s profile: expected BEFORE AFTER",
			   argc - optind ? "the after" : "the before and the after");
	if (argc - optind > 2)
		tool_usage("too many inputs: expected BEFORE AFTER, got %d files",
			   argc - optind);
	if (strcmp(argv[optind], "-") == 0 && strcmp(argv[optind + 1], "-") == 0)
		tool_usage("standard input ('-') can be only one of the two inputs");
	d = an_stackdiff_new(c.strip_hex, c.max_memory);
	if (!d)
		tool_die(EXIT_SYS, "out of memory");
	an_stackdiff_set_normalize(d, c.norm_rules);
	read_input(d, argv[optind], 0, &c);
	read_input(d, argv[optind + 1], 1, &c);
	out = tool_out_open(c.output);
	if (c.table)
		write_table(d, &c, out);
	else if (an_stackdiff_write_folded(d, c.scale, out, &err) != AN_OK)
		tool_die_err(&err);
	tool_out_close(out);
	an_stackdiff_free(d);
	return EXIT_OK;
}
