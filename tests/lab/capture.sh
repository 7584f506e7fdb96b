#!/usr/bin/env bash
# capture.sh - capture a run folder (pipelines/README.md) from the running
# local lab: load, profiles, metrics, and the commands that made them.
#
#   capture.sh pods | load | profile | metrics | convert | run
#
#   pods     start RUN: run.env (namespace, service, pods, phase, runtime,
#            tools, prometheus_step) and capture/commands.log
#   load     run the load driver (phase 1: POD's own port, phase 2: nginx)
#            into RUN/result.jtl.gz; sets load_start, load_end
#   profile  profile PODS for DURATION seconds now with PROFILER: jfr
#            records profiles/POD.jfr (sets profile_jfr_start/end), perf
#            and asprof take profiles/POD.EVENT.collapsed snapshots (set
#            profile_EVENT_start/end); all set profile_backend
#   metrics  save the query_range responses of QUERIES over the load window
#            (start - 10 s, end + 4 s) into RUN/prom/ with prom/index.tsv
#            (promrange --archive)
#   convert  turn saved perf script text (capture/POD.EVENT.perf.txt) into
#            profiles/POD.EVENT.collapsed with `stacks --from perf`
#   run      all of it: pods, then with PROFILER=jfr a recording of every
#            pod started before the load and dumped when it ends; with perf
#            or asprof the load in the background and a snapshot of
#            DURATION seconds during the burst; then metrics, convert
#
# Backends (PROFILER):
#   jfr     (default) the Flight Recorder of each JVM through jattach
#           (JFR.start name=jvmperf settings=JFC, JFR.dump, JFR.stop):
#           a whole-load recording profiles/POD.jfr, the same run folder
#           as a cluster capture with PROFILER=jfr; every event class
#           (cpu, wall, lock, alloc) is cut from it by the analysis.
#           A recording still running when the capture fails or is
#           interrupted is stopped.
#   perf    perf record -g of EVENT cpu for DURATION seconds
#           (profile_backend=perf)
#   asprof  an async-profiler snapshot of EVENT for DURATION seconds, from
#           ASPROF_BUNDLE (the default backend when ASPROF_BUNDLE is set
#           and PROFILER is not; profile_backend=asprof-collapsed, as a
#           cluster snapshot)
#
# Environment: RUN (required), LAB_DIR, BIN, PHASE (1), POD, PODS, PROFILER
# (jfr), JFC (pipelines/jvmperf.jfc), JATTACH (jattach), EVENT
# (cpu), DURATION (10), INTERVAL (asprof -i), THREADS (1 = asprof -t),
# ASPROF_BUNDLE, PROM_URL, QUERIES, LAB_THREADS (6), LAB_LOAD_SECONDS (60),
# LAB_BURST_THREADS (12), LAB_BURST_START (25), LAB_BURST_END (40),
# LAB_PROFILE_DELAY (28, snapshots only), LAB_WARMUP (8, unrecorded
# seconds of steady load before the load proper), LAB_PERF_FREQ (99),
# LAB_STEP (2), LAB_SEED (1), LAB_LOAD_EXIT_DELAY (0: milliseconds the load
# driver lingers when ended by a signal, as a JMeter flushing its results).
#
# Exit status: 0 ok, 1 bad configuration, 2 a capture step failed.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
die() { echo "capture: $2" >&2; exit "$1"; }

