#!/usr/bin/env bash
# diagnose_jfr.sh - diagnose on stacks cut from a real JFR recording (the hot
# replica of catalog-jfr, cut to the burst, seconds 40 to 70 of the load):
# the request threads' wall time shows the tokenizer running and the price
# cache sleeping under its monitor; lock stacks from JFR have a method leaf
# (no class); the CPU profile alone names the tokenizer (CPU-bound).
# Skipped while stacks cannot read JFR.
set -u
BIN=${BIN:-build/release/bin}
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$TOP" || exit 2
run=testdata/catalog-jfr/before
rec=$run/profiles/catalog-5d8b9c-g5h6i.jfr
if ! "$BIN/stacks" --help | grep -q -- '--from collapsed|perf|jfr\|--from .*jfr'; then
	echo "skip: this stacks does not read JFR recordings"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # description, command...
	local what=$1
	shift
	if "$@"; then echo "ok: $what"; else echo "not ok: $what"; fail=1; fi
}
start=$(sed -n 's/^load_start=//p' "$run/run.env")
win=$((start + 40)),$((start + 70))
for e in cpu wall lock; do
	"$BIN/stacks" --from jfr --event "$e" -t --window "$win" -o "$tmp/$e.collapsed" "$rec" ||
		{ echo "not ok: stacks --from jfr --event $e"; exit 1; }
done
app=(--app-prefix org.example)
"$BIN/diagnose" -e wall "${app[@]}" -o "$tmp/wall.tsv" "$tmp/wall.collapsed" || exit 1
"$BIN/diagnose" -e lock "${app[@]}" -o "$tmp/lock.tsv" "$tmp/lock.collapsed" || exit 1
"$BIN/diagnose" --kind "${app[@]}" -o "$tmp/kind.tsv" cpu="$tmp/cpu.collapsed" || exit 1
row() { awk -F '\t' -v f="$2" -v d="$3" '$3 == f && $4 == d { n++ } END { exit !n }' "$1"; }
check "wall: the tokenizer runs" row "$tmp/wall.tsv" 'org/example/catalog/Search$SearchIndex.tokenize' running
check "wall: the price cache sleeps" row "$tmp/wall.tsv" 'org/example/catalog/Prices$PriceCache.refresh' sleep
check "wall: no idle or JVM thread row" \
	sh -c '! grep -q "\[no app frame\]" "$1"' sh "$tmp/wall.tsv"
check "lock: JFR stacks have no class leaf" row "$tmp/lock.tsv" 'org/example/catalog/Prices$PriceCache.refresh' -
check "kind: CPU-bound on the tokenizer" \
	grep -qx 'culprit	org/example/catalog/Search$SearchIndex.tokenize' "$tmp/kind.tsv"
check "kind: named CPU-bound" grep -qx 'kind	CPU-bound' "$tmp/kind.tsv"
exit $fail
