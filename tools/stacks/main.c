/* stacks - read, clean and summarise collapsed stacks (or perf script
 * output, or JFR recordings): merge, filter, normalise, and write collapsed
 * stacks, a top table, per-event samples or a series. */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "an_jfrstacks.h"
#include "an_normalize.h"
#include "an_pprof.h"
#include "an_profile.h"
#include "an_jfr.h"
#include "an_reader.h"
#include "an_stackfilter.h"
#include "an_stacks.h"
#include "an_timespec.h"
#include "an_top.h"
#include "help.h"
#include "tool.h"

enum {
	OPT_FROM = 256, OPT_TOP, OPT_SORT, OPT_BY, OPT_APP, OPT_APP_PREFIX,
	OPT_FOCUS, OPT_IGNORE, OPT_HIDE, OPT_SHOW, OPT_ROOT_AT, OPT_PRUNE_FROM,
	OPT_THREAD, OPT_NO_THREADS, OPT_NORMALIZE, OPT_EVENT, OPT_PERIOD,
	OPT_MAX_LINE, OPT_HELP, OPT_VERSION, OPT_WINDOW, OPT_STATE, OPT_SAMPLES,
	OPT_TOTAL, OPT_LIST, OPT_SERIES, OPT_FORMAT, OPT_INTERVAL, OPT_TOTALS,
	OPT_DURATION
};

/* What is written: one switch, so a format is one more case. */
enum output { OUT_COLLAPSED, OUT_SAMPLES, OUT_PPROF, OUT_TOP, OUT_SERIES, OUT_LIST };

static const struct option longopts[] = {
	{ "from", required_argument, NULL, OPT_FROM },
	{ "top", no_argument, NULL, OPT_TOP },
	{ "nodecount", required_argument, NULL, 'n' },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "by", required_argument, NULL, OPT_BY },
	{ "app", required_argument, NULL, OPT_APP },
	{ "app-prefix", required_argument, NULL, OPT_APP_PREFIX },
	{ "focus", required_argument, NULL, OPT_FOCUS },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "hide", required_argument, NULL, OPT_HIDE },
	{ "show", required_argument, NULL, OPT_SHOW },
	{ "root-at", required_argument, NULL, OPT_ROOT_AT },
	{ "show-from", required_argument, NULL, OPT_ROOT_AT },
	{ "prune-from", required_argument, NULL, OPT_PRUNE_FROM },
	{ "thread", required_argument, NULL, OPT_THREAD },
	{ "no-threads", no_argument, NULL, OPT_NO_THREADS },
	{ "normalize", required_argument, NULL, OPT_NORMALIZE },
	{ "event", required_argument, NULL, OPT_EVENT },
	{ "period", no_argument, NULL, OPT_PERIOD },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "threads", no_argument, NULL, 't' },
	{ "annotate", no_argument, NULL, 'a' },
	{ "samples", no_argument, NULL, OPT_SAMPLES },
	{ "total", no_argument, NULL, OPT_TOTAL },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "series", required_argument, NULL, OPT_SERIES },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "totals", no_argument, NULL, OPT_TOTALS },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

struct cfg {
	struct an_stacks_opts so;
	struct an_jfrs_opts jo;
	enum output out;
	int64_t step_ms;
	int jfr_only, threads_for_select, failed, header_done;
	FILE *f;
	struct an_profile *prof;
	struct an_top *top_t;
	struct an_jfrs_series *series;
	struct an_top_opts to;
	struct an_stackfilter *filter;
	enum an_top_sort sort;
	size_t nodecount;
	int top, have_n, frame_patterns;
	unsigned norm;
	const char *output;
	struct an_pprof_opts pp;     /* --format pprof */
	const char *interval, *duration;
	char perf_event[64];
};

static const struct {
	const char *name;
	enum an_sf_kind kind;
	int opt;
} filter_opts[] = {
	{ "--focus", AN_SF_FOCUS, OPT_FOCUS },
	{ "--ignore", AN_SF_IGNORE, OPT_IGNORE },
	{ "--hide", AN_SF_HIDE, OPT_HIDE },
	{ "--show", AN_SF_SHOW, OPT_SHOW },
	{ "--root-at", AN_SF_ROOT_AT, OPT_ROOT_AT },
	{ "--prune-from", AN_SF_PRUNE_FROM, OPT_PRUNE_FROM },
	{ "--thread", AN_SF_THREAD, OPT_THREAD },
};

