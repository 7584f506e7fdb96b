#!/bin/sh
# report.sh RUN [BASE] - write RUN's runbook entry (Markdown) to stdout.
#
# Made only from the files the analysis derived (RUN/out/, and BASE/out/
# for a before/after comparison): a summary first, then the evidence, how
# to reproduce it, and an index of the artifacts.  Links are relative to
# RUN, so the run folder can be moved as a whole.  No timestamps of its
# own: the same run gives the same bytes.
set -eu
run=$1
base=${2:-}
bin=${AN_BIN:-build/release/bin}
out=$run/out
get() { sed -n "s/^$2=//p" "$1/run.env" | tail -n 1; }
utc() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
field() { awk -F '\t' -v r="$2" -v c="$3" 'NR == r { print $c }' "$1"; }

# md_table FILE [ROWS]: a TSV file as a Markdown table
md_table() {
	awk -F '\t' -v max="${2:-1000000}" '
	function cell(s) { gsub(/\|/, "\\|", s); return s }
	NR == 1 { line = "|"; sep = "|"; for (i = 1; i <= NF; i++) { line = line " " cell($i) " |"; sep = sep "---|" } print line; print sep; next }
	NR - 1 <= max { line = "|"; for (i = 1; i <= NF; i++) line = line " " cell($i) " |"; print line }' "$1"
}

service=$(get "$run" service)
namespace=$(get "$run" namespace)
pods=$(get "$run" pods)
load_start=$(get "$run" load_start)
load_end=$(get "$run" load_end)
name=$(basename "$run")
samples=$(awk -F '\t' '$1 == "TOTAL" { print $2 }' "$out/jtl/stats.tsv")
errors=$(awk -F '\t' '$1 == "TOTAL" { print $3 }' "$out/jtl/stats.tsv")
ws=$(field "$out/windows/spike.tsv" 2 2)
we=$(field "$out/windows/spike.tsv" 2 3)
wsrc=$(field "$out/windows/spike.tsv" 2 1)
wn=$(field "$out/windows/spike.tsv" 2 8)
hot=$(field "$out/hotpod.tsv" 2 1)
top=$(field "$out/hotpod.tsv" 2 2)
normal=$(field "$out/hotpod.tsv" 2 3)
basis=$(field "$out/hotpod.tsv" 2 4)
score=$(field "$out/hotpod.tsv" 2 5)

echo "# Investigation: ${service:-service} in ${namespace:-?} — run \`$name\`"
echo
echo "## Summary"
echo
echo "| | |"
echo "|---|---|"
echo "| Tested | \`${service:-?}\` in namespace \`${namespace:-?}\`, pods $(echo "$pods" | sed 's/[^ ][^ ]*/`&`/g; s/ /, /g'); load $(utc "$load_start") to $(utc "$load_end") ($((load_end - load_start)) s), $samples samples, $errors errors |"
if [ "$wsrc" = "(load window)" ]; then
	echo "| Spike window | none found above the baseline after the warm-up; the whole load window after it is used: $(utc "$ws") to $(utc "$we") |"
else
	echo "| Spike window | $(utc "$ws") to $(utc "$we") ($((we - ws)) s, +$((ws - load_start)) s to +$((we - load_start)) s into the load); $wn spike windows of the sources (the load's p99, each pod's p99 and CPU) overlap it, the strongest in \`$wsrc\` |"
fi
if [ -n "$hot" ]; then
	echo "| Hot pod | **\`$hot\`**: its $basis in the spike window stands $(printf '%.1f' "$score") robust sigmas above its peers' |"
else
	echo "| Hot pod | no pod stands out from its peers in the spike window (closest: \`$top\`, score $(printf '%.1f' "$score") on $basis) |"
