#include "an_jtl.h"

#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "an_num.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Reads start at FIRST bytes and become CHUNK once the input has needed
 * two: a short file costs a few KiB, a long one is read in large pieces. */
#define FIRST (16u << 10)
#define CHUNK (1u << 20)

struct fld {
	const char *p;
	size_t n;
};

struct an_jtl {
	struct an_reader *r;
	char *buf;            /* unread input is buf[pos, end) */
	size_t cap, pos, end;
	unsigned fills;
	int eof;
	size_t field_max, record_max;
	uint64_t lineno;      /* lines before pos */
	size_t rec_len;       /* the current record, consumed on the next call */
	uint64_t rec_lines;
	size_t ncols;
	int fidx[AN_JTL_NFIELDS];
	char *header;
	size_t header_len;
	struct fld f[AN_JTL_COLUMNS_MAX];
	size_t nf;
	struct csv_parser csv;
	char *arena;          /* unquoted fields of a quoted record */
	size_t alen, acap;
	size_t aoff[AN_JTL_COLUMNS_MAX];
	int slow_rows, slow_err;
};

static const char *const field_names[AN_JTL_NFIELDS] = {
	"timeStamp", "elapsed", "label", "responseCode", "threadName",
	"success", "bytes", "sentBytes", "URL"
};

/* Every column name JMeter's CSVSaveService writes. */
static const char *const known_names[] = {
	"timeStamp", "elapsed", "label", "responseCode", "responseMessage",
	"threadName", "dataType", "success", "failureMessage", "bytes",
	"sentBytes", "grpThreads", "allThreads", "URL", "Filename", "Latency",
	"Encoding", "SampleCount", "ErrorCount", "Hostname", "IdleTime",
	"Connect"
};

/* Headerless layouts by field count (JMeter's defaults per version). */
static const struct { size_t n; const char *cols; } layouts[] = {
	{ 12, "timeStamp,elapsed,label,responseCode,responseMessage,threadName,"
	      "dataType,success,bytes,grpThreads,allThreads,Latency" },
	{ 14, "timeStamp,elapsed,label,responseCode,responseMessage,threadName,"
	      "dataType,success,failureMessage,bytes,grpThreads,allThreads,"
	      "Latency,IdleTime" },
	{ 16, "timeStamp,elapsed,label,responseCode,responseMessage,threadName,"
	      "dataType,success,failureMessage,bytes,sentBytes,grpThreads,"
	      "allThreads,Latency,IdleTime,Connect" },
	{ 17, "timeStamp,elapsed,label,responseCode,responseMessage,threadName,"
	      "dataType,success,failureMessage,bytes,sentBytes,grpThreads,"
	      "allThreads,URL,Latency,IdleTime,Connect" },
};

