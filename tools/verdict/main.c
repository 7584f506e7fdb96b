/* verdict - before/after verdict on per-interval metrics (see verdict.help). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_compare.h"
#include "an_num.h"
#include "an_spikes.h"
#include "an_verdict.h"
#include "help.h"
#include "tool.h"

#define MAX_METRICS 64

struct metric {
	const char *name;
	char *column;
	enum an_better better;
};

struct window {
	double from, to;
};

struct cfg {
	struct metric metrics[MAX_METRICS];
	size_t nm;
	struct window wb, wa;
	struct an_compare_opts opts;
	const char *series, *output, *window_file, *row;
	double shift;
	int header, combine, rule, stats, have_shift, have_windows;
};

enum { OPT_SERIES = 256, OPT_BEFORE_WINDOW, OPT_AFTER_WINDOW, OPT_CONFIDENCE,
       OPT_RESAMPLES, OPT_MIN_EFFECT, OPT_SEED, OPT_NO_HEADER, OPT_WINDOW_FILE,
       OPT_SHIFT, OPT_COMBINE, OPT_RULE, OPT_STATS, OPT_ROW, OPT_HELP, OPT_VERSION };

static const struct option longopts[] = {
	{ "metric", required_argument, NULL, 'm' },
	{ "series", required_argument, NULL, OPT_SERIES },
	{ "before-window", required_argument, NULL, OPT_BEFORE_WINDOW },
	{ "after-window", required_argument, NULL, OPT_AFTER_WINDOW },
	{ "window-file", required_argument, NULL, OPT_WINDOW_FILE },
	{ "shift", required_argument, NULL, OPT_SHIFT },
	{ "confidence", required_argument, NULL, OPT_CONFIDENCE },
	{ "resamples", required_argument, NULL, OPT_RESAMPLES },
	{ "min-effect", required_argument, NULL, OPT_MIN_EFFECT },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "no-header", no_argument, NULL, OPT_NO_HEADER },
	{ "combine", no_argument, NULL, OPT_COMBINE },
	{ "rule", no_argument, NULL, OPT_RULE },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "row", required_argument, NULL, OPT_ROW },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void parse_metric(char *spec, struct metric *m)
{
	char *eq = strrchr(spec, '='), *colon = strrchr(spec, ':');

	m->name = spec;
	m->better = AN_BETTER_LOWER;
	if (colon && (strcmp(colon, ":lower") == 0 || strcmp(colon, ":higher") == 0)) {
		m->better = colon[1] == 'h' ? AN_BETTER_HIGHER : AN_BETTER_LOWER;
		*colon = '\0';
	} else if (colon) {
		tool_usage("option --metric: '%s': expected COLUMN:lower or COLUMN:higher", spec);
	}
	m->column = spec;
	if (eq) {
		*eq = '\0';
		m->column = eq + 1;
	}
	if (!*m->name || !*m->column)
		tool_usage("option --metric: empty name or column");
}

static struct window parse_window(const char *opt, const char *val)
{
	struct window w;
	const char *comma = strchr(val, ',');

	if (!comma || an_num_parse_double(val, (size_t)(comma - val), &w.from) != 0 ||
	    an_num_parse_double(comma + 1, strlen(comma + 1), &w.to) != 0 ||
	    isnan(w.from) || isnan(w.to) || !(w.from < w.to))
		tool_usage("option %s: '%s' is not START,END with START < END (epoch seconds)",
			   opt, val);
	return w;
}

static void parse_opt(int ch, struct cfg *c)
{
	switch (ch) {
	case 'm':
		if (c->nm == MAX_METRICS)
			tool_usage("more than %d metrics", MAX_METRICS);
		parse_metric(optarg, &c->metrics[c->nm++]);
		break;
	case OPT_SERIES: c->series = optarg; break;
	case OPT_BEFORE_WINDOW: c->wb = parse_window("--before-window", optarg); c->have_windows = 1; break;
	case OPT_AFTER_WINDOW: c->wa = parse_window("--after-window", optarg); c->have_windows = 1; break;
	case OPT_WINDOW_FILE: c->window_file = optarg; break;
	case OPT_SHIFT: c->shift = tool_opt_double("--shift", optarg, -1e12, 1e12); c->have_shift = 1; break;
	case OPT_CONFIDENCE: c->opts.confidence = tool_opt_double("--confidence", optarg, 0.5, 0.999); break;
	case OPT_RESAMPLES: c->opts.resamples = (unsigned)tool_opt_u64("--resamples", optarg, 100, 1000000); break;
	case OPT_MIN_EFFECT: c->opts.min_effect = tool_opt_double("--min-effect", optarg, 0, 1000) / 100; break;
	case OPT_SEED: c->opts.seed = tool_opt_u64("--seed", optarg, 0, UINT64_MAX); break;
	case OPT_NO_HEADER: c->header = 0; break;
	case OPT_COMBINE: c->combine = 1; break;
	case OPT_RULE: c->rule = 1; break;
	case OPT_STATS: c->stats = 1; break;
	case OPT_ROW: c->row = optarg; break;
	case 'o': c->output = optarg; break;
	case OPT_HELP: tool_help(help_text);
	case OPT_VERSION: tool_version();
	}
}

static void parse_args(int argc, char **argv, struct cfg *c)
{
	static char default_metric[] = "value";
	int ch, n;

	c->wb.from = c->wa.from = -INFINITY;
	c->wb.to = c->wa.to = INFINITY;
	c->header = 1;
	an_compare_opts_init(&c->opts);
	while ((ch = tool_getopt(argc, argv, "m:o:", longopts)) != -1)
		parse_opt(ch, c);
	n = argc - optind;
	if (c->rule && (c->combine || n))
		tool_usage("--rule takes no inputs");
	if (c->rule)
		return;
	if (c->combine && (n < 1 || n > AN_VERDICT_TABLES_MAX))
		tool_usage("--combine needs 1 to %d verdict tables", AN_VERDICT_TABLES_MAX);
	if (c->combine)
		return;
	if (c->row && (!c->stats || !strchr(c->row, '=') || c->row[0] == '='))
		tool_usage("--row COLUMN=VALUE applies to --stats");
	if (n != 2)
		tool_usage("expected two inputs, BEFORE and AFTER; got %d", n);
	if (strcmp(argv[optind], "-") == 0 && strcmp(argv[optind + 1], "-") == 0)
		tool_usage("BEFORE and AFTER cannot both be standard input");
	if (c->window_file && c->have_windows)
		tool_usage("--window-file and --before-window/--after-window exclude each other");
	if (c->have_shift && !c->window_file)
		tool_usage("--shift applies to --window-file");
	if (c->stats && (c->series || c->window_file || c->have_windows))
		tool_usage("--stats compares one row of two tables: no --series or windows");
	if (!c->nm && !c->stats)
		parse_metric(default_metric, &c->metrics[c->nm++]);
}

/* The first window of a windows file (closed), for BEFORE; for AFTER the
 * same moved by --shift seconds. */
