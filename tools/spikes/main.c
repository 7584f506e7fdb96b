/* spikes - find spike windows in TSV series against a robust baseline;
 * align windows files from several sources; clip to a capture interval. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_changepoint.h"
#include "an_num.h"
#include "an_peers.h"
#include "an_reader.h"
#include "an_series.h"
#include "an_spikes.h"
#include "an_winbest.h"
#include "an_winlong.h"
#include "an_winspan.h"
#include "help.h"
#include "tool.h"

struct cfg {
	struct an_spikes_opts so;
	struct an_series_opts ro;
	struct an_peers_opts po;
	struct an_cp_opts co;
	int peers, changepoint, or_changepoint;
	enum an_point_span span;
	int align, union_mode, mode_given, clip, best, have_within;
	double clip_start, clip_end, min_width, within_start, within_end;
	size_t max_line, max_points;
	const char *output;
};

enum {
	OPT_BELOW = 256, OPT_BASELINE, OPT_MIN_DURATION, OPT_MERGE_GAP, OPT_ALIGN,
	OPT_CLIP, OPT_BEST, OPT_MIN_WIDTH, OPT_WITHIN, OPT_MAX_LINE, OPT_MAX_POINTS,
	OPT_HELP, OPT_VERSION, OPT_PEERS, OPT_RATIO, OPT_FLOOR, OPT_CHANGEPOINT,
	OPT_PENALTY, OPT_MIN_SEGMENT, OPT_POINT_COVERS, OPT_OR_CHANGEPOINT
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "value", required_argument, NULL, 'v' },
	{ "query", required_argument, NULL, 'q' },
	{ "threshold", required_argument, NULL, 'k' },
	{ "below", no_argument, NULL, OPT_BELOW },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "min-duration", required_argument, NULL, OPT_MIN_DURATION },
	{ "merge-gap", required_argument, NULL, OPT_MERGE_GAP },
	{ "align", optional_argument, NULL, OPT_ALIGN },
	{ "clip", required_argument, NULL, OPT_CLIP },
	{ "peers", no_argument, NULL, OPT_PEERS },
	{ "ratio", required_argument, NULL, OPT_RATIO },
	{ "floor", required_argument, NULL, OPT_FLOOR },
	{ "changepoint", no_argument, NULL, OPT_CHANGEPOINT },
	{ "or-changepoint", no_argument, NULL, OPT_OR_CHANGEPOINT },
	{ "penalty", required_argument, NULL, OPT_PENALTY },
	{ "min-segment", required_argument, NULL, OPT_MIN_SEGMENT },
	{ "point-covers", required_argument, NULL, OPT_POINT_COVERS },
	{ "best", no_argument, NULL, OPT_BEST },
	{ "min-width", required_argument, NULL, OPT_MIN_WIDTH },
	{ "within", required_argument, NULL, OPT_WITHIN },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "max-points", required_argument, NULL, OPT_MAX_POINTS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void parse_span(const char *opt, const char *val, double *a, double *b)
{
	struct an_err err;

	if (an_window_spec_parse(val, a, b, &err) != AN_OK)
		tool_usage("option %s: %s", opt, err.msg);
}

static int parse_align_mode(const char *val)
{
	if (strcmp(val, "intersect") == 0)
		return 0;
	if (strcmp(val, "union") == 0)
		return 1;
	tool_usage("option --align: '%s' is not 'intersect' or 'union'", val);
}

static void parse_opt(int ch, struct cfg *c)
{
	switch (ch) {
	case 'o': c->output = optarg; break;
	case 'v': c->ro.value_col = optarg; break;
	case 'q': c->ro.query = optarg; break;
	case 'k':
		c->so.threshold = tool_opt_double("--threshold", optarg, 1e-9, 1e9);
		break;
	case OPT_BELOW: c->so.below = 1; break;
	case OPT_BASELINE:
		parse_span("--baseline", optarg, &c->so.base_start, &c->so.base_end);
		c->so.have_baseline = 1;
		break;
	case OPT_MIN_DURATION:
		c->so.min_duration = tool_opt_double("--min-duration", optarg, 0, 1e12);
		break;
	case OPT_MERGE_GAP:
		c->so.merge_gap = tool_opt_double("--merge-gap", optarg, 0, 1e12);
		break;
	case OPT_ALIGN:
		c->align = 1;
		if (optarg) {
			c->union_mode = parse_align_mode(optarg);
			c->mode_given = 1;
		}
		break;
	case OPT_BEST: c->best = 1; break;
	case OPT_MIN_WIDTH:
		c->min_width = tool_opt_double("--min-width", optarg, 0, 1e12);
		break;
	case OPT_WITHIN:
		parse_span("--within", optarg, &c->within_start, &c->within_end);
		c->have_within = 1;
		break;
	case OPT_CLIP:
		parse_span("--clip", optarg, &c->clip_start, &c->clip_end);
		c->clip = 1;
		break;
	case OPT_POINT_COVERS: {
		struct an_err err;

		if (an_point_span_parse(optarg, &c->span, &err) != AN_OK)
			tool_usage("option --point-covers: %s", err.msg);
		break;
	}
	case OPT_PEERS: c->peers = 1; break;
	case OPT_RATIO:
		c->po.ratio = tool_opt_double("--ratio", optarg, 1, 1e12);
		break;
	case OPT_FLOOR:
		c->po.floor = tool_opt_double("--floor", optarg, 0, 1e12);
		break;
	case OPT_CHANGEPOINT: c->changepoint = 1; break;
	case OPT_OR_CHANGEPOINT: c->or_changepoint = 1; break;
	case OPT_PENALTY:
		c->co.penalty = tool_opt_double("--penalty", optarg, 1e-9, 1e9);
		break;
	case OPT_MIN_SEGMENT:
		c->co.min_segment = tool_opt_u64("--min-segment", optarg, 1, 1000000);
		break;
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

	c->so.threshold = 3;
	c->po.ratio = AN_PEERS_RATIO_DEFAULT;
	c->po.floor = AN_PEERS_FLOOR_DEFAULT;
	an_cp_opts_init(&c->co);
	while ((ch = tool_getopt(argc, argv, "o:v:q:k:", longopts)) != -1)
		parse_opt(ch, c);
	/* "--align union a b" reads as the spelling of --align=union */
	if (c->align && optind < argc && (strcmp(argv[optind], "union") == 0 ||
					  strcmp(argv[optind], "intersect") == 0)) {
		c->union_mode = parse_align_mode(argv[optind++]);
		c->mode_given = 1;
	}
	if (c->best) {
		if (!c->have_within)
			tool_usage("--best needs --within START,END (the load window)");
		if (c->clip)
			tool_usage("--best and --clip exclude each other");
		c->union_mode = c->mode_given ? c->union_mode : 1;
		c->align = 1;
	} else if (c->have_within || c->min_width > 0) {
		tool_usage("--within and --min-width apply to --best");
	}
	if (c->align && (c->ro.value_col || c->ro.query || c->so.below ||
			 c->so.have_baseline))
		tool_usage("--value, --query, --below and --baseline apply to "
			   "series, not to --align over windows files");
	if (c->align && c->span != AN_SPAN_INSTANT)
		tool_usage("--point-covers applies to series, not to --align or "
			   "--best over windows files");
	if (c->peers + c->changepoint + c->or_changepoint + c->align > 1)
		tool_usage("--peers, --changepoint, --or-changepoint and --align "
			   "(or --best) exclude each other");
	if ((c->peers || c->changepoint || c->or_changepoint) &&
	    c->so.have_baseline)
		tool_usage("--baseline applies to the median/MAD rule, not to "
			   "--peers, --changepoint or --or-changepoint");
	if (c->align && argc - optind < 1)
		tool_usage("--align needs windows files");
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

