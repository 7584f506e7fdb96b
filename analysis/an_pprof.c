#include "an_pprof.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "an_collapsed.h"
#include "an_pb.h"
#include "an_strmap.h"

/* profile.proto field numbers */
enum {
	PROFILE_SAMPLE_TYPE = 1, PROFILE_SAMPLE = 2, PROFILE_LOCATION = 4,
	PROFILE_FUNCTION = 5, PROFILE_STRING_TABLE = 6, PROFILE_DURATION = 10,
	PROFILE_PERIOD_TYPE = 11, PROFILE_PERIOD = 12,
	VALUETYPE_TYPE = 1, VALUETYPE_UNIT = 2,
	SAMPLE_LOCATION_ID = 1, SAMPLE_VALUE = 2,
	LOCATION_ID = 1, LOCATION_LINE = 4,
	LINE_FUNCTION_ID = 1,
	FUNCTION_ID = 1, FUNCTION_NAME = 2, FUNCTION_SYSTEM_NAME = 3
};

#define MAP_CAP ((size_t)8 << 30)

enum an_pprof_event an_pprof_event_kind(const char *name)
{
	static const struct {
		const char *name;
		enum an_pprof_event kind;
	} names[] = {
		{ "cpu", AN_PPROF_CPU }, { "cpu-clock", AN_PPROF_CPU },
		{ "task-clock", AN_PPROF_CPU }, { "itimer", AN_PPROF_CPU },
		{ "ctimer", AN_PPROF_CPU }, { "wall", AN_PPROF_WALL },
		{ "alloc", AN_PPROF_ALLOC }, { "lock", AN_PPROF_LOCK },
		{ "wait", AN_PPROF_WAIT },
	};
	size_t i;

	if (!name || !*name)
		return AN_PPROF_SAMPLES;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i].name) == 0)
			return names[i].kind;
	return AN_PPROF_OTHER;
}

int an_pprof_parse_quantity(const char *s, uint64_t bare_ns, int bytes,
			    uint64_t *out, struct an_err *err)
{
	static const struct {
		const char *unit;
		uint64_t mult;
		int bytes;
	} units[] = {
		{ "ns", 1, 0 }, { "us", 1000, 0 }, { "ms", 1000000, 0 },
		{ "s", 1000000000, 0 }, { "k", 1024, 1 }, { "m", 1 << 20, 1 },
		{ "g", 1 << 30, 1 },
	};
	uint64_t v = 0, mult = 0;
	const char *p = s;
	size_t i;

	while (*p >= '0' && *p <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			goto bad;
		v = v * 10 + (uint64_t)(*p++ - '0');
	}
	if (p == s)
		goto bad;
	if (!*p)
		mult = bytes ? 1 : bare_ns;
	for (i = 0; !mult && i < sizeof units / sizeof units[0]; i++)
		if (units[i].bytes == bytes && strcmp(p, units[i].unit) == 0)
			mult = units[i].mult;
	if (!mult || (v && v > UINT64_MAX / mult))
		goto bad;
	if (!v)
		return an_err_set(err, AN_EDATA, "must be more than 0: '%s'", s);
	*out = v * mult;
	return AN_OK;
bad:
	return an_err_set(err, AN_EDATA, bytes
			  ? "expected a number of bytes, optionally with k, m or g: '%s'"
			  : "expected a number with a unit ns, us, ms or s: '%s'", s);
}

struct names {
	const char *count_type, *count_unit;   /* NULL: none */
	const char *value_type, *value_unit;   /* NULL: none */
};

static void sample_types(const struct an_pprof_opts *o, struct names *n)
{
	enum an_pprof_event k = an_pprof_event_kind(o->event);

	memset(n, 0, sizeof *n);
	n->count_type = k == AN_PPROF_LOCK || k == AN_PPROF_WAIT ? "contentions" : "samples";
	n->count_unit = "count";
	switch (k) {
	case AN_PPROF_SAMPLES: break;
	case AN_PPROF_CPU: n->value_type = "cpu"; n->value_unit = "nanoseconds"; break;
	case AN_PPROF_WALL: n->value_type = "wall"; n->value_unit = "nanoseconds"; break;
	case AN_PPROF_ALLOC: n->value_type = "alloc_space"; n->value_unit = "bytes"; break;
	case AN_PPROF_LOCK:
	case AN_PPROF_WAIT: n->value_type = "delay"; n->value_unit = "nanoseconds"; break;
	case AN_PPROF_OTHER: n->value_type = o->event; n->value_unit = "count"; break;
	}
	if (o->totals && n->value_type)
		n->count_type = n->count_unit = NULL;
	else if (!o->interval)
		n->value_type = n->value_unit = NULL;
}

