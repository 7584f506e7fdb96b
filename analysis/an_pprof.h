/*
 * an_pprof.h - a profile as pprof's gzipped profile.proto.
 *
 * The format of `go tool pprof`, Grafana Pyroscope, Parca and most APM
 * vendors (github.com/google/pprof, proto/profile.proto).  Each distinct
 * stack becomes one sample whose locations are listed leaf first; each
 * distinct frame name becomes one function and one location (ids from 1 in
 * first-seen order over the stacks sorted bytewise); the string table
 * starts with "".  Sample types are named for the event:
 *
 *   event            counts are samples                 counts are totals
 *   (none)           samples/count                      -
 *   cpu              samples/count [+ cpu/nanoseconds]   cpu/nanoseconds
 *   wall             samples/count [+ wall/nanoseconds]  wall/nanoseconds
 *   alloc            samples/count [+ alloc_space/bytes] alloc_space/bytes
 *   lock, wait       contentions/count [+ delay/nanoseconds] delay/nanoseconds
 *   other NAME       samples/count [+ NAME/count]       NAME/count
 *
 * where the bracketed type (each count times the interval) is there when
 * the sampling interval is known.  period_type is the last sample type and
 * period the interval (1 when unknown); duration_nanos is set when known;
 * time_nanos is never set, and the gzip header has no time and no name, so
 * the same profile gives the same bytes.
 */
#ifndef AN_PPROF_H
#define AN_PPROF_H

#include <stdint.h>
#include <stdio.h>

#include "an_err.h"
#include "an_profile.h"

enum an_pprof_event {
	AN_PPROF_SAMPLES,    /* unknown: samples/count only */
	AN_PPROF_CPU,
	AN_PPROF_WALL,
	AN_PPROF_ALLOC,
	AN_PPROF_LOCK,
	AN_PPROF_WAIT,
	AN_PPROF_OTHER       /* named: NAME/count */
};

struct an_pprof_opts {
	const char *event;        /* cpu, wall, alloc, lock, wait, a perf or
				     async-profiler event name; NULL: none */
	uint64_t interval;        /* ns (bytes for alloc) per sample; 0 unknown */
	int totals;               /* counts are already ns (bytes), not samples */
	uint64_t duration_nanos;  /* 0: unknown */
};

/*
 * Kind of an event name: cpu, wall, alloc, lock, wait; the async-profiler
 * and perf names of CPU sampling (cpu-clock, task-clock, itimer, ctimer)
 * are cpu; NULL or "" is AN_PPROF_SAMPLES; any other name AN_PPROF_OTHER.
 */
enum an_pprof_event an_pprof_event_kind(const char *name);

/*
 * Parse a quantity: digits with an optional unit.  Times: ns, us, ms, s
 * (a bare number is in `bare_ns` nanoseconds: 1 for an interval, 1e9 for
 * a duration); with `bytes` set, sizes: a bare number of bytes or k, m, g
 * (1024-based) instead.  Zero is refused.  AN_EDATA with a message
 * ("expected a number with a unit ns, us, ms or s: '10x'") when bad.
 */
int an_pprof_parse_quantity(const char *s, uint64_t bare_ns, int bytes,
			    uint64_t *out, struct an_err *err);

/*
 * Write p (one count per stack) to f as gzipped profile.proto.  Stacks of
 * count 0 are left out.  AN_EDATA when a count (or count times interval)
 * does not fit int64; AN_ESYS on a write error or when out of memory.
 */
int an_pprof_write(const struct an_profile *p, const struct an_pprof_opts *o,
		   FILE *f, struct an_err *err);

#endif
