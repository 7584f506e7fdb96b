/* verdict - before/after verdict on per-interval metrics (see verdict.help). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_compare.h"
#include "an_num.h"
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

static void read_run(const char *path, const struct metric *m, size_t nm, const char *series,
		     struct window w, struct an_compare_values *vals)
{
	const char *cols[MAX_METRICS];
	struct an_reader *r;
	struct an_err err;
	size_t i;

	for (i = 0; i < nm; i++)
		cols[i] = m[i].column;
	if (an_reader_open(&r, path, &err) != AN_OK ||
	    an_compare_read(r, cols, nm, series, w.from, w.to, vals, &err) != AN_OK)
		tool_die_err(&err);
	an_reader_free(r);
}

static void put_num(FILE *f, double v)
{
	char b[AN_NUM_BUF];

	fputs(an_num_fmt(b, isnan(v) ? v : round(v * 1e6) / 1e6), f);
}

static void write_row(FILE *f, const struct metric *m, const struct an_compare_result *res)
{
	fprintf(f, "%s\t%s\t%zu\t%zu\t", m->name,
		m->better == AN_BETTER_LOWER ? "lower" : "higher", res->n_before, res->n_after);
	put_num(f, res->before);
	putc('\t', f);
	put_num(f, res->after);
	putc('\t', f);
	put_num(f, res->change);
	putc('\t', f);
	put_num(f, res->rel_change * 100);
	putc('\t', f);
	put_num(f, res->ci_low);
	putc('\t', f);
	put_num(f, res->ci_high);
	fprintf(f, "\t%s\n", an_verdict_name(res->verdict));
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "metric", required_argument, NULL, 'm' },
		{ "series", required_argument, NULL, 's' },
		{ "before-window", required_argument, NULL, 'B' },
		{ "after-window", required_argument, NULL, 'A' },
		{ "confidence", required_argument, NULL, 'c' },
		{ "resamples", required_argument, NULL, 'r' },
		{ "min-effect", required_argument, NULL, 'e' },
		{ "seed", required_argument, NULL, 'S' },
		{ "no-header", no_argument, NULL, 'H' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct metric metrics[MAX_METRICS];
	struct an_compare_values before[MAX_METRICS], after[MAX_METRICS];
	struct an_compare_result results[MAX_METRICS];
	enum an_verdict verdicts[MAX_METRICS];
	struct window wb = { -INFINITY, INFINITY }, wa = { -INFINITY, INFINITY };
	struct an_compare_opts opts;
	const char *series = NULL, *output = NULL;
	char default_metric[] = "value";
	size_t nm = 0, i;
	int c, header = 1;
	FILE *out;

	tool_init("verdict");
	an_compare_opts_init(&opts);
	while ((c = tool_getopt(argc, argv, "m:o:", longopts)) != -1) {
		switch (c) {
		case 'm':
			if (nm == MAX_METRICS)
				tool_usage("more than %d metrics", MAX_METRICS);
			parse_metric(optarg, &metrics[nm++]);
			break;
		case 's': series = optarg; break;
		case 'B': wb = parse_window("--before-window", optarg); break;
		case 'A': wa = parse_window("--after-window", optarg); break;
		case 'c': opts.confidence = tool_opt_double("--confidence", optarg, 0.5, 0.999); break;
		case 'r': opts.resamples = (unsigned)tool_opt_u64("--resamples", optarg, 100, 1000000); break;
		case 'e': opts.min_effect = tool_opt_double("--min-effect", optarg, 0, 1000) / 100; break;
		case 'S': opts.seed = tool_opt_u64("--seed", optarg, 0, UINT64_MAX); break;
		case 'H': header = 0; break;
		case 'o': output = optarg; break;
		case 'h': tool_help(help_text);
		case 'V': tool_version();
		}
	}
	if (argc - optind != 2)
		tool_usage("expected two inputs, BEFORE and AFTER; got %d", argc - optind);
	if (strcmp(argv[optind], "-") == 0 && strcmp(argv[optind + 1], "-") == 0)
		tool_usage("BEFORE and AFTER cannot both be standard input");
	if (!nm)
		parse_metric(default_metric, &metrics[nm++]);
	read_run(argv[optind], metrics, nm, series, wb, before);
	read_run(argv[optind + 1], metrics, nm, series, wa, after);
	for (i = 0; i < nm; i++) {
		struct an_err err;

		if (an_compare(before[i].v, before[i].n, after[i].v, after[i].n,
			       metrics[i].better, &opts, &results[i], &err) != AN_OK) {
			an_err_prefix(&err, "metric '%s'", metrics[i].name);
			tool_die_err(&err);
		}
		verdicts[i] = results[i].verdict;
		free(before[i].v);
		free(after[i].v);
	}
	out = tool_out_open(output);
	if (header)
		fputs("metric\tbetter\tn_before\tn_after\tbefore\tafter\tchange\trel_change_pct"
		      "\tci_low\tci_high\tverdict\n", out);
	for (i = 0; i < nm; i++)
		write_row(out, &metrics[i], &results[i]);
	fprintf(out, "overall\t\t\t\t\t\t\t\t\t\t%s\n", an_verdict_name(an_verdict_combine(verdicts, nm)));
	tool_out_close(out);
	return EXIT_OK;
}
