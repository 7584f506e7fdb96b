#!/usr/bin/env bash
# The pipeline's decisions, made by the tools, on the bundled archive:
# regressions of what went wrong when they were made in awk.
# - a spike window with half seconds (widened to a minimum width of 45.5 s
#   around its peak) is written exactly and reported
#   (it was printed as 1.79592e+09: NaN ranking, `date: invalid date`, a
#   report.md.tmp left behind);
# - the hot-pod pick does not depend on the run folder's path (the same
#   run under runs/p99-study/cpu-run picked another normal pod);
# - the whole-run statistics and the verdict's rule come from verdict;
# - verify takes the load's series at a finer step in a short window; a
#   metric with one or two values still reports, and make fails last,
#   naming it (INCONCLUSIVE=ok accepts);
# - run.env's pods with stray spaces render as a clean list.
set -eu
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mk() { make --no-print-directory -s "$@" >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; fail "make $*"; }; }

cp -R testdata/catalog/before "$tmp/half"
mk report RUN="$tmp/half" AN_MINWINDOW=45.5
read -r ws we < <(awk -F '\t' 'NR == 2 { print $2, $3 }' "$tmp/half/out/windows/spike.tsv")
[ "$ws $we" = "1795920600 1795920645.5" ] || fail "half: spike window $ws..$we, expected 1795920600..1795920645.5"
grep -qF '| Spike window | 2026-11-29T02:50:00Z to 2026-11-29T02:50:45Z (45.5 s, +39 s to +84.5 s into the load)' \
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
# a coarse step would leave one or two of the load's intervals in the
# window: verify takes the load's series at a finer step there (36 s window,
# AN_STEP=20s: 6 s, six values), states it, and every metric decides
mkdir -p "$tmp/coarse"
cp -R testdata/catalog/before testdata/catalog/after "$tmp/coarse/"
mk report RUN="$tmp/coarse/after" BASE="$tmp/coarse/before" AN_STEP=20s
[ "$(cat "$tmp/coarse/after/out/verify/step.txt")" = 6s ] || fail "coarse: step $(cat "$tmp/coarse/after/out/verify/step.txt"), expected 6s"
awk -F '\t' 'NR > 1 && $1 != "overall" && ($3 < 6 || $4 < 6 || $11 == "not enough data") { bad = 1 } END { exit bad }' \
	"$tmp/coarse/after/out/verify/verdict.tsv" || { cat "$tmp/coarse/after/out/verify/verdict.tsv"; fail "coarse: a metric with fewer than 6 values"; }
grep -q "^The load's series (the JTLs) at a 6s step inside the window (finer than its\$" "$tmp/coarse/after/report.md" ||
	fail "coarse: the report does not state the step"
grep -q '^| Verdict | \*\*improved\*\*' "$tmp/coarse/after/report.md" || fail "coarse: the report's verdict"
echo "ok: a coarse AN_STEP gives a finer step inside the window"

# a short window (the fixed run's own: no spike, 10 s) at the default 5 s
# step: 1 s steps, ten values per run, where two gave "not enough data"
mkdir -p "$tmp/short"
cp -R testdata/catalog/after "$tmp/short/before"
cp -R testdata/catalog/after "$tmp/short/after"
# (and a pods list with stray spaces, as a hand-written run.env may have)
sed -i '/^pods=/ { s/^pods=/pods=  /; s/ catalog-5d8b9c-d3e4f/    catalog-5d8b9c-d3e4f/; s/$/   / }' "$tmp/short/after/run.env"
grep -qx 'pods=  catalog-5d8b9c-a1b2c    catalog-5d8b9c-d3e4f catalog-5d8b9c-g5h6i   ' "$tmp/short/after/run.env" || fail "short: pods not spaced"
mk report RUN="$tmp/short/after" BASE="$tmp/short/before"
grep -q '^| Tested | .*, pods `catalog-5d8b9c-a1b2c`, `catalog-5d8b9c-d3e4f`, `catalog-5d8b9c-g5h6i`; load ' "$tmp/short/after/report.md" ||
	{ grep '^| Tested' "$tmp/short/after/report.md"; fail "short: a pods list with stray spaces is not rendered cleanly"; }
read -r ws we < <(awk -F '\t' 'NR == 2 { print $2, $3 }' "$tmp/short/before/out/windows/spike.tsv")
[ $(( ${we%.*} - ${ws%.*} )) -le 10 ] || fail "short: the window is $ws..$we, not a short one"
[ "$(cat "$tmp/short/after/out/verify/step.txt")" = 1s ] || fail "short: step $(cat "$tmp/short/after/out/verify/step.txt"), expected 1s"
awk -F '\t' 'NR > 1 && $1 ~ /all requests|throughput|errors/ && ($3 < 6 || $4 < 6) { bad = 1 } END { exit bad }' \
	"$tmp/short/after/out/verify/verdict.tsv" || { cat "$tmp/short/after/out/verify/verdict.tsv"; fail "short: a JTL metric with fewer than 6 values"; }
