#!/usr/bin/env bash
# bench_outliers.sh - outliers over many series: 20,000 pods x 10 points
# (200,001 lines, deterministic, one pod hot).  The leave-one-out ranking
# used to sort every series' peers again (quadratic in the number of
# series); the figure to watch is the time against `sort` of the same file.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/bench/lib.sh
BIN=${BIN:-build/release/bin}
in=$BENCH_DIR/series-20k.tsv

if [ ! -s "$in" ]; then
	awk 'BEGIN {
		OFS = "\t"; s = 4242; print "query", "series", "time", "value"
		for (p = 0; p < 20000; p++)
			for (i = 0; i < 10; i++) {
				s = (s * 1103515245 + 12345) % 2147483648
				v = 0.005 + (s % 1000) / 200000
				if (p == 12345) v = v * 8
				printf "p99\tpod=pod-%05d\t%d\t%s\n", p, 1795920000 + 2 * i, v
			}
	}' >"$in.tmp" && mv "$in.tmp" "$in"
fi
bytes=$(stat -c %s "$in")
cat "$in" >/dev/null	# warm the page cache

read -r t_out rss_out < <(bench_time "$BENCH_RUNS" "$BIN/outliers $in")
read -r t_sort rss_sort < <(bench_time "$BENCH_RUNS" "LC_ALL=C sort -t '	' -k4,4g $in")
printf 'input: %s, %d bytes, 20000 series, 200001 lines\n' "$in" "$bytes"
printf '%-24s %8s %9s\n' tool median_s peak_KiB
printf '%-24s %8s %9s\n' "outliers" "$t_out" "$rss_out"
printf '%-24s %8s %9s\n' "sort -k4,4g (anchor)" "$t_sort" "$rss_sort"
echo "outliers vs sort: $(bench_ratio "$t_out" "$t_sort")x the time"
