/*
 * an_reader.h - buffered input from a file or stdin, gzip read transparently.
 *
 * A reader owns one input stream.  It reads in large chunks through zlib
 * (which passes plain files through unchanged), hands out lines without
 * copying them when it can, and counts lines for messages.  Memory is
 * bounded by the line cap: a line longer than the cap is an error that names
 * the cap, never a silent truncation.
 */
#ifndef AN_READER_H
#define AN_READER_H

#include <stddef.h>
#include <stdint.h>

#include "an_err.h"

/* Default and hard limits of a line, in bytes (newline not counted). */
#define AN_READER_LINE_MAX_DEFAULT (16u << 20)
#define AN_READER_LINE_MAX_LIMIT (1u << 30)

struct an_reader;

/*
 * Open `path` for reading; NULL or "-" is standard input, named "<stdin>"
 * in messages.  On success *out owns the reader (free with an_reader_free).
 * Returns AN_OK, or AN_ESYS with "cannot open 'path': strerror" in err.
 */
int an_reader_open(struct an_reader **out, const char *path, struct an_err *err);

/* Same, over an already open descriptor (not closed by the reader unless
 * `own` is non-zero); `name` is copied and used in messages. */
int an_reader_fdopen(struct an_reader **out, int fd, int own, const char *name,
		     struct an_err *err);

/* Close and free; NULL is allowed. */
void an_reader_free(struct an_reader *r);

/* The name used in messages: the path, or "<stdin>". Valid until free. */
const char *an_reader_name(const struct an_reader *r);

/* Set the line cap (1 .. AN_READER_LINE_MAX_LIMIT); default 16 MiB. */
void an_reader_set_line_max(struct an_reader *r, size_t max);

/*
 * Next line, without its '\n' (a '\r' before it is kept: callers decide).
 * On success returns 1 and sets *line and *len; the bytes stay valid until the
 * next call on this reader and may be modified in place by the caller.
 * Returns 0 at end of input (a final line without '\n' is still returned
 * first), or -1 with err set: line over the cap (AN_EDATA, message names
 * the line number and the cap), read error or truncated gzip (AN_ESYS /
 * AN_EDATA respectively).  Messages start with "name:line: ".
 */
int an_reader_getline(struct an_reader *r, char **line, size_t *len,
		      struct an_err *err);

/* Number of the line last returned by an_reader_getline (1-based). */
uint64_t an_reader_lineno(const struct an_reader *r);

/*
 * Raw bytes (decompressed), for parsers that do their own framing.  Do not
 * mix with an_reader_getline on the same reader.  Returns the number of
 * bytes read (> 0), 0 at end of input, or -1 with err set.
 */
long an_reader_read(struct an_reader *r, void *buf, size_t n, struct an_err *err);

/*
 * Look at the next n bytes (at most 128 KiB) without consuming them: sets
 * *p and returns how many are available (fewer at end of input), or -1
 * with err set.  Lines and raw reads that follow still see these bytes.
 */
long an_reader_peek(struct an_reader *r, const void **p, size_t n, struct an_err *err);

/* Non-zero once the input has been seen to be gzip-compressed. */
int an_reader_is_gzip(const struct an_reader *r);

#endif
