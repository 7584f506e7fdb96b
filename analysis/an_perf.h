/*
 * an_perf.h - Linux `perf script` output to collapsed stacks.
 *
 * Accepts what FlameGraph's stackcollapse-perf.pl accepts from `perf script`
 * (default fields, with call chains from `perf record -g`):
 *
 *     COMM PID[/TID] [CPU] TIME: [PERIOD] EVENT:      event header
 *     \t ADDRESS SYMBOL[+0xOFF] (MODULE)              frames, leaf first
 *     (blank line)                                    end of the event
 *
 * COMM may contain spaces (the PID is the first all-digit field after it);
 * lines starting with '#' (perf script --header) are skipped.  Each event
 * becomes one stack, reversed to root first, with a thread root frame in
 * async-profiler's form "[COMM tid=TID]".  Only events of one type are
 * kept: the type of the first event, unless one is named.
 *
 * Frame names are made to match async-profiler's:
 *   - "+0x1f" offsets are dropped;
 *   - Java frames resolved through a JIT perf map (module perf-PID.map,
 *     written by `jcmd PID Compiler.perfmap`) lose return and parameter
 *     types and use '/' in class names:
 *     "java.lang.String org.example.Foo.bar(java.lang.String, boolean)"
 *     -> "org/example/Foo.bar"; a hidden class "Foo$$Lambda$14/0x0800"
 *     becomes "Foo$$Lambda$14.0x0800" as async-profiler writes it;
 *   - other symbols lose an argument list "(...)", quotes, and have ';'
 *     replaced by ':' (as stackcollapse-perf.pl does);
 *   - "[unknown]" in a known module becomes "[MODULE-BASENAME]";
 *   - kernel frames (module "[kernel.kallsyms]" or "...vmlinux") get
 *     async-profiler's "_[k]" suffix.
 */
#ifndef AN_PERF_H
#define AN_PERF_H

#include <stddef.h>
#include <stdint.h>

#include "an_err.h"

struct an_perf_opts {
	int weight_period;   /* count PERIOD (e.g. ns of cpu-clock), not 1 per sample */
	const char *event;   /* keep only this event type; NULL: the first seen */
	size_t max_stack;    /* cap of one stack's text in bytes; 0: 16 MiB */
};

/* Called once per kept event: stack[0..len) root first, not NUL-terminated,
 * valid only during the call.  Return AN_OK to go on, or an error status
 * (with err set) to stop the parser, which then returns that status. */
typedef int (*an_perf_emit_fn)(void *ctx, const char *stack, size_t len,
			       uint64_t count, struct an_err *err);

struct an_perf;

/* New parser (opts copied; opts->event copied too); NULL if out of memory. */
struct an_perf *an_perf_new(const struct an_perf_opts *opts);
void an_perf_free(struct an_perf *p);

/*
 * Feed one line (no '\n'; a trailing '\r' is ignored).  A blank line ends
 * the current event and emits it.  Returns AN_OK, the emitter's error, or
 * AN_EDATA with a message without location (callers prefix "file:line: "):
 *   "malformed event header: expected 'COMM PID[/TID] TIME: [PERIOD] EVENT:'",
 *   "malformed stack frame line: expected 'ADDRESS SYMBOL (MODULE)'",
 *   "stack frame line before any event header",
 *   "event without a call chain (record with perf record -g)",
 *   "stack longer than the cap of N bytes",
 *   "NUL byte in the line", "invalid UTF-8 at byte N of the line".
 * The error about an event without frames is reported at the line that
 * ends it.
 */
int an_perf_feed(struct an_perf *p, const char *line, size_t len,
		 an_perf_emit_fn emit, void *ctx, struct an_err *err);

/* End of input: emit the last event if it was not followed by a blank
 * line.  Same returns as an_perf_feed. */
int an_perf_finish(struct an_perf *p, an_perf_emit_fn emit, void *ctx,
		   struct an_err *err);

/* Events skipped because of their type, and the type kept (NULL before
 * the first event).  Valid until an_perf_free. */
uint64_t an_perf_skipped(const struct an_perf *p);
const char *an_perf_event(const struct an_perf *p);

/*
 * 1 if the line looks like the start of perf script output (an event
 * header or a '#' header comment), else 0.  Used to tell perf script from
 * collapsed stacks by the first non-blank line.
 */
int an_perf_detect(const char *line, size_t len);

/*
 * Convert one frame's symbol and module (as perf script prints them, e.g.
 * "long org.example.Hot.work(int)+0x40c" and "/tmp/perf-42.map") into the
 * frame name described above.  Writes at most `cap` bytes to out (no NUL)
 * and returns the length, or (size_t)-1 if the name does not fit.  The
 * result is never empty ("[unknown]" at worst) and never contains ';'.
 */
size_t an_perf_frame_name(const char *sym, size_t symlen, const char *mod,
			  size_t modlen, char *out, size_t cap);

#endif
