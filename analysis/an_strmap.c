#include "an_strmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Arena blocks grow geometrically from ARENA_FIRST to ARENA_BLOCK: a small
 * map (one short input, a fuzz run) costs a few KiB, a large one still gets
 * few, large blocks. */
#define ARENA_FIRST (4u << 10)
#define ARENA_BLOCK (1u << 20)

struct entry {
	const char *key;
	uint32_t len;
	uint32_t hash32;
};

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	char mem[];
};

struct an_strmap {
	struct entry *entries;   /* by id */
	unsigned char *data;     /* data_size bytes per id */
	size_t count, entries_cap;
	size_t data_size;
	uint32_t *slots;         /* id + 1, 0 = empty */
	size_t nslots;           /* power of two */
	struct arena_block *arena;
	size_t bytes, max_bytes;
};

uint64_t an_hash_bytes(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (len * 0xff51afd7ed558ccdull);

	while (len >= 8) {
		uint64_t w;

		memcpy(&w, s, 8);
		h ^= w * 0x87c37b91114253d5ull;
		h = (h << 31 | h >> 33) * 0x4cf5ad432745937full;
		s += 8;
		len -= 8;
	}
	if (len) {
		uint64_t w = 0;

		memcpy(&w, s, len);
		h ^= w * 0x87c37b91114253d5ull;
		h = (h << 31 | h >> 33) * 0x4cf5ad432745937full;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

struct an_strmap *an_strmap_new(size_t data_size, size_t max_bytes)
{
	struct an_strmap *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->data_size = data_size;
	m->max_bytes = max_bytes ? max_bytes : (size_t)4 << 30;
	m->nslots = 1024;
	m->slots = calloc(m->nslots, sizeof *m->slots);
	if (!m->slots) {
		free(m);
		return NULL;
	}
	m->bytes = m->nslots * sizeof *m->slots;
	return m;
}

void an_strmap_free(struct an_strmap *m)
{
	struct arena_block *b, *next;

	if (!m)
		return;
	for (b = m->arena; b; b = next) {
		next = b->next;
		free(b);
	}
	free(m->entries);
	free(m->data);
	free(m->slots);
	free(m);
}

size_t an_strmap_count(const struct an_strmap *m)
{
	return m->count;
}

const char *an_strmap_key(const struct an_strmap *m, size_t id, size_t *len)
{
	*len = m->entries[id].len;
	return m->entries[id].key;
}

void *an_strmap_data(struct an_strmap *m, size_t id)
{
	return m->data + id * m->data_size;
}

int64_t an_strmap_find(const struct an_strmap *m, const char *s, size_t len)
{
	uint64_t h = an_hash_bytes(s, len);
	size_t mask = m->nslots - 1, i = (size_t)h & mask;

	for (;; i = (i + 1) & mask) {
		uint32_t v = m->slots[i];
		const struct entry *e;

		if (!v)
			return -1;
		e = &m->entries[v - 1];
		if (e->hash32 == (uint32_t)(h >> 32) && e->len == len &&
		    memcmp(e->key, s, len) == 0)
			return v - 1;
	}
}

static int over_cap(struct an_strmap *m, size_t more, struct an_err *err)
{
	if (m->bytes + more <= m->max_bytes)
		return 0;
	an_err_set(err, AN_ESYS, "more distinct keys than the memory cap of %zu MiB holds",
		   m->max_bytes >> 20);
	return 1;
}

static int grow_slots(struct an_strmap *m, struct an_err *err)
{
	size_t n = m->nslots * 2, i, mask = n - 1;
	uint32_t *slots;

	if (over_cap(m, n * sizeof *slots, err))
		return -1;
	slots = calloc(n, sizeof *slots);
	if (!slots)
		return an_err_sys(err, ENOMEM, "out of memory"), -1;
	for (i = 0; i < m->count; i++) {
		const struct entry *e = &m->entries[i];
		size_t j = (size_t)an_hash_bytes(e->key, e->len) & mask;

		while (slots[j])
			j = (j + 1) & mask;
		slots[j] = (uint32_t)(i + 1);
	}
	m->bytes += (n - m->nslots) * sizeof *slots;
	free(m->slots);
	m->slots = slots;
	m->nslots = n;
	return 0;
}

static int grow_entries(struct an_strmap *m, struct an_err *err)
{
	size_t n = m->entries_cap ? m->entries_cap * 2 : 256;
	size_t more = (n - m->entries_cap) * (sizeof(struct entry) + m->data_size);
	struct entry *e;
	unsigned char *d;

	if (n > UINT32_MAX - 1)
		return an_err_set(err, AN_ESYS, "more than %u distinct keys",
				  UINT32_MAX - 1), -1;
	if (over_cap(m, more, err))
		return -1;
	e = realloc(m->entries, n * sizeof *e);
	if (!e)
		return an_err_sys(err, ENOMEM, "out of memory"), -1;
	m->entries = e;
	if (m->data_size) {
		d = realloc(m->data, n * m->data_size);
		if (!d)
			return an_err_sys(err, ENOMEM, "out of memory"), -1;
		memset(d + m->entries_cap * m->data_size, 0,
		       (n - m->entries_cap) * m->data_size);
		m->data = d;
	}
	m->entries_cap = n;
	m->bytes += more;
	return 0;
}

static const char *arena_copy(struct an_strmap *m, const char *s, size_t len,
			      struct an_err *err)
{
	struct arena_block *b = m->arena;
	char *p;

	if (!b || b->size - b->used < len) {
		size_t size = b ? (b->size < ARENA_BLOCK ? b->size * 2 : ARENA_BLOCK)
				: ARENA_FIRST;

		if (size < len)
			size = len;

		if (over_cap(m, size, err))
			return NULL;
		b = malloc(sizeof *b + size);
		if (!b)
			return an_err_sys(err, ENOMEM, "out of memory"), NULL;
		b->size = size;
		b->used = 0;
		b->next = m->arena;
		m->arena = b;
		m->bytes += size;
	}
	p = b->mem + b->used;
	memcpy(p, s, len);
	b->used += len;
	return p;
}

int64_t an_strmap_intern(struct an_strmap *m, const char *s, size_t len,
			 int *is_new, struct an_err *err)
{
	uint64_t h = an_hash_bytes(s, len);
	size_t mask = m->nslots - 1, i = (size_t)h & mask;
	struct entry *e;

	if (len > UINT32_MAX)
		return an_err_set(err, AN_EDATA, "key longer than 4 GiB"), -1;
	for (;; i = (i + 1) & mask) {
		uint32_t v = m->slots[i];

		if (!v)
			break;
		e = &m->entries[v - 1];
		if (e->hash32 == (uint32_t)(h >> 32) && e->len == len &&
		    memcmp(e->key, s, len) == 0) {
			if (is_new)
				*is_new = 0;
			return v - 1;
		}
	}
	if (m->count == m->entries_cap && grow_entries(m, err) < 0)
		return -1;
	e = &m->entries[m->count];
	e->key = arena_copy(m, s, len, err);
	if (!e->key)
		return -1;
	e->len = (uint32_t)len;
	e->hash32 = (uint32_t)(h >> 32);
	m->slots[i] = (uint32_t)(m->count + 1);
	m->count++;
	if (is_new)
		*is_new = 1;
	if (m->count * 4 >= m->nslots * 3 && grow_slots(m, err) < 0)
		return -1;
	return (int64_t)m->count - 1;
}
