#!/usr/bin/env bash
# lab_watch.sh - phase 2 automated on the local lab, end to end: start the
# lab with a random hot replica (a data set of 4000 items against 200),
# `make RUNTIME=local watch` (a Flight Recorder ring buffer on every
# replica, Prometheus polled), and once every replica records a load
# through nginx (80 s, 3 threads, 8 more in a burst from 40 s to 65 s).
# The hot replica is slower than its peers from the load's first request:
# the watch must write a run folder with the hot replica's and a peer's
# recordings, hot_pod = the lab's hot replica, and `make report` on it must
# name the hot pod and the planted culprit; afterwards no recording is left
# in any JVM and no .part folder is left. The detection latency (the load
# driver's first request -> the hot replica's dump written) is printed, and
# the latency from the start of the spike window the watch acted on.
# Then, with no hot replica (the lab restarted with LAB_HOT=0), the same
# load, burst and JIT warm-up included, and the watch over all of it: the
# watch must end at WATCH_MAX with its message, status 0, no run folder,
# recordings stopped (three equal replicas: the burst raises every p99 at
# once, and no replica is twice its peers for WATCH_MIN_DURATION).
#
# LAB_WATCH_RUNS=N repeats the spike case N times on the same lab (each a
# new load and a new watch), LAB_WATCH_QUIET_RUNS=N the no-spike case (0
# leaves it out).
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
quiet=${LAB_WATCH_QUIET_RUNS:-1}
[[ $runs =~ ^[1-9]$ ]] || fail "LAB_WATCH_RUNS: '$runs' (want 1..9)"
[[ $quiet =~ ^[0-9]$ ]] || fail "LAB_WATCH_QUIET_RUNS: '$quiet' (want 0..9)"

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
# machine
load_bg() {
	java -Dlab.dir="$LAB_DIR" -Xmx256m -cp "$LAB_DIR/classes" org.example.lab.LoadDriver \
		--base "$LAB_LB_URL" --out "$T/load.jtl.gz" --duration 80 --threads 3 --burst-threads 8 \
		--burst-start 40 --burst-end 65 --warmup 5 --seed 1 >"$T/load.log" 2>&1 &
	load_pid=$!
}

# watch_load RUN N WATCH_MAX: make watch into RUN, the load once every
# replica records; both waited for, both must succeed. The N-th of a series:
# from the second on, first wait until the previous load's p99 is gone (it
# lasts the query's rate window, 10 s, and a scrape after the load's end: a
# new watch would still see its hot pod stand out).
watch_load() {
	RUN=$1
	[ "$2" = 1 ] || sleep 15
	watch_bg WATCH_MAX="$3"
	load_bg
	wait "$watch_pid"
	rc=$?
	watch_pid=
	cat "$T/watch.log"
	[ "$rc" = 0 ] || fail "make watch ($RUN) exited $rc"
	wait "$load_pid" || { cat "$T/load.log" >&2; fail "the load driver failed"; }
	load_pid=
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
	watch_load "$T/run$r" "$r" 150
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
	# the latency: the load's first request (the hot replica is slower than
	# its peers from it on) -> the hot replica's dump written; and the start
	# of the spike window the watch acted on (the dumped range without its
	# margin) -> the dump
	first=$(gzip -dc "$T/load.jtl.gz" | awk -F, 'NR > 1 { t = $1 / 1000; if (m == "" || t < m) m = t } END { if (m != "") printf "%.1f\n", m }')
	[ -n "$first" ] || fail "the load has no sample"
	dumped=$(stat -c %Y "$RUN/profiles/$h.jfr")
	ws=$(($(sed -n 's/^load_start=//p' "$RUN/run.env") + 4))
	we=$(($(sed -n 's/^load_end=//p' "$RUN/run.env") - 4))
	l=$(awk -v a="$first" -v b="$dumped" 'BEGIN { printf "%.1f", b - a }')
	lw=$((dumped - ws))
	lat+=("$l") latw+=("$lw")
	echo "run $r: hot $h, peer $peer; spike window $ws-$we ($(awk -v a="$first" -v s="$ws" -v e="$we" 'BEGIN { printf "%+.1f..%+.1f s from the load start", s - a, e - a }')); detection latency: load start -> dump ${l} s, window start -> dump ${lw} s (load start $first, dump written $dumped)"
	((lw > 0 && lw < 120)) || fail "window start -> dump $lw s is out of 0..120 s"
	awk -v l="$l" 'BEGIN { exit !(l > 0 && l < 120) }' || fail "load start -> dump $l s is out of 0..120 s"
	check_report "$RUN" CPU-bound "$CULPRIT" cpu "$LAB_HOT_POD"
	grep -q '^| Verdict |' "$RUN/report.md" || fail "report.md has no Verdict row"
done
echo "detection latency, load start -> dump (s): ${lat[*]}"
echo "detection latency, spike window start -> dump (s): ${latw[*]}"

if [ "$quiet" -gt 0 ]; then
	lab_make lab-stop >/dev/null 2>&1 || fail "lab-stop failed"
	lab_make lab-start LAB_PORT="$LAB_PORT" LAB_PROM_PORT="$LAB_PROM_PORT" LAB_REPLICAS=$replicas \
		LAB_HOT=0 LAB_SEED=$RANDOM || fail "lab-start (no hot replica) failed"
	. "$LAB_DIR/lab.env"
	for ((r = 1; r <= quiet; r++)); do
		# the whole load (80 s) and the margin: WATCH_MAX 95 s
		watch_load "$T/none$r" "$r" 95
		grep -q 'no pod stood out in p99_by_pod over 95 s of watching: no run folder written' "$T/watch.log" ||
			fail "make watch (no hot replica, under load) did not say that no pod stood out"
		[ ! -e "$RUN" ] || fail "make watch (no hot replica, under load) wrote $RUN: hot_pod $(sed -n 's/^hot_pod=//p' "$RUN/run.env")"
		no_part
		no_recording
		echo "no hot replica, run $r: the load and its burst watched, ended at WATCH_MAX, nothing written, no recording left"
	done
fi
echo "lab_watch: pass"
