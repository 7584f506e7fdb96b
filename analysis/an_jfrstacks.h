/*
 * an_jfrstacks.h - JFR events as collapsed stacks: pick an event class,
 * cut to a time window, select by thread state, build each event's stack
 * as async-profiler's collapsed output writes it (root first, optional
 * thread root frame "[NAME tid=N]" and frame-type annotations), clean it
 * with a stack filter and hand it, with its time and weight, to a sink.
 *
 * Event classes:
 *   cpu    jdk.ExecutionSample
 *   wall   profiler.WallClockSample
 *   alloc  jdk.ObjectAllocationInNewTLAB, jdk.ObjectAllocationOutsideTLAB,
 *          jdk.ObjectAllocationSample                  (weight: bytes)
 *   lock   jdk.JavaMonitorEnter                         (weight: ns)
 *   wait   jdk.ThreadPark, jdk.ThreadSleep, jdk.JavaMonitorWait,
 *          jdk.SocketRead, jdk.SocketWrite, jdk.FileRead, jdk.FileWrite
 *                                                       (weight: ns)
 *   any other word: that exact event type name.
 */
#ifndef AN_JFRSTACKS_H
#define AN_JFRSTACKS_H

#include <stdint.h>
#include <stdio.h>

#include "an_err.h"
#include "an_jfr.h"
#include "an_reader.h"
#include "an_stackfilter.h"

enum an_jfrs_value {
	AN_JFRS_DEFAULT,	/* samples for cpu, wall and names; total else */
	AN_JFRS_SAMPLES,	/* samples: 1 per event (a batched wall-clock
				 * event: its sample count) */
	AN_JFRS_TOTAL		/* bytes or ns (samples for events without) */
};

/* Receives each kept stack (root first, valid during the call). */
typedef int (*an_jfrs_sink_fn)(void *ctx, int64_t start_ns, const char *stack,
			       size_t len, uint64_t weight, struct an_err *err);

struct an_jfrs_opts {
	const char *event;		/* class or type name; NULL: cpu */
	enum an_jfrs_value value;
	int window;			/* cut to [win_start, win_end) */
	int window_relative;		/* ... milliseconds after the start
					 * of the input's first chunk */
	int64_t win_start_ms, win_end_ms;
	const char *state;		/* PCRE2 on the thread state, or NULL */
	int threads;			/* thread root frames */
	int annotate;			/* _[j] _[i] _[0] _[1] _[k] */
	int strip_threads;		/* drop the thread frame after the
					 * filter (built only to select) */
	int raw;			/* keep CR/LF in names (else '?') */
	struct an_stackfilter *filter;	/* borrowed; may be NULL */
	an_jfrs_sink_fn sink;
	void *ctx;
};

struct an_jfrs;

/*
 * Parse --window "START,END": both epoch seconds (fractions allowed) or
 * RFC 3339 times (an_time_parse), or both "+S" seconds after the start of
 * the recording.  Sets o->window, window_relative, win_start_ms, win_end_ms.
 */
int an_jfrs_parse_window(const char *s, struct an_jfrs_opts *o, struct an_err *err);

/* Check the options (the state regex); AN_EDATA with a message if bad. */
int an_jfrs_new(struct an_jfrs **out, const struct an_jfrs_opts *o, struct an_err *err);
void an_jfrs_free(struct an_jfrs *s);

struct an_jfrs_info {
	struct an_jfr_info jfr;
	uint64_t events_kept, events_no_stack;
};

/*
 * Read one JFR input (see an_jfr_read for its messages; a truncated input
 * delivers its complete chunks, then fails with info->jfr.truncated set).
 */
int an_jfrs_read(struct an_jfrs *s, struct an_reader *r, struct an_jfrs_info *info,
		 struct an_err *err);

/* Default value kind of an event class: 1 when it accumulates a total. */
int an_jfrs_event_totals(const char *event);

/*
 * The per-event TSV ("time weight stack"): the header, then rows; time is
 * epoch seconds rounded to milliseconds, the stack escaped (\\ \t \r \n).
 */
int an_jfrs_samples_header(FILE *f, struct an_err *err);
int an_jfrs_samples_row(FILE *f, int64_t start_ns, const char *stack, size_t len,
			uint64_t weight, struct an_err *err);

/*
 * --list: per event type, count, first and last start time and distinct
 * threads, over any number of inputs (an_jfrs_list_read each), written as
 * TSV "event count first last threads", sorted by type name.
 */
struct an_jfrs_list;
struct an_jfrs_list *an_jfrs_list_new(void);
void an_jfrs_list_free(struct an_jfrs_list *l);
int an_jfrs_list_read(struct an_jfrs_list *l, struct an_reader *r,
		      struct an_jfr_info *info, struct an_err *err);
int an_jfrs_list_write(const struct an_jfrs_list *l, FILE *f, struct an_err *err);

/*
 * --series: weight per interval of step_ms (aligned to multiples of the
 * step since the epoch), as the toolkit's series TSV "series time value",
 * every interval from the first to the last, 0 where nothing fell.
 */
struct an_jfrs_series;
/* The series is "event=EVENT" (EVENT escaped as a label value). */
struct an_jfrs_series *an_jfrs_series_new(int64_t step_ms, const char *event);
void an_jfrs_series_free(struct an_jfrs_series *s);
int an_jfrs_series_add(struct an_jfrs_series *s, int64_t start_ns, uint64_t weight,
		       struct an_err *err);
int an_jfrs_series_write(const struct an_jfrs_series *s, FILE *f, struct an_err *err);

#endif
