/* Fuzz target: the collapsed and diff-folded line parsers, the format
 * detector and the frame iterator, over every line of the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "an_collapsed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = malloc(len + 1);
		struct an_folded f;
		struct an_err err;
		int n;

		memcpy(line, p, len);
		n = an_collapsed_detect(line, len);
		if (an_collapsed_parse(line, len, n, &f, &err) == AN_OK) {
			const char *fr;
			size_t pos = 0, flen, total = 0;

			while (an_stack_next_frame(f.stack, f.stack_len, &pos, &fr, &flen))
				total += flen + 1;
			if (total != f.stack_len + 1)
				abort();
		} else if (err.msg[0] == '\0') {
			abort();
		}
		free(line);
		p += len + 1;
	}
	return 0;
}
