# lib.sh - helpers for tests/bench/bench_*.sh (sourced).
#
# bench_time RUNS CMD...   runs CMD (a shell string) RUNS times, output to
#                          /dev/null; prints "MEDIAN_SECONDS PEAK_RSS_KIB"
#                          (median wall time, largest max-RSS seen).
# bench_ratio A B          prints A/B with two decimals.
# bench_mibs BYTES SECONDS prints MiB/s with one decimal.
# BENCH_RUNS (default 5) and BENCH_DIR (default build/bench, generated
# inputs are cached there) may be set by the caller.
BENCH_RUNS=${BENCH_RUNS:-5}
BENCH_DIR=${BENCH_DIR:-build/bench}
mkdir -p "$BENCH_DIR"

bench_time() {
	local runs=$1 i t rss peak=0 times=() tf
	shift
	tf=$(mktemp)
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -f '%e %M' -o "$tf" bash -c "$*" >/dev/null 2>&1
		t=$(tail -n 1 "$tf" | cut -d' ' -f1)
		rss=$(tail -n 1 "$tf" | cut -d' ' -f2)
		times+=("$t")
		[ "$rss" -gt "$peak" ] && peak=$rss
	done
	rm -f "$tf"
	printf '%s\n' "${times[@]}" | sort -g | awk -v p="$peak" \
		'{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f %d\n", m, p }'
}

bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a / b; else print "inf" }'; }
bench_mibs() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f\n", n / 1048576 / s; else print "inf" }'; }
