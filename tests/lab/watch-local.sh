#!/usr/bin/env bash
# watch-local.sh - the runtime steps of `make watch` (pipelines/k8s/watch.sh
# -I) for the local lab: its JVM replicas on 127.0.0.1, its Prometheus.
#
#   watch-local.sh url                      the lab's Prometheus URL
#   watch-local.sh pods WORK                WORK/run.env: runtime, namespace,
#                                           service, pods, prometheus_step, tools
#   watch-local.sh record WORK MAXAGE MAXWAIT
#                                           a Flight Recorder ring buffer on every
#                                           replica, serving dumps (below)
#   watch-local.sh metrics RUN STEP QUERIES PROMRANGE
#                                           the QUERIES over run.env's load
#                                           window (start - 10 s, end + 4 s)
#
# record: `jattach PID jcmd JFR.start name=jvmperf-watch settings=JFC
# disk=true maxage=MAXAGE` on every replica ($LAB_DIR/pids/POD.java.pid),
# then WORK/capture/sync/profile.ready (or profile.failed); until
# sync/watch.ended (at most MAXWAIT s) a request sync/dump.POD holding
# "BEGIN END DIR" (epoch seconds, a folder) is answered by JFR.dump of that
# range into DIR/profiles/POD.jfr, then sync/dumped.POD (or sync/failed.POD).
# Every recording started is stopped on exit, failure, INT or TERM.
#
# Environment: LAB_DIR (build/lab/default), JATTACH (jattach), JFC
# (pipelines/jvmperf.jfc), CAP_PLAN=1: print the commands, run nothing.
# Exit status: 0 ok, 1 bad usage or no lab, 2 a step failed.
set -eu -o pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
prog=watch-local.sh
die() { printf '%s: %s\n' "$prog" "$2" >&2; exit "$1"; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }
plan=${CAP_PLAN:-0}
LAB_DIR=${LAB_DIR:-$top/build/lab/default}
lab_shown=$LAB_DIR
case $LAB_DIR in /*) ;; *) LAB_DIR=$PWD/$LAB_DIR ;; esac
JATTACH=${JATTACH:-jattach}
JFC=${JFC:-pipelines/jvmperf.jfc}
# the JVM reads the settings: an absolute path (a plan shows it from $PWD)
case $JFC in /*) ;; *) if [ "$plan" = 1 ]; then JFC='{{PWD}}'/$JFC; else JFC=$PWD/$JFC; fi ;; esac
name=jvmperf-watch

# the lab's facts; in a plan without a running lab, placeholders
if [ -f "$LAB_DIR/lab.env" ]; then
	# shellcheck source=/dev/null
	. "$LAB_DIR/lab.env"
elif [ "$plan" = 1 ]; then
	LAB_PROM_URL='{{LAB_PROM_URL}}' LAB_PODS=POD LAB_NAMESPACE=lab LAB_SERVICE=lab LAB_SCRAPE=2 LAB_TOOLS=
else
	die 1 "no lab running in $LAB_DIR (run 'make RUNTIME=local lab-start')"
fi
for p in $LAB_PODS; do
	[ "$plan" = 1 ] || [[ $p =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]] || die 1 "$LAB_DIR/lab.env: bad pod name '$p'"
done

# q WORD...: the words quoted for the shell; a plan's {{NAME}} becomes "$NAME"
q() {
	local a out=
	for a in "$@"; do
		if [[ ! $a =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
			a="'${a//\'/\'\\\'\'}'"
			while [[ $a =~ \{\{([A-Z_]+)\}\} ]]; do a=${a//"${BASH_REMATCH[0]}"/\'\"\$${BASH_REMATCH[1]}\"\'}; done
			a=${a//\'\'/}
		fi
		out+="${out:+ }$a"
	done
	printf '%s' "$out"
}
# show CMD...: the command, shell-quoted, on stderr (a plan: on stdout, not run)
show() {
	if [ "$plan" = 1 ]; then printf '%s\n' "$(q "$@")"; else printf '+ %s\n' "$(q "$@")" >&2; fi
}

pod_pid() { # POD: the replica's JVM, checked to be this lab's
	local f=$LAB_DIR/pids/$1.java.pid pid
	[ -f "$f" ] || die 2 "pod '$1': no $f"
	pid=$(cat "$f")
	[[ $pid =~ ^[0-9]+$ ]] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "$LAB_DIR" ||
		die 2 "pod '$1' is not running (pid '$pid')"
	echo "$pid"
}

# jcmd POD PID COMMAND: jattach's jcmd, its answer checked
jcmd() {
	local out
	show "$JATTACH" "$2" jcmd "$3"
	[ "$plan" = 1 ] && return 0
	if ! out=$("$JATTACH" "$2" jcmd "$3" 2>&1); then
		printf '%s\n' "$out" >&2
		return 1
	fi
	case $out in *"Could not"* | *rror* | *xception*) printf '%s\n' "$out" >&2; return 1 ;; esac
	return 0
}

cmd_url() { printf '%s\n' "$LAB_PROM_URL"; }

cmd_pods() {
	local work=$1
	if [ "$plan" = 1 ]; then
		printf '# %s: runtime=local, namespace, service, pods, prometheus_step, tools of %s\n' \
			"$(q "$work/run.env")" "$(q "$lab_shown/lab.env")"
		return 0
	fi
	mkdir -p "$work/capture"
	{
		echo "# facts of this watch, written by the capture (epoch seconds, UTC)"
		printf '%s\n' runtime=local "namespace=$LAB_NAMESPACE" "service=$LAB_SERVICE" "pods=$LAB_PODS" \
			phase=2 "prometheus_step=$LAB_SCRAPE" "tools=$LAB_TOOLS"
	} >"$work/run.env"
}

started=()
stop_all() {
	local p pid
	# a further INT or TERM must not leave a replica recording
	trap - EXIT
	trap : INT TERM
	for p in "${started[@]}"; do
		pid=$(pod_pid "$p" 2>/dev/null) || continue
		jcmd "$p" "$pid" "JFR.stop name=$name" >/dev/null || note "$p: JFR.stop failed"
	done
	started=()
}

dump_one() { # POD PID BEGIN END DIR
	local p=$1 pid=$2 b=$3 e=$4 d=$5 ib ie o
	case $d in /*) ;; *) d=$PWD/$d ;; esac
	ib=$(date -u -d "@$b" +%Y-%m-%dT%H:%M:%SZ) ie=$(date -u -d "@$e" +%Y-%m-%dT%H:%M:%SZ)
	o=$d/profiles/$p.jfr
	jcmd "$p" "$pid" "JFR.dump name=$name begin=$ib end=$ie filename=$d/profiles/.$p.dump.jfr" || return 1
	[ "$plan" = 1 ] && return 0
	[ "$(head -c 3 "$d/profiles/.$p.dump.jfr" 2>/dev/null)" = FLR ] || { note "$p: the dump is not a JFR file"; return 1; }
	mv "$d/profiles/.$p.dump.jfr" "$o"
}

cmd_record() {
	local work=$1 maxage=$2 maxwait=$3 S=$1/capture/sync p pid b e d i
	[[ $maxage =~ ^[1-9][0-9]*[smh]$ ]] || die 1 "bad WATCH_MAXAGE '$maxage' (e.g. 10m)"
	[[ $maxwait =~ ^[1-9][0-9]*$ ]] || die 1 "bad wait '$maxwait'"
	[ "$plan" = 1 ] || [ -r "$JFC" ] || die 1 "cannot read the settings $JFC"
	trap 'stop_all' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	declare -A pids
	for p in $LAB_PODS; do
		if [ "$plan" = 1 ]; then
			printf '# replica %s:\n' "$p"
			printf 'PID=$(cat %s)\n' "$(q "$lab_shown/pids/$p.java.pid")"
			pid='{{PID}}'
		else
			pid=$(pod_pid "$p")
		fi
		pids[$p]=$pid
		if ! jcmd "$p" "$pid" "JFR.start name=$name settings=$JFC disk=true maxage=$maxage"; then
			: >"$S/profile.failed"
			die 2 "$p: JFR.start failed"
		fi
		started+=("$p")
	done
	if [ "$plan" = 1 ]; then
		printf '# then touch %s; until %s (at most %s s), each request %s holding "BEGIN END DIR":\n' \
			"$(q "$S/profile.ready")" "$(q "$S/watch.ended")" "$maxwait" "$(q "$S/dump.POD")"
		show "$JATTACH" '{{PID}}' jcmd "JFR.dump name=$name begin={{BEGIN}} end={{END}} filename={{DIR}}/profiles/.POD.dump.jfr"
		printf '# renamed to DIR/profiles/POD.jfr, then touch %s\n' "$(q "$S/dumped.POD")"
		printf '# at the end, failure, INT or TERM, on every replica:\n'
		show "$JATTACH" '{{PID}}' jcmd "JFR.stop name=$name"
		started=()
		return 0
	fi
	: >"$S/profile.ready"
	for ((i = 0; i < maxwait * 2; i++)); do
		[ ! -e "$S/watch.ended" ] || return 0
		for p in $LAB_PODS; do
			[ -s "$S/dump.$p" ] || continue
			read -r b e d <"$S/dump.$p"
			rm -f "$S/dump.$p"
			if [[ $b =~ ^[0-9]+$ && $e =~ ^[0-9]+$ && -d $d ]] && dump_one "$p" "${pids[$p]}" "$b" "$e" "$d"; then
				: >"$S/dumped.$p"
			else
				: >"$S/failed.$p"
			fi
		done
		sleep 0.5
	done
	note "no end of the watch within $maxwait s: stopping the recordings"
}

cmd_metrics() {
	local run=$1 step=$2 queries=$3 promrange=$4 s e now wait
	[[ $step =~ ^[1-9][0-9]*$ ]] || die 1 "bad step '$step'"
	if [ "$plan" = 1 ]; then
		show "$promrange" --url "$LAB_PROM_URL" --start '{{LOADSTART}}'-10 --end '{{LOADEND}}'+4 \
			--step "$step" --archive "$run/prom" -o "$run/capture/metrics.tsv" -f "$queries"
		return 0
	fi
	s=$(sed -n 's/^load_start=//p' "$run/run.env" | tail -n 1)
	e=$(sed -n 's/^load_end=//p' "$run/run.env" | tail -n 1)
	[[ $s =~ ^[0-9]+$ && $e =~ ^[0-9]+$ ]] || die 1 "$run/run.env: no load_start/load_end"
	s=$((s - 10)) e=$((e + 4))
	# Prometheus has scraped past the end of the range
	now=$(date +%s)
	wait=$((e + LAB_SCRAPE + 1 - now))
	if ((wait > 0 && wait < 120)); then sleep "$wait"; fi
	mkdir -p "$run/prom" "$run/capture"
	show "$promrange" --url "$LAB_PROM_URL" --start "$s" --end "$e" --step "$step" \
		--archive "$run/prom" -o "$run/capture/metrics.tsv" -f "$queries"
	"$promrange" --url "$LAB_PROM_URL" --start "$s" --end "$e" --step "$step" \
		--archive "$run/prom" -o "$run/capture/metrics.tsv" -f "$queries" ||
		die 2 "promrange failed against $LAB_PROM_URL"
}

case ${1:-} in
url) [ $# = 1 ] || die 1 "usage: watch-local.sh url"; cmd_url ;;
pods) [ $# = 2 ] || die 1 "usage: watch-local.sh pods WORK"; cmd_pods "$2" ;;
record) [ $# = 4 ] || die 1 "usage: watch-local.sh record WORK MAXAGE MAXWAIT"; cmd_record "$2" "$3" "$4" ;;
metrics) [ $# = 5 ] || die 1 "usage: watch-local.sh metrics RUN STEP QUERIES PROMRANGE"; cmd_metrics "$2" "$3" "$4" "$5" ;;
*) die 1 "usage: watch-local.sh url | pods WORK | record WORK MAXAGE MAXWAIT | metrics RUN STEP QUERIES PROMRANGE" ;;
esac