static void read_window_file(struct cfg *c)
{
	struct an_windows w;
	struct an_reader *r;
	struct an_err err;

	an_windows_init(&w);
	if (an_reader_open(&r, c->window_file, &err) != AN_OK ||
	    an_windows_read(&w, r, &err) != AN_OK)
		tool_die_err(&err);
	an_reader_free(r);
	if (w.n == 0)
		tool_die(EXIT_DATA, "%s: no window", c->window_file);
	c->wb.from = w.w[0].start;
	c->wb.to = nextafter(w.w[0].end, INFINITY);
	c->wa.from = c->wb.from + c->shift;
	c->wa.to = nextafter(w.w[0].end + c->shift, INFINITY);
	an_windows_release(&w);
}

static void read_run(const char *path, const struct cfg *c, struct window w,
		     struct an_compare_values *vals)
{
	const char *cols[MAX_METRICS];
	struct an_reader *r;
	struct an_err err;
	size_t i;

	for (i = 0; i < c->nm; i++)
		cols[i] = c->metrics[i].column;
	if (an_reader_open(&r, path, &err) != AN_OK ||
	    an_compare_read(r, cols, c->nm, c->series, w.from, w.to, vals, &err) != AN_OK)
		tool_die_err(&err);
	an_reader_free(r);
}

