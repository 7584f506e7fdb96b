/*
 * tool.h - what every tool's main.c shares: diagnostics in one format,
 * --help/--version, strict option values, and output files that are never
 * left half-written.
 *
 * Diagnostics go to stderr as "TOOL: message"; usage errors add a second
 * line "try 'TOOL --help'".  Functions marked noreturn exit with the codes
 * of exitcodes.h.
 */
#ifndef TOOL_H
#define TOOL_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "an_err.h"
#include "exitcodes.h"

/* Set the name used in messages; call first in main(). */
void tool_init(const char *name);
const char *tool_name(void);

/* "TOOL: message" on stderr. */
void tool_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "TOOL: message" + "try 'TOOL --help'", exit 1. */
_Noreturn void tool_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "TOOL: message", exit with `code`. */
_Noreturn void tool_die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print an engine error and exit with its status (2 if the status is 0). */
_Noreturn void tool_die_err(const struct an_err *err);

/*
 * getopt_long with the tools' own messages: an unknown option is
 * "unknown option '--frob'" (or '-x'), a missing value "option '--out'
 * needs a value"; both are usage errors (exit 1).  Never returns '?' or ':'.
 */
int tool_getopt(int argc, char **argv, const char *shortopts,
		const struct option *longopts);

/* Print `text` (the tool's help page) to stdout and exit 0. */
_Noreturn void tool_help(const char *text);

/* Print "TOOL VERSION" to stdout and exit 0. */
_Noreturn void tool_version(void);

/*
 * Strict option values: the whole string must parse and lie in [min, max];
 * otherwise a usage error naming the option and the value.
 */
uint64_t tool_opt_u64(const char *opt, const char *val, uint64_t min, uint64_t max);
double tool_opt_double(const char *opt, const char *val, double min, double max);

/*
 * Output.  tool_out_open(NULL or "-") returns stdout; any other path opens a
 * temporary file beside it ("PATH.tmp.PID"), which tool_out_close renames
 * onto PATH once everything is written and flushed.  If the tool exits
 * before tool_out_close (any error), or is stopped by SIGINT, SIGTERM or
 * SIGHUP, the temporary file is removed (in the signal's case by a handler
 * that then re-raises the signal, so the exit status still tells it).
 * tool_out_close checks for write errors (a full disk is exit 2); on
 * stdout a reader that closed the pipe is not an error.
 * One output file per process.
 */
FILE *tool_out_open(const char *path);
void tool_out_close(FILE *f);

#endif
