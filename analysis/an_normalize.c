#include "an_normalize.h"

#include <string.h>

static const struct {
	const char *name;
	unsigned bit;
} rule_names[] = {
	{ "annotations", AN_NORM_ANNOTATIONS },
	{ "lines", AN_NORM_LINES },
	{ "addresses", AN_NORM_ADDRESSES },
	{ "lambdas", AN_NORM_LAMBDAS },
	{ "tids", AN_NORM_TIDS },
	{ "all", AN_NORM_ALL },
	{ "none", 0 },
};

int an_normalize_parse_rules(const char *list, unsigned *rules, struct an_err *err)
{
	unsigned r = 0;
	const char *p = list;

	for (;;) {
		size_t n = strcspn(p, ","), i;
		char q[64];

		for (i = 0; i < sizeof rule_names / sizeof rule_names[0]; i++)
			if (strlen(rule_names[i].name) == n &&
			    memcmp(rule_names[i].name, p, n) == 0)
				break;
		if (i == sizeof rule_names / sizeof rule_names[0])
			return an_err_set(err, AN_EDATA, "unknown normalisation rule '%s'",
					  an_err_quote(q, sizeof q, p, n));
		r |= rule_names[i].bit;
		if (!p[n])
			break;
		p += n + 1;
	}
	*rules = r;
	return AN_OK;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_word(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Length of async-profiler's annotation at the end of s[0..n), or 0. */
static size_t annotation_len(const char *s, size_t n)
{
	if (n < 5 || s[n - 4] != '_' || s[n - 3] != '[' || s[n - 1] != ']')
		return 0;
	return strchr("jik01", s[n - 2]) && s[n - 2] ? 4 : 0;
}

/* " tid=123]" at the end of a thread frame "[name tid=123]". */
static size_t strip_tid(char *s, size_t n)
{
	size_t i = n - 1;

	if (n < 8 || s[0] != '[' || s[n - 1] != ']' || !is_digit(s[n - 2]))
		return n;
	while (i > 0 && is_digit(s[i - 1]))
		i--;
	if (i < 6 || memcmp(s + i - 5, " tid=", 5) != 0)
		return n;
	s[i - 5] = ']';
	return i - 4;
}

static size_t strip_line(const char *s, size_t n)
{
	size_t i = n;

	while (i > 0 && is_digit(s[i - 1]))
		i--;
	return i < n && i > 1 && s[i - 1] == ':' ? i - 1 : n;
}

static size_t digits_at(const char *s, size_t i, size_t n)
{
	size_t k = i;

	while (k < n && is_digit(s[k]))
		k++;
	return k - i;
}

/* Bytes of a generated name's number to skip at s[i..n), given the
 * prefix that ends at i; 0 when nothing is to be folded. */
static size_t lambda_tail(const char *s, size_t i, size_t n)
{
	size_t k = i, d;

	if (k < n && s[k] == '$' && (d = digits_at(s, k + 1, n)) > 0)
		k += 1 + d;
	if (k < n && s[k] == '/' && (d = digits_at(s, k + 1, n)) > 0 &&
	    !(k + 2 < n && s[k + 1] == '0' && s[k + 2] == 'x'))
		k += 1 + d;
	return k - i;
}

static const struct {
	const char *text;
	size_t len;
} numbered[] = {
	{ "GeneratedSerializationConstructorAccessor", 41 },
	{ "GeneratedConstructorAccessor", 28 },
	{ "GeneratedMethodAccessor", 23 },
	{ "$Proxy", 6 },
};

/* Fold lambda and generated names in s[0..n) in place; returns new n. */
static size_t fold_lambdas(char *s, size_t n)
{
	size_t i, w, k;
	const char *d = memchr(s, '$', n), *g = memmem(s, n, "Generated", 9);

	if (!d && !g)   /* the common case: nothing to fold */
		return n;
	i = w = (size_t)((d && (!g || d < g) ? d : g) - s);
	while (i < n) {
		if (s[i] != '$' && s[i] != 'G') {
			s[w++] = s[i++];
			continue;
		}
		if (s[i] == '$' && n - i >= 8 && memcmp(s + i, "$$Lambda", 8) == 0) {
			memmove(s + w, s + i, 8);
			w += 8;
			i += 8;
			i += lambda_tail(s, i, n);
			continue;
		}
		for (k = 0; k < sizeof numbered / sizeof numbered[0]; k++) {
			size_t pl = numbered[k].len;

			if (s[i] == numbered[k].text[0] && n - i >= pl &&
			    memcmp(s + i, numbered[k].text, pl) == 0 &&
			    digits_at(s, i + pl, n) > 0) {
				memmove(s + w, s + i, pl);
				w += pl;
				i += pl + digits_at(s, i + pl, n);
				break;
			}
		}
		if (k == sizeof numbered / sizeof numbered[0])
			s[w++] = s[i++];
	}
	return w;
}

/* Drop addresses in s[0..n) in place; returns new n (never 0 if n > 0). */
static size_t fold_addresses(char *s, size_t n)
{
	const char *x = memchr(s, '0', n);
	size_t i, w;

	if (!x)
		return n;
	i = w = (size_t)(x - s);
	while (i < n) {
		if (s[i] == '0' && i + 2 < n && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
		    is_hex(s[i + 2]) && (i == 0 || !is_word(s[i - 1]))) {
			size_t end = i + 2;

			while (end < n && is_hex(s[end]))
				end++;
			if (w > 1 && (s[w - 1] == '.' || s[w - 1] == '/')) {
				w--;
			} else {
				s[w++] = '0';
				s[w++] = 'x';
			}
			i = end;
			continue;
		}
		s[w++] = s[i++];
	}
	return w;
}

size_t an_normalize_frame(unsigned rules, const char *in, size_t len, char *out)
{
	size_t n = len, alen, body;

	if (out != in)
		memmove(out, in, len);
	if (!len || !rules)
		return len;
	if (rules & AN_NORM_TIDS)
		n = strip_tid(out, n);
	alen = annotation_len(out, n);
	body = n - alen;
	if (rules & AN_NORM_LINES)
		body = strip_line(out, body);
	if (rules & AN_NORM_ADDRESSES)
		body = fold_addresses(out, body);
	if (rules & AN_NORM_LAMBDAS)
		body = fold_lambdas(out, body);
	if (alen && !(rules & AN_NORM_ANNOTATIONS)) {
		memmove(out + body, out + n - alen, alen);
		body += alen;
	}
	return body;
}

size_t an_normalize_stack(unsigned rules, const char *in, size_t len, char *out)
{
	size_t pos = 0, w = 0;

	if (!rules) {
		if (out != in)
			memmove(out, in, len);
		return len;
	}
	while (pos <= len) {
		const char *semi = memchr(in + pos, ';', len - pos);
		size_t flen = semi ? (size_t)(semi - (in + pos)) : len - pos;

		w += an_normalize_frame(rules, in + pos, flen, out + w);
		pos += flen + 1;
		if (pos <= len)
			out[w++] = ';';
	}
	return w;
}