LAB_DIR=${LAB_DIR:-$top/build/lab/default}
case $LAB_DIR in /*) ;; *) LAB_DIR=$PWD/$LAB_DIR ;; esac
LAB_PODS="" LAB_PROM_URL=""
if [ "${1:-}" != convert ]; then
	[ -f "$LAB_DIR/lab.env" ] || die 1 "no lab running in $LAB_DIR (run 'make RUNTIME=local lab-start')"
	# shellcheck source=/dev/null
	. "$LAB_DIR/lab.env"
fi

[ -n "${RUN:-}" ] || die 1 "RUN is not set (the run folder)"
BIN=${BIN:-$top/build/release/bin}
PHASE=${PHASE:-1}
POD=${POD:-${LAB_PODS%% *}}
EVENT=${EVENT:-cpu}
DURATION=${DURATION:-10}
THREADS=${THREADS:-0}
LAB_THREADS=${LAB_THREADS:-6}
INTERVAL=${INTERVAL:-}
ASPROF_BUNDLE=${ASPROF_BUNDLE:-}
if [ -z "${PROFILER:-}" ]; then
	if [ -n "$ASPROF_BUNDLE" ]; then PROFILER=asprof; else PROFILER=jfr; fi
fi
JFC=${JFC:-$top/pipelines/jvmperf.jfc}
case $JFC in /*) ;; *) JFC=$PWD/$JFC ;; esac
JATTACH=${JATTACH:-jattach}
PROM_URL=${PROM_URL:-$LAB_PROM_URL}
QUERIES=${QUERIES:-$top/pipelines/queries.tsv}
LAB_LOAD_SECONDS=${LAB_LOAD_SECONDS:-60}
LAB_BURST_THREADS=${LAB_BURST_THREADS:-12}
LAB_BURST_START=${LAB_BURST_START:-25}
LAB_BURST_END=${LAB_BURST_END:-40}
LAB_PROFILE_DELAY=${LAB_PROFILE_DELAY:-28}
LAB_WARMUP=${LAB_WARMUP:-8}
LAB_PERF_FREQ=${LAB_PERF_FREQ:-99}
LAB_STEP=${LAB_STEP:-2}
LAB_SEED=${LAB_SEED:-1}
LAB_LOAD_EXIT_DELAY=${LAB_LOAD_EXIT_DELAY:-0}
if [ -z "${PODS:-}" ]; then
	if [ "$PHASE" = 2 ]; then PODS=$LAB_PODS; else PODS=$POD; fi
fi

case $PHASE in 1 | 2) ;; *) die 1 "PHASE: bad value '$PHASE' (want 1 or 2)" ;; esac
for v in DURATION LAB_THREADS LAB_LOAD_SECONDS LAB_BURST_THREADS LAB_BURST_START LAB_BURST_END \
	LAB_PROFILE_DELAY LAB_WARMUP LAB_PERF_FREQ LAB_STEP LAB_SEED LAB_LOAD_EXIT_DELAY; do
	[[ ${!v} =~ ^[0-9]+$ ]] || die 1 "$v: bad value '${!v}' (want a number)"
done
[[ $EVENT =~ ^[a-z]+$ ]] || die 1 "EVENT: bad value '$EVENT'"
case $PROFILER in
jfr)
	# jcmd splits its arguments at spaces: the paths it is given must have none
	[[ $JFC =~ ^/[A-Za-z0-9._/+-]*$ ]] || die 1 "JFC: '$JFC' is not an absolute path of letters, digits, . _ + - / (jcmd splits at spaces)"
	[ -r "$JFC" ] || die 1 "JFC: cannot read the Flight Recorder settings '$JFC'"
	[[ $LAB_DIR =~ ^/[A-Za-z0-9._/+-]*$ ]] || die 1 "LAB_DIR: '$LAB_DIR' holds characters jcmd cannot take in a file name (letters, digits, . _ + - / only)"
	command -v "$JATTACH" >/dev/null 2>&1 || die 1 "PROFILER=jfr needs jattach: no '$JATTACH' here (apt-get install jattach, or set JATTACH)"
	[ "$EVENT" = cpu ] || die 1 "EVENT '$EVENT': a recording holds every event class (cpu, wall, lock, alloc); EVENT is for the snapshot backends" ;;
perf) [ "$EVENT" = cpu ] || die 1 "EVENT '$EVENT' needs PROFILER=asprof (a recording, PROFILER=jfr, holds every event class); perf records cpu only" ;;
asprof) [ -n "$ASPROF_BUNDLE" ] || die 1 "PROFILER=asprof needs ASPROF_BUNDLE (an async-profiler folder or .tar.gz)" ;;
*) die 1 "PROFILER: bad value '$PROFILER' (want jfr, perf or asprof)" ;;
esac
for p in $PODS $POD; do
	case " $LAB_PODS " in *" $p "*) ;; *) die 1 "pod '$p' is not in the lab ($LAB_PODS)" ;; esac
done

mkdir -p "$RUN/capture" "$RUN/prom" "$RUN/profiles" "$LAB_DIR/work" "$LAB_DIR/pids"
log="$RUN/capture/commands.log"

# Appends the command, shell-quoted, to commands.log.
logcmd() {
	printf '%q ' "$@" | sed 's/ $//' >>"$log"
	echo >>"$log"
}

logged() {
	logcmd "$@"
	"$@"
}

# Starts a logged command in the background with a pidfile, so that an
# interrupted capture, and `lab.sh stop`, can end it.
logged_bg() {
	local pidfile=$1
	shift
	logcmd "$@"
	"$@" &
	echo $! >"$pidfile"
}

# Ends the capture's own background processes (on failure or interrupt)
# and returns once they are gone: a JVM takes a while to shut down, and
# the capture's exit must mean nothing of it runs.  What still runs after
# 10 s is killed (as lab.sh stop does).
kill_capture() {
	local f pid pids=() left n
	# a further INT or TERM must not cut the cleanup short
	trap : INT TERM
	for f in "$LAB_DIR"/pids/load.pid "$LAB_DIR"/pids/profile-*.pid; do
		[ -f "$f" ] || continue
		pid=$(cat "$f")
		if [[ $pid =~ ^[0-9]+$ ]] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF "$LAB_DIR"; then
			kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
		fi
		rm -f "$f"
	done
	jfr_abort
	for ((n = 0; n < 100 && ${#pids[@]}; n++)); do
		left=()
		for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left+=("$pid"); done
		pids=("${left[@]}")
		((${#pids[@]})) && sleep 0.1
	done
	if ((${#pids[@]})); then
		kill -KILL "${pids[@]}" 2>/dev/null || true
		wait "${pids[@]}" 2>/dev/null || true
	fi
	return 0
}
trap 'kill_capture' EXIT
trap 'exit 2' INT TERM

# Sets KEY=VALUE in run.env, replacing an earlier value.
env_set() {
	local f="$RUN/run.env"
	touch "$f"
	{ grep -v "^$1=" "$f" || true; echo "$1=$2"; } >"$f.tmp"
	mv "$f.tmp" "$f"
}

env_get() {
	[ -f "$RUN/run.env" ] || return 0
	sed -n "s/^$1=//p" "$RUN/run.env" | tail -n 1
}

pod_port() {
	local i=0 p
	for p in $LAB_PODS; do
		i=$((i + 1))
		[ "$p" = "$1" ] && { echo "$LAB_PORTS" | tr ' ' '\n' | sed -n "${i}p"; return; }
	done
}

pod_pid() {
	local f="$LAB_DIR/pids/$1.java.pid"
	[ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null || die 2 "pod '$1' is not running"
	cat "$f"
}

cmd_pods() {
	[ -f "$RUN/run.env" ] || echo "# facts of this run, written by the capture (epoch seconds, UTC)" >"$RUN/run.env"
	env_set namespace "$LAB_NAMESPACE"
	env_set service "$LAB_SERVICE"
	env_set pods "$LAB_PODS"
	env_set phase "$PHASE"
	env_set runtime local
	env_set prometheus_step "$LAB_STEP"
	env_set tools "$LAB_TOOLS"
	{
		echo "# pod	port	pid"
		for p in $LAB_PODS; do printf '%s\t%s\t%s\n' "$p" "$(pod_port "$p")" "$(pod_pid "$p")"; done
	} >"$RUN/capture/pods.tsv"
	echo "# capture of phase $PHASE, runtime local, lab $LAB_DIR" >>"$log"
}

load_begin() {
	local url
	if [ "$PHASE" = 2 ]; then url=$LAB_LB_URL; else url=http://127.0.0.1:$(pod_port "$POD"); fi
	rm -f "$LAB_DIR/work/result.jtl.gz"
	logged_bg "$LAB_DIR/pids/load.pid" java -Dlab.dir="$LAB_DIR" -Xmx256m -cp "$LAB_DIR/classes" \
		org.example.lab.LoadDriver --base "$url" --out "$LAB_DIR/work/result.jtl.gz" \
		--duration "$LAB_LOAD_SECONDS" --threads "$LAB_THREADS" --burst-threads "$LAB_BURST_THREADS" \
		--burst-start "$LAB_BURST_START" --burst-end "$LAB_BURST_END" --warmup "$LAB_WARMUP" --seed "$LAB_SEED" \
		--exit-delay "$LAB_LOAD_EXIT_DELAY"
}

load_finish() {
	local tmp="$LAB_DIR/work/result.jtl.gz" first last
	wait "$(cat "$LAB_DIR/pids/load.pid")" || die 2 "the load driver failed"
	rm -f "$LAB_DIR/pids/load.pid"
	read -r first last < <(gzip -dc "$tmp" | awk -F, 'NR > 1 {
		s = $1 + 0; e = $1 + $2
		if (min == "" || s < min) min = s
		if (e > max) max = e
	} END { if (min == "") exit 1; printf "%d %d\n", min / 1000, max / 1000 }') ||
		die 2 "the load driver wrote no sample"
	mv "$tmp" "$RUN/result.jtl.gz"
	env_set load_start "$first"
	env_set load_end "$last"
}

cmd_load() {
	load_begin
	load_finish
}

asprof_bin() {
	local b=$ASPROF_BUNDLE
	if [ -f "$b" ]; then
		mkdir -p "$LAB_DIR/asprof"
		tar -xzf "$b" -C "$LAB_DIR/asprof" || die 2 "cannot unpack ASPROF_BUNDLE '$b'"
		b=$(dirname "$(find "$LAB_DIR/asprof" -path '*/bin/asprof' | head -n 1)")/..
	fi
	[ -x "$b/bin/asprof" ] || die 1 "ASPROF_BUNDLE: no bin/asprof in '$ASPROF_BUNDLE'"
	echo "$b/bin/asprof"
}

