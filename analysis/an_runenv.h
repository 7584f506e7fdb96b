/*
 * an_runenv.h - the one reader of a run folder's run.env
 * (pipelines/README.md): `KEY=value` lines, `#` comments and blank lines;
 * the last line of a key wins.  Nothing in a value is interpreted (no
 * quoting, no expansion): values are data.
 *
 * Keys are [A-Za-z_][A-Za-z0-9_]*; values are text without control bytes
 * (a trailing '\r' is dropped).  Epoch times are whole seconds.
 */
#ifndef AN_RUNENV_H
#define AN_RUNENV_H

#include <stdint.h>

#include "an_err.h"
#include "an_reader.h"

/* Longest key or value accepted (bytes). */
#define AN_RUNENV_VALUE_MAX 65536

struct an_runenv;

/*
 * Read every line of r into a new run.env in *out (free with
 * an_runenv_free).  Errors (AN_EDATA, "name:line: ..."): a line that is
 * not KEY=value, a bad key, a control byte or a value over
 * AN_RUNENV_VALUE_MAX; reader errors pass through; AN_ESYS when out of
 * memory.
 */
int an_runenv_read(struct an_runenv **out, struct an_reader *r,
		   struct an_err *err);

void an_runenv_free(struct an_runenv *e);

/* Value of key (NUL-terminated, valid until an_runenv_free), or NULL. */
const char *an_runenv_get(const struct an_runenv *e, const char *key);

/*
 * Key as epoch seconds (digits only, below 2^53).  Errors (AN_EDATA):
 * "NAME: no KEY" when unset, "NAME: KEY: 'V' is not epoch seconds".
 */
int an_runenv_epoch(const struct an_runenv *e, const char *key, int64_t *out,
		    struct an_err *err);

/*
 * The load window: load_start + warmup, load_end.  Errors (AN_EDATA): as
 * an_runenv_epoch; "NAME: empty load window (load_start=S, load_end=E)"
 * when the end is not after the start; "... warm-up of W s leaves nothing
 * of it" when start + warmup is not before the end.
 */
int an_runenv_load(const struct an_runenv *e, int64_t warmup, int64_t *start,
		   int64_t *end, struct an_err *err);

/*
 * The capture interval of a profile whose file stem is POD.EVENT:
 * profile_EVENT_start and profile_EVENT_end, else (a profile cut from the
 * pod's whole-run recording) profile_jfr_start and profile_jfr_end.  Errors (AN_EDATA): a stem
 * without an event ("profile 'S': name is not POD.EVENT"), missing or bad
 * keys ("NAME: no capture interval (profile_E_start/end) for profile 'S'").
 */
int an_runenv_interval(const struct an_runenv *e, const char *stem,
		       int64_t *start, int64_t *end, struct an_err *err);

#endif
