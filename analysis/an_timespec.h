/*
 * an_timespec.h - the times and durations a user types on a command line.
 *
 * Every time is held as int64 milliseconds since the Unix epoch, the
 * resolution of Prometheus timestamps, so that arithmetic on steps and
 * chunk boundaries is exact.
 */
#ifndef AN_TIMESPEC_H
#define AN_TIMESPEC_H

#include <stdint.h>

#include "an_err.h"

/* Largest time or duration accepted: year 9999, in milliseconds. */
#define AN_TIME_MAX_MS INT64_C(253402300799999)

/*
 * Parse a time, into *out_ms:
 *   RFC 3339      2025-11-30T14:05:00Z, 2025-11-30T14:05:00.250+01:00
 *                 ('t'/'z' in lower case and a space for 'T' also accepted)
 *   epoch seconds 1764511500, 1764511500.25
 *   now           now_ms itself
 *   relative      -30m, now-1h30m, now+5m (a duration as an_duration_parse)
 * Fractions finer than a millisecond are rounded to the nearest one.
 * Returns AN_OK, or AN_EDATA with a message quoting s.
 */
int an_time_parse(const char *s, int64_t now_ms, int64_t *out_ms, struct an_err *err);

/*
 * Parse a duration, into *out_ms (> 0): a plain number of seconds ("15",
 * "0.5"), or one or more Prometheus units in decreasing order ("2s",
 * "1m", "1h30m", "500ms"; units y=365d w d h m s ms), each number with an
 * optional fraction of up to 6 digits ("1.5m", "40.05s") that makes whole
 * milliseconds.
 * Returns AN_OK, or AN_EDATA with a message quoting s (zero, negative,
 * finer than 1 ms, or over AN_TIME_MAX_MS).
 */
int an_duration_parse(const char *s, int64_t *out_ms, struct an_err *err);

/*
 * Format milliseconds as decimal seconds with at most 3 decimals and no
 * trailing zeros ("1764511500", "1764511500.25", "-0.5"): the text
 * an_num_fmt writes for ms / 1000.0.  buf needs 32 bytes; returns buf.
 */
char *an_time_fmt(char *buf, int64_t ms);

#endif
