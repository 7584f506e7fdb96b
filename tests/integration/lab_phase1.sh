#!/usr/bin/env bash
# lab_phase1.sh - phase 1 end to end on the local lab: start the lab, load
# one replica directly while its Flight Recorder records the whole load
# (PROFILER=jfr, the default; PROFILER=perf takes a perf snapshot in the
# burst instead: lab_phase1_perf.sh), save the metrics, then check the run
# folder, that no recording is left running (also after a capture
# interrupted by SIGTERM or failing mid-load), that the tools name the
# planted culprit (org/example/lab/Search.tokenize) in the replica's cpu
# profile, and that `make report`'s Summary calls it CPU-bound with that
# culprit from the replica's cpu profile.  The replica loaded, the hot one
# and the pod names vary from run to run, so nothing can pass by
# remembering them.
#
# LAB_FIX=1 runs the fixed service, and the test must then fail (a manual
# negative control: the assertions hold only while the bottleneck is there).
#
# Exit 0 pass, 77 skip (java, nginx, Prometheus, jattach or, with
# PROFILER=perf, a working perf missing), anything else fail.  Every lab
# process is stopped on any exit.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$TOP/build/release/bin}
. "$TOP/tests/lab/itlib.sh"

lab_setup "phase1-$PROFILER" 28100
replicas=3
hot=$((1 + RANDOM % replicas))
lab_make lab-start LAB_PORT="$LAB_PORT" LAB_PROM_PORT="$LAB_PROM_PORT" LAB_REPLICAS=$replicas \
	LAB_HOT=$hot LAB_SEED=$RANDOM LAB_FIX="${LAB_FIX:-0}" || fail "lab-start failed"
. "$LAB_DIR/lab.env"
read -r -a pods <<<"$LAB_PODS"
pod=${pods[RANDOM % replicas]}
echo "lab: pods ${pods[*]}, hot $LAB_HOT_POD, phase 1 on $pod with $PROFILER"

lab_make RUN="$RUN" POD="$pod" PROFILER="$PROFILER" phase1 || fail "make phase1 failed"
check_run_folder 1 "$pod"
[ "$(sed -n 's/^pods=//p' "$RUN/run.env")" = "${pods[*]}" ] || fail "run.env: pods differ from the lab's"
n=$(gzip -dc "$RUN/result.jtl.gz" | awk -F, -v u="127.0.0.1:${LAB_PORT}/" 'NR > 1 && index($14, u)' | wc -l)
[ "$n" = 0 ] || fail "phase 1 load went through nginx ($n samples)"

analyze_culprit "$RUN" "$pod"
check_report "$RUN" CPU-bound "$CULPRIT" cpu
if [ "$PROFILER" = jfr ]; then
	# a recording is stopped however the capture ends
	check_interrupted term
	check_interrupted fail
fi
echo "phase 1 ($PROFILER): culprit found on $pod"
