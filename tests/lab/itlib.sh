# itlib.sh - shared by tests/integration/lab_phase*.sh (sourced): skip
# checks, a lab on free loopback ports, cleanup that runs even on failure and
# proves that no lab process is left behind.
#
# The caller sets TOP (repository root) and BIN (the tools) and calls
# lab_setup NAME BASEPORT; afterwards LAB_DIR, RUN, T, LAB_PORT, LAB_PROM_PORT
# are set.  LAB_KEEP=1 keeps the temporary folder (with the run) for a look.

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
	for c in java javac jcmd nginx prometheus perf curl jq; do
		command -v "$c" >/dev/null 2>&1 || skip "skipped: '$c' is not installed"
	done
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

# The run folder holds the contract's files (pipelines/README.md).
check_run_folder() {
	local k n pods
	for k in namespace service pods load_start load_end prometheus_step profile_cpu_start \
		profile_cpu_end phase runtime tools; do
		grep -q "^$k=." "$RUN/run.env" || fail "run.env has no '$k'"
	done
	grep -qx "runtime=local" "$RUN/run.env" || fail "run.env: runtime is not local"
	grep -qx "phase=$1" "$RUN/run.env" || fail "run.env: phase is not $1"
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
	local run=$1 pod=$2 profile=$1/profiles/$2.cpu.collapsed top share
	[ -s "$profile" ] || fail "no cpu profile of $pod"
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

# Prints the pod that outliers finds hot in RUN's p99_by_pod and
# cpu_by_pod series over the cpu profile's interval (inside the burst);
# fails unless both name the same pod.
analyze_hot() {
	local run=$1 s e q hot="" h
	s=$(sed -n 's/^profile_cpu_start=//p' "$run/run.env")
	e=$(sed -n 's/^profile_cpu_end=//p' "$run/run.env")
	for q in p99_by_pod cpu_by_pod; do
		"$BIN/promrange" -o "$T/$q.tsv" "$run/prom/$q.json" || fail "promrange cannot read prom/$q.json"
		"$BIN/outliers" -w "$s,$e" -o "$T/$q.rank.tsv" "$T/$q.tsv" || fail "outliers failed on $q"
		cat "$T/$q.rank.tsv" >&2
		h=$(awk -F'\t' 'NR == 2 && $9 == "yes" { sub(/^pod=/, "", $4); print $4 }' "$T/$q.rank.tsv")
		[ -n "$h" ] || fail "outliers finds no hot pod in $q"
		[ -z "$hot" ] || [ "$hot" = "$h" ] || fail "p99 names '$hot' hot, cpu names '$h'"
		hot=$h
	done
	echo "$hot"
}

# When `make report` exists: fails unless RUN/report.md's summary names the
# culprit as its first culprit frame and, when HOT is given, HOT as the
# hot pod.
check_report() {
	local run=$1 hot=${2:-} line first
	if ! lab_make -n RUN="$run" report >/dev/null 2>&1; then
		echo "make report is not available: checked with the tools only"
		return 0
	fi
	lab_make RUN="$run" report || fail "make report failed"
	line=$(grep -m 1 '^| Top culprit frames |' "$run/report.md") ||
		fail "report.md has no 'Top culprit frames' line"
	first=$(echo "$line" | sed -n 's/^[^`]*`\([^`]*\)`.*/\1/p')
	[ "$first" = "$CULPRIT" ] || fail "report.md's first culprit frame is '$first', not $CULPRIT"
	echo "report.md: culprit $CULPRIT"
	[ -n "$hot" ] || return 0
	line=$(grep -m 1 '^| Hot pod |' "$run/report.md") || fail "report.md has no 'Hot pod' line"
	first=$(echo "$line" | sed -n 's/^[^`]*`\([^`]*\)`.*/\1/p')
	[ "$first" = "$hot" ] || fail "report.md names '$first' as the hot pod, not $hot"
	echo "report.md: hot pod $first"
}

# The number of samples in a collapsed profile.
stacks_total() { awk '{ t += $NF } END { print t + 0 }' "$1"; }
