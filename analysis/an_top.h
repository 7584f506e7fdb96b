/*
 * an_top.h - a top table in the spirit of `pprof -top`: per frame (or per
 * class), the samples it was running itself ("self", the leaf) and the
 * samples it was on the stack for ("total").
 *
 * Stacks are added one at a time and are not kept: memory grows with the
 * number of distinct frames (capped), not with the input.  A frame that
 * appears several times in one stack (recursion) counts once in its
 * total.  With an application filter, only application frames get rows:
 * the self count of a stack goes to its leafmost application frame (the
 * nearest application caller of the library code that ran), and a stack
 * without any application frame counts for the row "[no app frame]".
 * Percentages are of the sum of all counts added.
 */
#ifndef AN_TOP_H
#define AN_TOP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "an_err.h"

enum an_top_by {
	AN_TOP_METHOD,   /* one row per frame name */
	AN_TOP_CLASS     /* one row per class: see an_top_class */
};

enum an_top_sort {
	AN_TOP_SORT_SELF,   /* self descending, then name (bytewise) */
	AN_TOP_SORT_TOTAL   /* total descending, then name */
};

/* Name of the row that collects stacks without an application frame. */
#define AN_TOP_NO_APP "[no app frame]"

struct an_top_opts {
	enum an_top_by by;
	const char *app_regex;   /* PCRE2; application rows match it; or NULL */
	const char *app_prefix;  /* or rows starting with this prefix; a prefix
				    without '/' has its '.' read as '/' */
	size_t max_bytes;        /* cap of the table's memory; 0: 4 GiB */
	unsigned normalize;      /* AN_NORM_* rules (an_normalize.h) applied to
				    every frame name first: the same rows as
				    normalising the stacks before an_top_add,
				    but done once per distinct name */
};

struct an_top;

/*
 * New empty table.  With both app_regex and app_prefix NULL every frame is
 * an application frame.  With --by class, the application test applies to
 * class names.  Returns AN_OK and *out, or AN_EDATA for a bad regular
 * expression ("bad regular expression 'RE': REASON at offset N"), or
 * AN_ESYS when out of memory.
 */
int an_top_new(struct an_top **out, const struct an_top_opts *o, struct an_err *err);
void an_top_free(struct an_top *t);

/*
 * Add one stack (root first, ';'-separated, no empty frame) with its
 * count.  Returns AN_OK, or AN_ESYS when the memory cap is reached (the
 * message names it), or AN_EDATA when a regular expression match failed
 * or the sum of the counts would overflow 64 bits ("count sum overflows
 * 64 bits", as an_flame_add; nothing is added then).
 */
int an_top_add(struct an_top *t, const char *stack, size_t len, uint64_t count,
	       struct an_err *err);

/* Sum of the counts added (saturating). */
uint64_t an_top_total(const struct an_top *t);

/*
 * Counts of one row by its name; returns 1 if the row exists (and is an
 * application row), else 0 with *self and *total set to 0.
 */
int an_top_lookup(const struct an_top *t, const char *name, size_t len,
		  uint64_t *self, uint64_t *total);

/*
 * Write the table as TSV: a header "self self% total total% frame" (last
 * column "class" with AN_TOP_CLASS), then at most `limit` rows (0: all),
 * sorted as asked; rows with zero self and total are left out; percentages
 * with two decimals; in names, backslash, tab, newline and carriage return
 * are escaped as \\ \t \n \r (nothing else: frames hold ',' and '=').  Returns
 * AN_OK, or AN_ESYS on a write error or when out of memory.
 */
int an_top_write(const struct an_top *t, FILE *f, enum an_top_sort sort, size_t limit,
		 struct an_err *err);

/*
 * The class of a frame name: async-profiler's annotation "_[x]" is
 * dropped; a Java frame (containing '/') loses ".method"; a C++ frame
 * loses its last "::name"; any other frame ("[unknown]", thread frames,
 * kernel and C functions, allocated class names) is its own class.
 * Returns the length of the class name, which is a prefix of frame.
 */
size_t an_top_class(const char *frame, size_t len);

#endif
