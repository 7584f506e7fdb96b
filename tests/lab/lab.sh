#!/usr/bin/env bash
# lab.sh - the local lab: N replicas of the JDK fixture service on
# 127.0.0.1, nginx round-robin in front of them, Prometheus scraping them.
#
#   lab.sh start | stop | status | env
#
# Everything lives under LAB_DIR (configs, logs, pidfiles, Prometheus
# storage); `stop` kills by pidfile only, so two labs in two folders on
# different ports never touch each other.  Stopping the JVMs ends any
# Flight Recorder recording a capture left in them.
#
# Environment (defaults in brackets):
#   LAB_DIR        lab folder [build/lab/default]
#   LAB_REPLICAS   number of replicas [3]
#   LAB_PORT       nginx port; replica i listens on LAB_PORT+i [18080]
#   LAB_PROM_PORT  Prometheus port [19090]
#   LAB_SCRAPE     scrape interval, seconds [2]
#   LAB_ITEMS      search data set size of a normal replica [200]
#   LAB_HOT        which replica (1..N) gets the larger data set, 0 for none [N]
#   LAB_HOT_ITEMS  its data set size [2200]
#   LAB_KIND       the hot replica's bottleneck: cpu (a larger data set for
#                  the tokenizer) or lock (a monitor held during a blocking
#                  call on every search: latency up, CPU flat) [cpu]
#   LAB_LOCK_HOLD  lock: milliseconds the monitor is held per search [25]
#   LAB_FIX        1 = start the fixed service (precompiled tokenizer, no
#                  monitor held) [0]
#   LAB_SEED       varies the pod names [1]
#   LAB_JAVA_OPTS  extra JVM options
#
# Exit status: 0 ok, 1 bad configuration or state, 2 a process failed to start.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
LAB_DIR=${LAB_DIR:-$top/build/lab/default}
case $LAB_DIR in /*) ;; *) LAB_DIR=$PWD/$LAB_DIR ;; esac
LAB_REPLICAS=${LAB_REPLICAS:-3}
LAB_PORT=${LAB_PORT:-18080}
LAB_PROM_PORT=${LAB_PROM_PORT:-19090}
LAB_SCRAPE=${LAB_SCRAPE:-2}
LAB_ITEMS=${LAB_ITEMS:-200}
LAB_HOT=${LAB_HOT:-$LAB_REPLICAS}
LAB_HOT_ITEMS=${LAB_HOT_ITEMS:-2200}
LAB_FIX=${LAB_FIX:-0}
LAB_KIND=${LAB_KIND:-cpu}
LAB_LOCK_HOLD=${LAB_LOCK_HOLD:-25}
LAB_SEED=${LAB_SEED:-1}
LAB_JAVA_OPTS=${LAB_JAVA_OPTS:-}

die() { echo "lab: $2" >&2; exit "$1"; }

case $LAB_KIND in cpu | lock) ;; *) die 1 "LAB_KIND: '$LAB_KIND' is not cpu or lock" ;; esac
for v in LAB_REPLICAS LAB_PORT LAB_PROM_PORT LAB_SCRAPE LAB_ITEMS LAB_HOT LAB_HOT_ITEMS LAB_SEED LAB_LOCK_HOLD; do
	[[ ${!v} =~ ^[0-9]+$ ]] || die 1 "$v: bad value '${!v}' (want a number)"
done
((LAB_REPLICAS >= 1 && LAB_REPLICAS <= 20)) || die 1 "LAB_REPLICAS: '$LAB_REPLICAS' out of range 1..20"
((LAB_HOT <= LAB_REPLICAS)) || die 1 "LAB_HOT: '$LAB_HOT' is not a replica (1..$LAB_REPLICAS, 0 for none)"
((LAB_SCRAPE >= 1 && LAB_SCRAPE <= 60)) || die 1 "LAB_SCRAPE: '$LAB_SCRAPE' out of range 1..60"

# Pod-like names: lab-7c9d-xxxxx, the suffix from Kubernetes' alphabet.
pod_name() {
	local hex alphabet=bcdfghjklmnpqrstvwxz2456789 s="" i d
	hex=$(printf 'lab-%s-%s' "$LAB_SEED" "$1" | md5sum)
	for i in 0 1 2 3 4; do
		d=$((16#${hex:i*2:2} % ${#alphabet}))
		s+=${alphabet:d:1}
	done
	echo "lab-7c9d-$s"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# A pidfile's process, if it still runs the program the lab started (a pid
# may be reused after the process died).
pid_of() {
	local f=$1 pid
	[ -f "$f" ] || return 1
	pid=$(cat "$f")
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	alive "$pid" || return 1
	{ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -e "$LAB_DIR" || return 1
	echo "$pid"
}

# Waits (bounded) until URL answers; fails if the process PID died first.
wait_http() {
	local url=$1 pid=$2 what=$3 i
	for ((i = 0; i < 300; i++)); do
		curl -fsS -m 1 -o /dev/null "$url" 2>/dev/null && return 0
		alive "$pid" || die 2 "$what exited during start-up (see its log under $LAB_DIR)"
		sleep 0.1
	done
	die 2 "$what did not answer $url within 30 s"
}

stop() {
	local f pid pids=() i
	[ -d "$LAB_DIR/pids" ] || return 0
	for f in "$LAB_DIR"/pids/*.pid; do
		[ -e "$f" ] || continue
		if pid=$(pid_of "$f"); then
			kill -TERM "$pid" 2>/dev/null || true
			pids+=("$pid")
		fi
	done
	for ((i = 0; i < 100; i++)); do
		local left=0
		for pid in "${pids[@]}"; do alive "$pid" && left=1; done
		((left)) || break
		sleep 0.1
	done
	for pid in "${pids[@]}"; do
		alive "$pid" && kill -KILL "$pid" 2>/dev/null
	done
	for f in "$LAB_DIR"/pids/*.pid; do
		[ -e "$f" ] || continue
		case $f in *.java.pid) rm -f "/tmp/perf-$(cat "$f").map" ;; esac
		rm -f "$f"
	done
	# a capture's recordings ended with their JVMs: their marks and dumps go
	rm -f "$LAB_DIR"/pids/jfr-*.rec "$LAB_DIR"/work/*.jfr
	rm -f "$LAB_DIR/lab.env"
}

start_replica() {
	local i=$1 pod=$2 port=$3 items=$4 extra=$5 fixed=""
	[ "$LAB_FIX" = 1 ] && fixed=--fixed
	# PreserveFramePointer: perf walks whole Java stacks.  dontinline: perf
	# (unlike async-profiler) cannot show inlined frames, and the planted
	# culprit must stay a frame of its own.
	# shellcheck disable=SC2086
	java -Dlab.dir="$LAB_DIR" -Xms64m -Xmx256m -XX:+UseG1GC -XX:+PreserveFramePointer \
		-XX:CompileCommand=quiet -XX:CompileCommand=dontinline,org.example.lab.Search::tokenize \
		$LAB_JAVA_OPTS -cp "$LAB_DIR/classes" org.example.lab.LabService \
		--port "$port" --name "$pod" --items "$items" --seed "$i" $fixed $extra \
		>"$LAB_DIR/logs/$pod.log" 2>&1 &
	echo $! >"$LAB_DIR/pids/$pod.java.pid"
}

start() {
	local i pod port items extra pods=() ports=() upstreams="" targets="" hot=""
	mkdir -p "$LAB_DIR"
	for f in "$LAB_DIR"/pids/*.pid; do
		[ -e "$f" ] || continue
		pid_of "$f" >/dev/null && die 1 "a lab is already running in $LAB_DIR (run 'lab.sh stop')"
	done
	for ((i = 0; i <= LAB_REPLICAS; i++)); do
		port_busy $((LAB_PORT + i)) && die 1 "port $((LAB_PORT + i)) is in use (set LAB_PORT)"
	done
	port_busy "$LAB_PROM_PORT" && die 1 "port $LAB_PROM_PORT is in use (set LAB_PROM_PORT)"
	for c in java javac nginx prometheus curl; do
		command -v "$c" >/dev/null || die 1 "'$c' is not installed"
	done

	rm -rf "$LAB_DIR/classes" "$LAB_DIR/nginx" "$LAB_DIR/prometheus" "$LAB_DIR/logs" "$LAB_DIR/pids"
	mkdir -p "$LAB_DIR/classes" "$LAB_DIR/nginx/tmp" "$LAB_DIR/prometheus/data" "$LAB_DIR/logs" "$LAB_DIR/pids"
	javac -d "$LAB_DIR/classes" "$top"/tests/lab/java/org/example/lab/*.java ||
		die 2 "javac failed"
	trap 'rc=$?; if ((rc != 0)); then stop; fi; exit $rc' EXIT
	trap 'exit 2' INT TERM

	for ((i = 1; i <= LAB_REPLICAS; i++)); do
		pod=$(pod_name "$i")
		port=$((LAB_PORT + i))
		items=$LAB_ITEMS extra=""
		if ((i == LAB_HOT)); then
			hot=$pod
			case $LAB_KIND in
			cpu) items=$LAB_HOT_ITEMS ;;
			lock) extra="--lock-hold $LAB_LOCK_HOLD" ;;
			esac
		fi
		start_replica "$i" "$pod" "$port" "$items" "$extra"
		pods+=("$pod")
		ports+=("$port")
		upstreams+="        server 127.0.0.1:$port;"$'\n'
		targets+="      - targets: ['127.0.0.1:$port']"$'\n'
		targets+="        labels: {pod: '$pod', namespace: lab, service: lab}"$'\n'
	done
	for ((i = 1; i <= LAB_REPLICAS; i++)); do
		wait_http "http://127.0.0.1:$((LAB_PORT + i))/health" \
			"$(cat "$LAB_DIR/pids/${pods[i - 1]}.java.pid")" "replica ${pods[i - 1]}"
	done

	awk -v dir="$LAB_DIR" -v port="$LAB_PORT" -v ups="${upstreams%$'\n'}" \
		'{ gsub(/@DIR@/, dir); gsub(/@PORT@/, port); if ($0 == "@UPSTREAMS@") $0 = ups; print }' \
		"$top/tests/lab/nginx.conf.in" >"$LAB_DIR/nginx/nginx.conf"
	nginx -p "$LAB_DIR/nginx/" -c "$LAB_DIR/nginx/nginx.conf" -e "$LAB_DIR/nginx/error.log" \
		>"$LAB_DIR/logs/nginx.log" 2>&1 &
	echo $! >"$LAB_DIR/pids/nginx.pid"
	wait_http "http://127.0.0.1:$LAB_PORT/health" "$!" "nginx"

	awk -v scrape="$LAB_SCRAPE" -v tg="${targets%$'\n'}" \
		'{ gsub(/@SCRAPE@/, scrape); if ($0 == "@TARGETS@") $0 = tg; print }' \
		"$top/tests/lab/prometheus.yml.in" >"$LAB_DIR/prometheus/prometheus.yml"
	prometheus --config.file="$LAB_DIR/prometheus/prometheus.yml" \
		--storage.tsdb.path="$LAB_DIR/prometheus/data" \
		--web.listen-address="127.0.0.1:$LAB_PROM_PORT" \
		--storage.tsdb.retention.time=1d --log.level=warn \
		>"$LAB_DIR/logs/prometheus.log" 2>&1 &
	echo $! >"$LAB_DIR/pids/prometheus.pid"
	wait_http "http://127.0.0.1:$LAB_PROM_PORT/-/ready" "$!" "prometheus"
	wait_scraped "${#pods[@]}"

	{
		echo "# the running lab (written by tests/lab/lab.sh start; shell syntax)"
		printf '%s=%q\n' LAB_DIR "$LAB_DIR" LAB_NAMESPACE lab LAB_SERVICE lab \
			LAB_PODS "${pods[*]}" LAB_PORTS "${ports[*]}" \
			LAB_LB_URL "http://127.0.0.1:$LAB_PORT" LAB_PROM_URL "http://127.0.0.1:$LAB_PROM_PORT" \
			LAB_SCRAPE "$LAB_SCRAPE" LAB_HOT_POD "$hot" LAB_FIX "$LAB_FIX" LAB_KIND "$LAB_KIND" \
			LAB_TOOLS "$(tools_versions)"
	} >"$LAB_DIR/lab.env"
	trap - EXIT INT TERM
	echo "lab: ${#pods[@]} replicas (${pods[*]}) behind http://127.0.0.1:$LAB_PORT," \
		"Prometheus on http://127.0.0.1:$LAB_PROM_PORT${hot:+, hot replica $hot}" >&2
}

# Waits (bounded) until Prometheus has scraped every replica once.
wait_scraped() {
	local want=$1 i n
	for ((i = 0; i < 100; i++)); do
		n=$(curl -fsS -m 2 "http://127.0.0.1:$LAB_PROM_PORT/api/v1/query" \
			--data-urlencode 'query=count(up{job="lab"} == 1)' 2>/dev/null |
			sed -n 's/.*"value":\[[0-9.]*,"\([0-9]*\)"\].*/\1/p')
		[ "${n:-0}" = "$want" ] && return 0
		sleep 0.2
	done
	die 2 "prometheus did not scrape all $want replicas within 20 s"
}

tools_versions() {
	local j n p
	j=$(java -version 2>&1 | head -n 1 | sed 's/"//g')
	n=$(nginx -v 2>&1 | sed 's/.*: //')
	p=$(prometheus --version 2>&1 | sed -n 's/^prometheus, version \([^ ]*\).*/prometheus \1/p')
	echo "$j; $n; $p; perf $(perf --version 2>/dev/null | awk '{print $3}')"
}

status() {
	local f pid rc=0
	[ -f "$LAB_DIR/lab.env" ] || { echo "lab: not running in $LAB_DIR" >&2; return 1; }
	for f in "$LAB_DIR"/pids/*.pid; do
		[ -e "$f" ] || continue
		if pid=$(pid_of "$f"); then
			echo "$(basename "$f" .pid) $pid running"
		else
			echo "$(basename "$f" .pid) - stopped"
			rc=1
		fi
	done
	return $rc
}

case ${1:-} in
start) start ;;
stop) stop ;;
status) status ;;
env) cat "$LAB_DIR/lab.env" ;;
*) die 1 "usage: lab.sh start|stop|status|env" ;;
esac
