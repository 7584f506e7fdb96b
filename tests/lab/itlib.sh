# itlib.sh - shared by tests/integration/lab_phase*.sh (sourced): skip
# checks, a lab on free loopback ports, cleanup that runs even on failure and
# proves that no lab process is left behind.
#
# The caller sets TOP (repository root) and BIN (the tools) and calls
# lab_setup NAME BASEPORT; afterwards LAB_DIR, RUN, T, LAB_PORT, LAB_PROM_PORT
# are set.  LAB_KEEP=1 keeps the temporary folder (with the run) for a look.
# PROFILER (jfr unless the caller sets it) is the capture's backend: jfr
# needs jattach, perf a perf that can record here.
PROFILER=${PROFILER:-jfr}
export PROFILER

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "$*"
	exit 77
}

# Exit 77 when a part of the lab is missing; the last line says which.
lab_require() {
	local c paranoid
	for c in java javac jcmd nginx prometheus curl jq; do
		command -v "$c" >/dev/null 2>&1 || skip "skipped: '$c' is not installed"
	done
	if [ "$PROFILER" = jfr ]; then
		command -v jattach >/dev/null 2>&1 || skip "skipped: 'jattach' is not installed (PROFILER=jfr)"
		return 0
	fi
	command -v perf >/dev/null 2>&1 || skip "skipped: 'perf' is not installed (PROFILER=$PROFILER)"
	paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo unknown)
	if ! perf record -q -e cpu-clock -o "$T/perf-check.data" -- true >"$T/perf-check.log" 2>&1; then
		skip "skipped: perf cannot record cpu-clock here (kernel.perf_event_paranoid=$paranoid;" \
			"as root: sysctl kernel.perf_event_paranoid=-1): $(head -n 1 "$T/perf-check.log")"
	fi
	rm -f "$T/perf-check.data" "$T/perf-check.log"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Picks LAB_PORT (nginx, replicas above it) and LAB_PROM_PORT, all free.
lab_ports() {
	local base=$1 try i busy
	for ((try = 0; try < 20; try++)); do
		LAB_PORT=$((base + try * 10))
		LAB_PROM_PORT=$((LAB_PORT + 9))
		busy=0
		for ((i = 0; i <= 9; i++)); do port_busy $((LAB_PORT + i)) && busy=1; done
		((busy)) || return 0
	done
	fail "no free loopback ports near $base"
}

lab_make() {
	make -C "$TOP" --no-print-directory RUNTIME=local LAB_DIR="$LAB_DIR" LAB_BIN="$BIN" AN_BIN="$BIN" "$@"
}

# Stops the lab, then fails the test if any process of it is left or any
# of its ports still answers.
lab_cleanup() {
	local rc=$? left
	trap - EXIT INT TERM
	lab_make lab-stop >/dev/null 2>&1 || LAB_DIR="$LAB_DIR" "$TOP/tests/lab/lab.sh" stop || true
	left=$(pgrep -f -- "$LAB_DIR" || true)
	if [ -n "$left" ]; then
		echo "FAIL: lab processes left behind: $(echo $left)" >&2
		# shellcheck disable=SC2086
		kill -KILL $left 2>/dev/null
		rc=1
	fi
	for ((i = 0; i <= 9; i++)); do
		if port_busy $((LAB_PORT + i)); then
			echo "FAIL: port $((LAB_PORT + i)) still answers after lab-stop" >&2
			rc=1
		fi
	done
	rm -rf "$LAB_DIR"
	if [ "${LAB_KEEP:-0}" = 1 ]; then echo "kept: $T" >&2; else rm -rf "$T"; fi
	exit $rc
}

lab_setup() {
	local name=$1
	: "${TOP:?TOP is not set}" "${BIN:?BIN is not set}"
	T=$(mktemp -d)
	lab_require
	LAB_DIR=$TOP/build/lab/it-$name-$$
	RUN=$T/run
	LAB_PORT=0
	trap lab_cleanup EXIT
	trap 'exit 2' INT TERM
	lab_ports "$2"
}

