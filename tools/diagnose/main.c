/* diagnose - what request threads spend their time on (wall, lock, alloc
 * and cpu profiles attributed to application frames), a hot pod against a
 * normal one frame by frame, and the kind of bottleneck of a pod from its
 * metrics and profiles. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "an_diagnose.h"
#include "an_offcpu.h"
#include "an_profile.h"
#include "an_reader.h"
#include "an_selfdiff.h"
#include "help.h"
#include "tool.h"

enum {
	OPT_KIND = 256, OPT_POD, OPT_HOTPOD, OPT_PROFILES, OPT_P99, OPT_CPU, OPT_GC, OPT_APP,
	OPT_APP_PREFIX, OPT_COLLAPSED, OPT_COMPARE, OPT_MAX_LINE, OPT_HELP, OPT_VERSION
};

static const struct option longopts[] = {
	{ "event", required_argument, NULL, 'e' },
	{ "nodecount", required_argument, NULL, 'n' },
	{ "collapsed", no_argument, NULL, OPT_COLLAPSED },
	{ "compare", no_argument, NULL, OPT_COMPARE },
	{ "kind", no_argument, NULL, OPT_KIND },
	{ "pod", required_argument, NULL, OPT_POD },
	{ "hotpod", required_argument, NULL, OPT_HOTPOD },
	{ "profiles", required_argument, NULL, OPT_PROFILES },
	{ "p99", required_argument, NULL, OPT_P99 },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "gc", required_argument, NULL, OPT_GC },
	{ "app", required_argument, NULL, OPT_APP },
	{ "app-prefix", required_argument, NULL, OPT_APP_PREFIX },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

struct cfg {
	struct an_offcpu_opts ao;
	int have_event, kind, collapsed, compare;
	size_t nodecount, max_line;
	const char *pod, *hotpod, *profiles, *metric[3], *output;
};

static void parse_opt(int ch, struct cfg *c)
{
	struct an_err err;

	switch (ch) {
	case 'e':
		if (an_event_parse(optarg, &c->ao.event, &err) != AN_OK)
			tool_usage("option --event: %s", err.msg);
		c->have_event = 1;
		break;
	case 'n':
		c->nodecount = tool_opt_u64("--nodecount", optarg, 1, SIZE_MAX);
		break;
	case 'o': c->output = optarg; break;
	case OPT_COLLAPSED: c->collapsed = 1; break;
	case OPT_COMPARE: c->compare = 1; break;
	case OPT_KIND: c->kind = 1; break;
	case OPT_POD: c->pod = optarg; break;
	case OPT_HOTPOD: c->hotpod = optarg; break;
	case OPT_PROFILES: c->profiles = optarg; break;
	case OPT_P99: c->metric[0] = optarg; break;
	case OPT_CPU: c->metric[1] = optarg; break;
	case OPT_GC: c->metric[2] = optarg; break;
	case OPT_APP: c->ao.app_regex = optarg; break;
	case OPT_APP_PREFIX: c->ao.app_prefix = optarg; break;
	case OPT_MAX_LINE:
		c->max_line = tool_opt_u64("--max-line", optarg, 1, AN_READER_LINE_MAX_LIMIT);
		break;
	case OPT_HELP: tool_help(help_text);
	case OPT_VERSION: tool_version();
	}
}

static void parse_args(int argc, char **argv, struct cfg *c)
{
	int ch;

	while ((ch = tool_getopt(argc, argv, "e:n:o:", longopts)) != -1)
		parse_opt(ch, c);
	if (c->kind && (c->have_event || c->collapsed || c->nodecount))
		tool_usage("--kind takes profiles as EVENT=FILE, not --event, "
			   "--collapsed or --nodecount");
	if (!c->kind && (c->pod || c->hotpod || c->profiles || c->metric[0] ||
			 c->metric[1] || c->metric[2]))
		tool_usage("--pod, --hotpod, --profiles, --p99, --cpu and --gc go "
			   "with --kind");
	if (c->pod && c->hotpod)
		tool_usage("--pod and --hotpod exclude each other");
	if (c->profiles && !c->pod && !c->hotpod)
		tool_usage("--profiles needs the pod: --pod or --hotpod");
	if (!c->kind && !c->have_event)
		tool_usage("say which profile this is with --event (cpu, wall, "
			   "lock, alloc or wait), or use --kind");
	if (c->collapsed && c->nodecount)
		tool_usage("--nodecount applies to the table, not to --collapsed");
	if (c->compare && (c->collapsed || c->kind))
		tool_usage("--compare excludes --collapsed and --kind");
	if (c->compare && argc - optind != 2)
		tool_usage("--compare needs two profiles: NORMAL HOT");
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

/* Read the profiles paths[0..n) (n = 0: stdin) into a new attribution. */
static struct an_offcpu *attribute(char **paths, int n, const struct cfg *c,
				   enum an_event ev)
{
	struct an_offcpu_opts o = c->ao;
	struct an_profile *p = an_profile_new(1, 0);
	struct an_offcpu *a;
	struct an_err err;
	size_t i, k, *ids;
	int j;

