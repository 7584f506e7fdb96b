#!/bin/sh
# window.sh RUN WARMUP MINWIDTH WINDOWS... - the run's spike window.
#
# Aligns the windows files (spikes output: the JTL's p99, every pod's p99
# and CPU) as a union, and keeps the window that the most sources agree on
# (then the highest score, then the earliest).  A window shorter than
# MINWIDTH seconds (a single scrape, say) is widened around its middle to
# MINWIDTH, within the load window, so that the hot-pod ranking has points
# to compare.  When no source has a spike after the warm-up, the whole load
# window after the warm-up stands in for it, with series "(load window)".
# Prints a windows file with one row.
set -eu
run=$1
warmup=$2
minwidth=$3
shift 3
bin=${AN_BIN:-build/release/bin}
load=$(pipelines/runenv.sh "$run" load "$warmup")
"$bin/spikes" --align=union "$@" | awk -F '\t' -v OFS='\t' -v load="$load" -v minw="$minwidth" '
NR == 1 { print "series", "start", "end", "peak_time", "peak", "baseline", "score", "windows"; next }
{
	if (best == "" || $8 > bw || ($8 == bw && $7 > bs)) { best = $0; bw = $8; bs = $7 }
}
END {
	split(load, w, ",")
	if (best == "") {
		print "(load window)", w[1], w[2], w[1], "NaN", "NaN", "NaN", 0
		exit
	}
	n = split(best, f, "\t")
	if (f[3] - f[2] < minw) {
		mid = (f[2] + f[3]) / 2
		f[2] = mid - minw / 2; f[3] = mid + minw / 2
		if (f[2] < w[1]) { f[3] += w[1] - f[2]; f[2] = w[1] }
		if (f[3] > w[2]) { f[2] -= f[3] - w[2]; f[3] = w[2] }
		if (f[2] < w[1]) f[2] = w[1]
	}
	line = f[1]
	for (i = 2; i <= n; i++) line = line OFS f[i]
	print line
}'
