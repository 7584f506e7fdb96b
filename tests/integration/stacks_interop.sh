#!/usr/bin/env bash
# Our collapsed output as other tools read it.  Always: every line has the
# form speedscope's collapsed importer matches (/^(.*) (\d+)$/, the stack
# split on ';', src/import/bg-flamegraph.ts), no frame is empty, counts
# add up to the inputs', and stacks reads its own output back unchanged.
# With FLAMEGRAPH_PL naming FlameGraph's flamegraph.pl (not part of this
# project): it renders our output to a well-formed SVG whose root frame
# holds every sample.
set -u
BIN=${BIN:-build/release/bin}
TOP=${TOP:-.}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$TOP/testdata" || exit 2

inputs=(catalog/before/profiles/*.collapsed catalog/after/profiles/*.collapsed)
for opts in "" "-N" "-N --no-threads" "--thread pool --hide ^java/"; do
	# shellcheck disable=SC2086
	"$BIN/stacks" $opts "${inputs[@]}" stacks/perf-java.txt >"$work/out" || fail "stacks $opts: exit $?"
	[ -s "$work/out" ] || fail "stacks $opts: empty output"
	if grep -nvE '^[^;].* [0-9]+$' "$work/out" | head -n 3 | grep .; then
		fail "stacks $opts: a line speedscope would not read"
	fi
	if grep -nE '(;;|;[^;]* [0-9]+$)' "$work/out" | grep -E ';;|; [0-9]+$' | head -n 3 | grep .; then
		fail "stacks $opts: an empty frame"
	fi
	"$BIN/stacks" "$work/out" >"$work/again" || fail "stacks $opts: reading own output: exit $?"
	cmp -s "$work/out" "$work/again" || fail "stacks $opts: output changes when read back"
done
want=$(cat "${inputs[@]}" | awk '{ s += $NF } END { print s }')
got=$("$BIN/stacks" -N --no-threads "${inputs[@]}" | awk '{ s += $NF } END { print s }')
[ "$want" = "$got" ] || fail "counts: inputs $want, output $got"

if [ -n "${FLAMEGRAPH_PL:-}" ]; then
	"$BIN/stacks" -N "${inputs[@]}" >"$work/all.collapsed"
	perl "$FLAMEGRAPH_PL" "$work/all.collapsed" >"$work/fg.svg" 2>"$work/fg.err" ||
		fail "flamegraph.pl: $(head -n 1 "$work/fg.err")"
	if command -v xmllint >/dev/null 2>&1; then
		xmllint --noout "$work/fg.svg" || fail "flamegraph.pl wrote malformed SVG"
	fi
	total=$(echo "$want" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')   # as flamegraph.pl writes it
	grep -qF "<title>all ($total samples, 100%)" "$work/fg.svg" ||
		fail "flamegraph.pl's root frame does not hold $want ($total) samples"
	echo "ok: speedscope form, round trip, $want samples; flamegraph.pl renders them"
else
	echo "ok: speedscope form, round trip, $want samples (set FLAMEGRAPH_PL to also run flamegraph.pl)"
fi
