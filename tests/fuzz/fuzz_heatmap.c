/* Fuzz target: the heatmap's samples reader (times, weights, stack
 * escapes, frames, caps) and page writer.  The first byte chooses the
 * buckets per second (one of the divisors of 1000) and, if odd, reads the
 * rest as a windows file first up to a NUL byte.  Small caps make the cap
 * paths reachable.  Invariants: every error has a message; after a
 * successful read the total equals the sum of every cell, the columns stay
 * under the cap, and the page's data block holds no '<' from the input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "an_heatmap.h"
#include "fuzz_reader.h"

/* Sum of every cell equals the total; the page is written. */
static void check_map(struct an_heatmap *h)
{
	struct an_err err;
	uint64_t sum = 0;
	uint32_t col, row, ncols = an_heatmap_ncols(h);
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (an_heatmap_finish(h, &err) != AN_OK) {
		fuzz_check_err(&err);
		return;
	}
	if (ncols > AN_HEATMAP_COLS_MAX)
		abort();
	for (col = 0; col < ncols && ncols <= 64; col++)
		for (row = 0; row < 1000; row++)
			sum += an_heatmap_cell(h, col, row);
	if (ncols <= 64 && sum != an_heatmap_total(h))
		abort();
	f = open_memstream(&buf, &len);
	if (!f || an_heatmap_write_html(f, h, "t", NULL, &err) != AN_OK)
		abort();
	fclose(f);
	{
		const char *d = strstr(buf, "id=\"hm-data\">"), *e = d ? strstr(d, "</script>") : NULL;

		if (!d || !e || memchr(d + 13, '<', (size_t)(e - d - 13)))
			abort();
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned divisors[] = { 1, 2, 4, 5, 8, 10, 20, 25, 40, 50, 100, 125,
					     200, 250, 500, 1000 };
	struct an_heatmap *h;
	struct an_reader *r;
	struct an_err err;
	const uint8_t *nul;
	int rc;

	if (size < 1)
		return 0;
	h = an_heatmap_new(divisors[data[0] % 16], 64, 256);
	if (!h)
		abort();
	data++;
	size--;
	nul = (data[-1] & 1) ? memchr(data, '\0', size) : NULL;
	if (nul) {
		r = fuzz_reader(data, (size_t)(nul - data), 4096);
		rc = an_heatmap_read_windows(h, r, &err);
		an_reader_free(r);
		if (rc != AN_OK)
			fuzz_check_err(&err);
		size -= (size_t)(nul - data) + 1;
		data = nul + 1;
	}
	r = fuzz_reader(data, size, 4096);
	rc = an_heatmap_read(h, r, &err);
	an_reader_free(r);
	if (rc != AN_OK)
		fuzz_check_err(&err);
	else
		check_map(h);
	an_heatmap_free(h);
	return 0;
}
