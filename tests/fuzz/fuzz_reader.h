/*
 * fuzz_reader.h - shared by the fuzz targets: an an_reader over the
 * input's bytes (through a pipe, so the reader sees what a tool reading
 * standard input sees; inputs are at most -max_len=4096 bytes, far below a
 * pipe's 64 KiB), and the check that every error carries a message.
 * line_max 0 keeps the reader's default line limit.  Any failure to set
 * the reader up is a bug of the harness: abort().
 */
#ifndef FUZZ_READER_H
#define FUZZ_READER_H

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "an_err.h"
#include "an_reader.h"

static inline struct an_reader *fuzz_reader(const uint8_t *data, size_t size, size_t line_max)
{
	struct an_reader *r;
	struct an_err err;
	int fds[2];

	if (size > 60000 || pipe(fds) != 0)
		abort();
	if (size && write(fds[1], data, size) != (ssize_t)size)
		abort();
	close(fds[1]);
	if (an_reader_fdopen(&r, fds[0], 1, "fuzz", &err) != AN_OK)
		abort();
	if (line_max)
		an_reader_set_line_max(r, line_max);
	return r;
}

/* An error status must come with a message for the user. */
static inline void fuzz_check_err(const struct an_err *err)
{
	if (err->status == AN_OK || err->msg[0] == '\0')
		abort();
}

#endif
