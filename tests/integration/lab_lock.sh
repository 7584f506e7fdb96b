#!/usr/bin/env bash
# lab_lock.sh - the lock-bound variant end to end on the local lab: one
# replica records every search in a Ledger whose synchronized commit()
# sleeps while it holds the monitor (LAB_KIND=lock: latency up, CPU flat).
# Load the service through nginx while every replica's Flight Recorder
# records the whole load, save the metrics, then check that the tools
# name the slow replica from its p99 in the burst, and that `make
# report`'s Summary names it as the hot pod and calls it lock/wait-bound
# with org/example/lab/Ledger.commit from its lock (or wall) profile.
#
# Then the negative control: the same capture of the fixed service
# (LAB_FIX=1: no monitor held) must fail those assertions, so they hold
# only while the bottleneck is there.  LAB_NEGATIVE=0 leaves it out.
# The slow replica and the pod names vary from run to run.
#
# Exit 0 pass, 77 skip (java, nginx, Prometheus or jattach missing),
# anything else fail.  Every lab process is stopped on any exit.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$TOP/build/release/bin}
. "$TOP/tests/lab/itlib.sh"

LEDGER=org/example/lab/Ledger.commit

# capture FIX RUN: a lock-bound lab (fixed or not), a phase 2 capture of
# it into RUN, the lab stopped again; sets pods and slow.
capture() {
	local fix=$1 run=$2 hot
	hot=$((1 + RANDOM % 3))
	lab_make lab-start LAB_PORT="$LAB_PORT" LAB_PROM_PORT="$LAB_PROM_PORT" LAB_REPLICAS=3 \
		LAB_HOT=$hot LAB_KIND=lock LAB_FIX="$fix" LAB_SEED=$RANDOM || fail "lab-start failed"
	. "$LAB_DIR/lab.env"
	read -r -a pods <<<"$LAB_PODS"
	slow=$LAB_HOT_POD
	echo "lab (LAB_FIX=$fix): pods ${pods[*]}, lock-bound replica $slow"
	lab_make RUN="$run" PROFILER="$PROFILER" phase2 || fail "make phase2 failed (LAB_FIX=$fix)"
	RUN=$run check_run_folder 2 "${pods[*]}"
	lab_make lab-stop >/dev/null || fail "lab-stop failed"
}

lab_setup lock 28500
capture 0 "$RUN"
found=$(analyze_hot "$RUN" p99_by_pod) || exit 1
[ "$found" = "$slow" ] || fail "the analysis names '$found' as the slow replica, not $slow"
check_report "$RUN" lock/wait-bound "$LEDGER" 'lock|wall' "$slow"
echo "lock-bound: slow replica $found, $LEDGER in its profile"

[ "${LAB_NEGATIVE:-1}" = 1 ] || exit 0
capture 1 "$T/fixed"
# the fixed service fails the checks on the report's content (hot pod), and
# on the kind and culprit alone too; not because no report was made
for h in "$slow" ""; do
	if (check_report "$T/fixed" lock/wait-bound "$LEDGER" 'lock|wall' ${h:+"$h"}) >"$T/negative.log" 2>&1; then
		cat "$T/negative.log" >&2
		fail "the report of the fixed service passes the lock-bound checks${h:+ (hot pod $h)}"
	fi
	! grep -q '^FAIL: make report failed' "$T/negative.log" || { cat "$T/negative.log" >&2; fail "no report of the fixed service"; }
	echo "negative control (LAB_FIX=1${h:+, hot pod $h}): $(grep '^FAIL' "$T/negative.log")"
done
grep '^| [A-Z]' "$T/negative.log" >&2
