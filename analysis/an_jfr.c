/* an_jfr.c - chunks and events: read a chunk whole, check its header, load
 * its metadata and pools, then hand each wanted event to the callback. */
#include "an_jfr_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int an_jfr_detect(const void *buf, size_t n)
{
	return n >= 4 && memcmp(buf, "FLR\0", 4) == 0;
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* Read exactly n bytes unless the input ends: returns the count read, or
 * -1 with err set. */
static long read_full(struct an_reader *r, uint8_t *buf, size_t n, struct an_err *err)
{
	size_t got = 0;

	while (got < n) {
		long k = an_reader_read(r, buf + got, n - got, err);

		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (long)got;
}

static int check_header(struct jfr_chunk *ck, const uint8_t *h, uint64_t max_chunk)
{
	uint64_t size = be64(h + 8);

	if (memcmp(h, "FLR\0", 4) != 0)
		return jfr_fail(ck, NULL, "bad magic, not a JFR chunk (expected \"FLR\\0\")");
	ck->major = (uint16_t)(h[4] << 8 | h[5]);
	ck->minor = (uint16_t)(h[6] << 8 | h[7]);
	if (ck->major != 1 && ck->major != 2)
		return jfr_fail(ck, NULL, "unsupported JFR version %u.%u (1.x and 2.x are read)",
				ck->major, ck->minor);
	if (size == 0)
		return jfr_fail(ck, NULL, "chunk size 0: the chunk was never finished (recording still running or the JVM died)");
	if (size < JFR_HEADER_SIZE)
		return jfr_fail(ck, NULL, "chunk size %llu smaller than its header",
				(unsigned long long)size);
	if (size > max_chunk)
		return jfr_fail(ck, NULL, "absurd chunk size %llu (cap %llu bytes)",
				(unsigned long long)size, (unsigned long long)max_chunk);
	ck->size = size;
	ck->cp_off = be64(h + 16);
	ck->meta_off = be64(h + 24);
	ck->start_ns = (int64_t)be64(h + 32);
	ck->duration_ns = (int64_t)be64(h + 40);
	ck->start_ticks = (int64_t)be64(h + 48);
	ck->tps = (int64_t)be64(h + 56);
	/* Features: byte 64 the file state, byte 67 flags (bit 0: compressed
	 * integers, bit 1: final chunk). */
	ck->compressed = (h[67] & 1) != 0;
	if (ck->meta_off < JFR_HEADER_SIZE || ck->meta_off >= size)
		return jfr_fail(ck, NULL, "metadata offset %llu outside the chunk of %llu bytes",
				(unsigned long long)ck->meta_off, (unsigned long long)size);
	if (ck->cp_off != 0 && (ck->cp_off < JFR_HEADER_SIZE || ck->cp_off >= size))
		return jfr_fail(ck, NULL, "constant pool offset %llu outside the chunk of %llu bytes",
				(unsigned long long)ck->cp_off, (unsigned long long)size);
	if (ck->tps <= 0)
		return jfr_fail(ck, NULL, "ticks per second %lld is not positive", (long long)ck->tps);
	return AN_OK;
}

static int64_t ticks_ns(const struct jfr_chunk *ck, uint64_t ticks)
{
	__int128 d = (__int128)(int64_t)ticks - ck->start_ticks;

	d = d * 1000000000 / ck->tps + ck->start_ns;
	/* a corrupt tick count saturates: its event lies outside any window */
	if (d > INT64_MAX)
		return INT64_MAX;
	if (d < INT64_MIN)
		return INT64_MIN;
	return (int64_t)d;
}

static int is_prim(const struct jfr_chunk *ck, const struct jfr_field *f, enum jfr_prim p)
{
	return !f->array && !f->cpool && ck->classes[f->cls].prim == p;
}

static void make_plan(struct jfr_chunk *ck, struct jfr_class *k, const struct an_jfr_opts *o)
{
	struct jfr_plan *p = &k->plan;
	uint32_t i;

	memset(p, 0, sizeof *p);
	p->ready = 1;
	p->want = !o->want || o->want(o->ctx, k->name);
	p->start = p->duration = p->thread = p->stack = p->state = -1;
	p->samples = p->weight = p->tlab = p->last = -1;
	for (i = 0; i < k->nfields; i++) {
		const struct jfr_field *f = &k->fields[i];
		const char *n = f->name;
		int *slot = NULL;

		if (strcmp(n, "startTime") == 0 && is_prim(ck, f, JP_LONG))
			slot = &p->start;
		else if (strcmp(n, "duration") == 0 && is_prim(ck, f, JP_LONG))
			slot = &p->duration;
		else if ((strcmp(n, "eventThread") == 0 || strcmp(n, "sampledThread") == 0) &&
			 f->cpool && !f->array && (p->thread < 0 || n[0] == 's'))
			slot = &p->thread;
		else if (strcmp(n, "stackTrace") == 0 && f->cpool && !f->array && !o->no_stacks)
			slot = &p->stack;
		else if (strcmp(n, "state") == 0 && f->cpool && !f->array)
			slot = &p->state;
		else if (strcmp(n, "samples") == 0 &&
			 (is_prim(ck, f, JP_INT) || is_prim(ck, f, JP_LONG)))
			slot = &p->samples;
		else if ((strcmp(n, "allocationSize") == 0 || strcmp(n, "weight") == 0) &&
			 is_prim(ck, f, JP_LONG))
			slot = &p->weight;
		else if (strcmp(n, "tlabSize") == 0 && is_prim(ck, f, JP_LONG))
			slot = &p->tlab;
		if (slot) {
			*slot = (int)i;
			p->last = (int)i;
		}
	}
}

static int read_event(struct jfr_chunk *ck, struct jfr_class *k, struct jfr_cur *c,
		      const struct an_jfr_opts *o)
{
	const struct jfr_plan *p = &k->plan;
	struct an_jfr_event ev;
	uint64_t tlab = 0;
	int i;

	memset(&ev, 0, sizeof ev);
	ev.type = k->name;
	ev.samples = 1;
	ev.chunk = ck->index;
	ev.start_ns = ck->start_ns;
	for (i = 0; i <= p->last; i++) {
		const struct jfr_field *f = &k->fields[i];
		uint64_t v;
		uint32_t u, len;

		if (i == p->samples && ck->classes[f->cls].prim == JP_INT) {
			if (jfr_rd_int(ck, c, &u, "samples") != AN_OK)
				return AN_EDATA;
			ev.samples = u;
			continue;
		}
		if (i != p->start && i != p->duration && i != p->thread && i != p->stack &&
		    i != p->state && i != p->samples && i != p->weight && i != p->tlab) {
			if (jfr_skip_field(ck, c, f, 0) != AN_OK)
				return AN_EDATA;
			continue;
		}
		if (jfr_rd_long(ck, c, &v) != AN_OK)
			return AN_EDATA;
		if (i == p->start) {
			ev.start_ns = ticks_ns(ck, v);
		} else if (i == p->duration) {
			__int128 d = (__int128)(int64_t)v * 1000000000 / ck->tps;

			ev.duration_ns = (int64_t)d;
			ev.has_duration = 1;
		} else if (i == p->thread) {
			if (jfr_pool_thread(ck, f->cls, v, &ev.thread) != AN_OK)
				return AN_EDATA;
		} else if (i == p->stack) {
			if (jfr_pool_stack(ck, f->cls, v, &ev.stack) != AN_OK)
				return AN_EDATA;
		} else if (i == p->state) {
			if (jfr_pool_string(ck, f->cls, v, &ev.state, &len) != AN_OK)
				return AN_EDATA;
		} else if (i == p->samples) {
			ev.samples = v;
		} else if (i == p->weight) {
			ev.weight = v;
			ev.has_weight = 1;
		} else {
			tlab = v;
		}
	}
	/* A TLAB sample stands for the whole TLAB (async-profiler's weight). */
	if (ev.has_weight && tlab)
		ev.weight = tlab;
	return o->event(o->ctx, &ev, ck->err);
}

static int read_events(struct jfr_chunk *ck, const struct an_jfr_opts *o,
		       struct an_jfr_info *info)
{
	const uint8_t *p = ck->base + JFR_HEADER_SIZE, *end = ck->base + ck->size;

	while (p < end) {
		struct jfr_cur c = { p, end };
		uint32_t size, idx;
		uint64_t type;
		struct jfr_class *k;

		if (jfr_rd_int(ck, &c, &size, "event size") != AN_OK)
			return AN_EDATA;
		if (size == 0)
			return jfr_fail(ck, p, "event of size 0");
		if (size > (size_t)(end - p))
			return jfr_fail(ck, p, "event of %u bytes runs past the end of the chunk", size);
		c.end = p + size;
		if (jfr_rd_long(ck, &c, &type) != AN_OK)
			return AN_EDATA;
		if (type > 1) {
			info->events++;
			idx = jfr_map_get(&ck->class_by_id, type);
			if (!idx) {
				info->events_unknown++;
			} else {
				k = &ck->classes[idx - 1];
				if (!k->plan.ready)
					make_plan(ck, k, o);
				if (k->plan.want && read_event(ck, k, &c, o) != AN_OK)
					return ck->err->status ? ck->err->status : AN_EDATA;
			}
		}
		p += size;
	}
	return AN_OK;
}

static void chunk_release(struct jfr_chunk *ck)
{
	jfr_pools_free(ck);
	free(ck->classes);
	ck->classes = NULL;
	ck->nclasses = 0;
	jfr_map_free(&ck->class_by_id);
	jfr_arena_free(ck);
}

static int read_chunk(struct jfr_chunk *ck, const struct an_jfr_opts *o,
		      struct an_jfr_info *info)
{
	int rc;

	ck->string_cls = -1;
	ck->budget = ck->size * 4 + 1000000;
	if (o->chunk && (rc = o->chunk(o->ctx, ck->index, ck->start_ns, ck->duration_ns,
				       ck->err)) != AN_OK)
		return rc;
	if ((rc = jfr_meta_read(ck)) != AN_OK || (rc = jfr_pools_read(ck)) != AN_OK ||
	    (rc = read_events(ck, o, info)) != AN_OK)
		return rc;
	return AN_OK;
}

int an_jfr_read(struct an_reader *r, const struct an_jfr_opts *o,
		struct an_jfr_info *info, struct an_err *err)
{
	struct jfr_chunk ck, prev;
	struct an_jfr_info dummy;
	uint64_t max = o->max_chunk ? o->max_chunk : AN_JFR_CHUNK_MAX_DEFAULT;
	uint8_t *buf = NULL;
	size_t cap = 0;
	int rc = AN_OK;

	if (!info)
		info = &dummy;
	memset(info, 0, sizeof *info);
	memset(&ck, 0, sizeof ck);
	memset(&prev, 0, sizeof prev);
	ck.name = an_reader_name(r);
	ck.err = err;
	for (;;) {
		uint8_t h[JFR_HEADER_SIZE];
		long got = read_full(r, h, sizeof h, err);

		if (got < 0) {
			rc = err->status;
			break;
		}
		if (got == 0) {
			if (info->chunks == 0)
				rc = an_err_set(err, AN_EDATA, "%s: empty input, not a JFR recording",
						ck.name);
			break;
		}
		ck.base = NULL;
		if ((size_t)got < sizeof h) {
			if (memcmp(h, "FLR\0", (size_t)got < 4 ? (size_t)got : 4) != 0) {
				rc = jfr_fail(&ck, NULL, "bad magic, not a JFR chunk (expected \"FLR\\0\")");
				break;
			}
			rc = jfr_fail(&ck, NULL, "truncated chunk header (%ld of %d bytes)",
				      got, JFR_HEADER_SIZE);
			info->truncated = 1;
			break;
		}
		if ((rc = check_header(&ck, h, max)) != AN_OK)
			break;
		/* Read the chunk in growing steps: a header that claims more
		 * than the input holds costs no more memory than the input. */
		{
			uint64_t have = sizeof h;

			if (cap < sizeof h) {
				uint8_t *nb = realloc(buf, 1u << 16);

				if (!nb) {
					rc = an_err_sys(err, ENOMEM, "out of memory");
					break;
				}
				buf = nb;
				cap = 1u << 16;
			}
			memcpy(buf, h, sizeof h);
			while (have < ck.size) {
				uint64_t want = ck.size < (1u << 20) ? ck.size : have * 2;

				if (want > ck.size)
					want = ck.size;
				if (want < (1u << 20) && ck.size >= (1u << 20))
					want = 1u << 20;
				if (want > cap) {
					uint8_t *nb = realloc(buf, (size_t)want);

					if (!nb) {
						rc = an_err_sys(err, ENOMEM, "%s: chunk %llu of %llu bytes",
								ck.name, (unsigned long long)ck.index + 1,
								(unsigned long long)ck.size);
						break;
					}
					buf = nb;
					cap = (size_t)want;
				}
				got = read_full(r, buf + have, (size_t)(want - have), err);
				if (got < 0) {
					rc = err->status;
					break;
				}
				have += (uint64_t)got;
				if (have < want)
					break;
			}
			if (rc != AN_OK)
				break;
			if (have < ck.size) {
				rc = jfr_fail(&ck, NULL, "truncated chunk: %llu of its %llu bytes present",
					      (unsigned long long)have, (unsigned long long)ck.size);
				info->truncated = 1;
				break;
			}
		}
		ck.base = buf;
		ck.prev = prev.base ? &prev : NULL;
		ck.missing = 0;
		rc = read_chunk(&ck, o, info);
		info->refs_missing += ck.missing;
		if (rc != AN_OK)
			break;
		/* This chunk becomes the previous one, with its buffer. */
		chunk_release(&prev);
		free((void *)prev.base);
		prev = ck;
		prev.prev = NULL;
		prev.budget = prev.size * 4 + 1000000;
		buf = NULL;
		cap = 0;
		ck.classes = NULL;
		ck.nclasses = 0;
		memset(&ck.class_by_id, 0, sizeof ck.class_by_id);
		ck.arena = NULL;
		info->chunks++;
		info->bytes += ck.size;
		ck.file_off += ck.size;
		ck.index++;
	}
	chunk_release(&ck);
	chunk_release(&prev);
	free((void *)prev.base);
	free(buf);
	return rc;
}
