/*
 * an_timespec.c - RFC 3339, epoch, relative times and durations.
 */
#include <stdio.h>
#include <string.h>

#include "an_timespec.h"

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* n digits at s into *v; returns 0 or -1. */
static int digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm). */
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

static int days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

/*
 * A fraction after '.': milliseconds rounded half up, into *ms; returns the
 * number of bytes read (digits only), or -1 if there is no digit.
 */
static int fraction_ms(const char *s, int64_t *ms)
{
	int n = 0, k;
	int64_t v = 0;

	while (is_digit(s[n])) {
		if (n < 3)
			v = v * 10 + (s[n] - '0');
		n++;
	}
	if (n == 0)
		return -1;
	for (k = n; k < 3; k++)
		v *= 10;
	if (n > 3 && s[3] >= '5')
		v++; /* may reach 1000: the caller adds it to the seconds */
	*ms = v;
	return n;
}

static int rfc3339(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0, n;
	int64_t ms = 0, t;
	const char *p;

	if (strlen(s) < 20 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	p = s + 19;
	if (*p == '.') {
		n = fraction_ms(p + 1, &ms);
		if (n < 0)
			return -1;
		p += 1 + n;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		sign = 0;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && !digits(p + 1, 2, &oh) &&
		   p[3] == ':' && !digits(p + 4, 2, &om)) {
		sign = *p == '+' ? 1 : -1;
	} else {
		return -1;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
	    sec > 60 || oh > 23 || om > 59)
		return -1;
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (sec == 60 ? 59 : sec);
	t -= sign * (oh * 3600 + om * 60);
	*out = t * 1000 + ms;
	return 0;
}

/* Decimal seconds "123" or "123.456" (whole string) into ms. */
static int seconds_ms(const char *s, int64_t *out)
{
	int64_t v = 0, ms = 0;
	const char *p = s;

	if (!is_digit(*p))
		return -1;
	for (; is_digit(*p); p++) {
		if (v > AN_TIME_MAX_MS / 1000)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (*p == '.') {
		int n = fraction_ms(p + 1, &ms);

		if (n < 0)
			return -1;
		p += 1 + n;
	}
	if (*p != '\0')
		return -1;
	*out = v * 1000 + ms;
	return *out > AN_TIME_MAX_MS ? -1 : 0;
}

static int64_t unit_ms(const char *u, size_t len)
{
	static const struct { const char *name; int64_t ms; } units[] = {
		{ "y", INT64_C(365) * 86400000 }, { "w", INT64_C(7) * 86400000 },
		{ "d", 86400000 }, { "h", 3600000 }, { "m", 60000 }, { "s", 1000 }, { "ms", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strlen(units[i].name) == len && memcmp(units[i].name, u, len) == 0)
			return units[i].ms;
	return 0;
}

static int duration(const char *s, int64_t *out)
{
	int64_t total = 0, last_unit = INT64_MAX;
	const char *p = s;

	if (seconds_ms(s, out) == 0)
		return *out > 0 ? 0 : -1;
	if (*p == '\0')
		return -1;
	while (*p) {
		int64_t v = 0, u, f = 0, fscale = 1, part;
		const char *q;

		if (!is_digit(*p))
			return -1;
		for (; is_digit(*p); p++) {
			if (v > AN_TIME_MAX_MS)
				return -1;
			v = v * 10 + (*p - '0');
		}
		/* a fraction of the unit: "1.5m", "40.05s" (up to 6 digits) */
		if (*p == '.') {
			if (!is_digit(*++p))
				return -1;
			for (; is_digit(*p); p++) {
				if (fscale == 1000000)
					return -1;
				f = f * 10 + (*p - '0');
				fscale *= 10;
			}
		}
		for (q = p; *q && !is_digit(*q); q++)
			;
		u = unit_ms(p, (size_t)(q - p));
		if (u == 0 || u >= last_unit || v > (AN_TIME_MAX_MS - total) / u)
			return -1;
		if (f * u % fscale != 0)
			return -1;      /* finer than a millisecond */
		part = v * u + f * u / fscale;
		if (part > AN_TIME_MAX_MS - total)
			return -1;
		last_unit = u;
		total += part;
		p = q;
	}
	*out = total;
	return total > 0 ? 0 : -1;
}

int an_duration_parse(const char *s, int64_t *out_ms, struct an_err *err)
{
	char q[80];

	if (duration(s, out_ms) == 0)
		return AN_OK;
	return an_err_set(err, AN_EDATA,
			  "bad duration '%s': expected seconds or units like 15s, 1m, 1h30m, 500ms",
			  an_err_quote(q, sizeof q, s, strlen(s)));
}

int an_time_parse(const char *s, int64_t now_ms, int64_t *out_ms, struct an_err *err)
{
	char q[80];
	int64_t d;
	const char *rel = NULL;
	int sign = -1;

	if (strcmp(s, "now") == 0) {
		*out_ms = now_ms;
		return AN_OK;
	}
	if (s[0] == '-')
		rel = s + 1;
	else if (strncmp(s, "now-", 4) == 0)
		rel = s + 4;
	else if (strncmp(s, "now+", 4) == 0)
		rel = s + 4, sign = 1;
	if (rel) {
		if (duration(rel, &d) == 0) {
			*out_ms = now_ms + sign * d;
			return AN_OK;
		}
	} else if (seconds_ms(s, out_ms) == 0 || rfc3339(s, out_ms) == 0) {
		if (*out_ms >= 0 && *out_ms <= AN_TIME_MAX_MS)
			return AN_OK;
	}
	return an_err_set(err, AN_EDATA,
			  "bad time '%s': expected RFC 3339 (2025-11-30T14:05:00Z), epoch seconds, 'now' or a relative time like -30m",
			  an_err_quote(q, sizeof q, s, strlen(s)));
}

char *an_time_fmt(char *buf, int64_t ms)
{
	/* by hand, not snprintf: promrange writes one per point */
	uint64_t a = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
	uint64_t sec = a / 1000;
	unsigned frac = (unsigned)(a % 1000);
	char digits[24];
	size_t n = 0, k = 0;

	if (ms < 0)
		buf[n++] = '-';
	do {
		digits[k++] = (char)('0' + sec % 10);
		sec /= 10;
	} while (sec);
	while (k)
		buf[n++] = digits[--k];
	if (frac) {
		buf[n++] = '.';
		buf[n++] = (char)('0' + frac / 100);
		buf[n++] = (char)('0' + frac / 10 % 10);
		buf[n++] = (char)('0' + frac % 10);
		while (buf[n - 1] == '0')
			n--;
	}
	buf[n] = '\0';
	return buf;
}
