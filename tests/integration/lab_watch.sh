#!/usr/bin/env bash
# lab_watch.sh - phase 2 automated on the local lab, end to end: start the
# lab with a random hot replica (a data set of 4000 items against 200: with
# three replicas, two peers are all the spread outliers has to go by), a
# load through nginx, and 32 s into it (the replicas' JIT warm-up is no
# incident) `make RUNTIME=local watch` (a Flight Recorder ring buffer on
# every replica, Prometheus polled); the load's burst starts at 45 s. The
# watch must write a run folder with the hot replica's and a peer's
# recordings, hot_pod = the lab's hot replica, and `make report` on it must
# name the hot pod and the planted culprit; afterwards no recording is left
# in any JVM and no .part folder is left. The detection latency (the load
# driver's first burst request -> the hot replica's dump written) is
# printed, and the latency from the start of the spike window the watch
# acted on. Then, with no hot replica (the lab restarted with LAB_HOT=0) and
# no load, the watch must end at WATCH_MAX with its message, status 0, no
# run folder, recordings stopped. (Under load, with or without a burst, one
# of three equal replicas now and then stands 3 robust sigmas above its two
# peers for 10 s on this shared machine, and the watch fires: no load is the
# case that has no spike for sure.)
#
# LAB_WATCH_RUNS=N repeats the spike case N times on the same lab (each a
# new load and a new watch), LAB_WATCH_NOSPIKE=0 leaves the no-spike case out.
# Exit 0 pass, 77 skip (java, nginx, Prometheus, jattach missing), else fail.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$TOP/build/release/bin}
. "$TOP/tests/lab/itlib.sh"

# the watch needs no perf: the lab's requirements without it
lab_require() {
	local c
	for c in java javac nginx prometheus jattach curl jq; do
		command -v "$c" >/dev/null 2>&1 || skip "skipped: '$c' is not installed"
	done
	for c in promrange spikes outliers stacks; do
		[ -x "$BIN/$c" ] || skip "skipped: $BIN/$c is not built"
	done
}

runs=${LAB_WATCH_RUNS:-1}
nospike=${LAB_WATCH_NOSPIKE:-1}
[[ $runs =~ ^[1-9]$ ]] || fail "LAB_WATCH_RUNS: '$runs' (want 1..9)"

lab_setup watch 28500
replicas=3
hot=$((1 + RANDOM % replicas))
load_pid=
watch_pid=
# (the watch runs in its own process group: TERM reaches make and the step)
stop_bg() {
	[ -z "$watch_pid" ] || { kill -TERM -- "-$watch_pid" 2>/dev/null; wait "$watch_pid" 2>/dev/null; }
	[ -z "$load_pid" ] || { kill -TERM "$load_pid" 2>/dev/null; wait "$load_pid" 2>/dev/null; }
	watch_pid='' load_pid=''
}
# LAB_KEEP=1 keeps the lab's logs too (beside the runs)
keep_logs() { [ "${LAB_KEEP:-0}" != 1 ] || cp -R "$LAB_DIR/logs" "$T/lab-logs" 2>/dev/null || :; }
trap 'rc0=$?; stop_bg; keep_logs; (exit $rc0); lab_cleanup' EXIT

# watch ARGS...: make watch in the background (RUN, LAB_DIR set)
watch_bg() {
	setsid make -C "$TOP" --no-print-directory RUNTIME=local LAB_DIR="$LAB_DIR" LAB_BIN="$BIN" \
		RUN="$RUN" WATCH_POLL=3 WATCH_LOOKBACK=60 WATCH_MARGIN=4 WATCH_COOLDOWN=5 \
		WATCH_MAXAGE=5m "$@" watch >"$T/watch.log" 2>&1 &
	watch_pid=$!
	local i
	for ((i = 0; i < 120; i++)); do
		[ -e "$RUN.watch/capture/sync/profile.ready" ] && return 0
		kill -0 "$watch_pid" 2>/dev/null || { cat "$T/watch.log" >&2; fail "make watch ended before recording"; }
		sleep 0.5
	done
	cat "$T/watch.log" >&2
	fail "the recordings did not start within 60 s"
}

# load: through nginx, 80 s, 3 threads, 8 more in the burst from 40 s to 65 s
# (after 5 s warm-up), light enough that the burst does not saturate the
# machine: the hot replica's p99 stands out, not everyone's; the watch
# starts 32 s into it (its recordings a few seconds later), after the
# replicas' own warm-up, shortly before the burst
load_bg() { # [BURST_THREADS]
	java -Dlab.dir="$LAB_DIR" -Xmx256m -cp "$LAB_DIR/classes" org.example.lab.LoadDriver \
		--base "$LAB_LB_URL" --out "$T/load.jtl.gz" --duration 80 --threads 3 --burst-threads "${1:-8}" \
		--burst-start 40 --burst-end 65 --warmup 5 --seed 1 >"$T/load.log" 2>&1 &
	load_pid=$!
	sleep 32
}

# Every replica has no recording left.
no_recording() {
	local p pid out
	for p in $LAB_PODS; do
		pid=$(cat "$LAB_DIR/pids/$p.java.pid")
		out=$(jattach "$pid" jcmd JFR.check 2>&1) || fail "jattach $p JFR.check failed: $out"
		case $out in *"No available recordings"*) ;; *) fail "$p still records: $out" ;; esac
	done
}