struct ctx {
	const struct an_profile *prof;
	struct an_strmap *strings;   /* string table, "" first */
	struct an_strmap *frames;    /* frame name -> uint64_t string index */
	struct an_pb out, tmp;
	uint64_t *locs;
	size_t nlocs, locs_cap;
	struct an_err *err;
};

static int64_t str_index(struct ctx *c, const char *s, size_t len)
{
	return an_strmap_intern(c->strings, s, len, NULL, c->err);
}

/* The frames of a stack, leaf first, as location ids in c->locs. */
static int stack_locations(struct ctx *c, const char *s, size_t len, int intern)
{
	size_t pos = 0, flen;
	const char *f;

	c->nlocs = 0;
	while (an_stack_next_frame(s, len, &pos, &f, &flen)) {
		int64_t id;
		int is_new = 0;

		if (intern) {
			id = an_strmap_intern(c->frames, f, flen, &is_new, c->err);
			if (id < 0)
				return c->err->status;
			if (is_new) {
				int64_t si = str_index(c, f, flen);

				if (si < 0)
					return c->err->status;
				*(uint64_t *)an_strmap_data(c->frames, (size_t)id) = (uint64_t)si;
			}
		} else {
			id = an_strmap_find(c->frames, f, flen);
		}
		if (c->nlocs == c->locs_cap) {
			size_t cap = c->locs_cap ? 2 * c->locs_cap : 64;
			uint64_t *p = realloc(c->locs, cap * sizeof *p);

			if (!p)
				return an_err_sys(c->err, ENOMEM, "out of memory");
			c->locs = p;
			c->locs_cap = cap;
		}
		c->locs[c->nlocs++] = (uint64_t)id + 1;
	}
	/* collapsed stacks are root first, pprof's samples leaf first */
	for (pos = 0; pos < c->nlocs / 2; pos++) {
		uint64_t t = c->locs[pos];

		c->locs[pos] = c->locs[c->nlocs - 1 - pos];
		c->locs[c->nlocs - 1 - pos] = t;
	}
	return AN_OK;
}

static void value_type(struct ctx *c, unsigned field, const char *type, const char *unit)
{
	an_pb_reset(&c->tmp);
	an_pb_uint(&c->tmp, VALUETYPE_TYPE, (uint64_t)an_strmap_find(c->strings, type, strlen(type)));
	an_pb_uint(&c->tmp, VALUETYPE_UNIT, (uint64_t)an_strmap_find(c->strings, unit, strlen(unit)));
	an_pb_bytes(&c->out, field, c->tmp.buf, c->tmp.len);
}

static int encode(struct ctx *c, const struct an_pprof_opts *o, const size_t *ids, size_t n)
{
	struct names nm;
	const char *types[4];
	uint64_t values[2];
	size_t i, len, k, nvalues;

	sample_types(o, &nm);
	types[0] = nm.count_type;
	types[1] = nm.count_unit;
	types[2] = nm.value_type;
	types[3] = nm.value_unit;
	if (str_index(c, "", 0) < 0)
		return c->err->status;
	for (k = 0; k < 4; k++)
		if (types[k] && str_index(c, types[k], strlen(types[k])) < 0)
			return c->err->status;
	for (i = 0; i < n; i++) {
		const char *s = an_profile_stack(c->prof, ids[i], &len);

		if (an_profile_value(c->prof, ids[i], 0) &&
		    stack_locations(c, s, len, 1) != AN_OK)
			return c->err->status;
	}

	if (nm.count_type)
		value_type(c, PROFILE_SAMPLE_TYPE, nm.count_type, nm.count_unit);
	if (nm.value_type)
		value_type(c, PROFILE_SAMPLE_TYPE, nm.value_type, nm.value_unit);
	for (i = 0; i < n; i++) {
		const char *s = an_profile_stack(c->prof, ids[i], &len);
		uint64_t v = an_profile_value(c->prof, ids[i], 0);

		if (!v)
			continue;
		if (v > INT64_MAX)
			return an_err_set(c->err, AN_EDATA, "count %llu does not fit pprof's int64",
					  (unsigned long long)v);
		nvalues = 0;
		if (nm.count_type)
			values[nvalues++] = v;
		if (nm.value_type) {
			uint64_t m = o->totals ? 1 : o->interval;

			if (v > (uint64_t)INT64_MAX / m)
				return an_err_set(c->err, AN_EDATA,
						  "count %llu times the interval %llu does not fit pprof's int64",
						  (unsigned long long)v, (unsigned long long)m);
			values[nvalues++] = v * m;
		}
		stack_locations(c, s, len, 0);
		an_pb_reset(&c->tmp);
		an_pb_packed(&c->tmp, SAMPLE_LOCATION_ID, c->locs, c->nlocs);
		an_pb_packed(&c->tmp, SAMPLE_VALUE, values, nvalues);
		an_pb_bytes(&c->out, PROFILE_SAMPLE, c->tmp.buf, c->tmp.len);
	}
	for (i = 0; i < an_strmap_count(c->frames); i++) {
		struct an_pb line;
		uint64_t id = i + 1;

		an_pb_init(&line);
		an_pb_uint(&line, LINE_FUNCTION_ID, id);
		an_pb_reset(&c->tmp);
		an_pb_uint(&c->tmp, LOCATION_ID, id);
		an_pb_bytes(&c->tmp, LOCATION_LINE, line.buf, line.len);
		c->tmp.failed |= line.failed;
		an_pb_free(&line);
		an_pb_bytes(&c->out, PROFILE_LOCATION, c->tmp.buf, c->tmp.len);
	}
	for (i = 0; i < an_strmap_count(c->frames); i++) {
		uint64_t si = *(uint64_t *)an_strmap_data(c->frames, i);

		an_pb_reset(&c->tmp);
		an_pb_uint(&c->tmp, FUNCTION_ID, i + 1);
		an_pb_uint(&c->tmp, FUNCTION_NAME, si);
		an_pb_uint(&c->tmp, FUNCTION_SYSTEM_NAME, si);
		an_pb_bytes(&c->out, PROFILE_FUNCTION, c->tmp.buf, c->tmp.len);
	}
	for (i = 0; i < an_strmap_count(c->strings); i++) {
		const char *s = an_strmap_key(c->strings, i, &len);

		an_pb_bytes(&c->out, PROFILE_STRING_TABLE, s, len);
	}
	if (o->duration_nanos) {
		if (o->duration_nanos > INT64_MAX)
			return an_err_set(c->err, AN_EDATA, "duration does not fit pprof's int64");
		an_pb_uint(&c->out, PROFILE_DURATION, o->duration_nanos);
	}
	if (nm.value_type)
		value_type(c, PROFILE_PERIOD_TYPE, nm.value_type, nm.value_unit);
	else
		value_type(c, PROFILE_PERIOD_TYPE, nm.count_type, nm.count_unit);
	an_pb_uint(&c->out, PROFILE_PERIOD, !o->totals && o->interval ? o->interval : 1);
	if (an_pb_failed(&c->out) || an_pb_failed(&c->tmp))
		return an_err_sys(c->err, ENOMEM, "out of memory encoding the profile");
	return AN_OK;
}