grep -q '^| p99 (all requests, ms) | lower | 1[01] | 1[01] | .* | no significant change |$' "$tmp/short/after/report.md" ||
	fail "short: a run against itself is not 'no significant change' on p99"
echo "ok: a short window gives 1 s steps of the load's series; pods with stray spaces render cleanly"

# a metric that still has one or two values (the after run's GC series at
# a 20 s step): "not enough data" in the table, the others still decide,
# every file and the report are written, and make report fails last with a
# line naming that metric; INCONCLUSIVE=ok accepts it; the report is the same
mkdir -p "$tmp/thin"
cp -R testdata/catalog/before testdata/catalog/after "$tmp/thin/"
python3 -c '
import json, sys
p = sys.argv[1]
d = json.load(open(p))
for r in d["data"]["result"]:
    r["values"] = [v for v in r["values"] if int(v[0]) % 20 == 0]
json.dump(d, open(p, "w"), separators=(",", ":"))' "$tmp/thin/after/prom/gc_by_pod.json"
rc=0
make --no-print-directory -s report RUN="$tmp/thin/after" BASE="$tmp/thin/before" >"$tmp/thin.out" 2>"$tmp/thin.err" || rc=$?
[ "$rc" = 2 ] || { cat "$tmp/thin.out" "$tmp/thin.err"; fail "thin: make report exited $rc, expected 2"; }
grep -q '^gc_by_pod {pod=catalog-5d8b9c-g5h6i}	.*	not enough data$' "$tmp/thin/after/out/verify/verdict.tsv" ||
	fail "thin: gc is not 'not enough data'"
[ "$(grep -c '	not enough data$' "$tmp/thin/after/out/verify/verdict.tsv")" = 1 ] || fail "thin: other metrics lack data"
grep -q '^overall	.*	improved$' "$tmp/thin/after/out/verify/verdict.tsv" || fail "thin: the others do not decide"
[ "$(grep -c 'inconclusive' "$tmp/thin.err")" = 1 ] &&
	grep -qx "make report: inconclusive: too few values in the spike window (not enough data) for: gc_by_pod {pod=catalog-5d8b9c-g5h6i}; every file is written; INCONCLUSIVE=ok accepts this" "$tmp/thin.err" ||
	{ cat "$tmp/thin.err"; fail "thin: the message"; }
grep -qx "report: $tmp/thin/after/report.md" "$tmp/thin.out" || fail "thin: the report line"
[ -s "$tmp/thin/after/report.md" ] || fail "thin: no report"
grep -q '^| Verdict | \*\*improved\*\*' "$tmp/thin/after/report.md" || fail "thin: the report's verdict"
grep -q '^Not enough data (fewer than 3 values in a run): gc\\_by\\_pod {pod=catalog-5d8b9c-g5h6i}; `make report` exits non-zero unless `INCONCLUSIVE=ok`.$' \
	"$tmp/thin/after/report.md" || fail "thin: the report does not name the inconclusive metric"
[ -z "$(find "$tmp/thin" -name '*.tmp*')" ] || fail "thin: temporary files left"
cp "$tmp/thin/after/report.md" "$tmp/thin.md"
make --no-print-directory -s verify RUN="$tmp/thin/after" BASE="$tmp/thin/before" >/dev/null 2>"$tmp/thin.err" && fail "thin: make verify succeeded"
grep -q '^make verify: inconclusive: .*gc_by_pod' "$tmp/thin.err" || fail "thin: make verify's message"
mk report RUN="$tmp/thin/after" BASE="$tmp/thin/before" INCONCLUSIVE=ok
grep -q '(accepted: INCONCLUSIVE=ok)$' "$tmp/make.log" || { cat "$tmp/make.log"; fail "thin: INCONCLUSIVE=ok says nothing"; }
cmp -s "$tmp/thin.md" "$tmp/thin/after/report.md" || fail "thin: the report changed"
mk report RUN="$tmp/coarse/after" BASE="$tmp/coarse/before" AN_STEP=20s
! grep -q inconclusive "$tmp/make.log" || fail "coarse: called inconclusive"
echo "ok: a metric with too few values: reported, named, make fails last (INCONCLUSIVE=ok accepts)"
echo "pipeline decisions: ok"