/* A pattern option; returns 0 if `opt` is not one. */
static int filter_option(struct cfg *c, int opt, const char *arg)
{
	struct an_err err;
	size_t i;

	for (i = 0; i < sizeof filter_opts / sizeof filter_opts[0]; i++) {
		if (filter_opts[i].opt != opt)
			continue;
		if (an_stackfilter_add(c->filter, filter_opts[i].kind, arg, &err) != AN_OK)
			tool_usage("%s: %s", filter_opts[i].name, err.msg);
		c->frame_patterns |= filter_opts[i].kind != AN_SF_THREAD;
		c->threads_for_select |= filter_opts[i].kind == AN_SF_THREAD;
		return 1;
	}
	return 0;
}

static int pick(const char *opt, const char *val, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(val, names[i]) == 0)
			return i;
	tool_usage("%s: unknown value '%s'", opt, val);
}

/* --format pprof and the options that only it takes. */
static void pprof_args(struct cfg *c)
{
	struct an_err err;
	int bytes = an_pprof_event_kind(c->pp.event) == AN_PPROF_ALLOC;

	if (c->out != OUT_PPROF && (c->interval || c->duration || c->pp.totals))
		tool_usage("--interval, --totals and --duration need --format pprof");
	if (c->so.perf.weight_period)
		c->pp.totals = 1;    /* perf periods: nanoseconds, not samples */
	if (c->interval &&
	    an_pprof_parse_quantity(c->interval, 1, bytes, &c->pp.interval, &err) != AN_OK)
		tool_usage("--interval: %s", err.msg);
	if (c->duration &&
	    an_pprof_parse_quantity(c->duration, 1000000000, 0, &c->pp.duration_nanos, &err) != AN_OK)
		tool_usage("--duration: %s", err.msg);
}

