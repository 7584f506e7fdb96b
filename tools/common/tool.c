#include "tool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "an_num.h"

#ifndef AN_VERSION
#define AN_VERSION "unknown"
#endif

static const char *name = "tool";
static char *tmp_path;
static char *final_path;

/*
 * A closed standard descriptor would be reused by the next file we open,
 * and our output (or a child's) would land in it.  Hold it with /dev/null
 * opened in the wrong direction instead, so that using it still fails
 * (EBADF) as it would have.
 */
static void hold_closed_std_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY) != fd)
			_exit(EXIT_SYS);
}

void tool_init(const char *n)
{
	name = n;
	hold_closed_std_fds();
	/* a closed pipe ends us quietly, as with any Unix filter */
	signal(SIGPIPE, SIG_DFL);
}

const char *tool_name(void)
{
	return name;
}

static void vwarn(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void tool_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void tool_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	fprintf(stderr, "try '%s --help'\n", name);
	exit(EXIT_USAGE);
}

void tool_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(code);
}

void tool_die_err(const struct an_err *err)
{
	fprintf(stderr, "%s: %s\n", name, err->msg[0] ? err->msg : "unknown error");
	exit(err->status ? (int)err->status : EXIT_SYS);
}

static void close_stdout_or_die(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			exit(EXIT_OK);
		tool_die(EXIT_SYS, "write error on standard output: %s",
			 strerror(errno ? errno : EIO));
	}
}

void tool_help(const char *text)
{
	fputs(text, stdout);
	close_stdout_or_die();
	exit(EXIT_OK);
}

void tool_version(void)
{
	printf("%s %s\n", name, AN_VERSION);
	close_stdout_or_die();
	exit(EXIT_OK);
}

uint64_t tool_opt_u64(const char *opt, const char *val, uint64_t min, uint64_t max)
{
	uint64_t v;

	if (an_num_parse_u64(val, strlen(val), &v) != 0 || v < min || v > max)
		tool_usage("option %s: '%s' is not an integer from %llu to %llu",
			   opt, val, (unsigned long long)min, (unsigned long long)max);
	return v;
}

double tool_opt_double(const char *opt, const char *val, double min, double max)
{
	double v;
	char a[AN_NUM_BUF], b[AN_NUM_BUF];

	if (an_num_parse_double(val, strlen(val), &v) != 0 || !(v >= min && v <= max))
		tool_usage("option %s: '%s' is not a number from %s to %s", opt, val,
			   an_num_fmt(a, min), an_num_fmt(b, max));
	return v;
}

int tool_getopt(int argc, char **argv, const char *shortopts,
		const struct option *longopts)
{
	char spec[128];
	const char *arg;
	int c;

	snprintf(spec, sizeof spec, ":%s", shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, spec, longopts, NULL);
	if (c != '?' && c != ':')
		return c;
	arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	if (c == ':') {
		if (optopt && strncmp(arg, "--", 2) != 0)
			tool_usage("option '-%c' needs a value", optopt);
		tool_usage("option '%s' needs a value", arg);
	}
	if (optopt)
		tool_usage("unknown option '-%c'", optopt);
	tool_usage("unknown option '%s'", arg);
}

static void remove_tmp(void)
{
	if (tmp_path)
		unlink(tmp_path);
}

/* The temporary output's name for the signal handler; set only while the
 * file exists under that name. */
static char *volatile sig_tmp_path;
static const int out_signals[] = { SIGINT, SIGTERM, SIGHUP };

/*
 * INT, TERM or HUP while an output file is being written: remove the
 * temporary file (unlink is async-signal-safe), then die of the same
 * signal so that our parent sees how we ended.
 */
static void on_signal(int sig)
{
	char *p = sig_tmp_path;

	if (p)
		unlink(p);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(sigset_t *old)
{
	struct sigaction sa;
	sigset_t set;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&set);
	for (i = 0; i < sizeof out_signals / sizeof out_signals[0]; i++) {
		struct sigaction prev;

		sigaddset(&sa.sa_mask, out_signals[i]);
		sigaddset(&set, out_signals[i]);
		/* a signal ignored by our parent (nohup) stays ignored */
		if (sigaction(out_signals[i], NULL, &prev) == 0 &&
		    prev.sa_handler == SIG_IGN)
			continue;
		sigaction(out_signals[i], &sa, NULL);
	}
	sigprocmask(SIG_BLOCK, &set, old);
}

FILE *tool_out_open(const char *path)
{
	sigset_t old;
	FILE *f;
	size_t n;

	if (!path || strcmp(path, "-") == 0)
		return stdout;
	if (tmp_path)
		tool_die(EXIT_SYS, "internal error: second output file");
	n = strlen(path) + 32;
	tmp_path = malloc(n);
	final_path = strdup(path);
	if (!tmp_path || !final_path)
		tool_die(EXIT_SYS, "out of memory");
	snprintf(tmp_path, n, "%s.tmp.%ld", path, (long)getpid());
	/* blocked until the handler knows the name: no window in which a
	 * signal leaves the file behind */
	catch_signals(&old);
	f = fopen(tmp_path, "wbx");
	if (!f) {
		int e = errno;

		sigprocmask(SIG_SETMASK, &old, NULL);
		free(tmp_path);
		tmp_path = NULL;
		tool_die(EXIT_SYS, "cannot create '%s': %s", path, strerror(e));
	}
	sig_tmp_path = tmp_path;
	sigprocmask(SIG_SETMASK, &old, NULL);
	atexit(remove_tmp);
	return f;
}

void tool_out_close(FILE *f)
{
	if (f == stdout) {
		close_stdout_or_die();
		return;
	}
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
		int e = errno ? errno : EIO;

		fclose(f);
		tool_die(EXIT_SYS, "write error on '%s': %s", final_path, strerror(e));
	}
	if (fclose(f) != 0)
		tool_die(EXIT_SYS, "write error on '%s': %s", final_path, strerror(errno));
	if (rename(tmp_path, final_path) != 0)
		tool_die(EXIT_SYS, "cannot rename onto '%s': %s", final_path,
			 strerror(errno));
	sig_tmp_path = NULL;
	free(tmp_path);
	tmp_path = NULL;
	free(final_path);
	final_path = NULL;
}
