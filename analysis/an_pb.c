#include "an_pb.h"

#include <stdlib.h>
#include <string.h>

void an_pb_init(struct an_pb *b)
{
	memset(b, 0, sizeof *b);
}

void an_pb_free(struct an_pb *b)
{
	free(b->buf);
	memset(b, 0, sizeof *b);
}

void an_pb_reset(struct an_pb *b)
{
	b->len = 0;
}

int an_pb_failed(const struct an_pb *b)
{
	return b->failed;
}

/* Room for n more bytes; 0 when the buffer cannot grow. */
static int reserve(struct an_pb *b, size_t n)
{
	size_t cap;
	unsigned char *p;

	if (b->failed)
		return 0;
	if (b->cap - b->len >= n)
		return 1;
	cap = b->cap ? b->cap : 256;
	while (cap - b->len < n) {
		if (cap > SIZE_MAX / 2) {
			b->failed = 1;
			return 0;
		}
		cap *= 2;
	}
	if (!(p = realloc(b->buf, cap))) {
		b->failed = 1;
		return 0;
	}
	b->buf = p;
	b->cap = cap;
	return 1;
}

size_t an_pb_varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

void an_pb_varint(struct an_pb *b, uint64_t v)
{
	unsigned char *p;

	if (!reserve(b, 10))
		return;
	p = b->buf + b->len;
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	b->len = (size_t)(p - b->buf);
}

void an_pb_uint(struct an_pb *b, unsigned field, uint64_t v)
{
	an_pb_varint(b, (uint64_t)field << 3);
	an_pb_varint(b, v);
}

void an_pb_bytes(struct an_pb *b, unsigned field, const void *p, size_t n)
{
	an_pb_varint(b, (uint64_t)field << 3 | 2);
	an_pb_varint(b, n);
	if (!n || !reserve(b, n))
		return;
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

void an_pb_packed(struct an_pb *b, unsigned field, const uint64_t *v, size_t n)
{
	size_t i, len = 0;

	if (!n)
		return;
	for (i = 0; i < n; i++)
		len += an_pb_varint_len(v[i]);
	an_pb_varint(b, (uint64_t)field << 3 | 2);
	an_pb_varint(b, len);
	for (i = 0; i < n; i++)
		an_pb_varint(b, v[i]);
}
