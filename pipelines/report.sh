#!/bin/sh
# report.sh RUN [BASE] - write RUN's runbook entry (Markdown) to stdout.
#
# Made only from the files the analysis derived (RUN/out/, and BASE/out/
# for a before/after comparison): a summary first, then the evidence, how
# to reproduce it, and an index of the artifacts.  Links are relative to
# RUN, so the run folder can be moved as a whole.  No timestamps of its
# own: the same run gives the same bytes.  Every value from the run folder
# (run.env, labels, pod and frame names) goes through md.awk: escaped.
# The decisions were made by the tools (runenv, spikes --best, hotpod,
# verdict); this script only lays them out.
set -eu
export LC_ALL=C
run=$1
base=${2:-}
bin=${AN_BIN:-build/release/bin}
out=$run/out
# profiles cut from the pods' recordings (profiles/POD.jfr) are in out/cut
pdir=$run/profiles
[ -d "$out/cut" ] && pdir=$out/cut
get() { "$bin/runenv" -k "$2" "$1/run.env"; }
utc() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
# col FILE NAME [KEYCOL KEY]: column NAME of the first data row (or of the
# row whose column KEYCOL is KEY), columns found by name
col() {
	awk -F '\t' -v name="$2" -v kc="${3:-}" -v key="${4:-}" '
	NR == 1 { for (i = 1; i <= NF; i++) { c[$i] = i } next }
	kc == "" || $c[kc] == key { print $c[name]; exit }' "$1"
}
# seconds between two epoch times (fractions allowed)
span() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.10g\n", b - a }'; }
text() { printf '%s\n' "$1" | awk -v mode=text -f pipelines/md.awk; }
code() { printf '%s\n' "$1" | awk -v mode=code -f pipelines/md.awk; }
md_table() { awk -v mode=table -v max="${2:-1000000}" -f pipelines/md.awk "$1"; }

service=$(get "$run" service)
namespace=$(get "$run" namespace)
pods=$(get "$run" pods)
load_start=$("$bin/runenv" --epoch load_start "$run/run.env")
load_end=$("$bin/runenv" --epoch load_end "$run/run.env")
name=$(basename "$run")
# a folder of make watch (trigger=watch) has no load results: its window
# (load_start, load_end) is the dumped range around the spike
watch=
[ "$(get "$run" trigger)" = watch ] && [ ! -f "$out/jtl/stats.tsv" ] && watch=yes
if [ -z "$watch" ]; then
	samples=$(col "$out/jtl/stats.tsv" samples label TOTAL)
	errors=$(col "$out/jtl/stats.tsv" errors label TOTAL)
fi
into="into the load" srcs="the load's p99, each pod's p99 and CPU"
[ -z "$watch" ] || into="into the captured range" srcs="each pod's p99 and CPU; no load results"
ws=$(col "$out/windows/spike.tsv" start)
we=$(col "$out/windows/spike.tsv" end)
wsrc=$(col "$out/windows/spike.tsv" series)
wn=$(col "$out/windows/spike.tsv" windows)
hot=$(col "$out/hotpod.tsv" hot)
top=$(col "$out/hotpod.tsv" top)
normal=$(col "$out/hotpod.tsv" normal)
basis=$(col "$out/hotpod.tsv" basis)
score=$(col "$out/hotpod.tsv" score)

echo "# Investigation: $(text "${service:-service}") in $(text "${namespace:-?}") — run \`$name\`"
echo
echo "## Summary"
echo
echo "| | |"
echo "|---|---|"
# (split without the shell: a value like '*' is not a pattern here)
podlist=$(printf '%s\n' "$pods" | awk '{ for (i = 1; i <= NF; i++) print $i }' |
	while IFS= read -r p; do code "$p"; done | awk 'NR > 1 { printf ", " } { printf "%s", $0 }')
if [ -n "$watch" ]; then
	whot=$(get "$run" hot_pod)
	wpeer=$(get "$run" peer_pod)
	echo "| Tested | $(code "${service:-?}") in namespace $(code "${namespace:-?}"), pods $podlist; captured by \`make watch\` when $(code "${whot:-?}") stood out (its normal peer: $(code "${wpeer:-?}")): the range $(utc "$load_start") to $(utc "$load_end") ($((load_end - load_start)) s) around the spike; no load results (no JTL: the load's own latency, samples and errors are not available) |"
