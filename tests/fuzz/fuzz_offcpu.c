/* Fuzz target: attribution of collapsed stacks to application frames
 * (thread frames, normalisation, state rules) for each event, the table
 * and the flame-graph output, over every parsable line of the input; then
 * the diagnosis of the wall, lock and wait attributions (the blocked time
 * of wait and lock merged by frame when the wall one keeps nothing). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_collapsed.h"
#include "an_diagnose.h"
#include "an_offcpu.h"

static struct an_offcpu *run(const char *data, size_t size, enum an_event ev)
{
	struct an_offcpu_opts o = { ev, NULL, "org/", 1 << 20 };
	struct an_offcpu_totals t;
	const char *p = data, *end = data + size;
	struct an_offcpu *a;
	struct an_err err;
	FILE *null;

	if (an_offcpu_new(&a, &o, &err) != AN_OK)
		abort();
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct an_folded f;

		/* a refusal (a count sum beyond 64 bits) must say why */
		err.msg[0] = '\0';
		if (len && an_collapsed_parse(p, len, 1, &f, &err) == AN_OK &&
		    an_offcpu_add(a, f.stack, f.stack_len, f.count[0], &err) != AN_OK &&
		    err.msg[0] == '\0')
			abort();
		p += len + 1;
	}
	an_offcpu_totals(a, &t);
	if (t.kept > t.all || t.request_threads > t.threads)
		abort();
	null = fopen("/dev/null", "w");
	if (null) {
		an_offcpu_write_table(null, a, 0, &err);
		an_offcpu_write_collapsed(null, a, &err);
		fclose(null);
	}
	return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum an_event ev[] = { AN_EVENT_WALL, AN_EVENT_LOCK, AN_EVENT_WAIT };
	struct an_offcpu *a[3];
	struct an_diag_input in;
	struct an_err err;
	FILE *null;
	size_t i;

	memset(&in, 0, sizeof in);
	for (i = 0; i < 3; i++)
		in.profile[ev[i]] = a[i] = run((const char *)data, size, ev[i]);
	null = fopen("/dev/null", "w");
	if (null) {
		an_diagnose_write(null, &in, &err);
		in.profile[AN_EVENT_WALL] = NULL;	/* as a recording: no wall */
		an_diagnose_write(null, &in, &err);
		fclose(null);
	}
	for (i = 0; i < 3; i++)
		an_offcpu_free(a[i]);
	return 0;
}
