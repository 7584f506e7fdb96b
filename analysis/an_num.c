#include "an_num.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *special(double v)
{
	if (isnan(v))
		return "NaN";
	if (isinf(v))
		return v > 0 ? "+Inf" : "-Inf";
	return NULL;
}

char *an_num_fmt(char *buf, double v)
{
	const char *sp = special(v);
	int prec;

	if (sp)
		return strcpy(buf, sp);
	if (v == 0)
		return strcpy(buf, "0");
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, AN_NUM_BUF, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}

char *an_num_fmt_fixed(char *buf, double v, int decimals)
{
	const char *sp = special(v);

	if (sp)
		return strcpy(buf, sp);
	if (decimals < 0)
		decimals = 0;
	if (decimals > 17)
		decimals = 17;
	if (fabs(v) >= 1e20) {
		snprintf(buf, AN_NUM_BUF, "%.*g", 17, v);
		return buf;
	}
	snprintf(buf, AN_NUM_BUF, "%.*f", decimals, v);
	/* "-0.00" reads badly in a table; zero has no sign here */
	if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
		memmove(buf, buf + 1, strlen(buf));
	return buf;
}

char *an_num_fmt_u64(char *buf, uint64_t v)
{
	char tmp[24];
	int i = 0, o = 0;

	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		buf[o++] = tmp[--i];
	buf[o] = '\0';
	return buf;
}

int an_num_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -1;
		if (v > (UINT64_MAX - d) / 10)
			return -2;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int an_num_parse_double(const char *s, size_t len, double *out)
{
	char tmp[64];
	const char *p = s;
	char *end;
	size_t i;
	int neg = 0;

	if (len == 0 || len >= sizeof tmp)
		return -1;
	if (*p == '+' || *p == '-') {
		neg = *p == '-';
		p++;
	}
	i = len - (size_t)(p - s);
	if ((i == 3 && strncasecmp(p, "nan", 3) == 0)) {
		*out = NAN;
		return 0;
	}
	if ((i == 3 && strncasecmp(p, "inf", 3) == 0) ||
	    (i == 8 && strncasecmp(p, "infinity", 8) == 0)) {
		*out = neg ? -INFINITY : INFINITY;
		return 0;
	}
	/* strtod accepts hex and leading spaces; our formats do not */
	for (i = 0; i < len; i++) {
		if (!strchr("0123456789+-.eE", s[i]))
			return -1;
	}
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	*out = strtod(tmp, &end);
	if (end != tmp + len)
		return -1;
	return 0;
}
