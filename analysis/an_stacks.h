/*
 * an_stacks.h - read stacks from collapsed text or `perf script` output,
 * clean them with a filter and hand each to a sink.
 *
 * This is the reading half of the `stacks` tool, for any tool that takes
 * stacks in either format: the format is given or detected per input from
 * its first non-blank line (perf script when an_perf_detect says so, else
 * collapsed).  Diff-folded input (two counts) is refused: it is
 * stackdiff's.  Nothing is kept between stacks but the parser's state.
 */
#ifndef AN_STACKS_H
#define AN_STACKS_H

#include <stddef.h>
#include <stdint.h>

#include "an_err.h"
#include "an_perf.h"
#include "an_reader.h"
#include "an_stackfilter.h"

enum an_stacks_format {
	AN_STACKS_DETECT,
	AN_STACKS_COLLAPSED,
	AN_STACKS_PERF,
	AN_STACKS_JFR           /* read by an_jfrstacks, not an_stacks_read */
};

/* Receives each kept stack (root first; valid during the call only). */
typedef int (*an_stacks_sink_fn)(void *ctx, const char *stack, size_t len,
				 uint64_t count, struct an_err *err);

struct an_stacks_opts {
	enum an_stacks_format format;
	struct an_perf_opts perf;        /* perf.max_stack 0: the line cap */
	size_t max_line;                 /* line cap; 0: the reader's default */
	struct an_stackfilter *filter;   /* borrowed; NULL keeps stacks as read */
	an_stacks_sink_fn sink;
	void *ctx;
};

/* What one an_stacks_read saw. */
struct an_stacks_info {
	enum an_stacks_format format;    /* as read (DETECT: the input was blank) */
	uint64_t stacks_read, stacks_kept;
	uint64_t events_skipped;         /* perf events of another type */
	char event[64];                  /* perf event type kept (may be cut) */
};

/*
 * Read every line of r.  Blank lines are skipped in collapsed input; a
 * trailing '\r' is ignored (CRLF files are accepted).  Errors carry
 * "NAME:LINE: " before the parser's message (see an_collapsed.h and
 * an_perf.h); a sink's error gets the same prefix.  Fills *info (may be
 * NULL).  Returns AN_OK or the error status.
 */
int an_stacks_read(const struct an_stacks_opts *o, struct an_reader *r,
		   struct an_stacks_info *info, struct an_err *err);

#endif
