/*
 * an_winlong.h - median/MAD windows, or change-point windows where an
 * anomaly is too long for median/MAD.
 *
 * The median/MAD baseline holds while an anomaly covers well under half of
 * a series; a level shift over 40-70% of the run pulls the median and MAD
 * up and leaves short windows or none.  For one series, both rules' windows
 * are counted in points of the series that lie inside them.  The
 * change-point windows replace the median/MAD ones when they hold at least
 * AN_WINLONG_SHARE of the series' points (an anomaly that long) and more
 * points than the median/MAD windows; otherwise the median/MAD windows
 * stay (short spikes, noise, no shift).
 */
#ifndef AN_WINLONG_H
#define AN_WINLONG_H

#include "an_err.h"
#include "an_series.h"
#include "an_spikes.h"

/* Least part of the series' points the change-point windows must hold. */
#define AN_WINLONG_SHARE 0.25

/*
 * w->w[from..w->n) are the median/MAD windows of series s and cp its
 * change-point windows (both in time order).  Replaces the former by
 * copies of the latter when the rule above says so; *used_cp tells which
 * were kept.  Returns AN_OK, or AN_ESYS (memory, window cap).
 */
int an_windows_or_changepoint(struct an_windows *w, size_t from,
			      const struct an_windows *cp,
			      const struct an_series *s, int *used_cp,
			      struct an_err *err);

#endif
