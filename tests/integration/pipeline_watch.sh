#!/usr/bin/env bash
# The investigation pipeline on a run folder written by `make watch`
# (trigger=watch): no load results (no JTL), the recordings of the hot pod
# and of a normal peer, load_start/load_end the dumped range around the
# spike window the watch acted on (spike_start/spike_end). Made by hand from testdata/catalog-jfr/before (the burst is +40..+70
# s into its load; the range here is +30..+80 s). The report must name the
# hot pod and the culprit with its kind, keep the Verdict row saying what is
# not available, and derive nothing from a JTL; a folder without a JTL and
# without trigger=watch is still refused; run.env's hot_pod and peer_pod are
# data (escaped in the report).
set -eu
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mk() { timeout 300 make --no-print-directory -s "$@" >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; fail "make $*"; }; }
if ! build/release/bin/stacks --help | grep -q -- '--from collapsed|perf|jfr'; then
	echo "skip: this stacks does not read JFR recordings"
	exit 77
fi
src=testdata/catalog-jfr/before
hot=catalog-5d8b9c-g5h6i peer=catalog-5d8b9c-a1b2c
ls0=$(sed -n 's/^load_start=//p' "$src/run.env")
b=$((ls0 + 30)) e=$((ls0 + 80))
# the window the watch acted on (spike_start, spike_end): the burst
ws0=$((ls0 + 40)) we0=$((ls0 + 70))

mkwatch() { # DEST [HOT_POD_VALUE [PEER_POD_VALUE]]
	mkdir -p "$1/profiles"
	cp -R "$src/prom" "$1/"
	for p in $hot $peer; do
		if [ -f "$src/profiles/$p.jfr" ]; then cp "$src/profiles/$p.jfr" "$1/profiles/"
		else gzip -dc "$src/profiles/$p.jfr.gz" >"$1/profiles/$p.jfr"; fi
	done
	cat >"$1/run.env" <<-EOF
		# facts of this watch, written by the capture (epoch seconds, UTC)
		runtime=local
		namespace=perf
		service=catalog
		pods=$hot $peer
		prometheus_step=2
		phase=2
		trigger=watch
		hot_pod=${2:-$hot}
		peer_pod=${3:-$peer}
		load_start=$b
		load_end=$e
		spike_start=$ws0
		spike_end=$we0
		profile_backend=jfr
		profile_jfr_start=$b
		profile_jfr_end=$e
	EOF
	chmod -R u+w "$1"
}

W=$tmp/runs/watch
mkwatch "$W"
mk report RUN="$W"
r=$W/report.md
grep -q '^| Hot pod | \*\*`catalog-5d8b9c-g5h6i`\*\*' "$r" || fail "the hot pod is not catalog-5d8b9c-g5h6i"
grep -q '^| Top culprit frames | `org/example/catalog/Search$SearchIndex.tokenize` — \*\*CPU-bound\*\*, from `catalog-5d8b9c-g5h6i`.s cpu profile' "$r" ||
	fail "the culprit row is not tokenize, CPU-bound, from the hot pod's cpu profile"
grep -q '^| Tested | .*captured by `make watch` when `catalog-5d8b9c-g5h6i` stood out (its normal peer: `catalog-5d8b9c-a1b2c`).*no load results' "$r" ||
	fail "the Tested row does not say it is a watch capture without load results"
grep -q '^| Verdict | not available: a `make watch` run has no load results' "$r" || fail "no Verdict row saying what is not available"
grep -q '^| Spike window | .* into the captured range' "$r" || fail "the spike window is not placed in the captured range"
echo "ok: hot pod, culprit and kind, what is not available"
[ ! -e "$W/out/jtl" ] && [ ! -e "$W/out/charts/latency.svg" ] && [ ! -e "$W/out/windows/jtl-p99.tsv" ] ||
	fail "a step derived from a JTL ran"
grep -q 'latency\.svg\|out/jtl' "$r" && fail "the report links JTL-derived files"
# the spike window lies in the watch's window and covers most of the burst
read -r ws we < <(awk -F '\t' 'NR == 2 { print $2, $3 }' "$W/out/windows/spike.tsv")
[ "${ws%.*}" -ge "$ws0" ] && [ "${we%.*}" -le "$we0" ] || fail "spike window $ws..$we is outside the watch's window $ws0..$we0"
[ $((${we%.*} - ${ws%.*})) -ge 20 ] || fail "spike window $ws..$we is shorter than 20 s"
for p in $hot $peer; do
	for ev in cpu wall; do
		[ -s "$W/out/cut/$p.$ev.collapsed" ] || fail "no $ev cut of $p"
	done
done
echo "ok: spike window $((${ws%.*} - ls0))..$((${we%.*} - ls0)) s into the load, recordings cut to it"

# the same folder, the same report bytes
cp "$r" "$tmp/report.1"
mk clean-run RUN="$W"
mk report RUN="$W"
cmp -s "$r" "$tmp/report.1" || fail "a second analysis gives other bytes"
echo "ok: deterministic"

# without a JTL and without trigger=watch: refused, nothing written
N=$tmp/runs/nojtl
mkwatch "$N"
sed -i '/^trigger=/d' "$N/run.env"
if make --no-print-directory -s report RUN="$N" >"$tmp/nojtl.log" 2>&1; then fail "a folder without JTL was analysed"; fi
grep -q 'no load-test results (result.jtl.gz or result.jtl)' "$tmp/nojtl.log" || { cat "$tmp/nojtl.log"; fail "no clear refusal"; }
[ ! -e "$N/report.md" ] || fail "a refused folder got a report"
echo "ok: no JTL and no trigger=watch: refused"

# hot_pod and peer_pod are data: Markdown and shell characters escaped
H=$tmp/runs/hostile
mkwatch "$H" 'x`|$(touch pwned)*' 'y|<b>'
mk report RUN="$H"
grep '^| Tested |' "$H/report.md" >"$tmp/tested"
[ "$(sed 's/\\|//g' "$tmp/tested" | awk -F '|' '{ print NF }')" = 4 ] || fail "hostile hot_pod broke the table row: $(cat "$tmp/tested")"
grep -q '<b>' "$tmp/tested" && fail "hostile peer_pod is raw HTML: $(cat "$tmp/tested")"
[ ! -e pwned ] && [ ! -e "$H/pwned" ] || fail "a hostile hot_pod ran a command"
echo "ok: hostile hot_pod/peer_pod escaped"
echo "pipeline_watch: pass"
