#!/usr/bin/env bash
# long.sh NAME... - the long fuzz run (`make fuzz`): each target in turn for
# FUZZ_SECONDS (default 600) or FUZZ_RUNS inputs, random seed, one core,
# starting from its saved corpus.  Every crash, leak or timeout found is
# copied into tests/fuzz/corpus/NAME/finding-HASH, so the corpus replay of
# `make check` fails until it is fixed; the line per target says how many
# inputs ran and what was found.  Logs: build/fuzz/long/NAME.log.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
out=build/fuzz/long
mkdir -p "$out"
status=0
for name in "$@"; do
	f=build/fuzz/$name
	[ -x "$f" ] || { echo "long.sh: $f: not built (make fuzz-build)" >&2; exit 2; }
	work=$out/corpus-$name
	rm -rf "$work" "$out/$name-"*
	mkdir -p "$work"
	cp tests/fuzz/corpus/"$name"/* "$work"/ 2>/dev/null
	# a finding stops libFuzzer: start again (new random seed) until the
	# time is used up, so one known crash does not end the whole run
	runs=0 found=0 end=$(($(date +%s) + ${FUZZ_SECONDS:-600})) round=0
	: >"$out/$name.log"
	while [ "$(date +%s)" -lt "$end" ] && [ "$round" -lt 50 ]; do
		round=$((round + 1))
		"$f" -max_total_time=$((end - $(date +%s))) -runs="${FUZZ_RUNS:--1}" -seed=0 \
			-max_len=4096 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
			-artifact_prefix="$out/$name-" "$work" >"$out/$name.round" 2>&1
		cat "$out/$name.round" >>"$out/$name.log"
		n=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$name.round" | grep -o '[0-9]*$')
		runs=$((runs + ${n:-0}))
		ls "$out/$name-"* >/dev/null 2>&1 || break
		for a in "$out/$name-"*; do
			# a slow unit is wall time on a busy machine, not a fault:
			# named, not saved (a real hang is a timeout- artifact)
			case $a in *-slow-unit-*)
				echo "  $name: slow unit (not saved): $(basename "$a")"
				rm -f "$a"
				continue ;;
			esac
			h=$(sha1sum "$a" | cut -c1-12)
			if [ ! -e "tests/fuzz/corpus/$name/finding-$h" ]; then
				cp "$a" "tests/fuzz/corpus/$name/finding-$h"
				echo "  $name: $(basename "$a") saved as tests/fuzz/corpus/$name/finding-$h"
				found=$((found + 1))
			fi
			rm -f "$a"
		done
		[ -z "${FUZZ_RUNS:-}" ] || break
	done
	rm -f "$out/$name.round"
	echo "$name: ${runs:-?} inputs, $found findings"
	[ "$found" -eq 0 ] || status=1
done
exit $status