/* --or-changepoint: the change-point windows of s instead of its
 * median/MAD windows out->w[from..] when its anomaly is long */
static void or_changepoint(const struct an_series *s, const struct cfg *c,
			   struct an_windows *out, size_t from)
{
	struct an_windows cp;
	struct an_err err;
	int used;

	an_windows_init(&cp);
	if (an_cp_detect(s, &c->so, &c->co, &cp, &err) != AN_OK ||
	    an_windows_or_changepoint(out, from, &cp, s, &used, &err) != AN_OK)
		tool_die_err(&err);
	an_windows_release(&cp);
}

static void detect(char **files, int nfiles, const struct cfg *c,
		   struct an_windows *out)
{
	struct an_series_set set;
	struct an_err err;
	size_t i;
	int k, none;

	an_series_set_init(&set, c->max_points);
	for (k = 0; k < (nfiles ? nfiles : 1); k++) {
		struct an_reader *r = open_input(nfiles ? files[k] : NULL, c);

		if (an_series_read(&set, r, &c->ro, &err) != AN_OK)
			tool_die_err(&err);
		an_reader_free(r);
	}
	if (c->peers && an_peers_detect(&set, &c->so, &c->po, out, &err) != AN_OK)
		tool_die_err(&err);
	for (i = 0; i < set.n && c->changepoint; i++)
		if (an_cp_detect(&set.s[i], &c->so, &c->co, out, &err) != AN_OK)
			tool_die_err(&err);
	for (i = 0; i < set.n && !c->peers && !c->changepoint; i++) {
		size_t from = out->n;

		if (an_spikes_detect(&set.s[i], &c->so, out, &none, &err) != AN_OK)
			tool_die_err(&err);
		if (c->or_changepoint && !none)
			or_changepoint(&set.s[i], c, out, from);
		if (none) {
			char q[128];

			tool_warn("series '%s': no values in the baseline period, "
				  "skipped", an_err_quote(q, sizeof q, set.s[i].name,
							  set.s[i].name_len));
		}
	}
	if (an_windows_span(out, 0, &set, c->span, &err) != AN_OK)
		tool_die_err(&err);
	an_series_set_release(&set);
}

