/* tsplot - time-series charts (SVG or PNG) through gnuplot, spike windows
 * shaded. */
#include <errno.h>
#include <getopt.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "an_num.h"
#include "an_plot.h"
#include "an_reader.h"
#include "an_series.h"
#include "an_spikes.h"
#include "help.h"
#include "tool.h"

extern char **environ;

struct cfg {
	struct an_plot_opts po;
	struct an_series_opts ro;
	const char *windows_file, *output, *format, *gnuplot;
	int dry_run;
	size_t max_line, max_points;
};

enum {
	OPT_SIZE = 256, OPT_YLABEL, OPT_LOGSCALE, OPT_TZ, OPT_DRY_RUN, OPT_GNUPLOT,
	OPT_MAX_LINE, OPT_MAX_POINTS, OPT_HELP, OPT_VERSION
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'f' },
	{ "windows", required_argument, NULL, 'W' },
	{ "title", required_argument, NULL, 't' },
	{ "ylabel", required_argument, NULL, OPT_YLABEL },
	{ "logscale", no_argument, NULL, OPT_LOGSCALE },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "value", required_argument, NULL, 'v' },
	{ "query", required_argument, NULL, 'q' },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "gnuplot", required_argument, NULL, OPT_GNUPLOT },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "max-points", required_argument, NULL, OPT_MAX_POINTS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void parse_size(const char *val, struct an_plot_opts *po)
{
	const char *x = strchr(val, 'x');
	uint64_t w, h;

	if (!x || an_num_parse_u64(val, (size_t)(x - val), &w) != 0 ||
	    an_num_parse_u64(x + 1, strlen(x + 1), &h) != 0 || w < 100 ||
	    h < 100 || w > 20000 || h > 20000)
		tool_usage("option --size: '%s' is not WIDTHxHEIGHT in pixels, "
			   "100 to 20000 each", val);
	po->width = (unsigned)w;
	po->height = (unsigned)h;
}

static void parse_opt(int ch, struct cfg *c)
{
	struct an_err err;

	switch (ch) {
	case 'o': c->output = optarg; break;
	case 'f':
		if (strcmp(optarg, "svg") != 0 && strcmp(optarg, "png") != 0)
			tool_usage("option --format: '%s' is not svg or png", optarg);
		c->format = optarg;
		break;
	case 'W': c->windows_file = optarg; break;
	case 't': c->po.title = optarg; break;
	case OPT_YLABEL: c->po.ylabel = optarg; break;
	case OPT_LOGSCALE: c->po.logscale = 1; break;
	case OPT_SIZE: parse_size(optarg, &c->po); break;
	case OPT_TZ:
		if (an_plot_tz_parse(optarg, &c->po.tz_offset, &err) != AN_OK)
			tool_usage("option --tz: %s", err.msg);
		break;
	case 'v': c->ro.value_col = optarg; break;
	case 'q': c->ro.query = optarg; break;
	case OPT_DRY_RUN: c->dry_run = 1; break;
	case OPT_GNUPLOT: c->gnuplot = optarg; break;
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
	size_t n;

	c->po.width = 900;
	c->po.height = 500;
	while ((ch = tool_getopt(argc, argv, "o:f:W:t:v:q:", longopts)) != -1)
		parse_opt(ch, c);
	if (!c->format) {
		n = c->output ? strlen(c->output) : 0;
		c->format = n > 4 && strcmp(c->output + n - 4, ".png") == 0 ? "png" : "svg";
	}
	c->po.png = strcmp(c->format, "png") == 0;
	if (!c->gnuplot)
		c->gnuplot = getenv("GNUPLOT") && *getenv("GNUPLOT") ? getenv("GNUPLOT")
								     : "gnuplot";
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

static void read_inputs(int argc, char **argv, const struct cfg *c,
			struct an_series_set *set, struct an_windows *w)
{
	struct an_reader *r;
	struct an_err err;
	int k;

	for (k = optind; k < (optind < argc ? argc : optind + 1); k++) {
		r = open_input(optind < argc ? argv[k] : NULL, c);
		if (an_series_read(set, r, &c->ro, &err) != AN_OK)
			tool_die_err(&err);
		an_reader_free(r);
	}
	if (!c->windows_file)
		return;
	r = open_input(c->windows_file, c);
	if (an_windows_read(w, r, &err) != AN_OK)
		tool_die_err(&err);
	an_reader_free(r);
}

/* 0 if `prog` is an executable (a path, or a name in PATH), else errno. */
static int find_program(const char *prog)
{
	const char *path = getenv("PATH"), *p, *end;
	char buf[4096];
	int err = ENOENT;

	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0 ? 0 : errno;
	for (p = path ? path : "/usr/bin:/bin"; ; p = end + 1) {
		const char *dir = p;
		int n, len;

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		len = (int)(end - p);
		if (len == 0)	/* an empty entry is the current directory */
			dir = ".", len = 1;
		n = snprintf(buf, sizeof buf, "%.*s/%s", len, dir, prog);
		if (n > 0 && (size_t)n < sizeof buf) {
			if (access(buf, X_OK) == 0)
				return 0;
			if (errno == EACCES)
				err = EACCES;
		}
		if (!*end)
			return err;
	}
}

/*
 * gnuplot's environment: ours with LC_ALL=C.UTF-8, so that it reads the
 * UTF-8 script as such (in the plain C locale it warns that it cannot
 * convert its degree sign) while numbers keep the '.' decimal point.
 */
static char **gnuplot_env(void)
{
	static char lc_all[] = "LC_ALL=C.UTF-8";
	size_t n = 0, k = 0, i;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof *env);
	if (!env)
		tool_die(2, "out of memory");
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "LC_ALL=", 7) != 0)
			env[k++] = environ[i];
	env[k] = lc_all;
	return env;
}

