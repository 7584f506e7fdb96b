/*
 * unit_reader.h - an an_reader over bytes in memory, for engine unit tests:
 * the bytes go through an unlinked temporary file, so the reader is the
 * same one tools use on files.  `name` is what messages call the input.
 * Returns NULL if the file cannot be made or opened.
 */
#ifndef UNIT_READER_H
#define UNIT_READER_H

#include <stdlib.h>
#include <unistd.h>

#include "an_reader.h"

static inline struct an_reader *unit_reader(const char *s, size_t len, const char *name)
{
	char path[] = "/tmp/unit-reader.XXXXXX";
	int fd = mkstemp(path);
	struct an_reader *r = NULL;
	struct an_err err;

	if (fd < 0)
		return NULL;
	unlink(path);
	if (write(fd, s, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0 ||
	    an_reader_fdopen(&r, fd, 1, name, &err) != AN_OK) {
		close(fd);
		return NULL;
	}
	return r;
}

#endif