else
	echo "| Tested | $(code "${service:-?}") in namespace $(code "${namespace:-?}"), pods $podlist; load $(utc "$load_start") to $(utc "$load_end") ($((load_end - load_start)) s), $samples samples, $errors errors |"
fi
if [ "$wsrc" = "(load window)" ] && [ -n "$watch" ]; then
	echo "| Spike window | the window the watch acted on (no narrower one found in it): $(utc "$ws") to $(utc "$we") ($(span "$ws" "$we") s, +$(span "$load_start" "$ws") s to +$(span "$load_start" "$we") s $into) |"
elif [ "$wsrc" = "(load window)" ]; then
	echo "| Spike window | none found above the baseline after the warm-up; the whole load window after it is used: $(utc "$ws") to $(utc "$we") |"
else
	echo "| Spike window | $(utc "$ws") to $(utc "$we") ($(span "$ws" "$we") s, +$(span "$load_start" "$ws") s to +$(span "$load_start" "$we") s $into); $wn spike windows of the sources ($srcs) overlap it, the strongest in $(code "$wsrc") |"
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
	culprits=$(awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		NR <= 4 && $c["frame"] != "[no app frame]" { print $c["self%"] "\t" $c["frame"] }' "$culprit_file" |
		while IFS= read -r line; do
			printf '%s (%s%% self)\n' "$(code "${line#*	}")" "$(text "${line%%	*}")"
		done | awk 'NR > 1 { printf ", " } { printf "%s", $0 } END { if (NR) print "" }')
fi
# the kind of bottleneck (diagnose --kind): its culprit, from the profile that
# shows it, leads the culprit row
diag=$out/diagnosis.tsv
dget() { [ -f "$diag" ] && awk -F '\t' -v f="$1" '$1 == f { print $2; exit }' "$diag"; }
kind=$(dget kind || true)
dculprit=$(dget culprit || true)
dprofile=$(dget profile || true)
devidence=$(dget evidence || true)
devidence=${devidence#"$kind: "}
lead=
if [ -n "$kind" ] && [ -n "$dculprit" ] && [ "$dculprit" != - ]; then
	lead="$(code "$dculprit") — **$(text "$kind")**, from \`$top\`'s $(text "$dprofile") profile: $(text "$devidence")"
elif [ -n "$kind" ]; then
	lead="**$(text "$kind")**: $(text "$devidence")"
fi
if [ -n "$culprit_file" ] && [ -f "$culprit_file" ]; then
	echo "| Top culprit frames | ${lead:+$lead; }$culprits — application frames of \`$top\`'s $culprit_event profile |"
elif [ -n "$lead" ]; then
	echo "| Top culprit frames | $lead |"
fi
if [ -n "$base" ]; then
	verdict=$(col "$out/verify/verdict.tsv" verdict metric overall)
	bhot=$(col "$base/out/hotpod.tsv" hot)
	btop=$(col "$base/out/hotpod.tsv" top)
	bculprit=
	if [ -f "$base/out/top/$btop.cpu.app.tsv" ]; then
		bculprit=$(awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["frame"] != "[no app frame]" { print $c["frame"]; exit }' "$base/out/top/$btop.cpu.app.tsv")
	fi
	if [ -n "$bhot" ]; then was="the hot pod was \`$bhot\`"; else was="no pod stood out (closest: \`$btop\`)"; fi
	echo "| Verdict | **$verdict** — this run against \`$(basename "$base")\` (rule below), where $was${bculprit:+ and the top culprit frame was $(code "$bculprit")} |"
elif [ -n "$watch" ]; then
	echo "| Verdict | not available: a \`make watch\` run has no load results and no run to compare with (a before/after verdict: \`make report RUN=AFTER BASE=BEFORE\` on two load runs) |"
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
	iv=$("$bin/runenv" --interval "$p" "$run/run.env")
	cov=$(awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		NR == 2 { printf "%.0f%%", 100 * $c["coverage"] }' "$out/windows/$p.tsv")
	flame="[svg](out/flame/$p.svg)"
	[ -s "$pdir/$p.collapsed" ] || flame="$flame (empty profile: no samples; for a lock profile, no contention; for a wait profile, no waits above the recording's threshold)"
	echo "| \`$p\` | $(utc "${iv%,*}") to $(utc "${iv#*,}") | ${cov:-none} | $flame | [all](out/top/$p.tsv), [app](out/top/$p.app.tsv) |"
done
echo
if [ -d "$out/cut" ]; then
	echo "Each profile is cut from the pod's whole-run recording (\`profiles/POD.jfr\`, captured as"
	echo "above) to the spike window: \`out/cut/POD.EVENT.collapsed\`."
	echo
fi
if [ -f "$diag" ]; then
	echo "### Kind of bottleneck of \`$top\`"
	echo
	echo "The signals and the rule that decided (\`man diagnose\`: metrics against the peers in the spike"
	echo "window; wall profiles counted over request-handling threads only, each sample charged to its"
	echo "last application frame)."
	echo
	md_table "$diag"
	echo
fi
if [ -n "$culprit_file" ] && [ -f "$culprit_file" ]; then
	echo "### Application frames of \`$top\`'s $culprit_event profile"
	echo
	md_table "$culprit_file" 10
	echo
fi
if [ -f "$out/diff/hot-vs-normal.cpu.tsv" ] && [ ! -s "$out/diff/hot-vs-normal.cpu.tsv" ]; then
	echo "### \`$top\` against a normal pod (CPU, same window)"
	echo
	echo "Not compared: \`$top\` has no CPU profile, or no other pod has one."
	echo
elif [ -f "$out/diff/hot-vs-normal.cpu.tsv" ]; then
	echo "### \`$top\` against \`$normal\` (CPU, same window)"
	echo
	echo "Application frames ranked by how much their own share changed from the normal pod to the"
	echo "hot pod (self: the samples charged to the frame, its own code and the library code it calls;"
	echo "total: the samples with it on the stack), so the culprit comes before its callers;"
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
	if [ -f "$out/verify/step.txt" ]; then
		step=$(text "$(cat "$out/verify/step.txt")")
		if [ "$step" = "${AN_STEP:-5s}" ]; then
			echo "The load's series (the JTLs) at a $step step, the metrics' at their own."
		else
			echo "The load's series (the JTLs) at a $step step inside the window (finer than its"
			echo "${AN_STEP:-5s} elsewhere: the window would hold fewer than 6 of those intervals), the"
			echo "metrics' at their own step."
		fi
	fi
	nd=$(pipelines/verify.sh --inconclusive "$run") ||
		echo "Not enough data (fewer than 3 values in a run): $(text "$nd"); \`make report\` exits non-zero unless \`INCONCLUSIVE=ok\`."
	echo
	md_table "$out/verify/verdict.tsv"
	echo
	"$bin/verdict" --rule
	echo
	echo "Whole-run statistics of the load (exact, from the JTLs):"
	echo
	md_table "$out/verify/stats.tsv"
	echo
	if [ -f "$out/diff/before-vs-after.cpu.tsv" ] && [ ! -s "$out/diff/before-vs-after.cpu.tsv" ]; then
		echo "CPU profile of the hot pod, before against after: not compared (no CPU profile of the"
		echo "top pod in one of the runs)."
		echo
	elif [ -f "$out/diff/before-vs-after.cpu.tsv" ]; then
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
echo "Tools: $(for t in jtlslice promrange spikes outliers hotpod stacks stackdiff flamegraph tsplot verdict runenv; do "$bin/$t" --version; done | paste -sd, - | sed 's/,/, /g')."
tools=$(get "$run" tools)
[ -n "$tools" ] && echo "Capture: $(text "$tools")."
echo
echo "## Artifacts"
echo
(cd "$run" && find out -type f ! -name '*.tmp' | LC_ALL=C sort) | while read -r f; do
	echo "- [$f]($f)"
done