/* Run gnuplot with the script as its standard input and `out` as its
 * standard output. */
static void run_gnuplot(const char *gnuplot, FILE *script, FILE *out)
{
	posix_spawn_file_actions_t fa;
	char *argv[2], **env;
	pid_t pid;
	int rc, status;

	if (fflush(script) != 0 || fseek(script, 0, SEEK_SET) != 0 || fflush(out) != 0)
		tool_die(2, "cannot write the gnuplot script: %s", strerror(errno));
	rc = find_program(gnuplot);
	if (rc != 0)
		tool_die(2, "cannot run '%s': %s (install gnuplot, or name it with "
			 "--gnuplot or GNUPLOT)", gnuplot, strerror(rc));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fileno(script), 0);
	posix_spawn_file_actions_adddup2(&fa, fileno(out), 1);
	argv[0] = (char *)gnuplot;
	argv[1] = NULL;
	env = gnuplot_env();
	rc = posix_spawnp(&pid, gnuplot, &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	if (rc != 0)
		tool_die(2, "cannot run '%s': %s (install gnuplot, or name it with "
			 "--gnuplot or GNUPLOT)", gnuplot, strerror(rc));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			tool_die(2, "waiting for '%s': %s", gnuplot, strerror(errno));
	if (WIFSIGNALED(status))
		tool_die(2, "'%s' was killed by signal %d", gnuplot, WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		tool_die(2, "'%s' failed with exit status %d", gnuplot,
			 WEXITSTATUS(status));
}

int main(int argc, char **argv)
{
	struct cfg c = { 0 };
	struct an_series_set set;
	struct an_windows w;
	struct an_err err;
	FILE *out, *script = NULL;

	tool_init("tsplot");
	parse_args(argc, argv, &c);
	an_series_set_init(&set, c.max_points);
	an_windows_init(&w);
	read_inputs(argc, argv, &c, &set, &w);
	if (!c.dry_run && !(script = tmpfile()))
		tool_die(2, "cannot create a temporary file: %s", strerror(errno));
	out = tool_out_open(c.output);
	if (an_plot_write(script ? script : out, &set, &w, &c.po, &err) != AN_OK)
		tool_die_err(&err);
	if (script) {
		run_gnuplot(c.gnuplot, script, out);
		fclose(script);
	}
	tool_out_close(out);
	an_windows_release(&w);
	an_series_set_release(&set);
	return 0;
}
