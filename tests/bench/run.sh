#!/usr/bin/env bash
# run.sh - `make bench`: every tests/bench/bench_*.sh, in name order.  Each
# prints its own table of medians and ratios against its anchor measured in
# the same run.  BENCH_ONLY="NAME..." runs those (each word matches a part
# of a bench's name), side by side in one run.
set -u
cd "$(dirname "$0")/../.." || exit 2
export LC_ALL=C TZ=UTC PATH="$PWD/build/release/bin:$PATH"
for b in tests/bench/bench_*.sh; do
	[ -e "$b" ] || continue
	if [ -n "${BENCH_ONLY:-}" ]; then
		want=
		for w in $BENCH_ONLY; do
			case "$b" in *"$w"*) want=1 ;; esac
		done
		[ -n "$want" ] || continue
	fi
	echo "== $(basename "$b" .sh)"
	bash "$b" || echo "bench $(basename "$b" .sh) failed"
done
