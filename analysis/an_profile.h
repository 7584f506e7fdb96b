/*
 * an_profile.h - a profile: distinct stacks with their counts, merged.
 *
 * Holds collapsed stacks (one count per stack) or diff-folded stacks (two
 * counts) read from any number of inputs; equal stacks are merged by
 * adding counts.  Memory grows with the number of distinct stacks, not with
 * the input size, and is capped.
 */
#ifndef AN_PROFILE_H
#define AN_PROFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "an_err.h"
#include "an_reader.h"

struct an_profile;

/* Default cap of a profile's memory (stacks, counts and index). */
#define AN_PROFILE_MAX_BYTES_DEFAULT ((size_t)8 << 30)

/*
 * New empty profile.  `ncounts` is 1 (collapsed), 2 (diff-folded) or 0
 * (decided by the first non-blank line read: see an_collapsed_detect).
 * `max_bytes` caps memory (0: the default).  NULL when out of memory.
 */
struct an_profile *an_profile_new(int ncounts, size_t max_bytes);
void an_profile_free(struct an_profile *p);

/* 1 or 2 once known; 0 while undecided (nothing read yet). */
int an_profile_ncounts(const struct an_profile *p);

/*
 * Add counts to a stack (copied).  c1 is 0 for collapsed profiles.  A
 * total (and so any stack's sum) over 64 bits is an error (AN_EDATA
 * "count sum overflows 64 bits", as an_flame_add; nothing is added).
 * Returns AN_OK or an error status, err set.
 */
int an_profile_add(struct an_profile *p, const char *stack, size_t len,
		   uint64_t c0, uint64_t c1, struct an_err *err);

/*
 * Read every line of r (blank lines skipped) into p.  Errors carry
 * "NAME:LINE: " before the parser's message.  Returns AN_OK or the error
 * status.
 */
int an_profile_read(struct an_profile *p, struct an_reader *r, struct an_err *err);

/* Number of distinct stacks; ids are 0 .. count-1 in first-seen order. */
size_t an_profile_count(const struct an_profile *p);

/* Stack text of id (not NUL-terminated); valid until the profile is freed. */
const char *an_profile_stack(const struct an_profile *p, size_t id, size_t *len);

/* Count `which` (0 or 1) of id. */
uint64_t an_profile_value(const struct an_profile *p, size_t id, int which);

/* Sum of count `which` over all stacks (saturating at UINT64_MAX). */
uint64_t an_profile_total(const struct an_profile *p, int which);

/*
 * Ids ordered by stack text (bytewise, so independent of the locale and
 * of input order): a malloc'd array of an_profile_count() ids the caller
 * frees, or NULL with err set when out of memory (or when the profile is
 * empty: then *n is 0 and err is untouched).
 */
size_t *an_profile_sorted(const struct an_profile *p, size_t *n, struct an_err *err);

/*
 * Write the profile as collapsed (or diff-folded) text in stack order.
 * Stacks whose counts are all zero are skipped.  Returns AN_OK, or AN_ESYS
 * when a write failed.
 */
int an_profile_write(const struct an_profile *p, FILE *f, struct an_err *err);

#endif
