/*
 * an_offcpu.h - where application code spends its samples, and doing what.
 *
 * Each sample (a collapsed stack with its count) is attributed to its last
 * application frame (the leafmost frame an_appmatch accepts) and given a
 * detail:
 *   cpu    "running";
 *   wall   the state of the frames below that application frame, the first
 *          rule matching from the application frame towards the leaf
 *          (an_state_of, an_state.h);
 *   wait   the same, for stacks of blocking events with durations as
 *          weights (stacks --event wait of a JDK Flight Recorder recording:
 *          park, sleep, Object.wait, socket and file I/O);
 *   lock   the monitor class (the leaf frame, as async-profiler writes it:
 *          a dotted name such as java.lang.Object or byte[]);
 *   alloc  the allocated class (the same);
 *          a leaf that is not a class (a method, as in stacks made from
 *          JFR events) gives the detail "-".
 * Frame names are normalised first (AN_NORM_ALL: annotations, line
 * numbers, addresses, lambda numbers, thread ids).
 *
 * Wall and wait profiles keep request-handling time only: a sample without an
 * application frame (idle pool workers waiting for work, selector,
 * housekeeping and JVM threads) is left out of the table and the shares.
 * With thread frames (async-profiler -t: a root frame "[NAME tid=N]"),
 * threads that ran an application frame in some sample are the request
 * threads; their samples without one are counted as `idle`, the rest as
 * `other`.  In cpu, lock and alloc profiles a sample without an
 * application frame counts for the frame "[no app frame]".
 */
#ifndef AN_OFFCPU_H
#define AN_OFFCPU_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "an_err.h"
#include "an_state.h"

enum an_event { AN_EVENT_CPU, AN_EVENT_WALL, AN_EVENT_LOCK, AN_EVENT_ALLOC,
		AN_EVENT_WAIT, AN_EVENT_N };

/* "cpu", "wall", "lock", "alloc", "wait" (also async-profiler's "itimer",
 * "ctimer" for cpu); AN_EDATA "unknown event 'X'" otherwise. */
int an_event_parse(const char *s, enum an_event *ev, struct an_err *err);
const char *an_event_name(enum an_event ev);

/* Name of the row of samples without an application frame. */
#define AN_OFFCPU_NO_APP "[no app frame]"
/* Detail of lock and alloc samples whose leaf is not a class. */
#define AN_OFFCPU_NO_CLASS "-"

struct an_offcpu_opts {
	enum an_event event;
	const char *app_regex;	/* PCRE2 of application frames, or NULL */
	const char *app_prefix;	/* or a prefix; both NULL: see an_appmatch */
	size_t max_bytes;	/* memory cap of the tables; 0: 4 GiB */
};

struct an_offcpu;

/* New empty attribution; AN_EDATA for a bad pattern, AN_ESYS (memory). */
int an_offcpu_new(struct an_offcpu **out, const struct an_offcpu_opts *o,
		  struct an_err *err);
void an_offcpu_free(struct an_offcpu *a);

/*
 * Add one collapsed stack (root first, no empty frame) with its count.
 * Returns AN_OK, AN_ESYS (memory or the cap, named) or AN_EDATA (the
 * pattern failed, or the sum of counts overflows 64 bits).
 */
int an_offcpu_add(struct an_offcpu *a, const char *stack, size_t len,
		  uint64_t count, struct an_err *err);

struct an_offcpu_totals {
	uint64_t all;		/* every count added */
	uint64_t kept;		/* in the table (the base of shares) */
	uint64_t idle;		/* wall, wait: request threads, no application frame */
	uint64_t other;		/* wall, wait: other samples left out */
	size_t threads;		/* thread frames seen */
	size_t request_threads;	/* of which ran an application frame */
};

void an_offcpu_totals(const struct an_offcpu *a, struct an_offcpu_totals *t);

struct an_offcpu_row {
	const char *frame, *detail;	/* not NUL-terminated */
	size_t frame_len, detail_len;
	uint64_t count;
};

/*
 * Rows by count (descending), then frame, then detail (bytewise): a
 * malloc'd array the caller frees (pointers into a, valid until the next
 * add or free), *n rows; NULL with *n = 0 when empty, or NULL with err
 * set (AN_ESYS) when out of memory.
 */
struct an_offcpu_row *an_offcpu_rows(const struct an_offcpu *a, size_t *n,
				     struct an_err *err);

struct an_offcpu_frame {
	const char *frame;	/* not NUL-terminated */
	size_t frame_len;
	uint64_t self;		/* samples attributed to it (every detail) */
	uint64_t total;		/* kept samples with it on the stack */
};

/*
 * Every application frame (and "[no app frame]") in first-seen order: a
 * malloc'd array the caller frees (names point into a), *n entries; NULL
 * with *n = 0 when empty, or NULL with err set (AN_ESYS).
 */
struct an_offcpu_frame *an_offcpu_frames(const struct an_offcpu *a, size_t *n,
					 struct an_err *err);

/* Kept samples (the base of shares). */
uint64_t an_offcpu_kept(const struct an_offcpu *a);

/* Name of the detail column: "state", "monitor" or "class". */
const char *an_offcpu_detail_name(enum an_event ev);

/*
 * Write the table as TSV: "count share% frame DETAIL" (share of kept, two
 * decimals), at most limit rows (0: all); names TSV-escaped.  Returns
 * AN_OK or AN_ESYS (write error, memory).
 */
int an_offcpu_write_table(FILE *f, const struct an_offcpu *a, size_t limit,
			  struct an_err *err);

/* Write s[0..n) as a TSV field: backslash, tab, newline and CR escaped as
 * \\ \t \n \r (frames hold ',' and '=', kept as they are). */
void an_offcpu_write_field(FILE *f, const char *s, size_t n);

/*
 * Write the kept samples as collapsed stacks for a flame graph: the stack
 * from below the thread frame down to the last application frame, then a
 * frame "[DETAIL]" (e.g. "...;org/acme/Orders.commit;[sleep]"), sorted by
 * stack.  Returns AN_OK or AN_ESYS.
 */
int an_offcpu_write_collapsed(FILE *f, const struct an_offcpu *a,
			      struct an_err *err);

#endif