static void align(char **files, int nfiles, const struct cfg *c,
		  struct an_windows *out)
{
	struct an_windows *in = calloc((size_t)nfiles, sizeof *in);
	struct an_err err;
	int k;

	if (!in)
		tool_die(EXIT_SYS, "out of memory");
	for (k = 0; k < nfiles; k++) {
		struct an_reader *r = open_input(files[k], c);

		if (an_windows_read(&in[k], r, &err) != AN_OK)
			tool_die_err(&err);
		an_reader_free(r);
	}
	if (an_windows_align(in, (size_t)nfiles, c->union_mode, out, &err) != AN_OK)
		tool_die_err(&err);
	for (k = 0; k < nfiles; k++)
		an_windows_release(&in[k]);
	free(in);
}

int main(int argc, char **argv)
{
	struct cfg c = { 0 };
	struct an_windows w;
	struct an_err err;
	FILE *out;

	tool_init("spikes");
	parse_args(argc, argv, &c);
	an_windows_init(&w);
	if (c.best) {
		struct an_windows all;

		an_windows_init(&all);
		align(argv + optind, argc - optind, &c, &all);
		if (an_windows_best(&all, c.min_width, c.within_start,
				    c.within_end, &w, &err) != AN_OK)
			tool_die_err(&err);
		an_windows_release(&all);
	} else if (c.align)
		align(argv + optind, argc - optind, &c, &w);
	else
		detect(argv + optind, argc - optind, &c, &w);
	if (c.clip)
		an_windows_clip(&w, c.clip_start, c.clip_end);
	out = tool_out_open(c.output);
	if (an_windows_write(out, &w, (c.align ? AN_WINDOWS_COL_COUNT : 0) |
			     (c.clip ? AN_WINDOWS_COL_COVERAGE : 0), &err) != AN_OK)
		tool_die_err(&err);
	tool_out_close(out);
	an_windows_release(&w);
	return EXIT_OK;
}
