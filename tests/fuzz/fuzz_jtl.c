/* Fuzz target: the JTL reader (layout detection, fast path, libcsv path,
 * caps) over the input as a file, with small caps so they are reached.
 * Invariants: every sample's raw bytes lie inside the input, in order and
 * without overlap; its fields are consistent; an error has a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "an_jtl.h"
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct an_jtl_opts o = { NULL, 64, 512 };
	struct an_reader *r = NULL;
	struct an_jtl *j = NULL;
	struct an_jtl_sample s;
	struct an_err err;
	size_t consumed = 0, hl = 0;
	int rc, k;

	/* gzip input would make the raw-bytes check meaningless */
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
		return 0;
	if (size > 60000)
		return 0;
	if (size && data[0] == '!')
		o.columns = "timeStamp,elapsed,label,success";
	r = fuzz_reader(data, size, 0);
	rc = an_jtl_open(&j, r, &o, &err);
	if (rc != AN_OK) {
		if (err.msg[0] == '\0')
			abort();
		goto out;
	}
	if (an_jtl_header(j, &hl) && hl > size)
		abort();
	consumed = hl;
	while ((rc = an_jtl_next(j, &s, &err)) == 1) {
		const uint8_t *p = memmem(data + consumed, size - consumed, s.raw, s.raw_len);

		if (s.raw_len == 0 || !p || s.raw_len > 512)
			abort();
		consumed = (size_t)(p - data) + s.raw_len;
		for (k = 0; k < AN_JTL_NFIELDS; k++)
			if (s.len[k] > 64 || (!an_jtl_has(j, (enum an_jtl_field)k) && s.len[k]))
				abort();
		if (s.timestamp < 0)
			abort();
	}
	if (rc < 0 && err.msg[0] == '\0')
		abort();
	if (rc == 0 && consumed > size)
		abort();
out:
	an_jtl_free(j);
	an_reader_free(r);
	return 0;
}
