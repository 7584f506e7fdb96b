#!/usr/bin/env bash
# lab_phase1.sh - phase 1 end to end on the local lab: start the lab, load
# one replica directly while perf profiles it, save the metrics, then check
# the run folder and that the analysis names the planted culprit
# (org/example/lab/Search.tokenize).  Which replica is hot and the pod
# names vary from run to run, so nothing can pass by remembering them.
#
# Exit 0 pass, 77 skip (java, nginx, Prometheus or a working perf missing),
# anything else fail.  Every lab process is stopped on any exit.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$TOP/build/release/bin}
. "$TOP/tests/lab/itlib.sh"

lab_setup phase1 28100
replicas=3
hot=$((1 + RANDOM % replicas))
lab_make lab-start LAB_PORT="$LAB_PORT" LAB_PROM_PORT="$LAB_PROM_PORT" LAB_REPLICAS=$replicas \
	LAB_HOT=$hot LAB_SEED=$RANDOM || fail "lab-start failed"
. "$LAB_DIR/lab.env"
read -r -a pods <<<"$LAB_PODS"
pod=${pods[RANDOM % replicas]}
echo "lab: pods ${pods[*]}, hot $LAB_HOT_POD, phase 1 on $pod"

lab_make RUN="$RUN" POD="$pod" phase1 || fail "make phase1 failed"
check_run_folder 1
[ "$(sed -n 's/^pods=//p' "$RUN/run.env")" = "${pods[*]}" ] || fail "run.env: pods differ from the lab's"
n=$(gzip -dc "$RUN/result.jtl.gz" | awk -F, -v u="127.0.0.1:${LAB_PORT}/" 'NR > 1 && index($14, u)' | wc -l)
[ "$n" = 0 ] || fail "phase 1 load went through nginx ($n samples)"

analyze_culprit "$RUN" "$pod"
check_report "$RUN"
echo "phase 1: culprit found on $pod"