no_part() {
	local left
	left=$(find "$T" -maxdepth 1 \( -name '*.part.*' -o -name '*.watch' \))
	[ -z "$left" ] || fail "left behind: $left"
}

lab_make lab-start LAB_PORT="$LAB_PORT" LAB_PROM_PORT="$LAB_PROM_PORT" LAB_REPLICAS=$replicas \
	LAB_HOT=$hot LAB_HOT_ITEMS=4000 LAB_SEED=$RANDOM || fail "lab-start failed"
. "$LAB_DIR/lab.env"
echo "lab: pods $LAB_PODS, hot $LAB_HOT_POD"

lat=() latw=()
for ((r = 1; r <= runs; r++)); do
	RUN=$T/run$r
	load_bg
	watch_bg WATCH_MAX=150
	wait "$watch_pid"
	rc=$?
	watch_pid=
	cat "$T/watch.log"
	[ "$rc" = 0 ] || fail "make watch exited $rc"
	wait "$load_pid" || { cat "$T/load.log" >&2; fail "the load driver failed"; }
	load_pid=
	[ -d "$RUN" ] || { tail -n 5 "$T/load.log" >&2; fail "no run folder $RUN"; }
	no_part
	no_recording
	h=$(sed -n 's/^hot_pod=//p' "$RUN/run.env")
	peer=$(sed -n 's/^peer_pod=//p' "$RUN/run.env")
	[ "$h" = "$LAB_HOT_POD" ] || fail "hot_pod is '$h', the lab's hot replica is $LAB_HOT_POD"
	[ -n "$peer" ] && [ "$peer" != "$h" ] || fail "peer_pod is '$peer'"
	grep -qx trigger=watch "$RUN/run.env" || fail "run.env: no trigger=watch"
	grep -qx runtime=local "$RUN/run.env" || fail "run.env: runtime is not local"
	for p in "$h" "$peer"; do
		[ "$(head -c 3 "$RUN/profiles/$p.jfr")" = FLR ] || fail "profiles/$p.jfr is not a recording"
	done
	[ "$(ls "$RUN/profiles" | wc -l)" = 2 ] || fail "profiles/ holds $(ls "$RUN/profiles")"
	for k in p99_by_pod rps_by_pod cpu_by_pod gc_by_pod; do
		jq -e '.status == "success"' "$RUN/prom/$k.json" >/dev/null || fail "prom/$k.json is not a successful response"
	done
	# the latency: the first burst request of the load -> the hot replica's
	# dump written; and the start of the spike window the watch acted on
	# (the dumped range without its margin) -> the dump
	burst=$(gzip -dc "$T/load.jtl.gz" | awk -F, 'NR > 1 && $6 ~ /^burst 2-/ { t = $1 / 1000; if (m == "" || t < m) m = t } END { if (m != "") printf "%.1f\n", m }')
	[ -n "$burst" ] || fail "the load has no burst sample"
	dumped=$(stat -c %Y "$RUN/profiles/$h.jfr")
	ws=$(($(sed -n 's/^load_start=//p' "$RUN/run.env") + 4))
	we=$(($(sed -n 's/^load_end=//p' "$RUN/run.env") - 4))
	l=$(awk -v a="$burst" -v b="$dumped" 'BEGIN { printf "%.1f", b - a }')
	lw=$((dumped - ws))
	lat+=("$l") latw+=("$lw")
	echo "run $r: hot $h, peer $peer; spike window $ws-$we ($(awk -v a="$burst" -v s="$ws" -v e="$we" 'BEGIN { printf "%+.1f..%+.1f s from the burst start", s - a, e - a }')); detection latency: burst start -> dump ${l} s, window start -> dump ${lw} s (burst start $burst, dump written $dumped)"
	((lw > 0 && lw < 120)) || fail "window start -> dump $lw s is out of 0..120 s"
	awk -v l="$l" 'BEGIN { exit !(l > -60 && l < 120) }' || fail "burst start -> dump $l s is out of -60..120 s"
	check_report "$RUN" CPU-bound "$CULPRIT" cpu "$LAB_HOT_POD"
	grep -q '^| Verdict |' "$RUN/report.md" || fail "report.md has no Verdict row"
done
echo "detection latency, burst start -> dump (s): ${lat[*]}"
echo "detection latency, spike window start -> dump (s): ${latw[*]}"

if [ "$nospike" = 1 ]; then
	lab_make lab-stop >/dev/null 2>&1 || fail "lab-stop failed"
	lab_make lab-start LAB_PORT="$LAB_PORT" LAB_PROM_PORT="$LAB_PROM_PORT" LAB_REPLICAS=$replicas \
		LAB_HOT=0 LAB_SEED=$RANDOM || fail "lab-start (no hot replica) failed"
	. "$LAB_DIR/lab.env"
	RUN=$T/none
	watch_bg WATCH_MAX=30
	wait "$watch_pid"
	rc=$?
	watch_pid=
	cat "$T/watch.log"
	[ "$rc" = 0 ] || fail "make watch (no hot replica) exited $rc"
	grep -q 'no pod stood out in p99_by_pod over 30 s of watching: no run folder written' "$T/watch.log" ||
		fail "make watch (no hot replica) did not say that no pod stood out"
	[ ! -e "$RUN" ] || fail "make watch (no hot replica) wrote $RUN"
	no_part
	no_recording
	echo "no hot replica: ended at WATCH_MAX, nothing written, no recording left"
fi
echo "lab_watch: pass"
