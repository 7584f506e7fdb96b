/*
 * an_err.h - errors as values.
 *
 * Every engine function that can fail takes a `struct an_err *` and returns
 * a status.  The engine never prints and never exits: it fills the error with
 * a one-line message (lower case, no trailing newline, offending value
 * quoted) and the tool decides what to print and which exit code to use.
 *
 * Status values double as the process exit codes every tool documents
 * (see tools/common/exitcodes.h):
 *   AN_OK    0  success
 *   AN_EDATA 1  bad input data or bad usage (an option value the engine
 *              rejected, a malformed line, a regex that does not compile)
 *   AN_ESYS  2  system, I/O, network or server failure
 */
#ifndef AN_ERR_H
#define AN_ERR_H

#include <stddef.h>

enum an_status {
	AN_OK = 0,
	AN_EDATA = 1,
	AN_ESYS = 2
};

#define AN_ERR_MSG_MAX 1024

struct an_err {
	enum an_status status;
	char msg[AN_ERR_MSG_MAX];
};

/* Reset to AN_OK with an empty message. */
void an_err_clear(struct an_err *err);

/*
 * Record a failure; printf-style message.  Returns `status` so callers can
 * write `return an_err_set(err, AN_EDATA, "...")`.  A NULL err is allowed
 * (the status is still returned).  Messages longer than AN_ERR_MSG_MAX are
 * truncated with "...".
 */
int an_err_set(struct an_err *err, enum an_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Record a failure of a system call: the message is fmt followed by ": "
 * and strerror(errnum).  Status is AN_ESYS.
 */
int an_err_sys(struct an_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Prefix an existing message: "prefix: old message".  Used to add a file
 * name and line number as an error travels up.  Keeps the status.
 */
void an_err_prefix(struct an_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Quote up to `max` bytes of an untrusted value for a message: printable
 * ASCII is copied, other bytes become \xNN, and "..." marks truncation.
 * Writes a NUL-terminated string of at most `outsz` bytes into out and
 * returns out.
 */
char *an_err_quote(char *out, size_t outsz, const char *s, size_t len);

#endif
