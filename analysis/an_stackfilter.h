/*
 * an_stackfilter.h - clean and select collapsed stacks: thread selection,
 * frame-name normalisation and PCRE2 filters named after pprof's options.
 *
 * A filter takes one stack (root first, frames separated by ';') and
 * returns it rewritten, or says to drop it.  Steps, in this order:
 *
 *   1. thread    (AN_SF_THREAD) keep only stacks whose root frame is an
 *                async-profiler thread frame "[NAME tid=N]" whose NAME
 *                matches; stacks without a thread frame are dropped.
 *      no-threads (an_stackfilter_set_no_threads) drop the thread frame.
 *   2. normalise (an_stackfilter_set_normalize; see an_normalize.h).
 *   3. focus     (AN_SF_FOCUS) keep only stacks with a matching frame.
 *      ignore    (AN_SF_IGNORE) drop stacks with a matching frame.
 *   4. root-at   (AN_SF_ROOT_AT, pprof's show_from) start the stack at its
 *                rootmost matching frame; stacks without one are dropped.
 *   5. prune-from (AN_SF_PRUNE_FROM, pprof's prune_from) end the stack at
 *                its rootmost matching frame (its callees are cut off);
 *                stacks without one are kept whole.
 *   6. hide      (AN_SF_HIDE) remove matching frames.
 *      show      (AN_SF_SHOW) remove frames that do not match.
 *   A stack left without frames is dropped.
 *
 * Patterns are PCRE2 (UTF mode), matched anywhere in one frame name (as
 * grep does: anchor with ^ and $); several patterns of one kind are
 * alternatives (a frame matches the kind if any of them matches).
 * Results are cached per distinct frame name, so memory grows with the
 * number of distinct frames (capped), not with the input, and each pattern
 * runs once per distinct frame (which is why it is not JIT-compiled: the
 * JIT would not pay off, and its code confuses valgrind).
 */
#ifndef AN_STACKFILTER_H
#define AN_STACKFILTER_H

#include <stddef.h>

#include "an_err.h"

enum an_sf_kind {
	AN_SF_FOCUS,
	AN_SF_IGNORE,
	AN_SF_ROOT_AT,
	AN_SF_PRUNE_FROM,
	AN_SF_HIDE,
	AN_SF_SHOW,
	AN_SF_THREAD,
	AN_SF_NKINDS
};

struct an_stackfilter;

/* New filter that keeps every stack unchanged; `max_bytes` caps the frame
 * cache (0: 1 GiB).  NULL when out of memory. */
struct an_stackfilter *an_stackfilter_new(size_t max_bytes);
void an_stackfilter_free(struct an_stackfilter *f);

/*
 * Add a pattern (NUL-terminated) of the given kind.  Returns AN_OK, or
 * AN_EDATA with "bad regular expression 'PAT': REASON at offset N".
 */
int an_stackfilter_add(struct an_stackfilter *f, enum an_sf_kind kind,
		       const char *pattern, struct an_err *err);

/* Remove async-profiler thread root frames "[NAME tid=N]". */
void an_stackfilter_set_no_threads(struct an_stackfilter *f, int on);

/* Normalisation rules (AN_NORM_* bits of an_normalize.h) to apply. */
void an_stackfilter_set_normalize(struct an_stackfilter *f, unsigned rules);

/* Non-zero when the filter can change or drop a stack. */
int an_stackfilter_active(const struct an_stackfilter *f);

/*
 * Apply the filter to in[0..len) (a valid stack: no empty frame).  out
 * must hold `len` bytes and may equal in.  Returns 1 with *outlen set when
 * the stack is kept, 0 when it is dropped, or -1 with err set when a match
 * failed (e.g. PCRE2's match limit: AN_EDATA) or the cache is full
 * (AN_ESYS).
 */
int an_stackfilter_apply(struct an_stackfilter *f, const char *in, size_t len,
			 char *out, size_t *outlen, struct an_err *err);

/*
 * The thread name of an async-profiler thread frame "[NAME tid=N]"
 * frame[0..len): returns 1 and sets *name, *nlen; 0 if not a thread frame.
 */
int an_stackfilter_thread_name(const char *frame, size_t len, const char **name,
			       size_t *nlen);

#endif
