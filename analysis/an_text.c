#include "an_text.h"

#include <stdint.h>
#include <string.h>

size_t an_utf8_valid_prefix(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		uint32_t cp, min;

		if (c < 0x80) {
			/* fast path over ASCII, 8 bytes at a time */
			while (i + 8 <= len) {
				uint64_t w;

				memcpy(&w, s + i, 8);
				if (w & 0x8080808080808080ull)
					break;
				i += 8;
			}
			if (i < len && s[i] < 0x80)
				i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1; cp = c & 0x1f; min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2; cp = c & 0x0f; min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3; cp = c & 0x07; min = 0x10000;
		} else {
			return i;
		}
		if (i + n >= len)
			return i;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

int an_tsv_write_escaped(FILE *f, const char *s, size_t len)
{
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		char c = s[i], e;

		switch (c) {
		case '\\': e = '\\'; break;
		case ',': e = ','; break;
		case '=': e = '='; break;
		case '\t': e = 't'; break;
		case '\n': e = 'n'; break;
		case '\r': e = 'r'; break;
		default: continue;
		}
		if (i > run)
			fwrite(s + run, 1, i - run, f);
		putc('\\', f);
		putc(e, f);
		run = i + 1;
	}
	if (len > run)
		fwrite(s + run, 1, len - run, f);
	return ferror(f) ? -1 : 0;
}

size_t an_tsv_unescape(char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\\') {
			if (++i == len)
				return (size_t)-1;
			switch (s[i]) {
			case '\\': c = '\\'; break;
			case ',': c = ','; break;
			case '=': c = '='; break;
			case 't': c = '\t'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			default: return (size_t)-1;
			}
		}
		s[o++] = c;
	}
	return o;
}

size_t an_tsv_escape(char *dst, const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		char c = s[i], e = 0;

		switch (c) {
		case '\\': e = '\\'; break;
		case ',': e = ','; break;
		case '=': e = '='; break;
		case '\t': e = 't'; break;
		case '\n': e = 'n'; break;
		case '\r': e = 'r'; break;
		}
		if (e) {
			dst[n++] = '\\';
			dst[n++] = e;
		} else {
			dst[n++] = c;
		}
	}
	return n;
}