# The lab JVM of pidfile-named pod, if it still runs (pid reuse aside).
lab_jvm() {
	local pid
	pid=$(cat "$LAB_DIR/pids/$1.java.pid" 2>/dev/null) || return 1
	[[ $pid =~ ^[0-9]+$ ]] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF "$LAB_DIR" || return 1
	echo "$pid"
}

# jfr_jcmd POD PID COMMAND: jcmd COMMAND in the JVM through jattach, logged,
# its answer appended to capture/POD.jfr.log (jattach's exit status is
# the JVM's, but a failed JFR command may still answer 0: read the text).
jfr_jcmd() {
	local pod=$1 pid=$2 cmd=$3 jlog="$RUN/capture/$1.jfr.log" answer status=0
	answer=$(logged "$JATTACH" "$pid" jcmd "$cmd" 2>&1) || status=$?
	printf '# jcmd %s\n%s\n' "$cmd" "$answer" >>"$jlog"
	if [ "$status" != 0 ] || grep -qiE 'exception|could not|error' <<<"$answer"; then
		printf '%s\n' "$answer" >&2
		die 2 "$pod: jattach $pid jcmd '$cmd' failed (output in $jlog)"
	fi
}

# Starts the recording jvmperf in every pod of PODS; each running one is
# marked by pids/jfr-POD.rec (the JVM's pid), which jfr_abort reads.
jfr_start() {
	local p pid
	for p in $PODS; do
		pid=$(pod_pid "$p")
		: >"$RUN/capture/$p.jfr.log"
		rm -f "$LAB_DIR/work/$p.jfr"
		echo "$pid" >"$LAB_DIR/pids/jfr-$p.rec"
		jfr_jcmd "$p" "$pid" "JFR.start name=jvmperf settings=$JFC"
	done
	JFR_T0=$(date +%s)
}

