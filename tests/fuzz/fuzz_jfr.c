/* Fuzz target: the JFR reader (an_jfr) through the stacks builder
 * (an_jfrstacks, thread frames and annotations on) and the --list summary.
 * Aborts when an error comes without a message, or when a stack handed on
 * is empty, has an empty frame or holds a NUL byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "an_jfrstacks.h"
#include "fuzz_reader.h"

static int check(void *ctx, int64_t start_ns, const char *stack, size_t len,
		 uint64_t weight, struct an_err *err)
{
	size_t i;

	(void)ctx;
	(void)start_ns;
	(void)weight;
	(void)err;
	if (len == 0 || memchr(stack, '\0', len) || stack[0] == ';' || stack[len - 1] == ';')
		abort();
	for (i = 1; i < len; i++)
		if (stack[i] == ';' && stack[i - 1] == ';')
			abort();
	return AN_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct an_jfrs_opts o;
	struct an_jfrs *s = NULL;
	struct an_jfrs_list *l;
	struct an_reader *r;
	struct an_err err;
	int rc;

	/* gzip is the reader's business, and pipes hold 64 KiB */
	if ((size >= 2 && data[0] == 0x1f && data[1] == 0x8b) || size > 60000)
		return 0;
	memset(&o, 0, sizeof o);
	o.event = size && (data[size - 1] & 1) ? "lock" : "cpu";
	o.threads = 1;
	o.annotate = 1;
	o.sink = check;
	if (an_jfrs_new(&s, &o, &err) != AN_OK)
		abort();
	if ((r = fuzz_reader(data, size, 0))) {
		err.msg[0] = '\0';
		rc = an_jfrs_read(s, r, NULL, &err);
		if (rc != AN_OK && err.msg[0] == '\0')
			abort();
		an_reader_free(r);
	}
	an_jfrs_free(s);
	if ((l = an_jfrs_list_new()) && (r = fuzz_reader(data, size, 0))) {
		err.msg[0] = '\0';
		if (an_jfrs_list_read(l, r, NULL, &err) != AN_OK && err.msg[0] == '\0')
			abort();
		an_reader_free(r);
	}
	an_jfrs_list_free(l);
	return 0;
}
