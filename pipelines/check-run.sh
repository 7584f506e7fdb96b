#!/bin/sh
# check-run.sh RUN - check that RUN is a run folder the analysis can use
# (pipelines/README.md) and print its facts (jtl "-": a make watch folder,
# trigger=watch, without load results); on the first problem, say what
# is missing and exit 1, so that no half-made report is written.  File
# names and types were checked by check-names.sh before make read the
# rules; run.env is read by runenv only.
set -u
run=$1
bin=${AN_BIN:-build/release/bin}
fail() { echo "check-run: $run: $*" >&2; exit 1; }
[ -d "$run" ] || fail "no such run folder"
[ -f "$run/run.env" ] || fail "no run.env (the run's facts: pods, load window, capture intervals)"
pods=$("$bin/runenv" -k pods "$run/run.env") || exit 1
[ -n "$pods" ] || fail "run.env: no 'pods'"
load=$("$bin/runenv" --load "$run/run.env") || exit 1
trigger=$("$bin/runenv" -k trigger "$run/run.env") || exit 1
if [ -f "$run/result.jtl.gz" ]; then jtl=result.jtl.gz
elif [ -f "$run/result.jtl" ]; then jtl=result.jtl
# a folder written by make watch (trigger=watch) has no load of its own:
# its window (load_start, load_end) is the spike plus a margin
elif [ "$trigger" = watch ]; then jtl=-
else fail "no load-test results (result.jtl.gz or result.jtl)"
fi
if [ "$jtl" = - ]; then
	for k in spike_start spike_end; do
		"$bin/runenv" --epoch "$k" "$run/run.env" >/dev/null ||
			fail "run.env: a watch folder needs '$k' (the spike window the watch acted on)"
	done
fi
for q in p99_by_pod rps_by_pod cpu_by_pod gc_by_pod; do
	[ -f "$run/prom/$q.json" ] || fail "no prom/$q.json (the saved Prometheus response of query '$q')"
done
# Recordings (profiles/POD.jfr) give one profile per pod and event class
# (AN_JFR_EVENTS), cut by the pipeline; else the collapsed captures.
jfrs=$(ls "$run"/profiles/*.jfr 2>/dev/null | LC_ALL=C sort)
if [ -n "$jfrs" ]; then
	stems=$(for j in $jfrs; do for e in ${AN_JFR_EVENTS:-cpu wall lock alloc wait}; do
		echo "$(basename "$j" .jfr).$e"; done; done | LC_ALL=C sort)
	"$bin/runenv" --interval jfr.jfr "$run/run.env" >/dev/null ||
		fail "run.env: recordings (profiles/POD.jfr) need profile_jfr_start and profile_jfr_end"
else
	stems=$(ls "$run"/profiles/*.collapsed 2>/dev/null | LC_ALL=C sort | sed 's|.*/||; s|\.collapsed$||')
fi
[ -n "$stems" ] || fail "no profiles (profiles/POD.EVENT.collapsed) and no recordings (profiles/POD.jfr)"
for stem in $stems; do
	pod=${stem%.*}
	[ -n "$pod" ] && [ "$pod" != "$stem" ] || fail "profile '$stem': name is not POD.EVENT.collapsed"
	"$bin/runenv" --interval "$stem" "$run/run.env" >/dev/null || exit 1
	re=$(printf '%s' "$pod" | sed 's/\./\\./g')
	grep -Eq "\"pod\" *: *\"$re\"" "$run/prom/p99_by_pod.json" ||
		fail "profile '$stem': pod '$pod' is not in the metrics (prom/p99_by_pod.json)"
done
echo "run	$run"
echo "pods	$pods"
echo "load	${load%,*}	${load#*,}"
echo "jtl	$jtl"
for p in $stems; do echo "profile	$p"; done
