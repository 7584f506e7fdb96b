/*
 * an_selfdiff.h - hot pod against a normal pod, application frame by frame,
 * ranked by the change of each frame's own share.
 *
 * Both profiles are an_offcpu attributions of the same event: a frame's
 * self share is the part of the kept samples attributed to it (its own
 * code and the library code it calls), its total share the part with it on
 * the stack.  Ranking by the change of the self share puts the frame that
 * changed itself (the culprit) above its callers, whose totals change as
 * much but whose self shares do not; the totals stay in the table.
 */
#ifndef AN_SELFDIFF_H
#define AN_SELFDIFF_H

#include <stdio.h>

#include "an_err.h"
#include "an_offcpu.h"

/*
 * Write TSV "frame normal_self% hot_self% delta_self% normal_total%
 * hot_total% delta_total%" (percent, three decimals; delta = hot -
 * normal), one row per frame of either profile, by |delta_self|
 * descending, then frame (bytewise); at most limit rows (0: all).  Names
 * escaped as in an_offcpu_write_field.  Returns AN_OK or AN_ESYS (memory,
 * write error).
 */
int an_selfdiff_write(FILE *f, const struct an_offcpu *normal,
		      const struct an_offcpu *hot, size_t limit,
		      struct an_err *err);

#endif
