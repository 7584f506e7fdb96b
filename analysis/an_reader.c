#include "an_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* Buffers start at FIRST and double up to CHUNK once the input proves
 * long: a short input (a small file, one fuzz case) costs a few KiB, a long
 * one is read in CHUNK-sized reads. */
#define FIRST (16u << 10)
#define CHUNK (256u << 10)
#define GZBUF (16u << 10)

struct an_reader {
	gzFile gz;
	char *name;
	char *buf;        /* holds [start, end) unread bytes */
	size_t cap;       /* allocated size of buf */
	size_t start, end;
	size_t line_max;
	uint64_t lineno;
	unsigned reads;   /* fills so far, to grow buf for long inputs */
	int eof;
	int fd_owned;
};

int an_reader_fdopen(struct an_reader **out, int fd, int own, const char *name,
		     struct an_err *err)
{
	struct an_reader *r = calloc(1, sizeof *r);
	int gfd = own ? fd : dup(fd);

	*out = NULL;
	if (!r || gfd < 0) {
		free(r);
		return an_err_sys(err, errno ? errno : ENOMEM,
				  "cannot read '%s'", name);
	}
	r->name = strdup(name);
	r->cap = FIRST;
	r->buf = malloc(r->cap);
	r->line_max = AN_READER_LINE_MAX_DEFAULT;
	r->gz = r->name && r->buf ? gzdopen(gfd, "rb") : NULL;
	if (!r->gz) {
		close(gfd);
		free(r->name);
		free(r->buf);
		free(r);
		return an_err_sys(err, ENOMEM, "cannot read '%s'", name);
	}
	gzbuffer(r->gz, GZBUF);
	*out = r;
	return AN_OK;
}

int an_reader_open(struct an_reader **out, const char *path, struct an_err *err)
{
	int fd;

	if (!path || strcmp(path, "-") == 0)
		return an_reader_fdopen(out, 0, 0, "<stdin>", err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*out = NULL;
		return an_err_sys(err, errno, "cannot open '%s'", path);
	}
	return an_reader_fdopen(out, fd, 1, path, err);
}

void an_reader_free(struct an_reader *r)
{
	if (!r)
		return;
	gzclose(r->gz);
	free(r->name);
	free(r->buf);
	free(r);
}

const char *an_reader_name(const struct an_reader *r)
{
	return r->name;
}

void an_reader_set_line_max(struct an_reader *r, size_t max)
{
	if (max < 1)
		max = 1;
	if (max > AN_READER_LINE_MAX_LIMIT)
		max = AN_READER_LINE_MAX_LIMIT;
	r->line_max = max;
}

uint64_t an_reader_lineno(const struct an_reader *r)
{
	return r->lineno;
}

int an_reader_is_gzip(const struct an_reader *r)
{
	return !gzdirect(r->gz);
}

static int make_room(struct an_reader *r, struct an_err *err);

/* One gzread; maps zlib's error states onto our statuses. */
static long fill(struct an_reader *r, void *dst, size_t n, struct an_err *err)
{
	int zerr;
	const char *zmsg;
	int got;

	if (r->eof)
		return 0;
	if (n > (size_t)1 << 30)
		n = (size_t)1 << 30;
	got = gzread(r->gz, dst, (unsigned)n);
	zmsg = gzerror(r->gz, &zerr);
	if (got < 0 || (got == 0 && zerr == Z_BUF_ERROR)) {
		if (zerr == Z_ERRNO)
			return an_err_sys(err, errno, "%s: read error", r->name), -1;
		if (zerr == Z_BUF_ERROR)
			an_err_set(err, AN_EDATA,
				   "%s: truncated gzip input (unexpected end of file)",
				   r->name);
		else
			an_err_set(err, AN_EDATA, "%s: corrupt gzip input: %s",
				   r->name, zmsg);
		return -1;
	}
	if (got == 0)
		r->eof = 1;
	return got;
}

long an_reader_read(struct an_reader *r, void *buf, size_t n, struct an_err *err)
{
	size_t have = r->end - r->start;

	if (have) {	/* bytes a peek or getline left buffered */
		if (n > have)
			n = have;
		memcpy(buf, r->buf + r->start, n);
		r->start += n;
		return (long)n;
	}
	return fill(r, buf, n, err);
}

long an_reader_peek(struct an_reader *r, const void **p, size_t n, struct an_err *err)
{
	if (n > CHUNK / 2)
		n = CHUNK / 2;
	while (r->end - r->start < n) {
		long got;

		if (make_room(r, err) != AN_OK)
			return -1;
		got = fill(r, r->buf + r->end, r->cap - r->end, err);
		r->reads++;
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		r->end += (size_t)got;
	}
	*p = r->buf + r->start;
	return (long)(r->end - r->start < n ? r->end - r->start : n);
}

/* Make room after end, keeping [start,end): at least half the buffer free,
 * and a larger buffer (up to CHUNK) once the input has needed two reads. */
static int make_room(struct an_reader *r, struct an_err *err)
{
	size_t used = r->end - r->start;
	size_t want, half;
	char *nb;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, used);
		r->start = 0;
		r->end = used;
	}
	half = (r->cap < CHUNK ? r->cap : CHUNK) / 2;
	if (r->cap - r->end >= half && (r->cap >= CHUNK || r->reads < 2))
		return AN_OK;
	if (used > r->line_max)
		return an_err_set(err, AN_EDATA,
				  "%s:%llu: line longer than the cap of %zu bytes",
				  r->name, (unsigned long long)r->lineno + 1,
				  r->line_max);
	want = r->cap * 2;
	if (want > r->line_max + CHUNK + 1)
		want = r->line_max + CHUNK + 1;
	if (want <= r->cap)
		want = r->cap + CHUNK;
	nb = realloc(r->buf, want);
	if (!nb)
		return an_err_sys(err, ENOMEM, "%s: out of memory", r->name);
	r->buf = nb;
	r->cap = want;
	return AN_OK;
}

int an_reader_getline(struct an_reader *r, char **line, size_t *len,
		      struct an_err *err)
{
	size_t scanned = 0;

	for (;;) {
		char *p = memchr(r->buf + r->start + scanned, '\n',
				 r->end - r->start - scanned);
		long got;

		if (p) {
			size_t n = (size_t)(p - (r->buf + r->start));

			if (n > r->line_max)
				break;
			*line = r->buf + r->start;
			*len = n;
			r->start += n + 1;
			r->lineno++;
			return 1;
		}
		scanned = r->end - r->start;
		if (scanned > r->line_max)
			break;
		if (make_room(r, err) != AN_OK)
			return -1;
		got = fill(r, r->buf + r->end, r->cap - r->end, err);
		r->reads++;
		if (got < 0)
			return -1;
		if (got == 0) {
			if (r->end == r->start)
				return 0;
			if (r->end - r->start > r->line_max)
				break;
			*line = r->buf + r->start;
			*len = r->end - r->start;
			r->start = r->end;
			r->lineno++;
			return 1;
		}
		r->end += (size_t)got;
	}
	an_err_set(err, AN_EDATA, "%s:%llu: line longer than the cap of %zu bytes",
		   r->name, (unsigned long long)r->lineno + 1, r->line_max);
	return -1;
}
