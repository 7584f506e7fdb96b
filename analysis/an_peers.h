/*
 * an_peers.h - spike windows of a series relative to its peers.
 *
 * For series that measure the same thing on peers (p99 or CPU per pod), a
 * pod that is slow for most of the run pulls its own median/MAD baseline
 * up and hides.  Here each point is compared with the other series at the
 * same time instead: at a time t where the series has a finite value v,
 * the peer value p is the median of the finite values of the other series
 * at exactly t (the times of Prometheus ranges and jtlslice intervals are
 * on one grid); the relative value is r = v / max(p, floor), where
 * floor = `floor` x the median of every finite value of every series (so
 * that peers near zero do not make noise look large; a floor of 0 with a
 * zero peer value gives r = +Inf for v > 0).  With `below`, r = p / v
 * (dips; v <= 0 gives +Inf).
 *
 * A point stands out when r > R (`ratio`); a time without a peer value
 * (the series alone there) is a gap.  Windows are runs of standing-out
 * points, merged and filtered by merge_gap and min_duration as in
 * an_spikes_detect.  A window: start/end as there, peak = the value at the
 * largest r (the earliest on ties), baseline = p at that time, score = that
 * largest r.
 */
#ifndef AN_PEERS_H
#define AN_PEERS_H

#include "an_err.h"
#include "an_series.h"
#include "an_spikes.h"

#define AN_PEERS_RATIO_DEFAULT 2.0
#define AN_PEERS_FLOOR_DEFAULT 0.1

struct an_peers_opts {
	double ratio;	/* R, > 1 */
	double floor;	/* part of the overall median, >= 0 */
};

/*
 * Append the windows of every series of set (in set order) to out.  Uses
 * from so: below, min_duration, merge_gap.  Fewer than two series give no
 * window.  Takes O(T x S log S) time for T distinct times and S series.
 * Returns AN_OK, or AN_ESYS (memory, window cap).
 */
int an_peers_detect(const struct an_series_set *set,
		    const struct an_spikes_opts *so,
		    const struct an_peers_opts *po, struct an_windows *out,
		    struct an_err *err);

#endif
