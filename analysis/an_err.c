#include "an_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void an_err_clear(struct an_err *err)
{
	if (!err)
		return;
	err->status = AN_OK;
	err->msg[0] = '\0';
}

static void mark_truncated(char *msg, int n)
{
	if (n >= AN_ERR_MSG_MAX)
		memcpy(msg + AN_ERR_MSG_MAX - 4, "...", 4);
}

int an_err_set(struct an_err *err, enum an_status status, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err)
		return status;
	err->status = status;
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	mark_truncated(err->msg, n);
	return status;
}

int an_err_sys(struct an_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t used;
	int n;

	if (!err)
		return AN_ESYS;
	err->status = AN_ESYS;
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	used = (size_t)n < sizeof err->msg ? (size_t)n : sizeof err->msg - 1;
	n = snprintf(err->msg + used, sizeof err->msg - used, ": %s",
		     strerror(errnum));
	mark_truncated(err->msg, (int)used + n);
	return AN_ESYS;
}

void an_err_prefix(struct an_err *err, const char *fmt, ...)
{
	char old[AN_ERR_MSG_MAX];
	va_list ap;
	size_t used;
	int n;

	if (!err)
		return;
	memcpy(old, err->msg, sizeof old);
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	used = (size_t)n < sizeof err->msg ? (size_t)n : sizeof err->msg - 1;
	n = snprintf(err->msg + used, sizeof err->msg - used, ": %s", old);
	mark_truncated(err->msg, (int)used + n);
}

char *an_err_quote(char *out, size_t outsz, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;

	if (outsz < 8) {
		if (outsz)
			out[0] = '\0';
		return out;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t need = (c >= 0x20 && c < 0x7f && c != '\\') ? 1 : 4;

		if (c == '\\')
			need = 2;
		if (o + need + 4 > outsz) {
			memcpy(out + o, "...", 4);
			return out;
		}
		if (c == '\\') {
			out[o++] = '\\';
			out[o++] = '\\';
		} else if (need == 1) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return out;
}
