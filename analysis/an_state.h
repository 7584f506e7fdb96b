/*
 * an_state.h - what a thread was doing below an application frame, from
 * the frames of a wall-clock sample: running, entering a monitor, parked,
 * sleeping, or in socket/file I/O.  The rule lists are in man diagnose.
 */
#ifndef AN_STATE_H
#define AN_STATE_H

#include <stddef.h>

enum an_state {
	AN_STATE_RUNNING,	/* none of the rules below: on CPU or runnable */
	AN_STATE_MONITOR,	/* entering a synchronized block or method */
	AN_STATE_PARK,		/* LockSupport.park, Object.wait, Unsafe.park */
	AN_STATE_SLEEP,		/* Thread.sleep */
	AN_STATE_IO,		/* socket or file read, write, accept, poll */
	AN_STATE_N
};

/* "running", "monitor", "park", "sleep", "io". */
const char *an_state_name(enum an_state s);

/*
 * State of the frames frames[0..len) (';'-separated, normalised, the
 * frames below the last application frame, nearest first): the first frame
 * matching a rule decides (see man diagnose for the lists); none: running.
 */
enum an_state an_state_of(const char *frames, size_t len);

#endif
