#!/usr/bin/env bash
# run.sh - `make bench`: every tests/bench/bench_*.sh, in name order.  Each
# prints its own table of medians and ratios against its anchor measured in
# the same run.  BENCH_ONLY=NAME runs one.
set -u
cd "$(dirname "$0")/../.." || exit 2
export LC_ALL=C TZ=UTC PATH="$PWD/build/release/bin:$PATH"
for b in tests/bench/bench_*.sh; do
	[ -e "$b" ] || continue
	case "$b" in *"${BENCH_ONLY:-}"*) ;; *) continue ;; esac
	echo "== $(basename "$b" .sh)"
	bash "$b" || echo "bench $(basename "$b" .sh) failed"
done