/* Every metric is compared before anything is written: an error leaves
 * no partial table. */
static void compare(char **inputs, struct cfg *c, FILE **out)
{
	struct an_compare_values before[MAX_METRICS], after[MAX_METRICS];
	struct an_compare_result res[MAX_METRICS];
	enum an_verdict verdicts[MAX_METRICS];
	struct an_err err;
	size_t i;

	if (c->window_file)
		read_window_file(c);
	read_run(inputs[0], c, c->wb, before);
	read_run(inputs[1], c, c->wa, after);
	for (i = 0; i < c->nm; i++) {
		if (an_compare(before[i].v, before[i].n, after[i].v, after[i].n,
			       c->metrics[i].better, &c->opts, &res[i], &err) != AN_OK) {
			an_err_prefix(&err, "metric '%s'", c->metrics[i].name);
			tool_die_err(&err);
		}
		verdicts[i] = res[i].verdict;
		free(before[i].v);
		free(after[i].v);
	}
	*out = tool_out_open(c->output);
	if (c->header)
		an_verdict_write_header(*out);
	for (i = 0; i < c->nm; i++)
		an_verdict_write_row(*out, c->metrics[i].name, c->metrics[i].better, &res[i]);
	if (an_verdict_write_overall(*out, an_verdict_combine(verdicts, c->nm), &err) != AN_OK)
		tool_die_err(&err);
}

/* One row of two tables side by side (default: jtlslice --stats's TOTAL
 * row, its main columns). */
static void stats(char **inputs, struct cfg *c)
{
	const char *cols[MAX_METRICS];
	struct an_reader *b, *a;
	struct an_err err;
	FILE *out;
	size_t i;

	for (i = 0; i < c->nm; i++)
		cols[i] = c->metrics[i].column;
	if (an_reader_open(&b, inputs[0], &err) != AN_OK ||
	    an_reader_open(&a, inputs[1], &err) != AN_OK)
		tool_die_err(&err);
	out = tool_out_open(c->output);
	if (an_verdict_stats(out, b, a, c->row, cols, c->nm, &err) != AN_OK)
		tool_die_err(&err);
	tool_out_close(out);
	an_reader_free(b);
	an_reader_free(a);
}

/* The combined table is made in memory: an error leaves no partial table. */
static void combine(char **inputs, int n, const char *output)
{
	struct an_reader *r[AN_VERDICT_TABLES_MAX];
	struct an_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len), *out;
	int k;

	if (!mem)
		tool_die(EXIT_SYS, "out of memory");
	for (k = 0; k < n; k++)
		if (an_reader_open(&r[k], inputs[k], &err) != AN_OK)
			tool_die_err(&err);
	if (an_verdict_combine_tables(mem, r, (size_t)n, &err) != AN_OK)
		tool_die_err(&err);
	if (fclose(mem) != 0)
		tool_die(EXIT_SYS, "out of memory");
	for (k = 0; k < n; k++)
		an_reader_free(r[k]);
	out = tool_out_open(output);
	fwrite(buf, 1, len, out);
	free(buf);
	tool_out_close(out);
}

int main(int argc, char **argv)
{
	static struct cfg c;
	struct an_err err;
	FILE *out;

	tool_init("verdict");
	parse_args(argc, argv, &c);
	if (c.rule) {
		out = tool_out_open(c.output);
		if (an_verdict_write_rule(out, &c.opts, &err) != AN_OK)
			tool_die_err(&err);
		tool_out_close(out);
	} else if (c.stats) {
		stats(argv + optind, &c);
	} else if (c.combine) {
		combine(argv + optind, argc - optind, c.output);
	} else {
		compare(argv + optind, &c, &out);
		tool_out_close(out);
	}
	return EXIT_OK;
}