# The run folder holds the contract's files (pipelines/README.md): a
# recording of each profiled pod with PROFILER=jfr, a cpu snapshot else.
check_run_folder() {
	local k n pods prof
	prof="profile_cpu_start profile_cpu_end"
	[ "$PROFILER" != jfr ] || prof="profile_jfr_start profile_jfr_end"
	for k in namespace service pods load_start load_end prometheus_step $prof profile_backend \
		phase runtime tools; do
		grep -q "^$k=." "$RUN/run.env" || fail "run.env has no '$k'"
	done
	grep -qx "runtime=local" "$RUN/run.env" || fail "run.env: runtime is not local"
	grep -qx "phase=$1" "$RUN/run.env" || fail "run.env: phase is not $1"
	grep -qx "profile_backend=$PROFILER" "$RUN/run.env" || fail "run.env: profile_backend is not $PROFILER"
	if [ "$PROFILER" = jfr ]; then
		grep -q '^tools=.*; jattach [0-9]' "$RUN/run.env" || fail "run.env: tools does not name jattach's version"
		! grep -q '^tools=.*perf' "$RUN/run.env" || fail "run.env: tools names perf, which recorded nothing"
		# the recordings cover the whole load
		awk -F= '{ v[$1] = $2 } END { exit !(v["profile_jfr_start"] <= v["load_start"] &&
			v["profile_jfr_end"] >= v["load_end"]) }' "$RUN/run.env" ||
			fail "run.env: the recordings do not cover the load (profile_jfr_start/end against load_start/end)"
		for k in $2; do
			[ "$(head -c 3 "$RUN/profiles/$k.jfr" 2>/dev/null)" = FLR ] || fail "profiles/$k.jfr is not a recording"
		done
		n=$(find "$RUN/profiles" -type f ! -name '*.jfr' | wc -l)
		[ "$n" = 0 ] || fail "profiles/ holds $n files beside the recordings"
	fi
	[ "$(gzip -dc "$RUN/result.jtl.gz" | head -n 1)" = \
		"$(gzip -dc "$TOP/testdata/catalog/before/result.jtl.gz" | head -n 1)" ] ||
		fail "result.jtl.gz does not start with JMeter 5.6's header"
	n=$(gzip -dc "$RUN/result.jtl.gz" | awk -F, 'NR > 1 && NF == 17 && $8 == "true"' | wc -l)
	((n >= 300)) || fail "result.jtl.gz has only $n successful 17-column samples"
	gzip -dc "$RUN/result.jtl.gz" | awk -F, 'NR > 1 && $6 ~ /^burst 2-/ { b = 1 } END { exit !b }' ||
		fail "result.jtl.gz has no burst samples"
	for k in $(cut -f 1 "$TOP/pipelines/queries.tsv"); do
		jq -e '.status == "success" and .data.resultType == "matrix"' "$RUN/prom/$k.json" >/dev/null ||
			fail "prom/$k.json is not a successful matrix response"
		grep -q "^$k	" "$RUN/prom/index.tsv" || fail "prom/index.tsv does not list '$k'"
	done
	pods=$(sed -n 's/^pods=//p' "$RUN/run.env")
	n=$(jq '[.data.result[].metric.pod] | length' "$RUN/prom/cpu_by_pod.json")
	[ "$n" = "$(echo "$pods" | wc -w)" ] || fail "cpu_by_pod.json has $n pods, run.env lists '$pods'"
	[ -s "$RUN/capture/commands.log" ] || fail "capture/commands.log is empty"
	check_no_recording
}

