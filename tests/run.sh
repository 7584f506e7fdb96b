#!/usr/bin/env bash
# run.sh - every test family of `make check`, one summary line at the end:
#   "N passed, N failed, N skipped"
#
# Families: unit tests (release and ASan+UBSan builds), golden whole-program
# tests (release, ASan+UBSan, valgrind), fuzz corpus replay (ASan+UBSan),
# short libFuzzer runs (when clang built them), integration tests
# (tests/integration/*.sh: exit 0 pass, 77 skip, anything else fail).
#
# Environment: FUZZ_RUNS (inputs per fuzz target, default 20000) and
# FUZZ_SEED (default 1): a fixed seed, so every run is the same check;
# `make fuzz` is the long, random run.  CHECK_VALGRIND=0 to
# skip the valgrind pass, CHECK_ONLY=unit|golden|asan|valgrind|fuzz|integration
# to run one family.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
log=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$log" "$work"' EXIT
export LC_ALL=C TZ=UTC

want() { [ -z "${CHECK_ONLY:-}" ] || [ "$CHECK_ONLY" = "$1" ]; }

# Runs a command whose output has PASS/FAIL/SKIP lines; a command that
# crashes or fails without saying FAIL counts as one failure of its own.
family() {
	local label=$1; shift
	local out="$work/family"
	"$@" >"$out" 2>&1
	local rc=$?
	cat "$out" | tee -a "$log" | grep -v '^PASS ' || true
	if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$out"; then
		echo "FAIL $label (exit $rc)" | tee -a "$log"
	fi
}

unit() {
	local dir=$1 prefix=$2 t
	for t in "$dir"/tests/test_*; do
		[ -x "$t" ] || continue
		family "${prefix}unit/$(basename "$t")" \
			sh -c '"$1" | sed "s|^\(PASS\|FAIL\) |\1 $2unit/$(basename "$1")/|"' sh "$t" "$prefix"
	done
}

valgrind_shims() {
	local shims="$work/vg" b
	mkdir -p "$shims"
	for b in build/release/bin/*; do
		cat >"$shims/$(basename "$b")" <<SHIM
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$top/$b" "\$@"
SHIM
		chmod +x "$shims/$(basename "$b")"
	done
	echo "$shims"
}

fuzz_replay() {
	local r name files
	for r in build/asan/fuzz/*-replay; do
		[ -x "$r" ] || continue
		name=$(basename "$r" -replay)
		files=$(find "tests/fuzz/corpus/$name" -type f 2>/dev/null | sort)
		if [ -z "$files" ]; then
			echo "FAIL fuzz-replay/$name (empty corpus)"
		elif echo "$files" | xargs "$r"; then
			echo "PASS fuzz-replay/$name"
		else
			echo "FAIL fuzz-replay/$name"
		fi
	done
}

fuzz_run() {
	local f name corpus
	for f in build/fuzz/*; do
		[ -f "$f" ] && [ -x "$f" ] || continue
		name=$(basename "$f")
		corpus="$work/corpus-$name"
		mkdir -p "$corpus"
		cp tests/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null
		if "$f" -runs="${FUZZ_RUNS:-20000}" -seed="${FUZZ_SEED:-1}" -max_len=4096 -rss_limit_mb=2048 \
			-timeout=10 -artifact_prefix="$work/crash-$name-" "$corpus" >"$work/fuzz-$name.log" 2>&1; then
			echo "PASS fuzz/$name ($(grep -o 'Done [0-9]* runs' "$work/fuzz-$name.log"))"
		else
			echo "FAIL fuzz/$name"
			tail -n 30 "$work/fuzz-$name.log"
		fi
	done
}

integration() {
	local t name rc
	for t in tests/integration/*.sh; do
		[ -e "$t" ] || continue
		name=integration/$(basename "$t" .sh)
		BIN="$top/build/release/bin" TOP="$top" bash "$t" >"$work/it.log" 2>&1
		rc=$?
		case $rc in
		0) echo "PASS $name" ;;
		77) echo "SKIP $name ($(tail -n 1 "$work/it.log"))" ;;
		*) echo "FAIL $name (exit $rc)"; tail -n 30 "$work/it.log" | sed 's/^/  /' ;;
		esac
	done
}

want unit && unit build/release ""
want asan && unit build/asan "asan/"
want golden && family golden tests/golden/run.sh build/release/bin
want asan && family asan-golden tests/golden/run.sh build/asan/bin "asan/"
if want valgrind && [ "${CHECK_VALGRIND:-1}" != 0 ]; then
	if command -v valgrind >/dev/null; then
		family valgrind-golden tests/golden/run.sh "$(valgrind_shims)" "valgrind/"
	else
		echo "SKIP valgrind-golden (valgrind not installed)" | tee -a "$log"
	fi
fi
want fuzz && family fuzz-replay fuzz_replay
want fuzz && family fuzz fuzz_run
want integration && family integration integration

passed=$(grep -c '^PASS ' "$log")
failed=$(grep -c '^FAIL ' "$log")
skipped=$(grep -c '^SKIP ' "$log")
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
