/*
 * an_appmatch.h - which frames are application frames.
 *
 * A frame is an application frame when it starts with the prefix (a
 * prefix without '/' has its '.' read as '/', so "org.example" works) or
 * matches the PCRE2 pattern (UTF mode, unanchored).  With neither, every
 * frame whose name starts with "[" (thread frames, "[unknown]") is not one
 * and every other frame is.
 */
#ifndef AN_APPMATCH_H
#define AN_APPMATCH_H

#include <stddef.h>

#include "an_err.h"

struct an_appmatch;

/*
 * New matcher (either argument may be NULL).  Returns AN_OK and *out, or
 * AN_EDATA for a bad pattern ("bad regular expression 'RE': REASON at
 * offset N"), or AN_ESYS when out of memory.
 */
int an_appmatch_new(struct an_appmatch **out, const char *regex,
		    const char *prefix, struct an_err *err);
void an_appmatch_free(struct an_appmatch *m);

/*
 * 1 when frame[0..len) is an application frame, 0 when not, -1 with err
 * set (AN_EDATA) when the pattern failed to run (e.g. its match limit).
 */
int an_appmatch_test(struct an_appmatch *m, const char *frame, size_t len,
		     struct an_err *err);

#endif
