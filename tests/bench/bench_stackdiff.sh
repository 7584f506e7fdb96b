#!/usr/bin/env bash
# bench_stackdiff.sh - stackdiff on two generated collapsed profiles of
# 200,000 stacks each (depth 8 to 40 over 5,000 frame names, async-profiler
# style; half of the stacks in both), diff-folded and --table, against an
# awk merge doing difffolded.pl's work (then sorted, as stackdiff sorts)
# in the same run, and against FlameGraph's difffolded.pl itself when
# DIFFFOLDED_PL names it (skipped otherwise).  The inputs are deterministic
# (stack i is drawn from a generator seeded with i; counts from a fixed
# seed per side), generated once into build/bench/.
set -u
. tests/bench/lib.sh
BIN=${BIN:-build/release/bin}
N=${STACKDIFF_LINES:-200000}
gen=$BENCH_DIR/gen_stackdiff
before=$BENCH_DIR/stackdiff-before-$N.collapsed
after=$BENCH_DIR/stackdiff-after-$N.collapsed

if [ ! -x "$gen" ]; then
	cat >"$BENCH_DIR/gen_stackdiff.c" <<'C'
/* gen_stackdiff FIRST LAST SEED: stacks FIRST..LAST-1, counts from SEED */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t s;
static uint32_t rnd(void)
{
	s ^= s << 13; s ^= s >> 7; s ^= s << 17;
	return (uint32_t)(s >> 32);
}

static void name(unsigned k)
{
	static const char *const ann[] = { "_[j]", "_[i]", "_[0]", "_[1]", "" };

	printf("org/example/pkg%u/Class%u.method%u%s", k % 17, k % 331, k, ann[k % 5]);
}

int main(int argc, char **argv)
{
	long i, first = atol(argv[1]), last = atol(argv[2]);
	uint64_t cs = strtoull(argv[3], NULL, 10) * 0x9e3779b97f4a7c15ull + 1;

	for (i = first; i < last; i++) {
		unsigned cur, depth, d;

		s = (uint64_t)i * 0x2545f4914f6cdd1dull + 0x1234567ull;
		rnd(); rnd();
		depth = 8 + rnd() % 33;
		cur = rnd() % 64;   /* few roots, as in a real profile */
		for (d = 0; d < depth; d++) {
			if (d)
				putchar(';');
			name(cur);
			cur = (cur * 31 + (rnd() % 4) * 7919 + 1) % 5000;
		}
		s = cs + (uint64_t)i * 0x9e3779b97f4a7c15ull;
		rnd();
		printf(" %u\n", 1 + rnd() % 100);
	}
	return 0;
}
C
	cc -O2 -o "$gen" "$BENCH_DIR/gen_stackdiff.c" || exit 2
fi
if [ ! -s "$before" ] || [ ! -s "$after" ]; then
	"$gen" 0 "$N" 1 >"$before.tmp" && mv "$before.tmp" "$before" || exit 2
	"$gen" $((N / 2)) $((N + N / 2)) 2 >"$after.tmp" && mv "$after.tmp" "$after" || exit 2
fi
bytes=$(($(stat -c %s "$before") + $(stat -c %s "$after")))
echo "inputs: $before, $after: $N lines each, $bytes bytes together"

awk_merge='awk '\''FNR == NR { n = split($0, f, " "); c = f[n]; sub(/ [0-9]+$/, ""); a[$0] += c; next }
{ n = split($0, f, " "); c = f[n]; sub(/ [0-9]+$/, ""); b[$0] += c }
END { for (s in a) print s, a[s], b[s] + 0; for (s in b) if (!(s in a)) print s, 0, b[s] }'\'
read -r anchor anchor_rss < <(bench_time "$BENCH_RUNS" "$awk_merge $before $after | sort")
echo "awk merge + sort (anchor): median ${anchor}s  peak RSS ${anchor_rss} KiB"
read -r ours ours_rss < <(bench_time "$BENCH_RUNS" "$BIN/stackdiff $before $after")
echo "stackdiff:                 median ${ours}s  peak RSS ${ours_rss} KiB  $(bench_mibs "$bytes" "$ours") MiB/s  speed-up $(bench_ratio "$anchor" "$ours")x"
/usr/bin/time -f '%U %S' -o "$BENCH_DIR/.cpu" "$BIN/stackdiff" "$before" "$after" >/dev/null
cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$BENCH_DIR/.cpu")
echo "  CPU time (user+sys) of one run: ${cpu}s, $(bench_mibs "$bytes" "$cpu") MiB/s of CPU (wall time suffers on a loaded machine)"
read -r tab tab_rss < <(bench_time "$BENCH_RUNS" "$BIN/stackdiff --table $before $after")
echo "stackdiff --table:         median ${tab}s  peak RSS ${tab_rss} KiB  $(bench_mibs "$bytes" "$tab") MiB/s  speed-up $(bench_ratio "$anchor" "$tab")x"
if [ -n "${DIFFFOLDED_PL:-}" ] && [ -r "$DIFFFOLDED_PL" ]; then
	read -r pl pl_rss < <(bench_time "$BENCH_RUNS" "perl $DIFFFOLDED_PL $before $after")
	echo "difffolded.pl (unsorted):  median ${pl}s  peak RSS ${pl_rss} KiB  speed-up of stackdiff $(bench_ratio "$pl" "$ours")x"
	if cmp -s <(perl "$DIFFFOLDED_PL" "$before" "$after" | sort) <("$BIN/stackdiff" "$before" "$after" | sort); then
		echo "  outputs identical once sorted"
	else
		echo "  OUTPUTS DIFFER"
	fi
else
	echo "difffolded.pl: skipped (set DIFFFOLDED_PL=/path/to/difffolded.pl to compare)"
fi
