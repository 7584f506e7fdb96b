/*
 * an_normalize.h - frame-name normalisation, so that profiles of two runs,
 * two pods or two JVM builds line up frame for frame.
 *
 * Each rule rewrites one frame name (never the ';' between frames) and
 * never makes it longer, so a caller can normalise into a buffer of the
 * input's size, or in place.  Rules (bits of a mask):
 *
 *   AN_NORM_ANNOTATIONS  drop async-profiler's frame-type suffix: a final
 *                        "_[j]", "_[i]", "_[k]", "_[0]" or "_[1]".
 *   AN_NORM_LINES        drop a final line number ":123" (before any
 *                        annotation), as async-profiler --lines writes it.
 *   AN_NORM_ADDRESSES    drop addresses: ".0x7f00..." and "/0x7f00..." (hidden
 *                        and anonymous classes) disappear with their
 *                        separator; any other "0x" + hex digits becomes "0x".
 *   AN_NORM_LAMBDAS      fold generated class names: "$$Lambda$17" and
 *                        "$$Lambda$17/123456" become "$$Lambda";
 *                        "GeneratedMethodAccessor123",
 *                        "GeneratedConstructorAccessor12",
 *                        "GeneratedSerializationConstructorAccessor7" and
 *                        "$Proxy45" lose their number.
 *   AN_NORM_TIDS         drop " tid=123" from async-profiler thread frames
 *                        ("[pool-1-thread-2 tid=4242]" -> "[pool-1-thread-2]").
 *
 * Example with AN_NORM_ALL:
 *   "org/acme/Foo$$Lambda$17.0x00007f3c1c0a2b40.apply_[j]"
 *     -> "org/acme/Foo$$Lambda.apply"
 */
#ifndef AN_NORMALIZE_H
#define AN_NORMALIZE_H

#include <stddef.h>

#include "an_err.h"

enum {
	AN_NORM_ANNOTATIONS = 1u << 0,
	AN_NORM_LINES = 1u << 1,
	AN_NORM_ADDRESSES = 1u << 2,
	AN_NORM_LAMBDAS = 1u << 3,
	AN_NORM_TIDS = 1u << 4,
	AN_NORM_ALL = (1u << 5) - 1
};

/*
 * Parse a comma-separated rule list: "annotations", "lines", "addresses",
 * "lambdas", "tids", "all" or "none" (case-sensitive).  On success sets
 * *rules and returns AN_OK; an unknown or empty name is AN_EDATA with
 * "unknown normalisation rule 'NAME'" in err.
 */
int an_normalize_parse_rules(const char *list, unsigned *rules, struct an_err *err);

/*
 * Normalise one frame in[0..len) with `rules` into out, which must hold
 * `len` bytes (out may equal in).  Returns the new length (<= len; 0 only
 * when len is 0).
 */
size_t an_normalize_frame(unsigned rules, const char *in, size_t len, char *out);

/*
 * Normalise every frame of a collapsed stack in[0..len) (frames separated
 * by ';') into out, which must hold `len` bytes (out may equal in).  Returns
 * the new length.  Frames are never removed, so the frame count is kept.
 */
size_t an_normalize_stack(unsigned rules, const char *in, size_t len, char *out);

#endif