	o.event = ev;
	if (!p)
		tool_die(EXIT_SYS, "out of memory");
	if (an_offcpu_new(&a, &o, &err) != AN_OK)
		tool_die_err(&err);
	for (j = 0; j < (n ? n : 1); j++) {
		struct an_reader *r = open_input(n ? paths[j] : NULL, c);

		if (an_profile_read(p, r, &err) != AN_OK)
			tool_die_err(&err);
		an_reader_free(r);
	}
	ids = an_profile_sorted(p, &k, &err);
	if (!ids && k)
		tool_die_err(&err);
	for (i = 0; i < k; i++) {
		size_t len;
		const char *s = an_profile_stack(p, ids[i], &len);

		if (an_offcpu_add(a, s, len, an_profile_value(p, ids[i], 0), &err) != AN_OK)
			tool_die_err(&err);
	}
	free(ids);
	an_profile_free(p);
	return a;
}

static void read_metric(const char *path, const struct cfg *c,
			struct an_diag_metric *m)
{
	struct an_reader *r;
	struct an_err err;

	if (!path)
		return;
	r = open_input(path, c);
	if (an_diag_metric_read(m, r, c->pod, &err) != AN_OK)
		tool_die_err(&err);
	an_reader_free(r);
	if (!m->have)
		tool_warn("%s: no row for pod '%s' with a value and peers: metric "
			  "not used", path, c->pod ? c->pod : "");
}

/* --hotpod: the pod named in its "top" column. */
static char *read_hotpod(const struct cfg *c)
{
	struct an_reader *r = open_input(c->hotpod, c);
	struct an_err err;
	char *pod;

	if (an_diag_pod_read(r, "top", &pod, &err) != AN_OK)
		tool_die_err(&err);
	an_reader_free(r);
	return pod;
}

/* --profiles DIR: DIR/POD.EVENT.collapsed of each event that has one. */
static void pod_profiles(const struct cfg *c, struct an_offcpu **a,
			 struct an_diag_input *in)
{
	int e;

	if (!an_diag_pod_valid(c->pod, strlen(c->pod)))
		tool_usage("option --pod: '%s' is not a pod name", c->pod);
	for (e = 0; e < AN_EVENT_N; e++) {
		char *path;
		struct stat st;

		if (asprintf(&path, "%s/%s.%s.collapsed", c->profiles, c->pod,
			     an_event_name(e)) < 0)
			tool_die(EXIT_SYS, "out of memory");
		if (lstat(path, &st) != 0) {
			if (errno != ENOENT)
				tool_die(EXIT_SYS, "%s: %s", path, strerror(errno));
		} else if (!S_ISREG(st.st_mode)) {
			tool_die(EXIT_DATA, "%s: not a regular file", path);
		} else if (!a[e]) {
			a[e] = attribute(&path, 1, c, e);
			in->profile[e] = a[e];
		}
		free(path);
	}
}

/* "EVENT=FILE" arguments of --kind. */
static void kind(char **args, int n, struct cfg *c, FILE *out)
{
	struct an_diag_input in;
	struct an_offcpu *a[AN_EVENT_N] = { 0 };
	struct an_err err;
	char *pod = NULL;
	int j;

	if (n == 0 && !c->metric[0] && !c->metric[1] && !c->metric[2] && !c->profiles)
		tool_usage("--kind needs metrics (--p99, --cpu, --gc) or profiles "
			   "(EVENT=FILE, --profiles)");
	if (c->hotpod)
		c->pod = pod = read_hotpod(c);
	memset(&in, 0, sizeof in);
	read_metric(c->metric[0], c, &in.p99);
	read_metric(c->metric[1], c, &in.cpu);
	read_metric(c->metric[2], c, &in.gc);
	for (j = 0; j < n; j++) {
		char *eq = strchr(args[j], '=');
		enum an_event ev;

		if (!eq)
			tool_usage("'%s' is not EVENT=FILE", args[j]);
		*eq = '\0';
		if (an_event_parse(args[j], &ev, &err) != AN_OK)
			tool_usage("%s", err.msg);
		if (a[ev])
			tool_usage("two %s profiles: give one per event", an_event_name(ev));
		a[ev] = attribute(&(char *){ eq + 1 }, 1, c, ev);
		in.profile[ev] = a[ev];
	}
	if (c->profiles)
		pod_profiles(c, a, &in);
	if (an_diagnose_write(out, &in, &err) != AN_OK)
		tool_die_err(&err);
	for (j = 0; j < AN_EVENT_N; j++)
		an_offcpu_free(a[j]);
	free(pod);
}

int main(int argc, char **argv)
{
	struct cfg c = { 0 };
	struct an_err err;
	FILE *out;

	tool_init("diagnose");
	parse_args(argc, argv, &c);
	if (c.kind) {
		out = tool_out_open(c.output);
		kind(argv + optind, argc - optind, &c, out);
	} else if (c.compare) {
		struct an_offcpu *n = attribute(argv + optind, 1, &c, c.ao.event);
		struct an_offcpu *h = attribute(argv + optind + 1, 1, &c, c.ao.event);

		out = tool_out_open(c.output);
		if (an_selfdiff_write(out, n, h, c.nodecount, &err) != AN_OK)
			tool_die_err(&err);
		an_offcpu_free(n);
		an_offcpu_free(h);
	} else {
		struct an_offcpu *a = attribute(argv + optind, argc - optind, &c,
						c.ao.event);

		out = tool_out_open(c.output);
		if ((c.collapsed ? an_offcpu_write_collapsed(out, a, &err) :
		     an_offcpu_write_table(out, a, c.nodecount, &err)) != AN_OK)
			tool_die_err(&err);
		an_offcpu_free(a);
	}
	tool_out_close(out);
	return 0;
}
