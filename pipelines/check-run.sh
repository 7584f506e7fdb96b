#!/bin/sh
# check-run.sh RUN - check that RUN is a run folder the analysis can use
# (pipelines/README.md) and print its facts; on the first problem, say what
# is missing and exit 1, so that no half-made report is written.
set -u
run=$1
fail() { echo "check-run: $run: $*" >&2; exit 1; }
[ -d "$run" ] || fail "no such run folder"
[ -f "$run/run.env" ] || fail "no run.env (the run's facts: pods, load window, capture intervals)"
env=$(cat "$run/run.env")
get() { printf '%s\n' "$env" | sed -n "s/^$1=//p" | tail -n 1; }
pods=$(get pods)
start=$(get load_start)
end=$(get load_end)
[ -n "$pods" ] || fail "run.env: no 'pods'"
case "$start$end" in ''|*[!0-9]*) fail "run.env: load_start and load_end must be epoch seconds (got '$start', '$end')" ;; esac
[ "$end" -gt "$start" ] || fail "run.env: empty load window (load_start=$start, load_end=$end)"
if [ -f "$run/result.jtl.gz" ]; then jtl=result.jtl.gz
elif [ -f "$run/result.jtl" ]; then jtl=result.jtl
else fail "no load-test results (result.jtl.gz or result.jtl)"
fi
for q in p99_by_pod rps_by_pod cpu_by_pod gc_by_pod; do
	[ -f "$run/prom/$q.json" ] || fail "no prom/$q.json (the saved Prometheus response of query '$q')"
done
profiles=$(ls "$run"/profiles/*.collapsed 2>/dev/null | sort)
[ -n "$profiles" ] || fail "no profiles (profiles/POD.EVENT.collapsed)"
for p in $profiles; do
	stem=$(basename "$p" .collapsed)
	pod=${stem%.*}
	event=${stem##*.}
	[ "$pod" != "$stem" ] || fail "profile '$stem': name is not POD.EVENT.collapsed"
	[ -n "$(get "profile_${event}_start")" ] && [ -n "$(get "profile_${event}_end")" ] ||
		fail "run.env: no capture interval (profile_${event}_start/end) for profile '$stem'"
	grep -Eq "\"pod\" *: *\"$pod\"" "$run/prom/p99_by_pod.json" ||
		fail "profile '$stem': pod '$pod' is not in the metrics (prom/p99_by_pod.json)"
done
echo "run	$run"
echo "pods	$pods"
echo "load	$start	$end"
echo "jtl	$jtl"
for p in $profiles; do echo "profile	$(basename "$p" .collapsed)"; done
