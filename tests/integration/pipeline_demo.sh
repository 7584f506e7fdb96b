#!/usr/bin/env bash
# The investigation pipeline on the bundled archive (testdata/catalog) and on
# a hand-varied copy of it: the report's facts, the before/after verdict,
# byte-identical reruns, and incremental remakes.
set -eu
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mk() { make --no-print-directory -s "$@" >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; fail "make $*"; }; }

mkdir -p "$tmp/runs"
cp -R testdata/catalog/before testdata/catalog/after "$tmp/runs/"
B=$tmp/runs/before A=$tmp/runs/after

start=$(date +%s.%N)
mk report RUN="$B"
mk report RUN="$A" BASE="$B"
end=$(date +%s.%N)
echo "analysis of both runs: $(echo "$end - $start" | bc) s"

# the facts the samples' README names
grep -q '^| Hot pod | \*\*`catalog-5d8b9c-g5h6i`\*\*' "$B/report.md" || fail "before: hot pod is not catalog-5d8b9c-g5h6i"
grep '^| Top culprit frames |' "$B/report.md" | grep -q '^| Top culprit frames | `org/example/catalog/Search$SearchIndex.tokenize`' ||
	fail "before: the first culprit frame is not Search\$SearchIndex.tokenize"
grep -q '^| Top culprit frames | `org/example/catalog/Search$SearchIndex.tokenize` — \*\*CPU-bound\*\*, from `catalog-5d8b9c-g5h6i`.s cpu profile' "$B/report.md" ||
	fail "before: the culprit row does not name the kind (CPU-bound) and the cpu profile"
load_start=$(sed -n 's/^load_start=//p' "$B/run.env")
read -r ws we < <(awk -F '\t' 'NR == 2 { print $2, $3 }' "$B/out/windows/spike.tsv")
burst_start=$((load_start + 40)) burst_end=$((load_start + 70))
[ "${ws%.*}" -lt "$burst_end" ] && [ "${we%.*}" -gt "$burst_start" ] ||
	fail "before: spike window $ws..$we does not overlap the burst $burst_start..$burst_end"
grep -q '^| Verdict | \*\*improved\*\*' "$A/report.md" || fail "after: verdict is not improved"
grep -q '^| Hot pod | no pod stands out' "$A/report.md" || fail "after: a pod still stands out"
awk -F '\t' '$1 ~ /^p99_by_pod/ && $11 != "improved" { exit 1 }' "$A/out/verify/verdict.tsv" ||
	fail "after: the hot pod's p99 is not improved"
for f in "$B/report.md" "$A/report.md" "$B"/out/flame/*.svg "$A"/out/diff/*.svg; do
	xmllint --noout "$f" 2>/dev/null || [ "${f%.md}" != "$f" ] || fail "$f is not well-formed XML"
done

# the same inputs give the same bytes
sums() { (cd "$1" && find out report.md -type f | LC_ALL=C sort | xargs sha256sum); }
sums "$B" >"$tmp/b1"; sums "$A" >"$tmp/a1"
mk clean-run RUN="$A"; mk clean-run RUN="$B"
[ ! -e "$A/out" ] && [ ! -e "$A/report.md" ] || fail "clean-run left files"
mk report RUN="$B"; mk report RUN="$A" BASE="$B"
sums "$B" >"$tmp/b2"; sums "$A" >"$tmp/a2"
cmp -s "$tmp/b1" "$tmp/b2" || { diff "$tmp/b1" "$tmp/b2"; fail "before: second run differs"; }
cmp -s "$tmp/a1" "$tmp/a2" || { diff "$tmp/a1" "$tmp/a2"; fail "after: second run differs"; }

# incremental: nothing to do; then touching one profile remakes only its dependents
make -q RUN="$B" "$B/report.md" || fail "a finished run is not up to date"
sleep 1
touch "$B/profiles/catalog-5d8b9c-d3e4f.cpu.collapsed"
if make -q RUN="$B" "$B/report.md"; then fail "touching a profile left the report up to date"; fi
make -n RUN="$B" "$B/report.md" >"$tmp/plan" 2>&1
grep -q 'out/top/catalog-5d8b9c-d3e4f.cpu.tsv' "$tmp/plan" || fail "the touched profile's top table is not remade"
grep -q 'out/flame/catalog-5d8b9c-d3e4f.cpu.svg' "$tmp/plan" || fail "the touched profile's flame graph is not remade"
grep -q 'report.sh' "$tmp/plan" || fail "the report is not remade"
for other in catalog-5d8b9c-a1b2c.cpu catalog-5d8b9c-g5h6i.wall; do
	grep -q "out/flame/$other.svg\|out/top/$other.tsv" "$tmp/plan" && fail "$other is remade although its profile did not change"
done
grep -q 'jtlslice\|promrange\|outliers' "$tmp/plan" && fail "series or rankings are remade although only a profile changed"
mk report RUN="$B"
make -q RUN="$B" "$B/report.md" || fail "not up to date after the remake"
make -j2 -s report RUN="$A" BASE="$B" >/dev/null 2>&1 || fail "make -j2"

# a hand-varied archive: the hot pod's name swapped with a normal pod's
V=$tmp/runs/swapped
cp -R testdata/catalog/before "$V"
rm -rf "$V/profiles" && mkdir "$V/profiles"
for p in testdata/catalog/before/profiles/*.collapsed; do
	n=$(basename "$p" | sed 's/g5h6i/TMPPOD/; s/a1b2c/g5h6i/; s/TMPPOD/a1b2c/')
	cp "$p" "$V/profiles/$n"
done
for j in "$V"/prom/*.json; do
	sed -i 's/g5h6i/TMPPOD/g; s/a1b2c/g5h6i/g; s/TMPPOD/a1b2c/g' "$j"
done
mk report RUN="$V"
grep -q '^| Hot pod | \*\*`catalog-5d8b9c-a1b2c`\*\*' "$V/report.md" || fail "swapped: hot pod is not catalog-5d8b9c-a1b2c"
grep -q '^| Top culprit frames | `org/example/catalog/Search$SearchIndex.tokenize`' "$V/report.md" ||
	fail "swapped: the culprit frame is not found in the new hot pod's profile"
grep -q 'catalog-5d8b9c-a1b2c` against `catalog-5d8b9c-' "$V/report.md" || fail "swapped: the hot pod is not compared with a normal one"
echo "pipeline on the bundled archive and a varied copy: ok"
