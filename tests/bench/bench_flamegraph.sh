#!/usr/bin/env bash
# bench_flamegraph.sh - flamegraph on two 1 M-line collapsed files (a
# generated one of about 400 MB, like the one DESIGN.md measured, and one
# made from real profiles), against FlameGraph's
# flamegraph.pl on the same input and minimum width when FLAMEGRAPH_PL
# names it (skipped otherwise; FLAMEGRAPH_PL_CPU=1 adds one more run of it
# to compare CPU time, which a loaded machine disturbs less).  Goals: >= 20x faster than flamegraph.pl,
# >= 60 MiB/s of input.
#
# Two inputs, both deterministic.  The generated one (fixed seed): stacks of 11 to 25 frames, a
# shared 8-frame prefix from 64 templates picked with a skew, then a walk through a
# 5000-function call graph where each function has four callees, the first
# the most likely; counts 1 to 50.  Generated once into build/bench/.
set -u
. tests/bench/lib.sh
BIN=${BIN:-build/release/bin}
LINES=${FLAME_LINES:-1000000}
gen=$BENCH_DIR/gen_flamegraph-2
input=$BENCH_DIR/flamegraph-2-$LINES.collapsed

if [ ! -x "$gen" ]; then
	cat >"$BENCH_DIR/gen_flamegraph.c" <<'C'
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t s = 0x2545f4914f6cdd1dull;
static uint32_t rnd(void)
{
	s ^= s << 13; s ^= s >> 7; s ^= s << 17;
	return (uint32_t)(s >> 32);
}

static void name(unsigned k)
{
	switch (k % 5) {
	case 0: printf("com/acme/svc%u/Handler%u.process_[j]", k % 13, k); break;
	case 1: printf("java/util/Coll%u.get_[i]", k); break;
	case 2: printf("Parser::parse%u", k); break;
	case 3: printf("do_sys_%u_[k]", k); break;
	default: printf("org/ex/M%u.run", k); break;
	}
}

int main(int argc, char **argv)
{
	long i, lines = argc > 1 ? atol(argv[1]) : 1000000;
	unsigned tmpl[64][8];
	int t, d;

	for (t = 0; t < 64; t++)
		for (d = 0; d < 8; d++)
			tmpl[t][d] = rnd() % 5000;
	for (i = 0; i < lines; i++) {
		unsigned a = rnd() % 64, b = rnd() % 64, cur;
		int depth = 3 + (int)(rnd() % 15);

		t = (int)(a * b / 64);
		for (d = 0; d < 8; d++) {
			name(tmpl[t][d]);
			putchar(';');
		}
		cur = tmpl[t][7];
		for (d = 0; d < depth; d++) {
			unsigned r = rnd() % 16, c = r < 9 ? 0 : r < 13 ? 1 : r < 15 ? 2 : 3;

			cur = (cur * 31 + c * 7919 + 1) % 5000;
			if (d)
				putchar(';');
			name(cur);
		}
		printf(" %u\n", 1 + rnd() % 50);
	}
	return 0;
}
C
	cc -O2 -o "$gen" "$BENCH_DIR/gen_flamegraph.c" || exit 2
fi
if [ ! -s "$input" ]; then
	"$gen" "$LINES" >"$input.tmp" && mv "$input.tmp" "$input" || exit 2
fi
# The second input comes from real profiles: the bundled investigation's
# async-profiler stacks (testdata/catalog/*/profiles, 2,463 distinct stacks
# of cpu, wall, alloc and lock), repeated under thread root frames as
# async-profiler -t writes them (one block of sorted stacks per thread), the
# counts varied, until LINES lines.
real=$BENCH_DIR/flamegraph-real-$LINES.collapsed
if [ ! -s "$real" ]; then
	# shellcheck disable=SC2046
	awk -v lines="$LINES" '{ sub(/ [0-9]+$/, ""); s[n++] = $0 }
		END { for (i = 0; i < lines; i++) { t = int(i / n)
			printf "[http-nio-8080-exec-%d tid=%d];%s %d\n", t + 1, 4000 + t, s[i % n], 1 + (i * 31) % 50 } }' \
		$(ls testdata/catalog/*/profiles/*.collapsed | LC_ALL=C sort) >"$real.tmp" && mv "$real.tmp" "$real" || exit 2
fi

cpu_of() {   # cpu_of CMD...: user+system seconds of one run
	/usr/bin/time -f '%U %S' -o "$BENCH_DIR/.cpu" "$@" >/dev/null
	awk '{ printf "%.2f", $1 + $2 }' "$BENCH_DIR/.cpu"
}

for which in generated real; do
	if [ $which = real ]; then in=$real; else in=$input; fi
	bytes=$(stat -c %s "$in")
	echo "input ($which): $in, $LINES lines, $bytes bytes"
	read -r ours ours_rss < <(bench_time "$BENCH_RUNS" "$BIN/flamegraph --minwidth 0.1 $in")
	echo "  flamegraph (ours):  median ${ours}s  peak RSS ${ours_rss} KiB  $(bench_mibs "$bytes" "$ours") MiB/s"
	"$BIN/flamegraph" --minwidth 0.1 "$in" >"$BENCH_DIR/flamegraph-ours.svg"
	cpu=$(cpu_of "$BIN/flamegraph" --minwidth 0.1 "$in")
	echo "    CPU time (user+sys) of one run: ${cpu}s, $(bench_mibs "$bytes" "$cpu") MiB/s of CPU (wall time suffers on a loaded machine)"
	echo "    frames drawn: $(grep -c '^<g data-o' "$BENCH_DIR/flamegraph-ours.svg"), SVG $(stat -c %s "$BENCH_DIR/flamegraph-ours.svg") bytes"
	if [ -n "${FLAMEGRAPH_PL:-}" ] && [ -r "$FLAMEGRAPH_PL" ]; then
		runs=${FLAMEGRAPH_PL_RUNS:-3}
		read -r pl pl_rss < <(bench_time "$runs" "perl $FLAMEGRAPH_PL --minwidth 0.1 $in")
		echo "  flamegraph.pl:      median ${pl}s  peak RSS ${pl_rss} KiB  $(bench_mibs "$bytes" "$pl") MiB/s  ($runs runs)"
		echo "  speed-up vs flamegraph.pl ($which input): $(bench_ratio "$pl" "$ours")x wall (goal >= 20x)"
		if [ "${FLAMEGRAPH_PL_CPU:-0}" = 1 ]; then
			plcpu=$(cpu_of perl "$FLAMEGRAPH_PL" --minwidth 0.1 "$in")
			echo "    flamegraph.pl CPU time (user+sys) of one run: ${plcpu}s; CPU-time ratio $(bench_ratio "$plcpu" "$cpu")x"
		fi
	else
		echo "  flamegraph.pl: skipped (set FLAMEGRAPH_PL=/path/to/flamegraph.pl to compare)"
	fi
done