/* gzip with a fixed header (no time, no name, OS unknown). */
static int gzip_write(const unsigned char *buf, size_t len, FILE *f, struct an_err *err)
{
	z_stream z;
	gz_header h;
	unsigned char chunk[65536];
	int zrc;

	memset(&z, 0, sizeof z);
	memset(&h, 0, sizeof h);
	h.os = 255;
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return an_err_sys(err, ENOMEM, "out of memory starting gzip");
	deflateSetHeader(&z, &h);
	z.next_in = (unsigned char *)buf;
	do {
		size_t n = len - (size_t)(z.next_in - buf);

		z.avail_in = n > (1u << 30) ? 1u << 30 : (unsigned)n;
		n -= z.avail_in;
		do {
			z.next_out = chunk;
			z.avail_out = sizeof chunk;
			zrc = deflate(&z, n ? Z_NO_FLUSH : Z_FINISH);
			if (fwrite(chunk, 1, sizeof chunk - z.avail_out, f) !=
			    sizeof chunk - z.avail_out) {
				deflateEnd(&z);
				return an_err_sys(err, errno, "write error");
			}
		} while (z.avail_out == 0);
		if (!n)
			break;
	} while (1);
	deflateEnd(&z);
	if (zrc != Z_STREAM_END)
		return an_err_set(err, AN_ESYS, "gzip failed");
	return AN_OK;
}

int an_pprof_write(const struct an_profile *p, const struct an_pprof_opts *o,
		   FILE *f, struct an_err *err)
{
	struct ctx c;
	size_t n, *ids = an_profile_sorted(p, &n, err);
	int rc;

	if (!ids && n)
		return err->status;
	memset(&c, 0, sizeof c);
	c.prof = p;
	c.err = err;
	an_pb_init(&c.out);
	an_pb_init(&c.tmp);
	c.strings = an_strmap_new(0, MAP_CAP);
	c.frames = an_strmap_new(sizeof(uint64_t), MAP_CAP);
	if (!c.strings || !c.frames)
		rc = an_err_sys(err, ENOMEM, "out of memory");
	else
		rc = encode(&c, o, ids, n);
	if (rc == AN_OK)
		rc = gzip_write(c.out.buf ? c.out.buf : (const unsigned char *)"", c.out.len, f, err);
	an_strmap_free(c.strings);
	an_strmap_free(c.frames);
	an_pb_free(&c.out);
	an_pb_free(&c.tmp);
	free(c.locs);
	free(ids);
	return rc;
}