# Dumps every pod's recording, stops it, and moves it to profiles/POD.jfr
# (a JFR file starts with FLR); run.env gets the interval all of them cover.
jfr_finish() {
	local p pid t1
	t1=$(date +%s)
	for p in $PODS; do
		pid=$(pod_pid "$p")
		jfr_jcmd "$p" "$pid" "JFR.dump name=jvmperf filename=$LAB_DIR/work/$p.jfr"
		jfr_jcmd "$p" "$pid" "JFR.stop name=jvmperf"
		rm -f "$LAB_DIR/pids/jfr-$p.rec"
		[ "$(head -c 3 "$LAB_DIR/work/$p.jfr" 2>/dev/null)" = FLR ] ||
			die 2 "$p: the dumped recording $LAB_DIR/work/$p.jfr is not a JFR file (see $RUN/capture/$p.jfr.log)"
		mv "$LAB_DIR/work/$p.jfr" "$RUN/profiles/$p.jfr"
	done
	"$JATTACH" 2>&1 | head -n 1 >"$RUN/capture/jattach-version.txt" || true
	env_set profile_backend jfr
	env_set profile_jfr_start "$JFR_T0"
	env_set profile_jfr_end "$t1"
	env_set tools "$(env_get tools | sed 's/; perf [^;]*//'); $(awk '{ print $1, $2; exit }' "$RUN/capture/jattach-version.txt")"
}