fi
# the culprits: the top pod's CPU profile, else its first profile of another event
culprit_file=$out/top/$top.cpu.app.tsv
[ -f "$culprit_file" ] || culprit_file=$(ls "$out/top/$top".*.app.tsv 2>/dev/null | head -n 1)
culprit_event=$(basename "${culprit_file:-x.none.app.tsv}" .app.tsv)
culprit_event=${culprit_event##*.}
if [ -n "$culprit_file" ] && [ -f "$culprit_file" ]; then
	culprits=$(awk -F '\t' 'NR > 1 && NR <= 4 && $5 != "[no app frame]" { printf "%s`%s` (%s%% self)", (n++ ? ", " : ""), $5, $2 }' "$culprit_file")
	echo "| Top culprit frames | $culprits — application frames of \`$top\`'s $culprit_event profile |"
fi
if [ -n "$base" ]; then
	verdict=$(awk -F '\t' '$1 == "overall" { print $11 }' "$out/verify/verdict.tsv")
	bhot=$(field "$base/out/hotpod.tsv" 2 1)
	btop=$(field "$base/out/hotpod.tsv" 2 2)
	bculprit=$(awk -F '\t' 'NR > 1 && $5 != "[no app frame]" { print $5; exit }' "$base/out/top/$btop.cpu.app.tsv" 2>/dev/null || true)
	if [ -n "$bhot" ]; then was="the hot pod was \`$bhot\`"; else was="no pod stood out (closest: \`$btop\`)"; fi
	echo "| Verdict | **$verdict** — this run against \`$(basename "$base")\` (rule below), where $was${bculprit:+ and the top culprit frame was \`$bculprit\`} |"
fi
echo

echo "## Evidence"
echo
echo "### Charts"
echo
for c in latency p99_by_pod rps_by_pod cpu_by_pod; do
	[ -f "$out/charts/$c.svg" ] && echo "![$c](out/charts/$c.svg)"
done
echo
echo "The shaded band is the spike window."
echo
echo "### Hot pod ranking ($basis, mean in the spike window)"
echo
md_table "$out/hotpod-$(echo "$basis" | sed 's/_by_pod//').tsv"
echo
echo "### Profiles"
echo
echo "| profile | captured | overlap with the spike window | flame graph | top table |"
echo "|---|---|---|---|---|"
for p in $(awk -F '\t' '$1 == "profile" { print $2 }' "$out/check.tsv"); do
	iv=$(pipelines/runenv.sh "$run" interval "$p")
	cov=$(awk -F '\t' 'NR == 2 { printf "%.0f%%", 100 * $NF }' "$out/windows/$p.tsv")
	echo "| \`$p\` | $(utc "${iv%,*}") to $(utc "${iv#*,}") | ${cov:-none} | [svg](out/flame/$p.svg) | [all](out/top/$p.tsv), [app](out/top/$p.app.tsv) |"
done
echo
if [ -n "$culprit_file" ] && [ -f "$culprit_file" ]; then
	echo "### Application frames of \`$top\`'s $culprit_event profile"
	echo
	md_table "$culprit_file" 10
	echo
fi
if [ -f "$out/diff/hot-vs-normal.cpu.tsv" ]; then
	echo "### \`$top\` against \`$normal\` (CPU, same window)"
	echo
	echo "Frames whose share changed most from the normal pod (before) to the hot pod (after);"
	echo "[differential flame graph](out/diff/hot-vs-normal.cpu.svg)."
	echo
	md_table "$out/diff/hot-vs-normal.cpu.tsv" 10
	echo
fi
if [ -n "$base" ]; then
	echo "## Verify: against \`$(basename "$base")\`"
	echo
	echo "Compared over the spike window of \`$(basename "$base")\`, at the same offset from the start"
	echo "of each run's load."
	echo
	md_table "$out/verify/verdict.tsv"
	echo
	echo "Rule: the change is the difference of the medians of per-interval values (after − before);"
	echo "its 95% confidence interval is a percentile bootstrap (2000 resamples, fixed seed). A metric"
	echo "improved (regressed) when the whole interval is on its better (worse) side of zero and the"
	echo "medians differ by at least 5%; otherwise there is no significant change. Overall: regressed if"
	echo "any metric regressed, else improved if any improved."
	echo
	echo "Whole-run statistics of the load (exact, from the JTLs):"
	echo
	md_table "$out/verify/stats.tsv"
	echo
	if [ -f "$out/diff/before-vs-after.cpu.tsv" ]; then
		echo "CPU profile of the hot pod, before against after"
		echo "([differential flame graph](out/diff/before-vs-after.cpu.svg)):"
		echo
		md_table "$out/diff/before-vs-after.cpu.tsv" 10
		echo
	fi
fi
echo "## Reproduce"
echo
echo '```sh'
echo "make report RUN=$run${base:+ BASE=$base}"
echo '```'
echo
echo "Tools: $(for t in jtlslice promrange spikes outliers stacks stackdiff flamegraph tsplot verdict; do "$bin/$t" --version; done | paste -sd, - | sed 's/,/, /g')."
tools=$(get "$run" tools)
[ -n "$tools" ] && echo "Capture: $tools."
echo
echo "## Artifacts"
echo
(cd "$run" && find out -type f ! -name '*.tmp' | LC_ALL=C sort) | while read -r f; do
	echo "- [$f]($f)"
done
