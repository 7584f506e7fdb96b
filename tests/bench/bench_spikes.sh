#!/usr/bin/env bash
# bench_spikes.sh - spikes, outliers and tsplot --dry-run on a generated
# series TSV (promrange's long format: 20 pods x 100,000 points, 2 M rows,
# deterministic, one pod with bursts, a few NaN), against Miller computing
# the per-series median and p95 (the core of the baseline and of the
# ranking) and against `wc -l` reading the same bytes.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/bench/lib.sh
BIN=${BIN:-build/release/bin}
in=$BENCH_DIR/series-2m.tsv

if [ ! -s "$in" ]; then
	awk 'BEGIN {
		OFS = "\t"; s = 12345; print "query", "series", "time", "value"
		for (p = 0; p < 20; p++)
			for (i = 0; i < 100000; i++) {
				s = (s * 1103515245 + 12345) % 2147483648
				v = 0.005 + (s % 1000) / 200000
				if (p == 7 && (i % 5000) < 300) v = v * 8
				if (s % 997 == 0) v = "NaN"
				printf "p99\tpod=catalog-%02d\t%d\t%s\n", p, 1795920000 + 2 * i, v
			}
	}' >"$in.tmp" && mv "$in.tmp" "$in"
fi
bytes=$(stat -c %s "$in")
cat "$in" >/dev/null	# warm the page cache

read -r t_wc rss_wc < <(bench_time "$BENCH_RUNS" "wc -l $in")
read -r t_sp rss_sp < <(bench_time "$BENCH_RUNS" "$BIN/spikes -q p99 --min-duration 10 $in")
read -r t_out rss_out < <(bench_time "$BENCH_RUNS" "$BIN/outliers -q p99 -s p95 $in")
read -r t_plot rss_plot < <(bench_time "$BENCH_RUNS" "$BIN/tsplot --dry-run -q p99 $in")
mlr_runs=${BENCH_MLR_RUNS:-3}
read -r t_mlr rss_mlr < <(bench_time "$mlr_runs" "mlr --itsv --otsv stats1 -a median,p95 -f value -g series $in")

printf 'input: %s, %d bytes, 2000001 lines\n' "$in" "$bytes"
printf '%-34s %8s %10s %9s %10s\n' tool median_s MiB/s peak_KiB vs_mlr
row() { printf '%-34s %8s %10s %9s %10s\n' "$1" "$2" "$(bench_mibs "$bytes" "$2")" "$3" "$(bench_ratio "$t_mlr" "$2")x"; }
row "wc -l" "$t_wc" "$rss_wc"
row "spikes --min-duration 10" "$t_sp" "$rss_sp"
row "outliers -s p95" "$t_out" "$rss_out"
row "tsplot --dry-run" "$t_plot" "$rss_plot"
row "mlr stats1 median,p95 (anchor)" "$t_mlr" "$rss_mlr"
echo "spikes vs wc -l: $(bench_ratio "$t_sp" "$t_wc")x the time"