# Stops the recordings a failed or interrupted capture left running (the
# JVMs keep running) and removes their partial dumps.
jfr_abort() {
	local f p pid
	for f in "$LAB_DIR"/pids/jfr-*.rec; do
		[ -f "$f" ] || continue
		p=${f##*/jfr-}
		p=${p%.rec}
		if pid=$(lab_jvm "$p") && [ "$pid" = "$(cat "$f")" ]; then
			"$JATTACH" "$pid" jcmd "JFR.stop name=jvmperf" >/dev/null 2>&1 || true
		fi
		rm -f "$f" "$LAB_DIR/work/$p.jfr"
	done
}

cmd_profile() {
	local p pid pids=() t0 t1 asprof="" opts=()
	if [ "$PROFILER" = jfr ]; then
		jfr_start
		sleep "$DURATION"
		jfr_finish
		return
	fi
	if [ "$PROFILER" = asprof ]; then
		asprof=$(asprof_bin)
		[ -n "$INTERVAL" ] && opts+=(-i "$INTERVAL")
		case $THREADS in 1 | yes) opts+=(-t) ;; esac
	fi
	t0=$(date +%s)
	for p in $PODS; do
		pid=$(pod_pid "$p")
		if [ -n "$asprof" ]; then
			logged_bg "$LAB_DIR/pids/profile-$p.pid" "$asprof" -e "$EVENT" -d "$DURATION" \
				"${opts[@]}" -o collapsed -f "$LAB_DIR/work/$p.$EVENT.collapsed" "$pid"
		else
			logged_bg "$LAB_DIR/pids/profile-$p.pid" perf record -q -e cpu-clock \
				-F "$LAB_PERF_FREQ" -g -p "$pid" -o "$LAB_DIR/work/$p.$EVENT.perf.data" \
				-- sleep "$DURATION"
		fi
		pids+=($!)
	done
	for pid in "${pids[@]}"; do wait "$pid" || die 2 "a profiler failed (pid $pid)"; done
	t1=$(date +%s)
	for p in $PODS; do
		rm -f "$LAB_DIR/pids/profile-$p.pid"
		if [ -n "$asprof" ]; then
			mv "$LAB_DIR/work/$p.$EVENT.collapsed" "$RUN/profiles/$p.$EVENT.collapsed"
			continue
		fi
		# perf resolves JIT frames from /tmp/perf-PID.map, written now so it
		# holds every method compiled while recording.
		logged jcmd "$(pod_pid "$p")" Compiler.perfmap >/dev/null || die 2 "jcmd Compiler.perfmap failed for '$p'"
		logged perf script -i "$LAB_DIR/work/$p.$EVENT.perf.data" >"$RUN/capture/$p.$EVENT.perf.txt" 2>/dev/null ||
			die 2 "perf script failed for '$p'"
		rm -f "$LAB_DIR/work/$p.$EVENT.perf.data"
	done
	env_set "profile_${EVENT}_start" "$t0"
	env_set "profile_${EVENT}_end" "$t1"
	if [ -n "$asprof" ]; then env_set profile_backend asprof-collapsed; else env_set profile_backend perf; fi
	if [ -n "$asprof" ]; then
		# the profile came from async-profiler, not perf: say which
		printf '%s\n' "$("$asprof" --version 2>&1)" >"$RUN/capture/asprof-version.txt"
		env_set tools "$(sed -n 's/^tools=//p' "$RUN/run.env" | sed 's/; perf [^;]*//'); $(head -n 1 "$RUN/capture/asprof-version.txt")"
		# -e cpu: perf_events where the kernel allows them, else ctimer
		if [ "$EVENT" = cpu ]; then
			if "$asprof" list "$(pod_pid "${PODS%% *}")" 2>/dev/null | grep -q '^Perf events:'; then
				env_set profile_cpu_engine perf_events
			else
				env_set profile_cpu_engine ctimer
			fi
		fi
	fi
}

