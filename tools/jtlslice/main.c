/* jtlslice - slice JMeter results, or summarise them per label and per
 * interval. */
#include <getopt.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "an_jtl.h"
#include "an_jtl_slice.h"
#include "help.h"
#include "tool.h"

struct cfg {
	struct an_jtl_opts jo;
	struct an_jtl_filter_spec spec;
	struct an_jtl_time from, to;
	int have_from, have_to, stats, total;
	int64_t step_ms;
	size_t max_memory;
	const char *output;
};

static int64_t bound(const struct an_jtl_time *t, int64_t first)
{
	if (!t->relative)
		return t->ms;
	return first == INT64_MAX || t->ms > INT64_MAX - first ? INT64_MAX : first + t->ms;
}

enum {
	OPT_COLUMNS = 256, OPT_FROM, OPT_TO, OPT_LABEL, OPT_EXCLUDE, OPT_CODE,
	OPT_THREAD, OPT_URL, OPT_OK, OPT_FAILED, OPT_STATS, OPT_SERIES,
	OPT_TOTAL, OPT_MAX_FIELD, OPT_MAX_RECORD, OPT_MAX_MEMORY, OPT_HELP,
	OPT_VERSION
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "columns", required_argument, NULL, OPT_COLUMNS },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "exclude-label", required_argument, NULL, OPT_EXCLUDE },
	{ "code", required_argument, NULL, OPT_CODE },
	{ "thread", required_argument, NULL, OPT_THREAD },
	{ "url", required_argument, NULL, OPT_URL },
	{ "ok", no_argument, NULL, OPT_OK },
	{ "failed", no_argument, NULL, OPT_FAILED },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "series", required_argument, NULL, OPT_SERIES },
	{ "total", no_argument, NULL, OPT_TOTAL },
	{ "max-field", required_argument, NULL, OPT_MAX_FIELD },
	{ "max-record", required_argument, NULL, OPT_MAX_RECORD },
	{ "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void parse_time(const char *s, struct an_jtl_time *t, int *have)
{
	struct an_err err;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	if (an_jtl_time_parse(s, now.tv_sec * INT64_C(1000) + now.tv_nsec / 1000000,
			      t, &err) != AN_OK)
		tool_usage("%s", err.msg);
	*have = 1;
}

static void parse_args(int argc, char **argv, struct cfg *c)
{
	struct an_err err;
	int ch;

	while ((ch = tool_getopt(argc, argv, "o:", longopts)) != -1) {
		switch (ch) {
		case 'o': c->output = optarg; break;
		case OPT_COLUMNS: c->jo.columns = optarg; break;
		case OPT_FROM: parse_time(optarg, &c->from, &c->have_from); break;
		case OPT_TO: parse_time(optarg, &c->to, &c->have_to); break;
		case OPT_LABEL: c->spec.label = optarg; break;
		case OPT_EXCLUDE: c->spec.exclude_label = optarg; break;
		case OPT_CODE: c->spec.code = optarg; break;
		case OPT_THREAD: c->spec.thread = optarg; break;
		case OPT_URL: c->spec.url = optarg; break;
		case OPT_OK: c->spec.ok_only = 1; break;
		case OPT_FAILED: c->spec.failed_only = 1; break;
		case OPT_STATS: c->stats = 1; break;
		case OPT_SERIES:
			if (an_jtl_interval_parse(optarg, &c->step_ms, &err) != AN_OK)
				tool_usage("%s", err.msg);
			c->stats = 1;
			break;
		case OPT_TOTAL: c->total = 1; break;
		case OPT_MAX_FIELD:
			c->jo.field_max = tool_opt_u64("--max-field", optarg, 1, 1u << 30);
			break;
		case OPT_MAX_RECORD:
			c->jo.record_max = tool_opt_u64("--max-record", optarg, 1, 1u << 30);
			break;
		case OPT_MAX_MEMORY:
			c->max_memory = tool_opt_u64("--max-memory", optarg, 1, 1u << 20) << 20;
			break;
		case OPT_HELP: tool_help(help_text);
		case OPT_VERSION: tool_version();
		}
	}
	if (c->spec.ok_only && c->spec.failed_only)
		tool_usage("--ok and --failed exclude each other");
	if (c->total && !c->stats)
		tool_usage("--total needs --stats or --series");
}

int main(int argc, char **argv)
{
	static char *stdin_only[] = { "-" };
	struct cfg c = { 0 };
	struct an_jtlstats_opts so = { 0 };
	struct an_jtl_filter *flt;
	struct an_err err;
	char **files;
	int nfiles, i;
	int64_t first = INT64_MAX;
	FILE *out;

	tool_init("jtlslice");
	parse_args(argc, argv, &c);
	files = optind < argc ? argv + optind : stdin_only;
	nfiles = optind < argc ? argc - optind : 1;
	if ((c.have_from && c.from.relative) || (c.have_to && c.to.relative)) {
		for (i = 0; i < nfiles; i++)
			if (strcmp(files[i], "-") == 0)
				tool_usage("times relative to the first sample (+N) need files: standard input cannot be read twice");
		if (an_jtl_first_timestamp(files, nfiles, &c.jo, &first, &err) != AN_OK)
			tool_die_err(&err);
	}
	c.spec.from_ms = c.have_from ? bound(&c.from, first) : INT64_MIN;
	c.spec.to_ms = c.have_to ? bound(&c.to, first) : INT64_MAX;
	if (an_jtl_filter_new(&flt, &c.spec, &err) != AN_OK)
		tool_usage("%s", err.msg);
	so.step_ms = c.step_ms;
	so.total_only = c.total;
	so.max_bytes = c.max_memory;
	out = tool_out_open(c.output);
	if (an_jtl_slice(files, nfiles, &c.jo, flt, c.stats ? &so : NULL, out, &err) != AN_OK)
		tool_die_err(&err);
	an_jtl_filter_free(flt);
	tool_out_close(out);
	return EXIT_OK;
}
