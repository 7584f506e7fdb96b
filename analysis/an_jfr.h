/*
 * an_jfr.h - a streaming reader of JDK Flight Recorder files (JFR 1.x, 2.x).
 *
 * Reads every chunk of a file in order (multi-chunk files and recordings
 * concatenated with cat alike): the chunk header, the metadata event (the
 * type descriptors: the layout of every event is read from the file, never
 * assumed), the constant pools of its checkpoint events, then its events,
 * handed one by one, in file order, to a callback.  Integers are read
 * compressed (LEB128-style varints) or plain big-endian as the chunk header
 * says.  Both producers are read: async-profiler 2.x-4.x and the JDK's own
 * recorder.
 *
 * Memory is bounded by two chunks (their bytes, pools and what was
 * resolved from them): the chunk being read and the one before, where a
 * constant the current chunk lacks is looked up, as the JDK's parser does.  Constant pool
 * entries are indexed when a chunk is loaded and decoded only when an
 * event refers to them, once each.
 */
#ifndef AN_JFR_H
#define AN_JFR_H

#include <stddef.h>
#include <stdint.h>

#include "an_err.h"
#include "an_reader.h"

/* Default cap of one chunk, in bytes (a larger chunk is refused). */
#define AN_JFR_CHUNK_MAX_DEFAULT ((uint64_t)1 << 30)

/* Frame types, from the FrameType pool's descriptions. */
enum an_jfr_ftype {
	AN_JFR_FT_UNKNOWN,
	AN_JFR_FT_INTERPRETED,	/* "Interpreted"  annotation _[0] */
	AN_JFR_FT_JIT,		/* "JIT compiled"            _[j] */
	AN_JFR_FT_INLINED,	/* "Inlined"                 _[i] */
	AN_JFR_FT_NATIVE,	/* "Native"                  none */
	AN_JFR_FT_CPP,		/* "C++"                     none */
	AN_JFR_FT_KERNEL,	/* "Kernel"                  _[k] */
	AN_JFR_FT_C1		/* "C1 compiled"             _[1] */
};

/* One frame: its name as async-profiler's collapsed output writes it
 * ("java/lang/String.matches", "PhaseChaitin::build_ifg_physical"). */
struct an_jfr_frame {
	const char *name;
	uint32_t len;
	uint8_t type;		/* enum an_jfr_ftype */
};

/* A stack trace, leaf first as recorded. */
struct an_jfr_stack {
	const struct an_jfr_frame *frames;
	uint32_t n;
	int truncated;
};

struct an_jfr_thread {
	const char *name;	/* Java name, else OS name; "" if none */
	uint64_t tid;		/* OS thread id (0 if unknown) */
};

/* One event; everything points into the current chunk's memory, valid
 * during the callback only. */
struct an_jfr_event {
	const char *type;		/* "jdk.ExecutionSample" */
	int64_t start_ns;		/* Unix epoch nanoseconds */
	int64_t duration_ns;		/* 0 without a duration field */
	int has_duration;
	const struct an_jfr_thread *thread;	/* NULL: none */
	const struct an_jfr_stack *stack;	/* NULL: none */
	const char *state;		/* thread state, or NULL */
	uint64_t samples;		/* the "samples" field, else 1 */
	uint64_t weight;		/* bytes (allocation events) */
	int has_weight;
	uint64_t chunk;			/* 0-based chunk number */
};

/* Asked once per event type and chunk: non-zero to receive its events. */
typedef int (*an_jfr_want_fn)(void *ctx, const char *type);
/* Receives each wanted event; a non-AN_OK return stops the reading. */
typedef int (*an_jfr_event_fn)(void *ctx, const struct an_jfr_event *ev,
			       struct an_err *err);
/* Called when a chunk's header has been read (start, for relative times). */
typedef int (*an_jfr_chunk_fn)(void *ctx, uint64_t chunk, int64_t start_ns,
			       int64_t duration_ns, struct an_err *err);

struct an_jfr_opts {
	uint64_t max_chunk;	/* 0: AN_JFR_CHUNK_MAX_DEFAULT */
	int no_stacks;		/* do not resolve stacks (ev.stack NULL) */
	an_jfr_want_fn want;	/* NULL: every event type */
	an_jfr_event_fn event;
	an_jfr_chunk_fn chunk;	/* may be NULL */
	void *ctx;
};

struct an_jfr_info {
	uint64_t chunks;		/* complete chunks read */
	uint64_t events;		/* events of any type, metadata and
					 * checkpoints excluded */
	uint64_t events_unknown;	/* of a type id the metadata lacks */
	uint64_t refs_missing;		/* references to constants the chunk
					 * does not define (read as null) */
	uint64_t bytes;			/* bytes of complete chunks */
	int truncated;			/* the last chunk was cut short */
};

/* Non-zero when buf[0..n) starts with the JFR magic "FLR\0". */
int an_jfr_detect(const void *buf, size_t n);

/*
 * Read every chunk of r.  Messages: "NAME: chunk N at byte OFFSET: what"
 * (AN_EDATA) for bad data; an input cut short inside a chunk is AN_EDATA
 * with info->truncated set, after every complete chunk was delivered.
 * An empty input is "NAME: empty input, not a JFR recording".  A reference
 * to a constant neither its chunk nor the one before defines is read as
 * null and counted.
 * Returns AN_OK or the first error (a callback's error is returned as is).
 */
int an_jfr_read(struct an_reader *r, const struct an_jfr_opts *o,
		struct an_jfr_info *info, struct an_err *err);

#endif
