#include "an_collapsed.h"

#include <string.h>

#include "an_num.h"
#include "an_text.h"

/* Split off the last space-separated field of s[0..*len); 0 if none. */
static int last_field(const char *s, size_t *len, const char **f, size_t *flen)
{
	const char *sp = memrchr(s, ' ', *len);

	if (!sp)
		return 0;
	*f = sp + 1;
	*flen = (size_t)(s + *len - *f);
	*len = (size_t)(sp - s);
	return 1;
}

static int parse_count(const char *f, size_t n, uint64_t *out, struct an_err *err)
{
	char q[80];
	int rc;

	if (n == 0)
		return an_err_set(err, AN_EDATA, "missing count after the last space");
	rc = an_num_parse_u64(f, n, out);
	if (rc == -2)
		return an_err_set(err, AN_EDATA, "count '%s' overflows 64 bits",
				  an_err_quote(q, sizeof q, f, n));
	if (rc < 0 && f[0] == '-' && an_num_parse_u64(f + 1, n - 1, out) != -1)
		return an_err_set(err, AN_EDATA, "negative count '%s'",
				  an_err_quote(q, sizeof q, f, n));
	if (rc < 0)
		return an_err_set(err, AN_EDATA,
				  "count '%s' is not a non-negative integer",
				  an_err_quote(q, sizeof q, f, n));
	return AN_OK;
}

static int check_stack(const char *s, size_t len, struct an_err *err)
{
	size_t bad, i, start = 0, frame = 1;

	if (len == 0)
		return an_err_set(err, AN_EDATA, "empty stack before the count");
	if (memchr(s, '\0', len))
		return an_err_set(err, AN_EDATA, "NUL byte in the stack");
	bad = an_utf8_valid_prefix(s, len);
	if (bad < len)
		return an_err_set(err, AN_EDATA,
				  "invalid UTF-8 at byte %zu of the stack", bad + 1);
	/* frame by frame with memchr: this runs on every byte of the input */
	for (;;) {
		const char *semi = memchr(s + start, ';', len - start);

		i = semi ? (size_t)(semi - s) : len;
		if (i == start)
			return an_err_set(err, AN_EDATA, "empty frame name (frame %zu)", frame);
		if (!semi)
			return AN_OK;
		start = i + 1;
		frame++;
	}
}

int an_collapsed_parse(const char *line, size_t len, int ncounts,
		       struct an_folded *out, struct an_err *err)
{
	const char *f[2];
	size_t flen[2];
	int i;

	if (len && line[len - 1] == '\r')
		len--;
	for (i = ncounts - 1; i >= 0; i--) {
		if (!last_field(line, &len, &f[i], &flen[i])) {
			if (ncounts == 2 && i == 0)
				return an_err_set(err, AN_EDATA,
						  "expected two counts (diff-folded), found one");
			return an_err_set(err, AN_EDATA,
					  "no count: expected 'stack COUNT'");
		}
	}
	for (i = 0; i < ncounts; i++)
		if (parse_count(f[i], flen[i], &out->count[i], err) != AN_OK)
			return err ? (int)err->status : AN_EDATA;
	if (check_stack(line, len, err) != AN_OK)
		return AN_EDATA;
	out->stack = line;
	out->stack_len = len;
	if (ncounts == 1)
		out->count[1] = 0;
	return AN_OK;
}

size_t an_collapsed_bom_len(const char *line, size_t len, uint64_t lineno)
{
	return lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

static int is_uint(const char *f, size_t n)
{
	uint64_t v;

	return an_num_parse_u64(f, n, &v) == 0;
}

int an_collapsed_detect(const char *line, size_t len)
{
	const char *f;
	size_t flen;

	if (len && line[len - 1] == '\r')
		len--;
	if (!last_field(line, &len, &f, &flen) || !is_uint(f, flen))
		return 1;
	if (!last_field(line, &len, &f, &flen) || !is_uint(f, flen))
		return 1;
	return len > 0 ? 2 : 1;
}

int an_stack_next_frame(const char *stack, size_t len, size_t *pos,
			const char **frame, size_t *flen)
{
	const char *semi;

	if (*pos > len)
		return 0;
	*frame = stack + *pos;
	semi = memchr(*frame, ';', len - *pos);
	*flen = semi ? (size_t)(semi - *frame) : len - *pos;
	*pos += *flen + 1;
	return 1;
}
