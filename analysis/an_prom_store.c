/*
 * an_prom_store.c - the store of query_range points: queries, series,
 * value text in blocks, all counted against one memory cap.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "an_prom_store.h"
#include "an_strmap.h"

int an_prom_mem_take(struct an_prom *p, size_t add, struct an_err *err)
{
	if (add > p->max_memory - p->used)
		return an_err_set(err, AN_ESYS,
				  "the points held exceed the memory cap of %zu MiB",
				  p->max_memory >> 20);
	p->used += add;
	return AN_OK;
}

int an_prom_grow(struct an_prom *p, void **v, size_t *cap, size_t need, size_t sz,
		 struct an_err *err)
{
	size_t ncap = *cap ? *cap : 16;
	void *nv;

	if (need <= *cap)
		return AN_OK;
	while (ncap < need)
		ncap *= 2;
	if (an_prom_mem_take(p, (ncap - *cap) * sz, err) != AN_OK)
		return err ? err->status : AN_EDATA;
	nv = realloc(*v, ncap * sz);
	if (!nv)
		return an_err_set(err, AN_ESYS, "out of memory");
	*v = nv;
	*cap = ncap;
	return AN_OK;
}

int an_prom_new(struct an_prom **out, size_t max_memory, struct an_err *err)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return an_err_set(err, AN_ESYS, "out of memory");
	(*out)->max_memory = max_memory ? max_memory : AN_PROM_MEMORY_DEFAULT;
	return AN_OK;
}

void an_prom_query_release(struct an_prom *p, size_t i)
{
	struct query *q = &p->q[i];
	size_t k;

	for (k = 0; k < q->nseries; k++) {
		p->used -= q->series[k].cap * sizeof(struct pt);
		free(q->series[k].pts);
	}
	p->used -= q->series_cap * sizeof(struct series) + q->nblocks * BLOCK_SIZE;
	free(q->series);
	for (k = 0; k < q->nblocks; k++)
		free(q->blocks[k]);
	free(q->blocks);
	an_strmap_free(q->keys);
	q->keys = NULL;
	q->series = NULL;
	q->blocks = NULL;
	q->nseries = q->series_cap = q->nblocks = q->block_used = 0;
}

void an_prom_free(struct an_prom *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nq; i++) {
		an_prom_query_release(p, i);
		free(p->q[i].name);
	}
	free(p->q);
	free(p);
}

int an_prom_query(struct an_prom *p, const char *name, size_t *idx, struct an_err *err)
{
	size_t i;

	for (i = 0; i < p->nq; i++)
		if (strcmp(p->q[i].name, name) == 0) {
			*idx = i;
			return AN_OK;
		}
	if (p->nq == p->q_cap) {
		size_t ncap = p->q_cap ? p->q_cap * 2 : 8;
		struct query *nq = realloc(p->q, ncap * sizeof *nq);

		if (!nq)
			return an_err_set(err, AN_ESYS, "out of memory");
		p->q = nq;
		p->q_cap = ncap;
	}
	memset(&p->q[p->nq], 0, sizeof p->q[p->nq]);
	p->q[p->nq].name = strdup(name);
	if (!p->q[p->nq].name)
		return an_err_set(err, AN_ESYS, "out of memory");
	*idx = p->nq++;
	return AN_OK;
}

size_t an_prom_query_count(const struct an_prom *p)
{
	return p->nq;
}

const char *an_prom_query_name(const struct an_prom *p, size_t i)
{
	return p->q[i].name;
}

size_t an_prom_series_count(const struct an_prom *p, size_t i)
{
	return p->q[i].nseries;
}

int an_prom_text_put(struct an_prom *p, struct query *q, const char *s, size_t len,
		     uint64_t *ref, struct an_err *err)
{
	if (q->nblocks == 0 || BLOCK_SIZE - q->block_used < len) {
		char **nb;

		if (an_prom_mem_take(p, BLOCK_SIZE, err) != AN_OK)
			return err ? err->status : AN_EDATA;
		nb = realloc(q->blocks, (q->nblocks + 1) * sizeof *nb);
		if (!nb)
			return an_err_set(err, AN_ESYS, "out of memory");
		q->blocks = nb;
		nb[q->nblocks] = malloc(BLOCK_SIZE);
		if (!nb[q->nblocks])
			return an_err_set(err, AN_ESYS, "out of memory");
		q->nblocks++;
		q->block_used = 0;
	}
	memcpy(q->blocks[q->nblocks - 1] + q->block_used, s, len);
	*ref = ((((uint64_t)(q->nblocks - 1) << BLOCK_SHIFT) | q->block_used) << 16) | len;
	q->block_used += len;
	return AN_OK;
}

const char *an_prom_text_get(const struct query *q, uint64_t ref, size_t *len)
{
	uint64_t off = ref >> 16;

	*len = (size_t)(ref & 0xffff);
	return q->blocks[off >> BLOCK_SHIFT] + (off & (BLOCK_SIZE - 1));
}
