/*
 * an_strmap.h - interning map from byte strings to dense ids.
 *
 * Keys are copied into an arena owned by the map; ids are 0, 1, 2, ... in
 * insertion order, so iterating by id is deterministic (never hash order).
 * Each id carries caller data: a user-sized slot of zeroed bytes
 * (an_strmap_data) for counters and the like.
 */
#ifndef AN_STRMAP_H
#define AN_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "an_err.h"

struct an_strmap;

/*
 * New map whose entries carry `data_size` bytes of zeroed caller data.
 * `max_bytes` caps the memory of keys + data + index (0: 4 GiB).
 * Returns NULL when out of memory.
 */
struct an_strmap *an_strmap_new(size_t data_size, size_t max_bytes);
void an_strmap_free(struct an_strmap *m);

/*
 * Id of key s[0..len), inserting it if absent (*is_new set to 1 then, else
 * 0; is_new may be NULL).  Returns -1 with err set (AN_ESYS) when the cap
 * or memory is exhausted; the message names the cap.
 */
int64_t an_strmap_intern(struct an_strmap *m, const char *s, size_t len,
			 int *is_new, struct an_err *err);

/* Id of the key, or -1 if absent. */
int64_t an_strmap_find(const struct an_strmap *m, const char *s, size_t len);

/* Number of keys. */
size_t an_strmap_count(const struct an_strmap *m);

/* Key of id (not NUL-terminated; *len set); valid until the map is freed. */
const char *an_strmap_key(const struct an_strmap *m, size_t id, size_t *len);

/* Caller data of id; valid until the next insertion (the store may move). */
void *an_strmap_data(struct an_strmap *m, size_t id);

/* Hash used by the map, exposed for callers that shard or cache. */
uint64_t an_hash_bytes(const void *p, size_t len);

#endif
