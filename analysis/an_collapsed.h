/*
 * an_collapsed.h - one line of collapsed stacks or of diff-folded output.
 *
 * Collapsed (FlameGraph, async-profiler -o collapsed):
 *     frame;frame;...;leaf COUNT
 * Diff-folded (FlameGraph's difffolded.pl):
 *     frame;frame;...;leaf COUNT_BEFORE COUNT_AFTER
 * The counts are the last one or two space-separated fields; frame names
 * may contain spaces.  Counts are unsigned 64-bit integers.
 */
#ifndef AN_COLLAPSED_H
#define AN_COLLAPSED_H

#include <stddef.h>
#include <stdint.h>

#include "an_err.h"

struct an_folded {
	const char *stack;   /* points into the parsed line */
	size_t stack_len;
	uint64_t count[2];   /* count[1] only for diff-folded */
};

/*
 * Parse line[0..len) (no '\n'; one trailing '\r' is ignored) with
 * `ncounts` trailing counts (1: collapsed, 2: diff-folded).  On success
 * returns AN_OK and fills *out, whose stack points into line.  On bad data
 * returns AN_EDATA with a message without location (callers prefix
 * "file:line: "): missing count, non-numeric or negative count, count over
 * 64 bits, empty stack, empty frame, NUL byte, invalid UTF-8, or for
 * diff-folded a line with only one count.
 * Blank lines are the caller's business (test len == 0 first).
 */
int an_collapsed_parse(const char *line, size_t len, int ncounts,
		       struct an_folded *out, struct an_err *err);

/*
 * The length of a UTF-8 byte order mark (EF BB BF) that starts line 1 of
 * a file (`lineno` 1): 3, else 0.  Some Windows editors write one; it is
 * not part of the first frame name, so readers skip it.
 */
size_t an_collapsed_bom_len(const char *line, size_t len, uint64_t lineno);

/*
 * Guess the format of a file from its first non-blank line: 2 when the
 * line ends in two space-separated integers (diff-folded), else 1.
 */
int an_collapsed_detect(const char *line, size_t len);

/*
 * Iterate the frames of a stack: start with *pos = 0; each call sets
 * *frame and *flen to the next frame and returns 1, or returns 0 after the
 * leaf.
 */
int an_stack_next_frame(const char *stack, size_t len, size_t *pos,
			const char **frame, size_t *flen);

#endif
