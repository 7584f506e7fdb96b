# testlib.sh - sourced by tests/integration/containers_*.sh (bash): real
# containers for the capture modes, through tests/containers/kubectl.
#
# ct_setup NAME: skips (exit 77, reason on the last line) where Docker cannot
# run containers here; builds or reuses the images (JRE_IMAGE, FULL_IMAGE,
# TOOLS_IMAGE); sets K (the stand-in), NS (a namespace of this test run) and
# T (a temp folder); arms cleanup (every pod of NS removed at once, T
# removed) on exit, INT and TERM.
# ct_pod NAME KIND: creates pod NAME in NS and waits until its JVM runs.
# KIND: jre (no shell, no tar), full (sh, tar, jattach in the image), noexec
# (full with a noexec /tmp), sidecar (jre + a tools sidecar "profiler" as
# the JVM's uid, shared process namespace). Pods carry the label
# app.kubernetes.io/name=fixture, run as 10001:10001 with a read-only root
# and an emptyDir /tmp (a tmpfs), as a hardened deployment would.
# ct_jvm_pid POD: the JVM's pid on this machine (host PID namespace).
# ct_culprit FILE.jfr: the number of execution samples whose stack has
#   Search.tokenize (the fixture's planted culprit); ct_samples FILE.jfr: all.

ct_skip() { echo "SKIP $CT_NAME: $*"; exit 77; }

ct_setup() {
	CT_NAME=$1
	TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
	command -v docker >/dev/null 2>&1 || ct_skip "docker is not installed (Debian package docker.io)"
	timeout 20 docker info >/dev/null 2>&1 || ct_skip "the Docker daemon does not answer (start dockerd)"
	[ "$(id -u)" = 0 ] || ct_skip "needs root (the node-level mode attaches from the host into a container)"
	local p
	for p in python3 jattach javac jfr; do
		command -v "$p" >/dev/null 2>&1 || ct_skip "$p is not installed"
	done
	K=$TOP/tests/containers/kubectl
	NS=jt$$
	T=$(mktemp -d)
	trap ct_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	local images
	images=$("$TOP/tests/containers/images.sh" 2>"$T/images.err") || {
		cat "$T/images.err" >&2
		echo "FAIL $CT_NAME/images: the images could not be built"
		exit 1
	}
	eval "$images"
	if ! docker run --rm --network none "$TOOLS_IMAGE" sh -c : >"$T/probe.err" 2>&1; then
		cat "$T/probe.err" >&2
		ct_skip "Docker cannot start a container here (see the message above)"
	fi
	CT_FAILS=0
}

ct_cleanup() {
	local status=$?
	trap - EXIT INT TERM
	"$K" delete pod -n "$NS" -l app.kubernetes.io/name --now >/dev/null 2>&1
	"$K" delete pod -n "$NS" -l app.kubernetes.io/managed-by --now >/dev/null 2>&1
	local left
	left=$(docker ps -aq --filter "label=jvmperf-test.ns=$NS")
	[ -z "$left" ] || docker rm -f $left >/dev/null 2>&1
	[ -z "${T:-}" ] || rm -rf "$T"
	exit "$status"
}

pass() { echo "PASS $CT_NAME/$1"; }
fail() { echo "FAIL $CT_NAME/$1${2:+: $2}"; CT_FAILS=$((CT_FAILS + 1)); }

ct_pod() { # NAME KIND
	local name=$1 kind=$2 image=$FULL_IMAGE ann='' share=false side=''
	case $kind in
	jre) image=$JRE_IMAGE ;;
	full) ;;
	noexec) ann='"annotations":{"jvmperf-test/tmp-options":"noexec"},' ;;
	sidecar)
		image=$JRE_IMAGE share=true
		side=',{"name":"profiler","image":"'$TOOLS_IMAGE'","command":["sleep","3600"],"securityContext":{"readOnlyRootFilesystem":true,"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}},"volumeMounts":[{"name":"tmp","mountPath":"/tmp"}]}' ;;
	*) echo "ct_pod: unknown kind $kind" >&2; return 1 ;;
	esac
	cat >"$T/$name.json" <<-JSON
	{"apiVersion":"v1","kind":"Pod",
	 "metadata":{"name":"$name",$ann"labels":{"app.kubernetes.io/name":"fixture","jvmperf-test/kind":"$kind"}},
	 "spec":{"terminationGracePeriodSeconds":2,"shareProcessNamespace":$share,
	  "securityContext":{"runAsNonRoot":true,"runAsUser":10001,"runAsGroup":10001},
	  "containers":[{"name":"app","image":"$image",
	    "securityContext":{"readOnlyRootFilesystem":true,"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}},
	    "volumeMounts":[{"name":"tmp","mountPath":"/tmp"}]}$side],
	  "volumes":[{"name":"tmp","emptyDir":{"medium":"Memory"}}]}}
	JSON
	"$K" apply -n "$NS" -f "$T/$name.json" >/dev/null || return 1
	"$K" wait -n "$NS" --for=condition=Ready "pod/$name" --timeout=60s >/dev/null || return 1
	# the JVM is up once its hsperfdata file exists (about a second)
	local pid i
	pid=$(ct_jvm_pid "$name") || return 1
	for ((i = 0; i < 100; i++)); do
		[ -e "/proc/$pid/root/tmp/hsperfdata_app/1" ] && return 0
		sleep 0.2
	done
	echo "ct_pod: the JVM of $name did not start" >&2
	return 1
}

