#!/usr/bin/env bash
# bench_jfr.sh - JFR to collapsed stacks on a recording of over 200 MB.
# The recording is made here once (cached in build/bench/jfr/): the JDK's
# own recorder (settings=profile) over testdata/jfr/Load.java for
# JFR_SECONDS seconds, then that recording concatenated with itself until
# it passes JFR_MIN_MB (a valid multi-chunk file, as cat of recordings is).
# Measured: `stacks --event cpu` (collapsed) and `stacks --event alloc`
# and `--list`, median wall time of BENCH_RUNS, MiB/s, peak RSS (which must
# stay bounded by one chunk, not the file).  When JFRCONV names
# async-profiler's jfrconv (never a dependency), its `-o collapsed` runs on
# the same file in the same run (JFRCONV_RUNS times, default BENCH_RUNS)
# and the ratios of wall and CPU medians are printed.  On a JDK recording
# jfrconv's default profile holds jdk.ExecutionSample and
# jdk.NativeMethodSample together: the ratio for the same stacks is taken
# against `stacks --event cpu` plus `--event jdk.NativeMethodSample`, and
# those stacks are compared with jfrconv's (frame-type suffixes removed:
# jfrconv merges a frame's types into one suffix per flame graph node).
set -u
BENCH_DIR=${BENCH_DIR:-build/bench}/jfr
. tests/bench/lib.sh
BIN=${BIN:-build/release/bin}
SECS=${JFR_SECONDS:-20}
MIN_MB=${JFR_MIN_MB:-200}
one=$BENCH_DIR/one.jfr
big=$BENCH_DIR/big-$MIN_MB.jfr

for c in java javac; do
	command -v "$c" >/dev/null 2>&1 || { echo "bench_jfr: skip: $c is not installed"; exit 0; }
done
if [ ! -s "$one" ]; then
	mkdir -p "$BENCH_DIR/classes"
	javac -d "$BENCH_DIR/classes" testdata/jfr/Load.java || exit 2
	java -XX:StartFlightRecording=settings=profile,filename="$one.tmp" \
		-cp "$BENCH_DIR/classes" org.example.Load "$SECS" >/dev/null 2>&1 || exit 2
	mv "$one.tmp" "$one" || exit 2
	rm -f "$big"
fi
if [ ! -s "$big" ]; then
	: >"$big.tmp"
	while [ "$(stat -c %s "$big.tmp")" -lt $((MIN_MB * 1000000)) ]; do
		cat "$one" >>"$big.tmp"
	done
	mv "$big.tmp" "$big"
fi
bytes=$(stat -c %s "$big")
cat "$big" >/dev/null   # in the page cache for every contender
echo "input: $big, $bytes bytes ($(stat -c %s "$one") bytes recorded, concatenated)"

cpu_time() {   # cpu_time RUNS CMD: median user+system seconds (moves less with load)
	local runs=$1 i
	shift
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -f '%U %S' -o "$BENCH_DIR/.cpu" bash -c "$*" >/dev/null 2>&1
		tail -n 1 "$BENCH_DIR/.cpu" | awk '{ print $1 + $2 }'
	done | sort -g | awk '{ a[NR] = $1 } END { printf "%.3f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
report() { # NAME MEDIAN RSS CMD
	local c
	c=$(cpu_time "$BENCH_RUNS" "$4")
	last_cpu=$c
	echo "$1: median $2 s ($(bench_mibs "$bytes" "$2") MiB/s), CPU $c s ($(bench_mibs "$bytes" "$c") MiB/s), peak RSS $(($3 / 1024)) MiB"
}
read -r t_cpu rss_cpu <<<"$(bench_time "$BENCH_RUNS" "$BIN/stacks --event cpu '$big'")"
report "stacks --event cpu" "$t_cpu" "$rss_cpu" "$BIN/stacks --event cpu '$big'"
c_cpu=$last_cpu
read -r t_alloc rss_alloc <<<"$(bench_time "$BENCH_RUNS" "$BIN/stacks --event alloc '$big'")"
report "stacks --event alloc" "$t_alloc" "$rss_alloc" "$BIN/stacks --event alloc '$big'"
read -r t_list rss_list <<<"$(bench_time "$BENCH_RUNS" "$BIN/stacks --list '$big'")"
report "stacks --list" "$t_list" "$rss_list" "$BIN/stacks --list '$big'"
read -r t_one rss_one <<<"$(bench_time "$BENCH_RUNS" "$BIN/stacks --event cpu '$one'")"
echo "peak RSS on one recording ($(stat -c %s "$one") bytes): $((rss_one / 1024)) MiB (vs $((rss_cpu / 1024)) MiB on the concatenation)"
if [ -n "${JFRCONV:-}" ]; then
	conv=$BENCH_DIR/conv.collapsed
	read -r t_conv rss_conv <<<"$(bench_time "${JFRCONV_RUNS:-$BENCH_RUNS}" "$JFRCONV -o collapsed '$big' '$conv'")"
	c_conv=$(cpu_time "${JFRCONV_RUNS:-$BENCH_RUNS}" "$JFRCONV -o collapsed '$big' '$conv'")
	echo "jfrconv -o collapsed: median $t_conv s ($(bench_mibs "$bytes" "$t_conv") MiB/s), CPU $c_conv s ($(bench_mibs "$bytes" "$c_conv") MiB/s), peak RSS $((rss_conv / 1024)) MiB"
	echo "ratio jfrconv / stacks --event cpu: wall $(bench_ratio "$t_conv" "$t_cpu")x, CPU $(bench_ratio "$c_conv" "$c_cpu")x"
	read -r t_nat _ <<<"$(bench_time "$BENCH_RUNS" "$BIN/stacks --event jdk.NativeMethodSample '$big'")"
	c_nat=$(cpu_time "$BENCH_RUNS" "$BIN/stacks --event jdk.NativeMethodSample '$big'")
	t_same=$(awk -v a="$t_cpu" -v b="$t_nat" 'BEGIN { printf "%.3f", a + b }')
	c_same=$(awk -v a="$c_cpu" -v b="$c_nat" 'BEGIN { printf "%.3f", a + b }')
	echo "ratio for the same stacks (stacks --event cpu, then --event jdk.NativeMethodSample: $t_same s, CPU $c_same s): wall $(bench_ratio "$t_conv" "$t_same")x, CPU $(bench_ratio "$c_conv" "$c_same")x"
	# collapsed lines summed per stack, frame-type suffixes removed, sorted
	sum_stacks() { sed -E 's/_\[[0-9ijk]\]//g' | awk '{ n = $NF; sub(/ [0-9]+$/, ""); a[$0] += n } END { for (k in a) printf "%s %.0f\n", k, a[k] }' | LC_ALL=C sort; }
	"$JFRCONV" -o collapsed "$big" "$conv" >/dev/null 2>&1
	sum_stacks <"$conv" >"$BENCH_DIR/conv.sum"
	{ "$BIN/stacks" --event cpu "$big"; "$BIN/stacks" --event jdk.NativeMethodSample "$big"; } 2>/dev/null | sum_stacks >"$BENCH_DIR/stacks.sum"
	if cmp -s "$BENCH_DIR/conv.sum" "$BENCH_DIR/stacks.sum"; then
		echo "same stacks as jfrconv: yes ($(wc -l <"$BENCH_DIR/stacks.sum") stacks, $(awk '{ s += $NF } END { printf "%.0f", s }' "$BENCH_DIR/stacks.sum") samples)"
	else
		echo "same stacks as jfrconv: NO (see $BENCH_DIR/conv.sum and $BENCH_DIR/stacks.sum)"
	fi
fi
