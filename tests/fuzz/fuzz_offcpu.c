/* Fuzz target: attribution of collapsed stacks to application frames
 * (thread frames, normalisation, state rules) for each event, the table
 * and the flame-graph output, over every parsable line of the input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an_collapsed.h"
#include "an_offcpu.h"

static void run(const char *data, size_t size, enum an_event ev)
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
	an_offcpu_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run((const char *)data, size, AN_EVENT_WALL);
	run((const char *)data, size, AN_EVENT_LOCK);
	return 0;
}
