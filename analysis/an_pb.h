/*
 * an_pb.h - a small protocol buffers encoder: varints, tags, length-
 * delimited fields and packed repeated varints into a growing buffer.
 *
 * Only what writing pprof's profile.proto needs: wire types 0 (varint) and
 * 2 (length-delimited).  Non-negative int64 fields are encoded as uint64.
 * Allocation failures are remembered (an_pb_failed) instead of being
 * checked after every call; the buffer then stops growing.
 */
#ifndef AN_PB_H
#define AN_PB_H

#include <stddef.h>
#include <stdint.h>

struct an_pb {
	unsigned char *buf;
	size_t len, cap;
	int failed;          /* an allocation failed: the contents are incomplete */
};

void an_pb_init(struct an_pb *b);
void an_pb_free(struct an_pb *b);
/* Empty the buffer, keeping its memory. */
void an_pb_reset(struct an_pb *b);
/* 1 if an allocation failed since an_pb_init. */
int an_pb_failed(const struct an_pb *b);

/* Bytes the varint encoding of v takes (1 to 10). */
size_t an_pb_varint_len(uint64_t v);
/* A bare varint. */
void an_pb_varint(struct an_pb *b, uint64_t v);
/* Field `field` as a varint (wire type 0), written even when v is 0. */
void an_pb_uint(struct an_pb *b, unsigned field, uint64_t v);
/* Field `field` as length-delimited bytes (wire type 2: strings, messages). */
void an_pb_bytes(struct an_pb *b, unsigned field, const void *p, size_t n);
/* Packed repeated varints (wire type 2); nothing when n is 0. */
void an_pb_packed(struct an_pb *b, unsigned field, const uint64_t *v, size_t n);

#endif
