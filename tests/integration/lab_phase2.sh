#!/usr/bin/env bash
# lab_phase2.sh - phase 2 end to end on the local lab: start the lab with
# one replica made hot (a larger search data set), load the service
# through nginx while every replica's Flight Recorder records the whole
# load (PROFILER=jfr), save the metrics, then check the run folder, that no
# recording is left running, that the tools name the hot replica (from p99
# and CPU in the burst) and the planted culprit
# (org/example/lab/Search.tokenize) in its recording, and that `make
# report`'s Summary names the hot replica and calls it CPU-bound with that
# culprit from its cpu profile.  The hot replica and the pod names vary
# from run to run.
#
# LAB_FIX=1 runs the fixed service, and the test must then fail (a manual
# negative control: the assertions hold only while the bottleneck is there).
#
# Exit 0 pass, 77 skip (java, nginx, Prometheus or jattach missing),
# anything else fail.  Every lab process is stopped on any exit.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$TOP/build/release/bin}
. "$TOP/tests/lab/itlib.sh"

lab_setup phase2 28300
replicas=3
hot=$((1 + RANDOM % replicas))
lab_make lab-start LAB_PORT="$LAB_PORT" LAB_PROM_PORT="$LAB_PROM_PORT" LAB_REPLICAS=$replicas \
	LAB_HOT=$hot LAB_SEED=$RANDOM LAB_FIX="${LAB_FIX:-0}" || fail "lab-start failed"
. "$LAB_DIR/lab.env"
read -r -a pods <<<"$LAB_PODS"
echo "lab: pods ${pods[*]}, hot $LAB_HOT_POD"

lab_make RUN="$RUN" PROFILER="$PROFILER" phase2 || fail "make phase2 failed"
check_run_folder 2 "${pods[*]}"
n=$(gzip -dc "$RUN/result.jtl.gz" | awk -F, -v u="127.0.0.1:${LAB_PORT}/" 'NR > 1 && !index($14, u)' | wc -l)
[ "$n" = 0 ] || fail "phase 2 load did not all go through nginx ($n samples elsewhere)"
for p in "${pods[@]}"; do
	jq -e --arg p "$p" '[.data.result[] | select(.metric.pod == $p) | .values[][1] | tonumber] | max > 1' \
		"$RUN/prom/rps_by_pod.json" >/dev/null || fail "nginx did not spread the load to $p"
done

found=$(analyze_hot "$RUN") || exit 1
[ "$found" = "$LAB_HOT_POD" ] || fail "the analysis names '$found' as the hot replica, not $LAB_HOT_POD"
analyze_culprit "$RUN" "$LAB_HOT_POD"
check_report "$RUN" CPU-bound "$CULPRIT" cpu "$LAB_HOT_POD"
echo "phase 2 ($PROFILER): hot replica $found, culprit found in its profile"