cmd_metrics() {
	local ls le start end now wait
	ls=$(env_get load_start)
	le=$(env_get load_end)
	[ -n "$ls" ] && [ -n "$le" ] || die 1 "$RUN/run.env has no load_start/load_end (run the load first)"
	[ -x "$BIN/promrange" ] || die 2 "$BIN/promrange is not built (make)"
	start=$((ls - 10))
	end=$((le + 4))
	# Wait until Prometheus has scraped past the end of the window.
	now=$(date +%s)
	wait=$((end + LAB_SCRAPE + 1 - now))
	if ((wait > 0 && wait < 120)); then sleep "$wait"; fi
	# promrange archives each raw response as prom/NAME.json and lists the
	# requests in prom/index.tsv; its TSV goes to capture/ as evidence.
	logged "$BIN/promrange" --url "$PROM_URL" --start "$start" --end "$end" --step "$LAB_STEP" \
		--archive "$RUN/prom" -o "$RUN/capture/metrics.tsv" -f "$QUERIES" ||
		die 2 "promrange failed against $PROM_URL"
}

cmd_convert() {
	local f base threads=(--no-threads)
	case $THREADS in 1 | yes) threads=() ;; esac
	for f in "$RUN"/capture/*.perf.txt; do
		[ -e "$f" ] || continue
		base=$(basename "$f" .perf.txt)
		if [ ! -x "$BIN/stacks" ]; then
			echo "capture: $BIN/stacks is not built: perf text kept in $f" >&2
			return 0
		fi
		# Thread root frames only with THREADS=1, as async-profiler's -t.
		logged "$BIN/stacks" --from perf "${threads[@]}" -o "$RUN/profiles/$base.collapsed" "$f" ||
			die 2 "stacks could not convert $f"
	done
}

cmd_run() {
	local t_start now
	cmd_pods
	if [ "$PROFILER" = jfr ]; then
		# the whole load, warm-up included: the analysis cuts the window
		jfr_start
		load_begin
		load_finish
		jfr_finish
		cmd_metrics
		return
	fi
	t_start=$(date +%s)
	load_begin
	t_start=$((t_start + LAB_WARMUP))
	now=$(date +%s)
	if ((t_start + LAB_PROFILE_DELAY > now)); then sleep $((t_start + LAB_PROFILE_DELAY - now)); fi
	cmd_profile
	load_finish
	cmd_metrics
	cmd_convert
}

case ${1:-} in
pods) cmd_pods ;;
load) cmd_load ;;
profile) cmd_profile ;;
metrics) cmd_metrics ;;
convert) cmd_convert ;;
run) cmd_run ;;
*) die 1 "usage: capture.sh pods|load|profile|metrics|convert|run" ;;
esac
