/* Fuzz target: the perf script parser (an_perf) over every line of the
 * input, the format detector, and frame-name normalisation of each stack
 * it emits.  Aborts when an emitted stack is not a valid collapsed stack
 * (empty, an empty frame, a NUL byte, over the cap, a count other than 1
 * when counting samples) or when normalisation
 * grows a stack or changes its frame count. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "an_normalize.h"
#include "an_perf.h"
#include "an_text.h"

#define FUZZ_MAX_STACK 4096

static size_t frames(const char *s, size_t len)
{
	size_t i, n = 1;

	for (i = 0; i < len; i++)
		n += s[i] == ';';
	return n;
}

static int check(void *ctx, const char *stack, size_t len, uint64_t count,
		 struct an_err *err)
{
	char *copy;
	size_t i, n;

	(void)err;
	if (len == 0 || len > FUZZ_MAX_STACK || (!*(const int *)ctx && count != 1) || memchr(stack, '\0', len) ||
	    an_utf8_valid_prefix(stack, len) != len || stack[0] == ';' ||
	    stack[len - 1] == ';')
		abort();
	for (i = 1; i < len; i++)
		if (stack[i] == ';' && stack[i - 1] == ';')
			abort();
	copy = malloc(len);
	memcpy(copy, stack, len);
	n = an_normalize_stack(AN_NORM_ALL, copy, len, copy);
	if (n > len || n == 0 || frames(copy, n) != frames(stack, len))
		abort();
	free(copy);
	return AN_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct an_perf_opts o = { size & 1, NULL, FUZZ_MAX_STACK };
	struct an_perf *perf = an_perf_new(&o);
	struct an_err err;
	int rc = AN_OK;

	if (!perf)
		return 0;
	while (p < end && rc == AN_OK) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = malloc(len + 1);

		memcpy(line, p, len);
		an_perf_detect(line, len);
		err.msg[0] = '\0';
		rc = an_perf_feed(perf, line, len, check, &o.weight_period, &err);
		if (rc != AN_OK && err.msg[0] == '\0')
			abort();
		free(line);
		p += len + 1;
	}
	if (rc == AN_OK) {
		err.msg[0] = '\0';
		if (an_perf_finish(perf, check, &o.weight_period, &err) != AN_OK && err.msg[0] == '\0')
			abort();
	}
	an_perf_free(perf);
	return 0;
}
