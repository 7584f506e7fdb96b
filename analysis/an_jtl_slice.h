/*
 * an_jtl_slice.h - the passes of jtlslice over its inputs: the first
 * timestamp (for times relative to it), then the slice (matching samples
 * byte for byte) or the statistics of the matching samples.
 */
#ifndef AN_JTL_SLICE_H
#define AN_JTL_SLICE_H

#include <stdint.h>
#include <stdio.h>

#include "an_err.h"
#include "an_jtl.h"
#include "an_jtlstats.h"

/*
 * The least timeStamp of the files (n >= 1, "-" is standard input) into
 * *first (INT64_MAX when there is no sample).  Returns AN_OK or the error
 * of a file (its name in the message).
 */
int an_jtl_first_timestamp(char *const *files, int n, const struct an_jtl_opts *jo,
			   int64_t *first, struct an_err *err);

/*
 * Read the files in order and write to out the samples that pass `flt`,
 * each record as it was read (a newline added if the last lacks one),
 * after the first file's header line; or, with `stats` (not NULL), the
 * statistics of those samples (an_jtlstats_write; have_bytes and have_sent
 * are taken from the first file).  Returns AN_OK; AN_EDATA for bad data
 * (with the file and line), for a file whose header differs from the
 * first's, or a regular expression that failed; AN_ESYS for a read or
 * write error or a memory cap.
 */
int an_jtl_slice(char *const *files, int n, const struct an_jtl_opts *jo,
		 struct an_jtl_filter *flt, const struct an_jtlstats_opts *stats,
		 FILE *out, struct an_err *err);

#endif
