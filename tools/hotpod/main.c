/* hotpod - the run's hot pod from outliers' rankings, and the profiles to
 * compare it with (a normal pod; the same pod in another run). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "an_hotpod.h"
#include "an_reader.h"
#include "help.h"
#include "tool.h"

#define RANKINGS_MAX 16

struct cfg {
	const char *profiles, *event, *output, *compare, *pair, *top;
};

enum { OPT_PROFILES = 256, OPT_EVENT, OPT_COMPARE, OPT_PAIR, OPT_TOP, OPT_HELP, OPT_VERSION };

static const struct option longopts[] = {
	{ "profiles", required_argument, NULL, OPT_PROFILES },
	{ "event", required_argument, NULL, OPT_EVENT },
	{ "compare", required_argument, NULL, OPT_COMPARE },
	{ "pair", required_argument, NULL, OPT_PAIR },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void parse_args(int argc, char **argv, struct cfg *c)
{
	int ch;
	size_t i;

	c->event = "cpu";
	while ((ch = tool_getopt(argc, argv, "o:", longopts)) != -1) {
		switch (ch) {
		case OPT_PROFILES: c->profiles = optarg; break;
		case OPT_EVENT: c->event = optarg; break;
		case OPT_COMPARE: c->compare = optarg; break;
		case OPT_PAIR: c->pair = optarg; break;
		case OPT_TOP: c->top = optarg; break;
		case 'o': c->output = optarg; break;
		case OPT_HELP: tool_help(help_text);
		case OPT_VERSION: tool_version();
		}
	}
	for (i = 0; c->event[i]; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", c->event[i]))
			tool_usage("option --event: '%s' is not a profile event name", c->event);
	if (!c->event[0])
		tool_usage("option --event: empty event name");
	if (!!c->compare + !!c->pair + !!c->top > 1)
		tool_usage("--compare, --pair and --top exclude each other");
	if ((c->compare || c->top) && argc != optind)
		tool_usage("--compare RUN and --top RUN take no other argument");
	if (c->pair && argc - optind != 1)
		tool_usage("--pair BASE needs the other run folder: --pair BASE RUN");
	if (!c->compare && !c->pair && !c->top && (argc == optind || argc - optind > RANKINGS_MAX))
		tool_usage("give 1 to %d rankings as NAME=FILE", RANKINGS_MAX);
}

/* Whether PATH is a regular, non-empty file (a profile worth comparing). */
static int regular(const char *path, int need_data)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (!need_data || st.st_size > 0);
}

static char *profile_path(const char *dir, const char *pod, const char *event)
{
	char *p;

	if (asprintf(&p, "%s/%s.%s.collapsed", dir, pod, event) < 0)
		tool_die(EXIT_SYS, "out of memory");
	return p;
}

/* RUN/profiles, or RUN/out/cut for a run whose profiles are cut from its
 * recordings (the pipeline makes out/cut only then); valid until the next
 * call. */
static const char *dir2(const char *run)
{
	static char *d;
	struct stat st;

	free(d);
	if (asprintf(&d, "%s/out/cut", run) < 0)
		tool_die(EXIT_SYS, "out of memory");
	if (stat(d, &st) == 0 && S_ISDIR(st.st_mode))
		return d;
	free(d);
	if (asprintf(&d, "%s/profiles", run) < 0)
		tool_die(EXIT_SYS, "out of memory");
	return d;
}

static int has_profile(const char *pod, void *ctx)
{
	const struct cfg *c = ctx;
	char *p;
	int ok;

	if (!c->profiles)
		return 0;
	p = profile_path(c->profiles, pod, c->event);
	ok = regular(p, 1);
	free(p);
	return ok;
}

static void pick(char **args, int n, struct cfg *c, FILE *out)
{
	struct an_ranking rk[RANKINGS_MAX];
	struct an_hotpod h;
	struct an_err err;
	int k;

	for (k = 0; k < n; k++) {
		char *eq = strchr(args[k], '=');
		struct an_reader *r;

		if (!eq || eq == args[k] || !eq[1])
			tool_usage("ranking '%s' is not NAME=FILE", args[k]);
		*eq = '\0';
		if (an_reader_open(&r, eq + 1, &err) != AN_OK ||
		    an_ranking_read(&rk[k], args[k], r, &err) != AN_OK)
			tool_die_err(&err);
		an_reader_free(r);
	}
	if (an_hotpod_pick(rk, (size_t)n, has_profile, c, &h, &err) != AN_OK ||
	    an_hotpod_write(out, &h, &err) != AN_OK)
		tool_die_err(&err);
	for (k = 0; k < n; k++)
		an_ranking_release(&rk[k]);
}

static void read_pick(const char *run, char **top, char **normal)
{
	struct an_reader *r;
	struct an_err err;
	char *path;

	if (asprintf(&path, "%s/out/hotpod.tsv", run) < 0)
		tool_die(EXIT_SYS, "out of memory");
	if (an_reader_open(&r, path, &err) != AN_OK ||
	    an_hotpod_read(r, top, normal, &err) != AN_OK)
		tool_die_err(&err);
	an_reader_free(r);
	free(path);
}

/* The normal pod, then the hot (top) pod: before, after in a comparison;
 * nothing (and a note) when one of them has no profile. */
static void compare(const struct cfg *c, FILE *out)
{
	char *top, *normal, *p;
	int ok;

	read_pick(c->compare, &top, &normal);
	p = profile_path(dir2(c->compare), top, c->event);
	ok = regular(p, 1);
	free(p);
	if (!ok || !normal[0]) {
		tool_warn("%s: %s: nothing to compare", c->compare, !ok ?
			  "the top pod has no non-empty profile of this event" :
			  "no other pod has one");
		free(top);
		free(normal);
		return;
	}
	fprintf(out, "%s %s\n", normal, top);
	free(top);
	free(normal);
}

/* BASE's top pod, and the same pod in RUN, or RUN's top pod when RUN has
 * no profile of it (after a rollout that renamed the pods); nothing (and
 * a note) when one of them has no profile. */
static void pair(const struct cfg *c, const char *run, FILE *out)
{
	char *btop, *bnormal, *rtop, *rnormal, *p;
	const char *pod;
	int ok;

	read_pick(c->pair, &btop, &bnormal);
	read_pick(run, &rtop, &rnormal);
	p = profile_path(dir2(run), btop, c->event);
	pod = regular(p, 0) ? btop : rtop;
	free(p);
	p = profile_path(dir2(c->pair), btop, c->event);
	ok = regular(p, 1);
	free(p);
	p = profile_path(dir2(run), pod, c->event);
	ok = ok && regular(p, 1);
	free(p);
	if (ok)
		fprintf(out, "%s %s\n", btop, pod);
	else
		tool_warn("%s, %s: the top pods have no non-empty %s profiles: "
			  "nothing to compare", c->pair, run, c->event);
	free(btop);
	free(bnormal);
	free(rtop);
	free(rnormal);
}

int main(int argc, char **argv)
{
	struct cfg c = { 0 };
	FILE *out;

	tool_init("hotpod");
	parse_args(argc, argv, &c);
	out = tool_out_open(c.output);
	if (c.top) {
		char *top, *normal;

		read_pick(c.top, &top, &normal);
		fprintf(out, "%s\n", top);
		free(top);
		free(normal);
	} else if (c.compare)
		compare(&c, out);
	else if (c.pair)
		pair(&c, argv[optind], out);
	else
		pick(argv + optind, argc - optind, &c, out);
	tool_out_close(out);
	return EXIT_OK;
}
