#!/usr/bin/env bash
# The pipeline's decisions, made by the tools, on the bundled archive:
# regressions of what went wrong when they were made in awk.
# - a spike window with half seconds (widened to an odd minimum width, as
#   a spike of two 5 s JTL intervals is) is written exactly and reported
#   (it was printed as 1.79592e+09: NaN ranking, `date: invalid date`, a
#   report.md.tmp left behind);
# - the hot-pod pick does not depend on the run folder's path (the same
#   run under runs/p99-study/cpu-run picked another normal pod);
# - the whole-run statistics and the verdict's rule come from verdict;
# - verify with one or two values per metric still reports.
set -eu
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mk() { make --no-print-directory -s "$@" >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; fail "make $*"; }; }

cp -R testdata/catalog/before "$tmp/half"
mk report RUN="$tmp/half" AN_MINWINDOW=45
read -r ws we < <(awk -F '\t' 'NR == 2 { print $2, $3 }' "$tmp/half/out/windows/spike.tsv")
[ "$ws $we" = "1795920599.5 1795920644.5" ] || fail "half: spike window $ws..$we, expected 1795920599.5..1795920644.5"
grep -qF '| Spike window | 2026-11-29T02:49:59Z to 2026-11-29T02:50:44Z (45 s, +38.5 s to +83.5 s into the load)' \
	"$tmp/half/report.md" || fail "half: the report's spike window"
grep -q '^| Hot pod | \*\*`catalog-5d8b9c-g5h6i`\*\*' "$tmp/half/report.md" || fail "half: hot pod"
[ -z "$(find "$tmp/half" -name '*.tmp*')" ] || fail "half: temporary files left"
echo "ok: a spike window with half seconds"

mkdir -p "$tmp/runs/p99-study"
cp -R testdata/catalog/before "$tmp/runs/p99-study/cpu-run"
cp -R testdata/catalog/before "$tmp/plain"
mk analyze RUN="$tmp/runs/p99-study/cpu-run"
mk analyze RUN="$tmp/plain"
cmp -s "$tmp/plain/out/hotpod.tsv" "$tmp/runs/p99-study/cpu-run/out/hotpod.tsv" ||
	{ diff "$tmp/plain/out/hotpod.tsv" "$tmp/runs/p99-study/cpu-run/out/hotpod.tsv"; fail "p99-study: another pick"; }
[ "$(awk -F '\t' 'NR == 2 { print $3 }' "$tmp/plain/out/hotpod.tsv")" = catalog-5d8b9c-d3e4f ] ||
	fail "plain: the normal pod is not catalog-5d8b9c-d3e4f"
echo "ok: the hot-pod pick does not depend on the path"

"${BIN:-$top/build/release/bin}/verdict" --rule >"$tmp/rule"
cp -R testdata/catalog/after "$tmp/after"
mk report RUN="$tmp/after" BASE="$tmp/plain"
grep -qF -f "$tmp/rule" "$tmp/after/report.md" || fail "after: the rule is not verdict's"
grep -q '^| p99 | 80 | 58 | -22 | -27.5 |$' "$tmp/after/report.md" || fail "after: whole-run p99 row"
# a coarse step leaves one or two values per JTL metric in the window:
# those rows say "not enough data", the others still decide, the report is written
mkdir -p "$tmp/coarse"
cp -R testdata/catalog/before testdata/catalog/after "$tmp/coarse/"
mk report RUN="$tmp/coarse/after" BASE="$tmp/coarse/before" AN_STEP=20s
grep -q '	not enough data$' "$tmp/coarse/after/out/verify/verdict.tsv" || fail "coarse: no 'not enough data' row"
grep -q '^| Verdict | \*\*improved\*\*' "$tmp/coarse/after/report.md" || fail "coarse: the report's verdict"
echo "ok: verify with one or two values per metric"
echo "pipeline decisions: ok"
