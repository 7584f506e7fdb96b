#!/usr/bin/env bash
# bench_stacks.sh - `stacks --top` on a generated collapsed file of 1,000,000
# stacks (over 1 GB: depth 12 to 44 over 20,000 annotated frame names,
# scattered as async-profiler writes them; tests/bench/gen_stacks.c with a
# fixed seed, generated once into build/bench/), against `wc -l` on the same
# file in the same run (the anchor: the least any line-oriented tool can do).
# Also: --top with normalisation, and the peak RSS of --top on the first
# 200,000 lines against the whole file, which must be about the same:
# --top keeps one row per distinct frame, never the stacks.
# Besides lib.sh's median wall time, the median CPU time (user + system) of
# each command is shown: on a shared machine it moves less with the load.
set -u
BENCH_DIR=${BENCH_DIR:-build/bench}/stacks   # its own timing file, too
. tests/bench/lib.sh
BIN=${BIN:-build/release/bin}
N=${STACKS_LINES:-1000000}
gen=$BENCH_DIR/gen_stacks
in=$BENCH_DIR/stacks-$N.collapsed
part=$BENCH_DIR/stacks-$N-200k.collapsed

if [ ! -x "$gen" ] || [ tests/bench/gen_stacks.c -nt "$gen" ]; then
	cc -O2 -o "$gen" tests/bench/gen_stacks.c || exit 2
	rm -f "$in" "$part"
fi
if [ ! -s "$in" ]; then
	"$gen" "$N" >"$in.tmp" && mv "$in.tmp" "$in" || exit 2
fi
[ -s "$part" ] || head -n 200000 "$in" >"$part"
bytes=$(stat -c %s "$in")

cpu_time() {   # cpu_time RUNS CMD: median user+system seconds
	local runs=$1 i
	shift
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -f '%U %S' -o "$BENCH_DIR/.cpu" bash -c "$*" >/dev/null 2>&1
		tail -n 1 "$BENCH_DIR/.cpu" | awk '{ print $1 + $2 }'
	done | sort -g | awk '{ a[NR] = $1 } END { printf "%.3f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
cat "$in" >/dev/null   # in the page cache for every contender

read -r t_wc rss_wc < <(bench_time "$BENCH_RUNS" "wc -l '$in'")
read -r t_top rss_top < <(bench_time "$BENCH_RUNS" "'$BIN/stacks' --top -n 20 '$in'")
read -r t_norm rss_norm < <(bench_time "$BENCH_RUNS" "'$BIN/stacks' --top -N -n 20 '$in'")
read -r t_part rss_part < <(bench_time "$BENCH_RUNS" "'$BIN/stacks' --top -n 20 '$part'")
c_wc=$(cpu_time "$BENCH_RUNS" "wc -l '$in'")
c_top=$(cpu_time "$BENCH_RUNS" "'$BIN/stacks' --top -n 20 '$in'")
c_norm=$(cpu_time "$BENCH_RUNS" "'$BIN/stacks' --top -N -n 20 '$in'")

printf 'input: %s lines, %s bytes (%s MiB)\n' "$N" "$bytes" $((bytes >> 20))
f='%-34s %9s %10s %12s %9s %9s %9s\n'
printf "$f" command median_s MiB/s peak_rss_kib vs_wc cpu_s cpu_vs_wc
printf "$f" "wc -l" "$t_wc" "$(bench_mibs "$bytes" "$t_wc")" "$rss_wc" 1.00 "$c_wc" 1.00
printf "$f" "stacks --top -n 20" "$t_top" "$(bench_mibs "$bytes" "$t_top")" "$rss_top" \
	"$(bench_ratio "$t_wc" "$t_top")" "$c_top" "$(bench_ratio "$c_wc" "$c_top")"
printf "$f" "stacks --top -N -n 20" "$t_norm" "$(bench_mibs "$bytes" "$t_norm")" "$rss_norm" \
	"$(bench_ratio "$t_wc" "$t_norm")" "$c_norm" "$(bench_ratio "$c_wc" "$c_norm")"
printf "$f" "stacks --top (first 200,000 lines)" "$t_part" "-" "$rss_part" "-" "-" "-"
printf 'throughput of stacks --top relative to wc -l: %s wall, %s CPU (goal 0.40)\n' \
	"$(bench_ratio "$t_wc" "$t_top")" "$(bench_ratio "$c_wc" "$c_top")"