static void parse_args(int argc, char **argv, struct cfg *c)
{
	static const char *const froms[] = { "collapsed", "perf", "jfr" };
	static const enum an_stacks_format fmts[] = { AN_STACKS_COLLAPSED, AN_STACKS_PERF,
						      AN_STACKS_JFR };
	static const char *const formats[] = { "collapsed", "samples", "pprof" };
	static const enum output outs[] = { OUT_COLLAPSED, OUT_SAMPLES, OUT_PPROF };
	static const char *const sorts[] = { "self", "total" };
	static const char *const bys[] = { "method", "class" };
	struct an_err err;
	int opt;

	while ((opt = tool_getopt(argc, argv, "n:No:ta", longopts)) != -1) {
		if (filter_option(c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_FROM: c->so.format = fmts[pick("--from", optarg, froms, 3)]; break;
		case OPT_TOP: c->top = 1; c->out = OUT_TOP; break;
		case OPT_FORMAT:
			c->out = outs[pick("--format", optarg, formats, 3)];
			c->jfr_only |= c->out == OUT_SAMPLES;
			break;
		case OPT_LIST: c->out = OUT_LIST; c->jfr_only = 1; break;
		case OPT_SERIES:
			if (an_duration_parse(optarg, &c->step_ms, &err) != AN_OK)
				tool_usage("--series: %s", err.msg);
			c->out = OUT_SERIES;
			c->jfr_only = 1;
			break;
		case OPT_WINDOW:
			if (an_jfrs_parse_window(optarg, &c->jo, &err) != AN_OK)
				tool_usage("--window: %s", err.msg);
			c->jfr_only = 1;
			break;
		case OPT_STATE: c->jo.state = optarg; c->jfr_only = 1; break;
		case 't': c->jo.threads = 1; c->jfr_only = 1; break;
		case 'a': c->jo.annotate = 1; c->jfr_only = 1; break;
		case OPT_SAMPLES: c->jo.value = AN_JFRS_SAMPLES; c->jfr_only = 1; break;
		case OPT_TOTAL: c->jo.value = AN_JFRS_TOTAL; c->jfr_only = 1; break;
		case 'n':
			c->nodecount = (size_t)tool_opt_u64("--nodecount", optarg, 1, SIZE_MAX);
			c->have_n = 1;
			break;
		case OPT_SORT: c->sort = (enum an_top_sort)pick("--sort", optarg, sorts, 2); break;
		case OPT_BY: c->to.by = (enum an_top_by)pick("--by", optarg, bys, 2); break;
		case OPT_APP: c->to.app_regex = optarg; break;
		case OPT_APP_PREFIX:
			if (!*optarg)
				tool_usage("--app-prefix: empty prefix");
			c->to.app_prefix = optarg;
			break;
		case OPT_NO_THREADS: an_stackfilter_set_no_threads(c->filter, 1); break;
		case 'N': c->norm = AN_NORM_ALL; break;
		case OPT_NORMALIZE:
			if (an_normalize_parse_rules(optarg, &c->norm, &err) != AN_OK)
				tool_usage("--normalize: %s", err.msg);
			break;
		case OPT_EVENT: c->so.perf.event = c->jo.event = c->pp.event = optarg; break;
		case OPT_INTERVAL: c->interval = optarg; break;
		case OPT_TOTALS: c->pp.totals = 1; break;
		case OPT_DURATION: c->duration = optarg; break;
		case OPT_PERIOD: c->so.perf.weight_period = 1; break;
		case OPT_MAX_LINE:
			c->so.max_line = (size_t)tool_opt_u64("--max-line", optarg, 1,
							      AN_READER_LINE_MAX_LIMIT);
			break;
		case 'o': c->output = optarg; break;
		case OPT_HELP: tool_help(help_text);
		case OPT_VERSION: tool_version();
		}
	}
	if (c->top && c->out != OUT_TOP)
		tool_usage("--top, --format, --list and --series exclude each other");
	if (!c->top && (c->have_n || c->sort || c->to.by || c->to.app_regex || c->to.app_prefix))
		tool_usage("--nodecount, --sort, --by, --app and --app-prefix need --top");
	pprof_args(c);
	/* Without patterns on frames, the top table normalises each distinct
	 * frame once instead of every frame of every stack: same rows. */
	if (c->top && !c->frame_patterns)
		c->to.normalize = c->norm;
	else
		an_stackfilter_set_normalize(c->filter, c->norm);
}

static int add_profile(void *ctx, const char *stack, size_t len, uint64_t count,
		       struct an_err *err)
{
	return an_profile_add(ctx, stack, len, count, 0, err);
}

static int add_top(void *ctx, const char *stack, size_t len, uint64_t count,
		   struct an_err *err)
{
	return an_top_add(ctx, stack, len, count, err);
}

/* Each stack of a JFR input, to whatever is written. */
static int jfr_sink(void *ctx, int64_t start_ns, const char *stack, size_t len,
		    uint64_t weight, struct an_err *err)
{
	struct cfg *c = ctx;

	switch (c->out) {
	case OUT_COLLAPSED:
	case OUT_PPROF: return an_profile_add(c->prof, stack, len, weight, 0, err);
	case OUT_TOP: return an_top_add(c->top_t, stack, len, weight, err);
	case OUT_SAMPLES: return an_jfrs_samples_row(c->f, start_ns, stack, len, weight, err);
	case OUT_SERIES: return an_jfrs_series_add(c->series, start_ns, weight, err);
	case OUT_LIST: break;
	}
	return AN_OK;
}

/* A JFR input; a truncated one keeps what it delivered (reported, exit 1
 * once the output is written). */
static void read_jfr(struct an_reader *r, struct cfg *c, struct an_jfrs *js,
		     struct an_jfrs_list *list)
{
	struct an_jfrs_info info;
	struct an_err err;
	int rc, kind;

	memset(&info, 0, sizeof info);
	/* pprof: JFR's sample class names the sample type; alloc, lock and
	 * wait carry bytes or nanoseconds unless --samples counts events */
	if (!c->pp.event)
		c->pp.event = "cpu";
	kind = an_pprof_event_kind(c->pp.event);
	if (c->jo.value == AN_JFRS_TOTAL ? kind != AN_PPROF_CPU && kind != AN_PPROF_WALL
	    : c->jo.value == AN_JFRS_DEFAULT &&
	      (kind == AN_PPROF_ALLOC || kind == AN_PPROF_LOCK || kind == AN_PPROF_WAIT))
		c->pp.totals = 1;
	if (c->out == OUT_SAMPLES && !c->header_done) {
		if (an_jfrs_samples_header(c->f, &err) != AN_OK)
			tool_die_err(&err);
		c->header_done = 1;
	}
	rc = list ? an_jfrs_list_read(list, r, &info.jfr, &err)
		  : an_jfrs_read(js, r, &info, &err);
	if (info.jfr.events_unknown)
		tool_warn("%s: skipped %llu %s of types the metadata does not declare",
			  an_reader_name(r), (unsigned long long)info.jfr.events_unknown,
			  info.jfr.events_unknown == 1 ? "event" : "events");
	if (info.jfr.refs_missing)
		tool_warn("%s: %llu %s to constants the recording does not define, read as null "
			  "(events without a stack are left out)", an_reader_name(r),
			  (unsigned long long)info.jfr.refs_missing,
			  info.jfr.refs_missing == 1 ? "reference" : "references");
	if (rc != AN_OK && !info.jfr.truncated)
		tool_die_err(&err);
	if (rc != AN_OK) {
		tool_warn("%s (%llu complete %s read)", err.msg,
			  (unsigned long long)info.jfr.chunks,
			  info.jfr.chunks == 1 ? "chunk" : "chunks");
		c->failed = 1;
	}
}

static void read_input(const char *path, struct cfg *c, struct an_jfrs *js,
		       struct an_jfrs_list *list)
{
	struct an_reader *r;
	struct an_stacks_info info;
	struct an_err err;
	const void *head;
	long n;

	if (an_reader_open(&r, path, &err) != AN_OK)
		tool_die_err(&err);
	n = c->so.format == AN_STACKS_DETECT ? an_reader_peek(r, &head, 4, &err) : 0;
	if (n < 0)
		tool_die_err(&err);
	if (c->so.format == AN_STACKS_JFR ||
	    (c->so.format == AN_STACKS_DETECT && an_jfr_detect(head, (size_t)n))) {
		read_jfr(r, c, js, list);
	} else {
		if (c->jfr_only)
			tool_die(EXIT_USAGE, "%s: not a JFR recording: --window, --state, -t, -a, "
				 "--samples, --total, --list, --series and --format samples read JFR only",
				 an_reader_name(r));
		if (an_stacks_read(&c->so, r, &info, &err) != AN_OK)
			tool_die_err(&err);
		if (info.events_skipped)
			tool_warn("%s: kept '%s' events, skipped %llu %s of other types",
				  an_reader_name(r), info.event,
				  (unsigned long long)info.events_skipped,
				  info.events_skipped == 1 ? "event" : "events");
		/* perf input names its event: the pprof sample type follows it */
		if (!c->pp.event && info.format == AN_STACKS_PERF && info.event[0]) {
			memcpy(c->perf_event, info.event, sizeof c->perf_event);
			c->pp.event = c->perf_event;
		}
	}
	an_reader_free(r);
}

static void setup_output(struct cfg *c)
{
	struct an_err err;

	if (c->out == OUT_TOP) {
		if (an_top_new(&c->top_t, &c->to, &err) != AN_OK) {
			if (err.status == AN_EDATA)
				tool_usage("--app: %s", err.msg);
			tool_die_err(&err);
		}
		c->so.sink = add_top;
		c->so.ctx = c->top_t;
	} else if (c->out == OUT_COLLAPSED || c->out == OUT_PPROF) {
		if (!(c->prof = an_profile_new(1, 0)))
			tool_die(EXIT_SYS, "out of memory");
		c->so.sink = add_profile;
		c->so.ctx = c->prof;
	} else if (c->out == OUT_SERIES) {
		if (!(c->series = an_jfrs_series_new(c->step_ms, c->jo.event ? c->jo.event : "cpu")))
			tool_die(EXIT_SYS, "out of memory");
	}
	/* Rows of --format samples are written as events come, after the
	 * header that the first JFR input writes. */
	c->f = tool_out_open(c->output);
}

static void write_output(struct cfg *c, struct an_jfrs_list *list)
{
	struct an_err err;
	int rc = AN_OK;

	switch (c->out) {
	case OUT_TOP: rc = an_top_write(c->top_t, c->f, c->sort, c->nodecount, &err); break;
	case OUT_COLLAPSED: rc = an_profile_write(c->prof, c->f, &err); break;
	case OUT_PPROF: rc = an_pprof_write(c->prof, &c->pp, c->f, &err); break;
	case OUT_SERIES: rc = an_jfrs_series_write(c->series, c->f, &err); break;
	case OUT_LIST: rc = an_jfrs_list_write(list, c->f, &err); break;
	case OUT_SAMPLES: break;
	}
	if (rc != AN_OK)
		tool_die_err(&err);
	tool_out_close(c->f);
}

int main(int argc, char **argv)
{
	struct cfg c;
	struct an_jfrs *js = NULL;
	struct an_jfrs_list *list = NULL;
	struct an_err err;
	int i;

	tool_init("stacks");
	memset(&c, 0, sizeof c);
	c.filter = an_stackfilter_new(0);
	if (!c.filter)
		tool_die(EXIT_SYS, "out of memory");
	parse_args(argc, argv, &c);
	c.so.filter = c.filter;
	c.jo.filter = c.filter;
	c.jo.sink = jfr_sink;
	c.jo.ctx = &c;
	c.jo.raw = c.out == OUT_SAMPLES;
	/* --thread selects on thread frames: build them, drop them after. */
	if (c.threads_for_select && !c.jo.threads) {
		c.jo.threads = 1;
		c.jo.strip_threads = 1;
	}
	if (an_jfrs_new(&js, &c.jo, &err) != AN_OK)
		tool_usage("--state: %s", err.msg);
	if (c.out == OUT_LIST && !(list = an_jfrs_list_new()))
		tool_die(EXIT_SYS, "out of memory");
	setup_output(&c);
	if (optind == argc)
		read_input(NULL, &c, js, list);
	for (i = optind; i < argc; i++)
		read_input(argv[i], &c, js, list);
	write_output(&c, list);
	an_jfrs_list_free(list);
	an_jfrs_free(js);
	an_jfrs_series_free(c.series);
	an_top_free(c.top_t);
	an_profile_free(c.prof);
	an_stackfilter_free(c.filter);
	return c.failed ? EXIT_DATA : EXIT_OK;
}
