/*
 * an_flame.h - the tree of a flame graph and its layout.
 *
 * Collapsed stacks (or diff-folded stacks) are merged into a tree as they
 * are read, one line at a time: each node is one frame in the context of
 * its callers and carries the inclusive count(s) of every stack that passes
 * through it.  Memory grows with the number of distinct nodes, not with the
 * input size, and is capped.  The root node is "all".
 *
 * The layout walks the tree depth first with children in bytewise name
 * order (so the output never depends on input order or hashing) and drops
 * every frame narrower than a minimum count, with its descendants.
 */
#ifndef AN_FLAME_H
#define AN_FLAME_H

#include <stddef.h>
#include <stdint.h>

#include "an_err.h"
#include "an_reader.h"

struct an_flame;

/* Kinds of frame async-profiler annotations and names tell apart. */
enum an_frame_kind {
	AN_KIND_JIT,          /* "_[j]", or unannotated with '/' in the name */
	AN_KIND_INLINED,      /* "_[i]" */
	AN_KIND_INTERPRETED,  /* "_[0]" */
	AN_KIND_C1,           /* "_[1]" */
	AN_KIND_KERNEL,       /* "_[k]" */
	AN_KIND_CPP,          /* unannotated with "::" */
	AN_KIND_NATIVE,       /* anything else */
	AN_KIND_THREAD        /* "[name tid=N]", async-profiler -t */
};

/*
 * Kind of a frame name and, in *shown, the length of its displayed part:
 * the name without an async-profiler "_[x]" annotation.
 */
enum an_frame_kind an_flame_frame_kind(const char *name, size_t len, size_t *shown);

/* Flags of an_flame_new. */
#define AN_FLAME_REVERSE 1     /* insert every stack leaf first */
#define AN_FLAME_STRIP_DIFF 2  /* diff-folded input: merge frames by their
				  name without annotation, so a method that
				  changed compilation tier is not "new" */

/* Default cap of a tree's memory (nodes, names and index). */
#define AN_FLAME_MAX_BYTES_DEFAULT ((size_t)4 << 30)

/*
 * New empty tree.  `ncounts` is 1 (collapsed), 2 (diff-folded) or 0
 * (decided by the first non-blank line read, see an_collapsed_detect).
 * `flags` is a set of AN_FLAME_* bits.  `max_bytes` caps memory (0: the
 * default; node and index memory and name memory are capped separately).
 * Returns NULL when out of memory.
 */
struct an_flame *an_flame_new(int ncounts, int flags, size_t max_bytes);
void an_flame_free(struct an_flame *f);

/* 1 or 2 once known; 0 while undecided (nothing read yet). */
int an_flame_ncounts(const struct an_flame *f);

/*
 * Add one stack (root first, frames separated by ';', as validated by
 * an_collapsed_parse) with its counts; c1 is 0 for collapsed input.
 * Returns AN_OK; AN_EDATA "count sum overflows 64 bits" when a total would
 * pass 2^64-1; AN_ESYS when the memory cap (named in the message) or the
 * memory is exhausted.
 */
/* After an error only an_flame_free is safe; no stack may be added after
 * an_flame_layout. */
int an_flame_add(struct an_flame *f, const char *stack, size_t len,
		 uint64_t c0, uint64_t c1, struct an_err *err);

/*
 * Read every line of r (blank lines skipped) into f.  Bad lines are
 * reported with an_collapsed_parse's messages after "NAME:LINE: ".
 * Returns AN_OK or the error status.
 */
int an_flame_read(struct an_flame *f, struct an_reader *r, struct an_err *err);

/* Sum of count `which` (0 or 1) over every stack added. */
uint64_t an_flame_total(const struct an_flame *f, int which);

/* One frame of a layout. */
struct an_flame_frame {
	const char *name;    /* the frame as read (not NUL-terminated) */
	size_t name_len;
	uint64_t offset;     /* left edge, in counts of the width profile */
	uint64_t value;      /* width: inclusive count of the width profile */
	uint64_t other;      /* the other count (diff-folded: "before"), else 0 */
	uint32_t depth;      /* 0 for the root "all" */
};

/*
 * Lay the tree out: frames in depth-first order (parent before children,
 * siblings by bytewise name), widths from count `which` (0 for collapsed;
 * 1 for diff-folded: the second profile).  Frames whose width is 0 or
 * below `min_value` are left out with all their descendants; the root is
 * always kept.  On success *out is a malloc'd array of *n frames the
 * caller frees (names point into f and stay valid until an_flame_free),
 * *max_depth the deepest depth kept, and AN_OK is returned; AN_ESYS when
 * out of memory.  May be called again (other `which` or minimum), but
 * no stack may be added after it.
 */
int an_flame_layout(struct an_flame *f, int which, uint64_t min_value,
		    struct an_flame_frame **out, size_t *n, uint32_t *max_depth,
		    struct an_err *err);

#endif
