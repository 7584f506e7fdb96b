/*
 * run.h - running a helper program (gnuplot) as a child process.
 */
#ifndef RUN_H
#define RUN_H

/*
 * Run `prog` (a path, or a name looked up in PATH) without arguments, with
 * `in_fd` as its standard input and `out_fd` as its standard output, in our
 * environment with LC_ALL=C.UTF-8 (UTF-8 text, '.' decimal point).  Waits
 * for it.  Exits 2 with a message when it cannot be found or started, is
 * killed by a signal or exits with a non-zero status; `hint` is added to
 * the "cannot run" message (e.g. how to install or name the program).
 */
void tool_run(const char *prog, int in_fd, int out_fd, const char *hint);

#endif