# Fails if a lab JVM still runs the capture's recording, or the capture
# left a marker or a partial dump behind.
check_no_recording() {
	local f pid left
	[ "$PROFILER" = jfr ] || return 0
	for f in "$LAB_DIR"/pids/*.java.pid; do
		pid=$(cat "$f")
		jattach "$pid" jcmd JFR.check >"$T/jfr-check.txt" 2>&1 || fail "jattach $pid jcmd JFR.check failed: $(cat "$T/jfr-check.txt")"
		! grep -q 'name=jvmperf' "$T/jfr-check.txt" || fail "$(basename "$f" .java.pid) still records: $(grep 'name=jvmperf' "$T/jfr-check.txt")"
	done
	left=$(find "$LAB_DIR/pids" "$LAB_DIR/work" -name 'jfr-*.rec' -o -name '*.jfr' 2>/dev/null)
	[ -z "$left" ] || fail "the capture left behind: $left"
}

# The cpu profile of POD in RUN as collapsed stacks (a recording is
# converted whole) in T/POD.cpu.collapsed; prints its path.
cpu_profile() {
	local run=$1 pod=$2 out=$T/$2.cpu.collapsed
	if [ -f "$run/profiles/$pod.jfr" ]; then
		"$BIN/stacks" --from jfr --event cpu -o "$out" "$run/profiles/$pod.jfr" ||
			fail "stacks cannot read the recording of $pod"
	else
		[ -s "$run/profiles/$pod.cpu.collapsed" ] || fail "no cpu profile of $pod"
		cp "$run/profiles/$pod.cpu.collapsed" "$out"
	fi
	echo "$out"
}

# Prints the share of PROFILE's samples whose stack holds FRAME (collapsed
# stacks: the count after the last space).
frame_share() {
	awk -v f="$2" '{ n = $NF; t += n; if (index($0, f)) h += n } END { printf "%.3f\n", t ? h / t : 0 }' "$1"
}

CULPRIT=org/example/lab/Search.tokenize

# Fails unless the analysis of RUN names the planted culprit in POD's cpu
# profile, with `stacks --top` (the service's own code as application
# frames, library time charged to its caller): the culprit must be the
# first row, and java/util/regex/Pattern.compile under it at least 15% of
# the samples (the regex compiled per call is what makes it hot).
analyze_culprit() {
	local run=$1 pod=$2 profile top share
	profile=$(cpu_profile "$run" "$pod") || exit 1
	[ -s "$profile" ] || fail "no cpu samples of $pod"
	"$BIN/stacks" --top -n 5 --app-prefix org.example.lab "$profile" >"$T/top.tsv" ||
		fail "stacks --top failed on $profile"
	cat "$T/top.tsv"
	top=$(awk -F'\t' 'NR > 1 && $5 != "[no app frame]" { print $5; exit }' "$T/top.tsv")
	[ "$top" = "$CULPRIT" ] || fail "the hottest service method of $pod is '$top', not $CULPRIT"
	"$BIN/stacks" --top --sort total --focus 'Search[.]tokenize$' "$profile" >"$T/focus.tsv" ||
		fail "stacks --focus failed on $profile"
	share=$(awk -F'\t' '$5 == "java/util/regex/Pattern.compile" { print $3 }' "$T/focus.tsv")
	echo "Pattern.compile under $CULPRIT: ${share:-0} of $(stacks_total "$profile") samples"
	awk -v s="${share:-0}" -v t="$(stacks_total "$profile")" 'BEGIN { exit !(t > 0 && s / t >= 0.15) }' ||
		fail "Pattern.compile under $CULPRIT is under 15% of $pod's samples"
}

# Prints the pod that outliers finds hot in RUN's series QUERIES (default
# p99_by_pod and cpu_by_pod) inside the burst: the cpu snapshot's interval,
# or for a recording the burst's seconds of the load (LAB_BURST_START/END,
# 25/40, two seconds in from each end); fails unless all name the same pod.
analyze_hot() {
	local run=$1 queries=${2:-p99_by_pod cpu_by_pod} s e q hot="" h ls
	s=$(sed -n 's/^profile_cpu_start=//p' "$run/run.env")
	e=$(sed -n 's/^profile_cpu_end=//p' "$run/run.env")
	if [ -z "$s" ]; then
		ls=$(sed -n 's/^load_start=//p' "$run/run.env")
		s=$((ls + ${LAB_BURST_START:-25} + 2))
		e=$((ls + ${LAB_BURST_END:-40} - 2))
	fi
	for q in $queries; do
		"$BIN/promrange" -o "$T/$q.tsv" "$run/prom/$q.json" || fail "promrange cannot read prom/$q.json"
		"$BIN/outliers" -w "$s,$e" -o "$T/$q.rank.tsv" "$T/$q.tsv" || fail "outliers failed on $q"
		cat "$T/$q.rank.tsv" >&2
		h=$(awk -F'\t' 'NR == 2 && $9 == "yes" { sub(/^pod=/, "", $4); print $4 }' "$T/$q.rank.tsv")
		[ -n "$h" ] || fail "outliers finds no hot pod in $q"
		[ -z "$hot" ] || [ "$hot" = "$h" ] || fail "p99 names '$hot' hot, $q names '$h'"
		hot=$h
	done
	echo "$hot"
}

# check_report RUN KIND CULPRIT PROFILES [HOT]: makes RUN/report.md and
# fails unless its Summary's culprit row leads with CULPRIT, the kind KIND,
# from a profile named in PROFILES (a regular expression: cpu, wall|lock)
# of HOT (when given, also the Summary's hot pod; else the top pod), and
# for CPU-bound with the culprit's share of the CPU samples at least
# MIN_SHARE (30) percent (a perf snapshot on a busy machine gives ~50%,
# a recording ~90%; the fixed service's top frame is another method).
# The Summary's rows and the diagnosis' signals are printed.
check_report() {
	local run=$1 kind=$2 culprit=$3 profiles=$4 hot=${5:-} line got share
	lab_make RUN="$run" report >"$T/report.log" 2>&1 || { cat "$T/report.log" >&2; fail "make report failed"; }
	sed -n '/^## Summary/,/^## /p' "$run/report.md" | grep '^| [A-Z]' >&2
	grep -E '^(signal|rule)	' "$run/out/diagnosis.tsv" >&2 || true
	if [ -n "$hot" ]; then
		line=$(grep -m 1 '^| Hot pod |' "$run/report.md") || fail "report.md has no 'Hot pod' line"
		got=$(echo "$line" | sed -n 's/^| Hot pod | \*\*`\([^`]*\)`\*\*.*/\1/p')
		[ "$got" = "$hot" ] || fail "report.md names '${got:-no pod}' as the hot pod, not $hot"
	fi
	line=$(grep -m 1 '^| Top culprit frames |' "$run/report.md") ||
		fail "report.md has no 'Top culprit frames' line"
	got=$(echo "$line" | sed -n 's/^| Top culprit frames | `\([^`]*\)` — .*/\1/p')
	[ "$got" = "$culprit" ] || fail "report.md's culprit row leads with '${got:-no frame}', not $culprit"
	got=$(echo "$line" | sed -n 's/^| Top culprit frames | `[^`]*` — \*\*\([^*]*\)\*\*.*/\1/p')
	[ "$got" = "$kind" ] || fail "report.md's culprit row gives the kind '${got:-none}', not $kind"
	got=$(echo "$line" | sed -n "s/^| Top culprit frames | \`[^\`]*\` — \*\*[^*]*\*\*, from \`\([^\`]*\)\`'s \([a-z+]*\) profile: .*/\1 \2/p")
	[ -n "$got" ] || fail "report.md's culprit row names no pod and profile"
	[[ ${got#* } =~ ^($profiles)$ ]] || fail "report.md's culprit comes from the ${got#* } profile, not $profiles"
	[ -z "$hot" ] || [ "${got% *}" = "$hot" ] || fail "report.md's culprit is from ${got% *}'s profile, not the hot pod $hot's"
	if [ "$kind" = CPU-bound ]; then
		share=$(echo "$line" | sed -n 's/.*profile: \\`[^`]*\\` takes \([0-9.]*\)% of the CPU samples.*/\1/p')
		[ -n "$share" ] || fail "report.md's culprit row gives no share of the CPU samples"
		awk -v s="$share" -v m="${MIN_SHARE:-30}" 'BEGIN { exit !(s >= m) }' ||
			fail "report.md: $culprit takes $share% of the CPU samples, under ${MIN_SHARE:-30}%"
	fi
	echo "report.md: $kind, culprit $culprit from ${got% *}'s ${got#* } profile${hot:+, hot pod $hot}${share:+, $share% of the CPU samples}"
}

# The number of samples in a collapsed profile.
stacks_total() { awk '{ t += $NF } END { print t + 0 }' "$1"; }

# check_interrupted HOW: starts a phase 1 capture of the lab's first pod
# with PROFILER=jfr, and once its recording runs, ends it: HOW=term sends
# SIGTERM to the capture, HOW=fail kills its load driver (the capture then
# fails).  Fails unless the capture exits non-zero, nothing of it is left
# running (load driver, recording) and no recording reaches the run folder.
# The load driver takes 3 s to exit on a signal (LAB_LOAD_EXIT_DELAY), so a
# capture that does not wait for it fails every time, not now and then.
check_interrupted() {
	local how=$1 run=$T/interrupted-$1 pid i rc=0 pod
	# shellcheck source=/dev/null
	pod=$(. "$LAB_DIR/lab.env" && echo "${LAB_PODS%% *}")
	LAB_DIR=$LAB_DIR RUN=$run BIN=$BIN PHASE=1 POD=$pod PROFILER=jfr LAB_LOAD_SECONDS=30 \
		LAB_LOAD_EXIT_DELAY=3000 LAB_BURST_START=10 LAB_BURST_END=20 "$TOP/tests/lab/capture.sh" run >"$T/interrupted-$how.log" 2>&1 &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		[ -f "$LAB_DIR/pids/load.pid" ] && grep -q 'JFR.start' "$run/capture/commands.log" 2>/dev/null && break
		sleep 0.1
	done
	if ((i == 100)); then
		kill -TERM "$pid" 2>/dev/null
		wait "$pid"
		cat "$T/interrupted-$how.log" >&2
		fail "$how: the capture did not start its recording within 10 s"
	fi
	sleep 2
	kill -0 "$pid" 2>/dev/null || { cat "$T/interrupted-$how.log" >&2; fail "$how: the capture ended by itself"; }
	jattach "$(cat "$LAB_DIR/pids/$pod.java.pid")" jcmd JFR.check 2>&1 | grep -q 'name=jvmperf' ||
		fail "$how: $pod does not record during the capture"
	case $how in
	term) kill -TERM "$pid" ;;
	fail) kill -KILL "$(cat "$LAB_DIR/pids/load.pid")" ;;
	esac
	wait "$pid" || rc=$?
	[ "$rc" = 2 ] || { cat "$T/interrupted-$how.log" >&2; fail "$how: the capture exited $rc, not 2"; }
	if [ "$how" = fail ]; then
		grep -q 'the load driver failed' "$T/interrupted-$how.log" || fail "$how: the capture does not say that the load failed"
	fi
	! pgrep -f "LoadDriver.*$LAB_DIR" >/dev/null || fail "$how: the load driver is still running"
	check_no_recording
	[ -z "$(ls "$run/profiles" 2>/dev/null)" ] || fail "$how: the interrupted capture left profiles: $(ls "$run/profiles")"
	echo "interrupted ($how): exit $rc, recording stopped, nothing left: $(tail -n 1 "$T/interrupted-$how.log")"
}