ct_jvm_pid() { # POD: host pid of the app container's first process
	docker inspect -f '{{.State.Pid}}' "jvmperf-test-$NS-$1-app"
}

ct_samples() { # FILE.jfr: execution samples in the recording
	jfr print --events jdk.ExecutionSample "$1" 2>/dev/null | grep -c '^jdk.ExecutionSample'
}

ct_culprit() { # FILE.jfr: samples with Search.tokenize on the stack
	jfr print --stack-depth 64 --events jdk.ExecutionSample "$1" 2>/dev/null | awk '
		/^jdk.ExecutionSample/ { n++; hit[n] = 0 }
		/org\.example\.lab\.Search\.tokenize/ { hit[n] = 1 }
		END { s = 0; for (i in hit) s += hit[i]; print s + 0 }'
}

ct_own() { # FILE.jfr: execution samples taken inside async-profiler itself
	# that do not reach the culprit (the stack walk stopped at the handler)
	jfr print --stack-depth 64 --events jdk.ExecutionSample "$1" 2>/dev/null | awk '
		function done() { if (own && !hit) n++ }
		/^jdk.ExecutionSample/ { done(); top = 1; own = 0; hit = 0; next }
		top && /line:/ { top = 0; own = $1 ~ /^libasyncProfiler[.]so[.]/ }
		/org\.example\.lab\.Search\.tokenize/ { hit = 1 }
		END { done(); print n + 0 }'
}

# ct_check_jfr NAME FILE [NOTE]: a recording that parses and names the
# culprit in at least half of its execution samples (async-profiler's cpu
# samples are jdk.ExecutionSample too, its --wall samples are counted apart;
# a cpu sample taken while a thread ran async-profiler's own signal handler
# stops there, without the Java stack under it: those are counted apart as
# the profiler's own, as Flight Recorder's sampler never samples itself).
ct_check_jfr() {
	local name=$1 f=$2 note=${3:+, $3} all hot wall own ownmsg=
	if [ ! -s "$f" ]; then fail "$name" "no recording ($f)"; return 1; fi
	if ! jfr summary "$f" >"$T/summary.txt" 2>&1; then
		cat "$T/summary.txt"; fail "$name" "the recording does not parse"; return 1
	fi
	all=$(ct_samples "$f")
	hot=$(ct_culprit "$f")
	own=$(ct_own "$f")
	[ "$own" = 0 ] || ownmsg=", $own more in async-profiler's own handler"
	all=$((all - own))
	wall=$(grep -o '^ *profiler.WallClockSample  *[0-9]*' "$T/summary.txt" | awk '{ print ", " $2 " wall-clock samples" }')
	if [ "$all" -gt 0 ] && [ $((hot * 2)) -ge "$all" ]; then
		pass "$name ($hot of $all samples ($((hot * 100 / all))%) in Search.tokenize$ownmsg$wall$note)"
	else
		fail "$name" "$hot of $all samples in Search.tokenize$ownmsg"
		return 1
	fi
	# the toolkit's own reader, once stacks reads JFR (--from jfr)
	local stacks=${BIN:-$TOP/build/release/bin}/stacks
	if [ -x "$stacks" ] && "$stacks" --help 2>&1 | grep -q -- '--from' && "$stacks" --help 2>&1 | grep -qi jfr; then
		if "$stacks" --from jfr --top "$f" >"$T/top.txt" 2>&1 && grep -q 'Search.tokenize' "$T/top.txt"; then
			pass "$name/stacks-from-jfr"
		else
			head -n 5 "$T/top.txt"; fail "$name/stacks-from-jfr" "stacks --from jfr --top does not name Search.tokenize"
		fi
	fi
}

# ct_check_collapsed NAME FILE [NOTE]: an async-profiler snapshot (collapsed
# stacks) whose samples name the culprit at least half of the time, and that
# the toolkit reads
ct_check_collapsed() {
	local name=$1 f=$2 note=${3:+, $3} all hot
	if [ ! -s "$f" ]; then fail "$name" "no snapshot ($f)"; return 1; fi
	read -r all hot < <(awk '{ n = $NF + 0; all += n } /org[.\/]example[.\/]lab[.\/]Search[.]tokenize/ { hot += $NF }
		END { print all + 0, hot + 0 }' "$f")
	if [ "$all" -gt 0 ] && [ $((hot * 2)) -ge "$all" ]; then
		pass "$name ($hot of $all samples ($((hot * 100 / all))%) in Search.tokenize$note)"
	else
		fail "$name" "$hot of $all samples in Search.tokenize"
		return 1
	fi
	local stacks=${BIN:-$TOP/build/release/bin}/stacks
	if [ -x "$stacks" ]; then
		if "$stacks" --top "$f" >"$T/top.txt" 2>&1 && grep -q 'Search.tokenize' "$T/top.txt"; then
			pass "$name/stacks"
		else
			head -n 5 "$T/top.txt"; fail "$name/stacks" "stacks --top does not name Search.tokenize"
		fi
	fi
}

ct_done() {
	[ "$CT_FAILS" = 0 ] || { echo "$CT_NAME: $CT_FAILS failed"; exit 1; }
	exit 0
}
