#!/bin/sh
# window.sh RUN WARMUP WINDOWS... - the run's spike window.
#
# Aligns the windows files (spikes output: the JTL's p99, every pod's p99
# and CPU) as a union, and keeps the window that the most sources agree on
# (then the highest score, then the earliest).  When no source has a spike
# after the warm-up, the whole load window after the warm-up stands in for
# it, with series "(load window)".  Prints a windows file with one row.
set -eu
run=$1
warmup=$2
shift 2
bin=${AN_BIN:-build/release/bin}
load=$(pipelines/runenv.sh "$run" load "$warmup")
"$bin/spikes" --align=union "$@" | awk -F '\t' -v OFS='\t' -v load="$load" '
NR == 1 { print "series", "start", "end", "peak_time", "peak", "baseline", "score", "windows"; next }
{
	if (best == "" || $8 > bw || ($8 == bw && $7 > bs)) { best = $0; bw = $8; bs = $7 }
}
END {
	if (best != "") { print best; exit }
	split(load, w, ",")
	print "(load window)", w[1], w[2], "NaN", "NaN", "NaN", "NaN", 0
}'