static int never_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void csv_reset(struct an_jtl *j)
{
	csv_free(&j->csv);
	csv_init(&j->csv, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_space_func(&j->csv, never_space);
}

/* Read more input after compacting; *shift is how far offsets moved. */
static int fill(struct an_jtl *j, size_t *shift, struct an_err *err)
{
	size_t want;
	long got;

	*shift = j->pos;
	if (j->pos > 0) {
		memmove(j->buf, j->buf + j->pos, j->end - j->pos);
		j->end -= j->pos;
		j->pos = 0;
	}
	if (j->end > j->record_max)
		return an_err_set(err, AN_EDATA,
				  "%s:%llu: record longer than %zu bytes (the record cap)",
				  an_reader_name(j->r),
				  (unsigned long long)j->lineno + 1, j->record_max), -1;
	want = j->fills++ < 2 ? FIRST : CHUNK;
	if (j->cap - j->end < want) {
		size_t ncap = j->end + want;
		char *nb = realloc(j->buf, ncap);

		if (!nb)
			return an_err_set(err, AN_ESYS, "out of memory"), -1;
		j->buf = nb;
		j->cap = ncap;
	}
	got = an_reader_read(j->r, j->buf + j->end, j->cap - j->end, err);
	if (got < 0)
		return -1;
	if (got == 0)
		j->eof = 1;
	j->end += (size_t)got;
	return 0;
}

/*
 * Find the end of the line starting at *from (an offset that fill may
 * shift).  Returns 1 with *nl the offset of its '\n' (or of the end of
 * input for a last line without one), 0 if nothing is left, -1 on error.
 */
static int need_line(struct an_jtl *j, size_t *from, size_t *nl, struct an_err *err)
{
	size_t scanned = *from, shift;

	for (;;) {
		char *p = j->end > scanned ?
			memchr(j->buf + scanned, '\n', j->end - scanned) : NULL;

		if (p) {
			*nl = (size_t)(p - j->buf);
			return 1;
		}
		scanned = j->end;
		if (j->eof) {
			*nl = j->end;
			return j->end > *from;
		}
		if (fill(j, &shift, err) < 0)
			return -1;
		*from -= shift;
		scanned -= shift;
	}
}

static int rec_err(struct an_jtl *j, uint64_t line, struct an_err *err,
		   const char *what)
{
	return an_err_set(err, AN_EDATA, "%s:%llu: %s", an_reader_name(j->r),
			  (unsigned long long)line, what);
}

static int split_fast(struct an_jtl *j, char *s, size_t len, uint64_t line,
		      struct an_err *err)
{
	char *end;

	if (len && s[len - 1] == '\r')
		len--;
	end = s + len;
	j->nf = 0;
	for (;;) {
		char *c = memchr(s, ',', (size_t)(end - s));
		size_t n = c ? (size_t)(c - s) : (size_t)(end - s);

		if (j->nf == AN_JTL_COLUMNS_MAX)
			return an_err_set(err, AN_EDATA,
					  "%s:%llu: more than %d fields (the column cap)",
					  an_reader_name(j->r), (unsigned long long)line,
					  AN_JTL_COLUMNS_MAX);
		if (n > j->field_max)
			return an_err_set(err, AN_EDATA,
					  "%s:%llu: field %zu longer than %zu bytes (the field cap)",
					  an_reader_name(j->r), (unsigned long long)line,
					  j->nf + 1, j->field_max);
		j->f[j->nf].p = s;
		j->f[j->nf++].n = n;
		if (!c)
			return 0;
		s = c + 1;
	}
}

enum { SLOW_FIELD = 1, SLOW_COLS, SLOW_RECORD, SLOW_NOMEM };

static void cb_field(void *data, size_t n, void *ud)
{
	struct an_jtl *j = ud;

	if (j->slow_err)
		return;
	if (n > j->field_max) {
		j->slow_err = SLOW_FIELD;
		return;
	}
	if (j->nf == AN_JTL_COLUMNS_MAX) {
		j->slow_err = SLOW_COLS;
		return;
	}
	if (j->alen + n > j->acap) {
		size_t ncap = j->acap ? j->acap : 4096;
		char *na;

		while (ncap < j->alen + n)
			ncap *= 2;
		if (j->alen + n > j->record_max) {
			j->slow_err = SLOW_RECORD;
			return;
		}
		na = realloc(j->arena, ncap);
		if (!na) {
			j->slow_err = SLOW_NOMEM;
			return;
		}
		j->arena = na;
		j->acap = ncap;
	}
	if (n)
		memcpy(j->arena + j->alen, data, n);
	j->aoff[j->nf] = j->alen;
	j->f[j->nf++].n = n;
	j->alen += n;
}

static void cb_row(int c, void *ud)
{
	(void)c;
	((struct an_jtl *)ud)->slow_rows++;
}

static int slow_fail(struct an_jtl *j, uint64_t line, struct an_err *err)
{
	int e = j->slow_err;

	csv_reset(j);
	if (e == SLOW_FIELD)
		return an_err_set(err, AN_EDATA,
				  "%s:%llu: field %zu longer than %zu bytes (the field cap)",
				  an_reader_name(j->r), (unsigned long long)line,
				  j->nf + 1, j->field_max);
	if (e == SLOW_COLS)
		return an_err_set(err, AN_EDATA,
				  "%s:%llu: more than %d fields (the column cap)",
				  an_reader_name(j->r), (unsigned long long)line,
				  AN_JTL_COLUMNS_MAX);
	if (e == SLOW_RECORD)
		return an_err_set(err, AN_EDATA,
				  "%s:%llu: record longer than %zu bytes (the record cap)",
				  an_reader_name(j->r), (unsigned long long)line,
				  j->record_max);
	return an_err_set(err, AN_ESYS, "out of memory");
}

/* A record with quotes, from j->pos: libcsv, fed one line at a time. */
static int parse_slow(struct an_jtl *j, uint64_t line, size_t *stop,
		      uint64_t *lines, struct an_err *err)
{
	size_t from = j->pos, nl, i;

	j->nf = 0;
	j->alen = 0;
	j->slow_rows = 0;
	j->slow_err = 0;
	*lines = 0;
	for (;;) {
		int rc = need_line(j, &from, &nl, err);
		size_t n;

		if (rc < 0)
			return -1;
		if (rc == 0) {
			csv_reset(j);
			return rec_err(j, line, err,
				       "unterminated quoted field at end of input");
		}
		*stop = nl < j->end ? nl + 1 : nl;
		n = *stop - from;
		(*lines)++;
		if (csv_parse(&j->csv, j->buf + from, n, cb_field, cb_row, j) != n) {
			csv_reset(j);
			return an_err_set(err, AN_EDATA,
					  "%s:%llu: malformed quoting (a quote inside an unquoted field, or text after a closing quote)",
					  an_reader_name(j->r),
					  (unsigned long long)(line + *lines - 1));
		}
		if (nl == j->end && j->eof &&
		    csv_fini(&j->csv, cb_field, cb_row, j) != 0) {
			csv_reset(j);
			return rec_err(j, line, err,
				       "unterminated quoted field at end of input");
		}
		if (j->slow_err)
			return slow_fail(j, line, err);
		if (j->slow_rows > 1) {
			csv_reset(j);
			return rec_err(j, line, err,
				       "carriage return inside an unquoted field");
		}
		if (j->slow_rows == 1)
			break;
		if (*stop - j->pos > j->record_max) {
			j->slow_err = SLOW_RECORD;
			return slow_fail(j, line, err);
		}
		from = *stop;
	}
	/* a record of empty fields allocates no arena: no offset from NULL */
	for (i = 0; i < j->nf; i++)
		j->f[i].p = j->arena ? j->arena + j->aoff[i] : "";
	return 0;
}

/* Next non-blank record into j->f; its raw bytes are buf[pos, pos+rec_len). */
static int read_record(struct an_jtl *j, uint64_t *line, struct an_err *err)
{
	j->pos += j->rec_len;
	j->lineno += j->rec_lines;
	j->rec_len = 0;
	j->rec_lines = 0;
	for (;;) {
		size_t from = j->pos, nl, stop, len;
		uint64_t lines = 1;
		char *s;
		int rc = need_line(j, &from, &nl, err);

		if (rc <= 0)
			return rc;
		stop = nl < j->end ? nl + 1 : nl;
		s = j->buf + j->pos;
		len = nl - j->pos;
		if (len == 0 || (len == 1 && s[0] == '\r')) {
			j->pos = stop;
			j->lineno++;
			continue;
		}
		*line = j->lineno + 1;
		if (!memchr(s, '"', len)) {
			if (len > j->record_max)
				return an_err_set(err, AN_EDATA,
						  "%s:%llu: record longer than %zu bytes (the record cap)",
						  an_reader_name(j->r),
						  (unsigned long long)*line, j->record_max), -1;
			if (split_fast(j, s, len, *line, err) != 0)
				return -1;
		} else if (parse_slow(j, *line, &stop, &lines, err) != 0) {
			return -1;
		} else if (stop - j->pos > j->record_max) {
			return an_err_set(err, AN_EDATA,
					  "%s:%llu: record longer than %zu bytes (the record cap)",
					  an_reader_name(j->r),
					  (unsigned long long)*line, j->record_max), -1;
		}
		j->rec_len = stop - j->pos;
		j->rec_lines = lines;
		return 1;
	}
}

static int name_is(const struct fld *f, const char *name)
{
	size_t n = strlen(name);

	return f->n == n && memcmp(f->p, name, n) == 0;
}

/* Map column names to the interpreted fields. */
static int set_layout(struct an_jtl *j, const struct fld *names, size_t n,
		      const char *what, int strict, struct an_err *err)
{
	char q[80];
	size_t i, k;

	for (k = 0; k < AN_JTL_NFIELDS; k++)
		j->fidx[k] = -1;
	for (i = 0; i < n; i++) {
		int known = 0;

		for (k = 0; k < sizeof known_names / sizeof *known_names; k++)
			known |= name_is(&names[i], known_names[k]);
		if (strict && !known)
			return an_err_set(err, AN_EDATA, "unknown column '%s' in %s",
					  an_err_quote(q, sizeof q, names[i].p, names[i].n),
					  what);
		for (k = 0; k < AN_JTL_NFIELDS; k++) {
			if (!name_is(&names[i], field_names[k]))
				continue;
			if (j->fidx[k] >= 0)
				return an_err_set(err, AN_EDATA,
						  "duplicate column '%s' in %s",
						  field_names[k], what);
			j->fidx[k] = (int)i;
		}
	}
	for (k = 0; k <= AN_JTL_ELAPSED; k++)
		if (j->fidx[k] < 0)
			return an_err_set(err, AN_EDATA, "no '%s' column in %s",
					  field_names[k], what);
	j->ncols = n;
	return AN_OK;
}

/* Split a comma list (no quoting) into j->f, pointing into s. */
static size_t split_list(struct an_jtl *j, const char *s)
{
	size_t n = 0;

	for (;;) {
		const char *c = strchr(s, ',');
		size_t len = c ? (size_t)(c - s) : strlen(s);

		if (n == AN_JTL_COLUMNS_MAX)
			return n + 1;
		j->f[n].p = s;
		j->f[n++].n = len;
		if (!c)
			return n;
		s = c + 1;
	}
}

static int layout_from_first(struct an_jtl *j, uint64_t line, struct an_err *err)
{
	const struct fld *f0 = &j->f[0];
	size_t skip = 0, i;
	char what[64];

	if (f0->n >= 3 && memcmp(f0->p, "\xef\xbb\xbf", 3) == 0)
		skip = 3;    /* a UTF-8 byte order mark */
	if (f0->n > skip && (f0->p[skip] < '0' || f0->p[skip] > '9')) {
		j->f[0].p += skip;
		j->f[0].n -= skip;
		snprintf(what, sizeof what, "the header (line %llu)",
			 (unsigned long long)line);
		if (set_layout(j, j->f, j->nf, what, 0, err) != AN_OK) {
			an_err_prefix(err, "%s", an_reader_name(j->r));
			return err->status;
		}
		j->header = malloc(j->rec_len);
		if (!j->header)
			return an_err_set(err, AN_ESYS, "out of memory");
		memcpy(j->header, j->buf + j->pos, j->rec_len);
		j->header_len = j->rec_len;
		return AN_OK;
	}
	for (i = 0; i < sizeof layouts / sizeof *layouts; i++) {
		if (layouts[i].n != j->nf)
			continue;
		set_layout(j, j->f, split_list(j, layouts[i].cols), "", 1, err);
		j->rec_len = 0;   /* the first record is a sample: read it again */
		j->rec_lines = 0;
		return AN_OK;
	}
	return an_err_set(err, AN_EDATA,
			  "%s:%llu: no header line, and %zu fields match no JMeter default layout (12, 14, 16 or 17 fields); name the columns with --columns",
			  an_reader_name(j->r), (unsigned long long)line, j->nf);
}

int an_jtl_open(struct an_jtl **out, struct an_reader *r,
		const struct an_jtl_opts *opts, struct an_err *err)
{
	struct an_jtl *j = calloc(1, sizeof *j);
	uint64_t line = 0;
	int rc;

	*out = NULL;
	if (!j)
		return an_err_set(err, AN_ESYS, "out of memory");
	j->r = r;
	j->field_max = opts && opts->field_max ? opts->field_max : AN_JTL_FIELD_MAX_DEFAULT;
	j->record_max = opts && opts->record_max ? opts->record_max : AN_JTL_RECORD_MAX_DEFAULT;
	csv_init(&j->csv, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_space_func(&j->csv, never_space);
	if (opts && opts->columns) {
		if (split_list(j, opts->columns) > AN_JTL_COLUMNS_MAX)
			rc = an_err_set(err, AN_EDATA, "more than %d columns in --columns",
					AN_JTL_COLUMNS_MAX);
		else
			rc = set_layout(j, j->f, split_list(j, opts->columns),
					"--columns", 1, err);
		if (rc == AN_OK) {
			*out = j;
			return AN_OK;
		}
		an_jtl_free(j);
		return rc;
	}
	rc = read_record(j, &line, err);
	if (rc == 0)
		rc = an_err_set(err, AN_EDATA,
				"%s: empty input (no header line and no samples)",
				an_reader_name(r));
	else if (rc > 0)
		rc = layout_from_first(j, line, err);
	else
		rc = err->status;
	if (rc != AN_OK) {
		an_jtl_free(j);
		return rc;
	}
	*out = j;
	return AN_OK;
}

void an_jtl_free(struct an_jtl *j)
{
	if (!j)
		return;
	csv_free(&j->csv);
	free(j->buf);
	free(j->arena);
	free(j->header);
	free(j);
}

const char *an_jtl_header(const struct an_jtl *j, size_t *len)
{
	*len = j->header_len;
	return j->header;
}

int an_jtl_has(const struct an_jtl *j, enum an_jtl_field f)
{
	return j->fidx[f] >= 0;
}

size_t an_jtl_columns(const struct an_jtl *j)
{
	return j->ncols;
}

static int num_err(struct an_jtl *j, uint64_t line, enum an_jtl_field k,
		   struct an_err *err)
{
	char q[80];
	const struct fld *f = &j->f[j->fidx[k]];

	return an_err_set(err, AN_EDATA, "%s:%llu: %s is not a whole number: '%s'",
			  an_reader_name(j->r), (unsigned long long)line,
			  field_names[k], an_err_quote(q, sizeof q, f->p, f->n));
}

int an_jtl_next(struct an_jtl *j, struct an_jtl_sample *s, struct an_err *err)
{
	static const char empty[] = "";
	uint64_t line = 0, v;
	int rc = read_record(j, &line, err), k;

	if (rc <= 0)
		return rc;
	if (j->nf != j->ncols)
		return an_err_set(err, AN_EDATA, "%s:%llu: expected %zu fields, found %zu",
				  an_reader_name(j->r), (unsigned long long)line,
				  j->ncols, j->nf), -1;
	for (k = 0; k < AN_JTL_NFIELDS; k++) {
		if (j->fidx[k] >= 0) {
			s->val[k] = j->f[j->fidx[k]].p;
			s->len[k] = j->f[j->fidx[k]].n;
		} else {
			s->val[k] = empty;
			s->len[k] = 0;
		}
	}
	if (an_num_parse_u64(s->val[AN_JTL_TIMESTAMP], s->len[AN_JTL_TIMESTAMP], &v) != 0 ||
	    v > INT64_MAX)
		return num_err(j, line, AN_JTL_TIMESTAMP, err), -1;
	s->timestamp = (int64_t)v;
	if (an_num_parse_u64(s->val[AN_JTL_ELAPSED], s->len[AN_JTL_ELAPSED], &s->elapsed) != 0)
		return num_err(j, line, AN_JTL_ELAPSED, err), -1;
	s->bytes = s->sent = 0;
	if (j->fidx[AN_JTL_BYTES] >= 0 &&
	    an_num_parse_u64(s->val[AN_JTL_BYTES], s->len[AN_JTL_BYTES], &s->bytes) != 0)
		return num_err(j, line, AN_JTL_BYTES, err), -1;
	if (j->fidx[AN_JTL_SENT] >= 0 &&
	    an_num_parse_u64(s->val[AN_JTL_SENT], s->len[AN_JTL_SENT], &s->sent) != 0)
		return num_err(j, line, AN_JTL_SENT, err), -1;
	s->success = j->fidx[AN_JTL_SUCCESS] < 0 ||
		(s->len[AN_JTL_SUCCESS] == 4 &&
		 strncasecmp(s->val[AN_JTL_SUCCESS], "true", 4) == 0);
	s->raw = j->buf + j->pos;
	s->raw_len = j->rec_len;
	s->lineno = line;
	return 1;
}

/* "123" or "1.5": a non-negative decimal without sign or exponent. */
static int parse_plain(const char *s, size_t n, double *out)
{
	size_t i, digits = 0, dots = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '.')
			dots++;
		else if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else
			return -1;
	}
	if (digits == 0 || dots > 1 || n > 30)
		return -1;
	return an_num_parse_double(s, n, out);
}

/* Milliseconds per unit, or 0 if the unit is unknown ("" is seconds). */
static double unit_ms(const char *u)
{
	if (strcmp(u, "ms") == 0)
		return 1;
	if (*u == '\0' || strcmp(u, "s") == 0)
		return 1000;
	if (strcmp(u, "m") == 0)
		return 60000;
	if (strcmp(u, "h") == 0)
		return 3600000;
	return 0;
}

/* Number followed by an optional unit, in milliseconds. */
static int parse_duration(const char *s, double *ms)
{
	size_t n = strspn(s, "0123456789.");
	double v, unit = unit_ms(s + n);

	if (unit == 0 || parse_plain(s, n, &v) != 0 || v * unit > 9e15)
		return -1;
	*ms = v * unit;
	return 0;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits_at(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* YYYY-MM-DDTHH:MM:SS[.fff]Z|±HH:MM */
static int parse_rfc3339(const char *s, int64_t *ms)
{
	int y, mo, d, h, mi, sec, oh, om;
	int64_t frac = 0, scale = 100, off = 0;
	const char *p = s + 19;

	if (strlen(s) < 20 || digits_at(s, 4, &y) || s[4] != '-' ||
	    digits_at(s + 5, 2, &mo) || s[7] != '-' || digits_at(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits_at(s + 11, 2, &h) || s[13] != ':' || digits_at(s + 14, 2, &mi) ||
	    s[16] != ':' || digits_at(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return -1;
		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		off = 0;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 &&
		   !digits_at(p + 1, 2, &oh) && p[3] == ':' &&
		   !digits_at(p + 4, 2, &om) && oh <= 23 && om <= 59) {
		off = (oh * 60 + om) * 60000LL * (*p == '-' ? -1 : 1);
	} else {
		return -1;
	}
	*ms = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000LL +
	      sec * 1000LL + frac - off;
	return 0;
}

int an_jtl_time_parse(const char *s, struct an_jtl_time *t, struct an_err *err)
{
	char q[80];
	double v;

	t->relative = s[0] == '+';
	if (t->relative && parse_duration(s + 1, &v) == 0) {
		t->ms = llround(v);
		return AN_OK;
	}
	if (!t->relative && parse_plain(s, strlen(s), &v) == 0 && v < 9e12) {
		t->ms = llround(v * 1000);
		return AN_OK;
	}
	if (!t->relative && parse_rfc3339(s, &t->ms) == 0)
		return AN_OK;
	return an_err_set(err, AN_EDATA,
			  "bad time '%s': expected epoch seconds, RFC 3339 (2006-01-02T15:04:05Z) or +N[ms|s|m|h] after the first sample",
			  an_err_quote(q, sizeof q, s, strlen(s)));
}

int an_jtl_interval_parse(const char *s, int64_t *ms, struct an_err *err)
{
	char q[80];
	double v;

	if (parse_duration(s, &v) == 0 && v >= 1 && v == floor(v)) {
		*ms = (int64_t)v;
		return AN_OK;
	}
	return an_err_set(err, AN_EDATA,
			  "bad interval '%s': expected a whole number of milliseconds or more, such as 500ms, 1s, 10s, 5m or 1h",
			  an_err_quote(q, sizeof q, s, strlen(s)));
}

enum { RX_LABEL, RX_EXCLUDE, RX_CODE, RX_THREAD, RX_URL, RX_N };

static const char *const rx_names[RX_N] = {
	"label", "exclude-label", "code", "thread", "url"
};
static const enum an_jtl_field rx_fields[RX_N] = {
	AN_JTL_LABEL, AN_JTL_LABEL, AN_JTL_CODE, AN_JTL_THREAD, AN_JTL_URL
};

struct an_jtl_filter {
	struct an_jtl_filter_spec spec;
	pcre2_code *rx[RX_N];
	pcre2_match_data *md;
};

void an_jtl_filter_free(struct an_jtl_filter *f)
{
	int i;

	if (!f)
		return;
	for (i = 0; i < RX_N; i++)
		pcre2_code_free(f->rx[i]);
	pcre2_match_data_free(f->md);
	free(f);
}

int an_jtl_filter_new(struct an_jtl_filter **out,
		      const struct an_jtl_filter_spec *spec, struct an_err *err)
{
	struct an_jtl_filter *f = calloc(1, sizeof *f);
	const char *pat[RX_N];
	int i;

	*out = NULL;
	if (!f)
		return an_err_set(err, AN_ESYS, "out of memory");
	f->spec = *spec;
	pat[RX_LABEL] = spec->label;
	pat[RX_EXCLUDE] = spec->exclude_label;
	pat[RX_CODE] = spec->code;
	pat[RX_THREAD] = spec->thread;
	pat[RX_URL] = spec->url;
	f->md = pcre2_match_data_create(1, NULL);
	if (!f->md) {
		an_jtl_filter_free(f);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	for (i = 0; i < RX_N; i++) {
		PCRE2_UCHAR msg[256];
		PCRE2_SIZE off;
		int code;
		char q[80];

		if (!pat[i])
			continue;
		f->rx[i] = pcre2_compile((PCRE2_SPTR)pat[i], PCRE2_ZERO_TERMINATED,
					 0, &code, &off, NULL);
		if (!f->rx[i]) {
			pcre2_get_error_message(code, msg, sizeof msg);
			an_err_set(err, AN_EDATA, "bad %s regex '%s': %s at offset %zu",
				   rx_names[i],
				   an_err_quote(q, sizeof q, pat[i], strlen(pat[i])),
				   (char *)msg, (size_t)off);
			an_jtl_filter_free(f);
			return AN_EDATA;
		}
		pcre2_jit_compile(f->rx[i], PCRE2_JIT_COMPLETE);
	}
	*out = f;
	return AN_OK;
}

int an_jtl_filter_check(const struct an_jtl_filter *f, const struct an_jtl *j,
			struct an_err *err)
{
	int i;

	for (i = 0; i < RX_N; i++)
		if (f->rx[i] && !an_jtl_has(j, rx_fields[i]))
			return an_err_set(err, AN_EDATA,
					  "%s: --%s needs a '%s' column, which the input does not have",
					  an_reader_name(j->r), rx_names[i],
					  field_names[rx_fields[i]]);
	if ((f->spec.ok_only || f->spec.failed_only) && !an_jtl_has(j, AN_JTL_SUCCESS))
		return an_err_set(err, AN_EDATA,
				  "%s: --ok and --failed need a 'success' column, which the input does not have",
				  an_reader_name(j->r));
	return AN_OK;
}

int an_jtl_filter_match(struct an_jtl_filter *f, const struct an_jtl_sample *s,
			struct an_err *err)
{
	int i;

	if (s->timestamp < f->spec.from_ms || s->timestamp >= f->spec.to_ms)
		return 0;
	if ((f->spec.ok_only && !s->success) || (f->spec.failed_only && s->success))
		return 0;
	for (i = 0; i < RX_N; i++) {
		int rc;

		if (!f->rx[i])
			continue;
		rc = pcre2_match(f->rx[i], (PCRE2_SPTR)s->val[rx_fields[i]],
				 s->len[rx_fields[i]], 0, 0, f->md, NULL);
		if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(rc, msg, sizeof msg);
			return an_err_set(err, AN_EDATA, "line %llu: --%s regex: %s",
					  (unsigned long long)s->lineno, rx_names[i],
					  (char *)msg), -1;
		}
		if ((rc >= 0) != (i != RX_EXCLUDE))
			return 0;
	}
	return 1;
}
