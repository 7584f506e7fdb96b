#!/usr/bin/env bash
# capture_plans.sh - golden tests of the cluster capture steps' command plans.
#
# Each line of tests/plans/cases.tsv names a case and the make arguments of a
# capture target; `make -n -s RUN=runs/plan ARGS` (RUNTIME=k8s, no cluster
# needed: nothing runs) must print exactly tests/plans/NAME.txt: every
# kubectl command in order, the cleanup, and for refused requests the
# message and exit status. PLANS_UPDATE=1 rewrites the expectations (read
# the diff before committing). PLANS_ONLY=NAME runs one case.
#
# Then the steps really run, against a stand-in kubectl (a bash function
# file that plays a pod with local folders and a local process) and a
# stand-in asprof: cleanup after success, failure and interrupt, the
# run.env keys, the messages of the known failure modes.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$TOP" || exit 2
for prog in make bash awk diff; do
	if ! command -v "$prog" >/dev/null 2>&1; then
		echo "SKIP capture_plans: $prog not installed"
		exit 77
	fi
done
# a make check's own flags (-j, jobserver, -k) must not reach the makes here
unset MAKEFLAGS MFLAGS MAKELEVEL
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0
pass() { echo "PASS capture_plans/$1"; }
fail() { echo "FAIL capture_plans/$1"; fails=$((fails + 1)); }

# 1. command plans
while IFS=$'\t' read -r name args; do
	case $name in '' | '#'*) continue ;; esac
	[ -z "${PLANS_ONLY:-}" ] || [ "$PLANS_ONLY" = "$name" ] || continue
	read -ra argv <<<"$args"
	{
		printf '# make -n -s RUN=runs/plan %s\n' "$args"
		env -i PATH="$PATH" HOME="$T" LC_ALL=C TZ=UTC \
			make -n -s --no-print-directory RUN=runs/plan "${argv[@]}" </dev/null 2>&1
		printf '# exit %d\n' $?
	} | sed -e "s|$TOP/||g" -e "s|\(\.mk\):[0-9][0-9]*|\1:N|g" >"$T/$name.txt"
	want=tests/plans/$name.txt
	if [ "${PLANS_UPDATE:-}" = 1 ]; then
		cp "$T/$name.txt" "$want"
		pass "plan/$name (updated)"
	elif diff -u "$want" "$T/$name.txt" >"$T/$name.diff" 2>&1; then
		pass "plan/$name"
	else
		cat "$T/$name.diff"
		fail "plan/$name"
	fi
done <tests/plans/cases.tsv
if [ -e runs/plan ]; then
	echo "capture_plans: make -n created runs/plan: a plan must not touch anything"
	fail plan-touches-nothing
fi

# 2. the steps run, against the stand-in kubectl and asprof of tests/plans/fake
F=$TOP/tests/plans/fake
sleep 300 &
jvm=$!
trap 'kill $jvm 2>/dev/null; rm -rf "$T"' EXIT INT TERM
me="$(id -u) $(id -u) $(id -g) $(id -g)"
export FAKE_LOG FAKE_ROOT=$T FAKE_PODS=catalog-a FAKE_JVMS="$jvm $me"
n=0
# runs make for real; sets R (the run folder: a new one unless SAME_RUN),
# P (the pod's tmp), rc, err
real() {
	n=$((n + 1))
	R=${SAME_RUN:-$T/run$n} P=$T/pod$n/tmp
	FAKE_LOG=$T/kubectl$n.log
	mkdir -p "$P"
	: >"$FAKE_LOG" >"$T/jattach.log" >"$T/created-pods"
	env LC_ALL=C make -s --no-print-directory RUN="$R" KUBECTL="$F/kubectl" POD_TMPDIR="$P" \
		ASPROF_BUNDLE="$F/bundle" ASPROF_HOME="$F/bundle" JATTACH="$F/bin/jattach" \
		IMAGE_JATTACH="$F/bin/jattach" DURATION=1 PROFILE_DELAY=0 \
		"$@" </dev/null >"$T/out$n" 2>"$T/err$n"
	rc=$?
	err=$T/err$n
}
check() { # NAME CONDITION...: pass when the shell test holds
	local name=$1
	shift
	if eval "$@"; then pass "run/$name"; else
		echo "capture_plans: run/$name: not ($*); exit $rc; stderr:"; cat "$err"; fail "run/$name"
	fi
}
leftovers() { find "$P" -mindepth 1 | grep -q .; }
key() { sed -n "s/^$1=//p" "$R/run.env"; }

real capture-profile PROFILER=asprof-collapsed MODE=A POD=catalog-a
check mode-A "[ \$rc = 0 ] && grep -q 'Search.tokenize_\[j\] 42\$' '$R/profiles/catalog-a.cpu.collapsed'"
check mode-A-cleanup "! leftovers && grep -q 'exec -n perf catalog-a -c app -- rm -rf $P/jvmperf\$' '$FAKE_LOG'"
check mode-A-interval "[ -n \"\$(key profile_cpu_start)\" ] && [ \"\$(key profile_cpu_end)\" -ge \"\$(key profile_cpu_start)\" ]"
check mode-A-ctimer "[ \"\$(key profile_cpu_engine)\" = ctimer ] && grep -q 'perf_events are not available' '$err'"
check mode-A-log "grep -q '^$F/kubectl cp -n perf -c app $F/bundle catalog-a:$P/jvmperf/async-profiler\$' '$R/capture/commands.log'"
check mode-A-no-tmp "! ls '$R/profiles' | grep -q tmp"

FAKE_PERF=1 real capture-profile PROFILER=asprof-collapsed MODE=A POD=catalog-a EVENT=cpu
check perf-events "[ \"\$(key profile_cpu_engine)\" = perf_events ]"

FAKE_NO_TAR=1 real capture-profile PROFILER=asprof-collapsed MODE=A POD=catalog-a
check no-tar "[ \$rc = 2 ] && grep -q 'kubectl cp needs tar in the container and app has none' '$err' && ! leftovers"

FAKE_NO_SHELL=1 real capture-profile PROFILER=asprof-collapsed MODE=A POD=catalog-a
check distroless "[ \$rc = 2 ] && grep -q 'the container has no shell (distroless image?): use MODE=C' '$err'"

FAKE_NOEXEC=1 real capture-profile PROFILER=asprof-collapsed MODE=A POD=catalog-a
check noexec "[ \$rc = 2 ] && grep -q 'is mounted noexec' '$err' && ! leftovers"

FAKE_JVMS="$jvm 1000 10001 1000 10001" real capture-profile PROFILER=asprof-collapsed MODE=B POD=catalog-a EVENT=wall
check other-user "[ \$rc = 2 ] && grep -q 'the JVM (pid $jvm) runs as uid 1000 gid 1000 but the tools would run as uid 10001 gid 10001' '$err' && ! leftovers"

FAKE_JVMS= real capture-profile PROFILER=asprof-collapsed MODE=B POD=catalog-a EVENT=wall
check no-jvm "[ \$rc = 2 ] && grep -q 'no JVM process found' '$err' && ! leftovers"

FAKE_ASPROF_FAIL=1 real capture-profile PROFILER=asprof-collapsed MODE=A POD=catalog-a EVENT=wall
check asprof-fails "[ \$rc = 2 ] && grep -q 'Could not start attach mechanism' '$err' && ! leftovers && [ ! -e '$R/profiles/catalog-a.wall.collapsed' ] && [ ! -e '$R/profiles/catalog-a.wall.collapsed.tmp' ]"

real capture-profile PROFILER=asprof-collapsed MODE=C POD=catalog-a EVENT=wall ASPROF_IMAGE=reg/ap:4.1
check mode-C "[ \$rc = 0 ] && [ -s '$R/profiles/catalog-a.wall.collapsed' ] && ! leftovers && grep -q -- '--custom=' '$FAKE_LOG' && grep -q 'kill' '$FAKE_LOG'"

real capture-profile PROFILER=asprof-collapsed MODE=E POD=catalog-a EVENT=alloc ASPROF_IMAGE=reg/ap:4.1
check mode-E "[ \$rc = 0 ] && [ -s '$R/profiles/catalog-a.alloc.collapsed' ] && ! leftovers && grep -q '^delete pod -n perf jvmperf-helper-[0-9a-f]\{8\} ' '$FAKE_LOG'"

real capture-profile PROFILER=asprof-collapsed MODE=F POD=catalog-a EVENT=wall ASPROF_IMAGE=reg/ap:4.1
check mode-F-refused "[ \$rc = 2 ] && grep -q 'refused unless ALLOW_PRIVILEGED=yes' '$err' && [ ! -s '$FAKE_LOG' ]"

real capture-profile PROFILER=asprof-collapsed MODE=F ALLOW_PRIVILEGED=yes POD=catalog-a EVENT=wall ASPROF_IMAGE=reg/ap:4.1
check mode-F "[ \$rc = 0 ] && [ -s '$R/profiles/catalog-a.wall.collapsed' ] && ! leftovers && grep -q '^delete pod -n perf-node-profiler jvmperf-node-[0-9a-f]\{8\} ' '$FAKE_LOG'"

mkdir -p "$T/catalog-a/pod$((n + 1))/tmp" "$T/catalog-b/pod$((n + 1))/tmp"
FAKE_PER_POD=1 FAKE_PODS="catalog-a catalog-b" real capture-profile PROFILER=asprof-collapsed MODE=B PHASE=2 PARALLEL=yes EVENT=wall
check parallel "[ \$rc = 0 ] && [ -s '$R/profiles/catalog-a.wall.collapsed' ] && [ -s '$R/profiles/catalog-b.wall.collapsed' ] && [ \$(grep -c '^profile_wall_start=' '$R/run.env') = 1 ]"

FAKE_PODS="catalog-a catalog-b" real capture-profile PROFILER=asprof-collapsed MODE=B PHASE=2 EVENT=wall
check one-at-a-time "[ \$rc = 0 ] && [ -s '$R/profiles/catalog-b.wall.collapsed' ] && [ \$(grep -c 'asprof -d' '$FAKE_LOG') = 2 ]"


# whole-run recordings: Flight Recorder through jattach, async-profiler to JFR
isjfr() { [ "$(head -c 3 "$R/profiles/catalog-a.jfr" 2>/dev/null)" = FLR ]; }
jstops() { grep -c 'JFR.stop name=jvmperf' "$T/jattach.log"; }
for m in A B D; do
	real capture-profile MODE=$m POD=catalog-a
	check jfr-$m "[ \$rc = 0 ] && isjfr && ! leftovers && [ \"\$(key profile_backend)\" = jfr ] && [ \"\$(key profile_jfr_end)\" -ge \"\$(key profile_jfr_start)\" ] && grep -q 'JFR.start name=jvmperf settings=$P/jvmperf/jvmperf.jfc' '$T/jattach.log' && grep -q 'JFR.dump name=jvmperf filename=$P/jvmperf/recording.jfr' '$T/jattach.log' && [ \$(jstops) = 1 ] && [ ! -s '$T/jfr-started' ] && [ ! -e '$R/profiles/catalog-a.jfr.tmp' ]"
done
for m in C E F; do
	real capture-profile MODE=$m ALLOW_PRIVILEGED=yes POD=catalog-a TOOLS_IMAGE=reg/tools:1
	check jfr-$m "[ \$rc = 0 ] && isjfr && ! leftovers && [ \$(jstops) = 1 ] && [ ! -s '$T/jfr-started' ]"
	[ $m != E ] || check jfr-E-streamed "grep -q '^exec -n perf jvmperf-helper-[0-9a-f]\{8\} -- cat $F/bin/jattach' '$FAKE_LOG'"
done
FAKE_NOEXEC=1 real capture-profile MODE=A POD=catalog-a
check jfr-noexec "[ \$rc = 2 ] && grep -q 'cannot run $P/jvmperf/jattach: POD_TMPDIR .* is mounted noexec' '$err' && ! leftovers"
for m in A C E; do
	real capture-profile PROFILER=asprof MODE=$m POD=catalog-a TOOLS_IMAGE=reg/tools:1
	check asprof-$m "[ \$rc = 0 ] && isjfr && ! leftovers && [ \"\$(key profile_backend)\" = asprof ] && [ -n \"\$(key profile_jfr_start)\" ] && [ \"\$(key profile_cpu_engine)\" = ctimer ] && grep -q 'asprof start -e cpu --wall 50ms -o jfr -f $P/jvmperf/recording.jfr' '$FAKE_LOG' && grep -q 'asprof stop' '$FAKE_LOG'"
done

FAKE_JATTACH_FAIL=1 real capture-profile MODE=B POD=catalog-a
check jfr-attach-fails "[ \$rc = 2 ] && grep -q \"jattach $jvm jcmd 'JFR.start\" '$err' && grep -q 'Could not start attach mechanism' '$err' && ! leftovers && [ ! -e '$R/profiles/catalog-a.jfr' ]"

# issue 13: gid compared, uid 0 refused, helper names distinct, one library path, 3.x recorded as wall
FAKE_JVMS="$jvm $(id -u) $(id -u) 1000 $(($(id -g) + 1))" real capture-profile MODE=B POD=catalog-a
check other-group "[ \$rc = 2 ] && grep -q 'runs as uid $(id -u) gid 1000 but the tools would run as uid $(id -u) gid $(($(id -g) + 1)): HotSpot accepts attach requests only from its own user and group' '$err' && ! leftovers"
FAKE_RUN_AS_USER=" 0" real capture-profile MODE=C POD=catalog-a TOOLS_IMAGE=reg/tools:1
check uid0-refused "[ \$rc = 2 ] && grep -q 'the JVM runs as root (runAsUser 0)' '$err' && ! grep -q '^debug' '$FAKE_LOG'"
FAKE_RUN_AS_GROUP="" real capture-profile MODE=C POD=catalog-a TOOLS_IMAGE=reg/tools:1
check no-gid "[ \$rc = 2 ] && grep -q 'the pod spec sets no runAsGroup: set JVM_GID' '$err' && ! grep -q '^debug' '$FAKE_LOG'"
real capture-profile MODE=C POD=catalog-a TOOLS_IMAGE=reg/tools:1
check mode-C-ids "[ \$rc = 0 ] && grep -q 'runAsGroup\":%s.* 10001 10001 > ' '$R/capture/commands.log' && grep -q '^env KUBECTL_DEBUG_CUSTOM_PROFILE=true $F/kubectl debug' '$R/capture/commands.log'"
mkdir -p "$T/catalog-a/pod$((n + 1))/tmp" "$T/catalog-b/pod$((n + 1))/tmp"
FAKE_PER_POD=1 FAKE_PODS="catalog-a catalog-b" real capture-profile MODE=E PHASE=2 TOOLS_IMAGE=reg/tools:1
check helpers-distinct "[ \$rc = 0 ] && [ \$(sort -u '$T/created-pods' | grep -c '^jvmperf-helper-[0-9a-f]\{8\}\$') = 2 ] && [ -s '$R/profiles/catalog-b.jfr' ]"
SAME_RUN=$T/libpath real capture-profile PROFILER=asprof-collapsed MODE=D POD=catalog-a EVENT=wall
SAME_RUN=$T/libpath real capture-profile PROFILER=asprof MODE=C POD=catalog-a EVENT=cpu TOOLS_IMAGE=reg/tools:1
check one-libpath "[ \$rc = 0 ] && [ \$(grep -ho -- '--libpath [^ ]*' '$T/kubectl$((n - 1)).log' '$FAKE_LOG' | sed 's|$T/pod[0-9]*||' | sort -u | wc -l) = 1 ] && grep -q -- '--libpath $P/jvmperf/async-profiler/lib/libasyncProfiler.so' '$FAKE_LOG'"
FAKE_ASPROF_VERSION=3.1 real capture-profile PROFILER=asprof-collapsed MODE=B POD=catalog-a EVENT=cpu
check asprof3-wall "[ \$rc = 0 ] && [ \"\$(key profile_cpu_engine)\" = wall ] && grep -q 'async-profiler 3.x then samples -e cpu as wall clock' '$err'"
FAKE_ASPROF_VERSION=2.9 real capture-profile PROFILER=asprof-collapsed MODE=B POD=catalog-a EVENT=wall
check asprof2-refused "[ \$rc = 2 ] && grep -q 'needs async-profiler >= 3.0' '$err' && ! leftovers"

# beside the load: the recording covers the load; a snapshot starts PROFILE_DELAY after the load's real start
FAKE_JMETER_SLEEP=2 real phase1 PROMRANGE=true PROM_URL=http://127.0.0.1:9 JMX=tests/plans/cases.tsv LOAD_SECONDS=2
check phase1-jfr-covers-load "[ \$rc = 0 ] && isjfr && [ \"\$(key profile_jfr_start)\" -le \"\$(key load_start)\" ] && [ \"\$(key profile_jfr_end)\" -ge \"\$(key load_end)\" ] && [ -e '$R/capture/sync/load.ended' ] && [ -e '$R/capture/sync/profile.ready' ] && ! leftovers"
FAKE_JMETER_SLEEP=1 real phase1 PROMRANGE=true PROM_URL=http://127.0.0.1:9 JMX=tests/plans/cases.tsv LOAD_SECONDS=1 PROFILER=asprof-collapsed PROFILE_DELAY=2 MODE=B
check phase1-delay-from-load "[ \$rc = 0 ] && [ \"\$(key profile_cpu_start)\" -ge \$((\$(key load_start) + 2)) ]"
FAKE_JVMS= real phase1 PROMRANGE=true PROM_URL=http://127.0.0.1:9 JMX=tests/plans/cases.tsv LOAD_SECONDS=1 MODE=B
check phase1-profile-fails "[ \$rc = 2 ] && grep -q 'the profile step failed before the load started' '$err' && grep -q 'no JVM process found' '$err' && ! grep -q 'jmeter -n' '$FAKE_LOG' && [ ! -e '$R/result.jtl.gz' ]"

real capture-load JMX=tests/plans/cases.tsv LOAD_SECONDS=5
check load "[ \$rc = 0 ] && gzip -dc '$R/result.jtl.gz' | grep -q '^timeStamp,' && [ -s '$R/capture/jmeter-report/index.html' ] && [ ! -e '$R/result.jtl' ] && [ -n \"\$(key load_start)\" ] && [ \"\$(key phase)\" = 1 ] && grep -q 'JserverHost=10.1.2.3' '$FAKE_LOG' && grep -q '^delete pod -n perf jmeter-runner' '$FAKE_LOG'"

real capture-pods
check pods "[ \$rc = 0 ] && [ \"\$(key pods)\" = catalog-a ] && [ \"\$(key namespace)\" = perf ] && [ -s '$R/capture/pods.txt' ]"

real capture-clean
check clean "[ \$rc = 0 ] && grep -q '^delete pod -n perf -l app.kubernetes.io/managed-by=jvmperf' '$FAKE_LOG'"

# metrics from a stand-in Prometheus (a saved response for every query)
if command -v python3 >/dev/null && [ -x build/release/bin/promrange ]; then
	python3 - "$T/prom.port" testdata/catalog/before/prom/cpu_by_pod.json <<'PY' &
import http.server, sys
body = open(sys.argv[2], "rb").read()
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.do_GET()
    def do_GET(self):
        ok = self.path.startswith("/api/v1/query_range")
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body if ok else b"{}")
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
s.timeout = 60
open(sys.argv[1], "w").write(str(s.server_address[1]))
for _ in range(40):
    s.handle_request()
PY
	prom=$!
	for i in $(seq 50); do [ -s "$T/prom.port" ] && break; sleep 0.1; done
	real capture-pods
	pipelines/k8s/runenv.sh "$R" load_start=1767225600 load_end=1767225690
	SAME_RUN=$R real capture-metrics PROM_URL="http://127.0.0.1:$(cat "$T/prom.port")" PROMRANGE=build/release/bin/promrange
	kill "$prom" 2>/dev/null
	check metrics "[ \$rc = 0 ] && [ -s '$R/prom/p99_by_pod.json' ] && [ -s '$R/prom/threads_by_pod.json' ] && grep -q '1767225590' '$R/prom/index.tsv' && [ \"\$(key prometheus_step)\" = 2 ] && [ \"\$(key pods)\" = catalog-a ]"
else
	echo "capture_plans: metrics run skipped (no python3 or no build/release/bin/promrange)"
fi
real capture-metrics
check metrics-no-window "[ \$rc = 2 ] && grep -q 'no load_start/load_end' '$err'"

# a signal to the whole process group (as Ctrl-C from a terminal, which a
# background job here cannot receive: it ignores SIGINT) during asprof
n=$((n + 1)); R=$T/run$n P=$T/pod$n/tmp FAKE_LOG=$T/kubectl$n.log err=$T/err$n; mkdir -p "$P"
FAKE_ASPROF_SLEEP=20 setsid bash pipelines/k8s/profile.sh -r "$R" -m A -n perf -p catalog-a -B asprof-collapsed -e wall -d 20 \
	-b "$F/bundle" -T "$P" -k "$F/kubectl" </dev/null >/dev/null 2>"$err" &
pg=$!
for i in $(seq 50); do [ -d "$P/jvmperf/async-profiler" ] && grep -q 'asprof -d' "$FAKE_LOG" && break; sleep 0.2; done
sleep 0.5
kill -TERM -- -"$pg" 2>/dev/null
wait "$pg"; rc=$?
check interrupt "[ \$rc = 143 ] && ! leftovers && [ ! -e '$R/profiles/catalog-a.wall.collapsed' ]"

# the queries scoped to the namespace and the run's pods (issue 13)
mkdir -p "$T/scope"
printf 'pods=catalog-a catalog-b.x\n' >"$T/scope/run.env"
rc=0 err=$T/scope/err
pipelines/k8s/scope.sh "$T/scope" perf pipelines/queries-k8s.tsv >"$T/scope/q.tsv" 2>"$err" || rc=$?
check scope "[ \$rc = 0 ] && [ \$(grep -c 'namespace=\"perf\",pod=~\"catalog-a|catalog-b\\\\\\\\.x\"' '$T/scope/q.tsv') = \$(wc -l <pipelines/queries-k8s.tsv) ] && ! grep -q @SCOPE@ '$T/scope/q.tsv' && grep -q 'container!=\"\",namespace=' '$T/scope/q.tsv'"
check scope-covers-standard "[ -z \"\$(comm -23 <(cut -f1 pipelines/queries.tsv | sort) <(cut -f1 pipelines/queries-k8s.tsv | sort))\" ]"
printf 'pods=catalog-a "}or vector(1)\n' >"$T/scope/run.env"
rc=0
pipelines/k8s/scope.sh "$T/scope" perf pipelines/queries-k8s.tsv >/dev/null 2>"$err" || rc=$?
check scope-hostile-pod "[ \$rc = 1 ] && grep -q \"bad pod name '\\\"}or'\" '$err'"
rc=0
pipelines/k8s/scope.sh "$T/scope" 'perf"' pipelines/queries-k8s.tsv >/dev/null 2>"$err" || rc=$?
check scope-bad-ns "[ \$rc = 1 ] && grep -q 'bad namespace' '$err'"

# make watch: a stand-in Prometheus where one pod spikes (or none), the
# stand-in kubectl and jattach, the real spikes and outliers
if command -v python3 >/dev/null && [ -x build/release/bin/outliers ]; then
	watch_run() { # NAME ARGS...: make watch against a fresh stand-in Prometheus
		local w=$1
		shift
		rm -f "$T/wprom.port"
		FAKE_PODS="catalog-a catalog-b catalog-c" python3 tests/plans/fake/prometheus.py "$T/wprom.port" &
		wprom=$!
		for i in $(seq 50); do [ -s "$T/wprom.port" ] && break; sleep 0.1; done
		for p in catalog-a catalog-b catalog-c; do mkdir -p "$T/$p/pod$((n + 1))/tmp"; done
		: >"$T/jfr-started"
		SAME_RUN=$T/$w FAKE_PER_POD=1 FAKE_PODS="catalog-a catalog-b catalog-c" real watch MODE=B \
			PROM_URL="http://127.0.0.1:$(cat "$T/wprom.port")" WATCH_POLL=1 WATCH_LOOKBACK=60 WATCH_MARGIN=1 "$@"
		kill "$wprom" 2>/dev/null
		wait "$wprom" 2>/dev/null
	}
	wleft() { ls -d "$T/$1".* 2>/dev/null | grep -q .; }
	pods_clean() { ! find "$T"/catalog-?/pod$n/tmp -mindepth 1 | grep -q .; }
	FAKE_SPIKE=catalog-b watch_run watch-spike WATCH_MAX=60
	check watch-spike "[ \$rc = 0 ] && [ \"\$(key hot_pod)\" = catalog-b ] && [ \"\$(key trigger)\" = watch ] && [ \"\$(head -c 3 '$R/profiles/catalog-b.jfr')\" = FLR ] && [ \$(ls '$R/profiles' | wc -l) = 2 ] && [ -n \"\$(key peer_pod)\" ] && [ \"\$(key peer_pod)\" != catalog-b ] && [ -s '$R/prom/index.tsv' ] && [ \"\$(key load_end)\" -gt \"\$(key load_start)\" ] && grep -q 'catalog-b stood out' '$err'"
	check watch-spike-clean "! wleft watch-spike && [ ! -s '$T/jfr-started' ] && [ \$(grep -c 'JFR.start.*maxage=15m' '$T/jattach.log') = 3 ] && [ \$(grep -c 'JFR.stop' '$T/jattach.log') = 3 ] && [ \$(grep -c 'JFR.dump name=jvmperf begin=20[0-9-]*T[0-9:]*Z end=' '$T/jattach.log') = 2 ] && pods_clean"
	FAKE_SPIKE= watch_run watch-none WATCH_MAX=4
	check watch-no-spike "[ \$rc = 0 ] && grep -q 'no pod stood out in p99_by_pod over 4 s of watching: no run folder written' '$err' && [ ! -e '$T/watch-none' ] && ! wleft watch-none && [ ! -s '$T/jfr-started' ] && pods_clean"
	# a pod label that is no Kubernetes name never becomes a file name
	FAKE_PROM_PODS="catalog-a catalog-b ../evil" FAKE_SPIKE=../evil watch_run watch-bad-pod WATCH_MAX=60
	check watch-bad-pod-name "[ \$rc = 2 ] && grep -q 'is not a Kubernetes name' '$err' && grep -q 'the metrics of p99_by_pod cannot name the pod to record' '$err' && [ ! -e '$T/watch-bad-pod' ] && ! wleft watch-bad-pod && [ ! -e '$T/evil' ] && ! ls '$T'/*/capture/sync 2>/dev/null | grep -q evil && [ ! -s '$T/jfr-started' ] && pods_clean"
	mkdir -p "$T/watch-exists"
	FAKE_SPIKE= watch_run watch-exists WATCH_MAX=4
	check watch-run-exists "[ \$rc = 2 ] && grep -q 'watch-exists exists: make watch writes a new run folder' '$err' && [ ! -s '$FAKE_LOG' ]"
	# TERM while watching: the recordings stop, nothing is left. AGAIN=1:
	# while the recordings stop (each JFR.stop takes 1 s), the steps' shells
	# get two more TERMs (make forwards its own TERM to its step; a cleanup
	# once begun must not be cut short by it)
	watch_term() { # NAME [AGAIN]
		local i
		rm -f "$T/wprom2.port"
		FAKE_PODS="catalog-a catalog-b catalog-c" python3 tests/plans/fake/prometheus.py "$T/wprom2.port" &
		wprom=$!
		for i in $(seq 50); do [ -s "$T/wprom2.port" ] && break; sleep 0.1; done
		n=$((n + 1)); R=$T/$1 err=$T/err$n FAKE_LOG=$T/kubectl$n.log
		for p in catalog-a catalog-b catalog-c; do mkdir -p "$T/$p/pod$n/tmp"; done
		: >"$T/jfr-started"; : >"$T/jattach.log"
		FAKE_STOP_SLEEP=${2:-0} FAKE_PER_POD=1 FAKE_PODS="catalog-a catalog-b catalog-c" setsid env LC_ALL=C make -s --no-print-directory RUN="$R" \
			KUBECTL="$F/kubectl" POD_TMPDIR="$T/pod$n/tmp" IMAGE_JATTACH="$F/bin/jattach" MODE=B watch \
			PROM_URL="http://127.0.0.1:$(cat "$T/wprom2.port")" WATCH_POLL=1 WATCH_LOOKBACK=60 WATCH_MAX=60 \
			</dev/null >/dev/null 2>"$err" &
		pg=$!
		for i in $(seq 100); do [ -e "$R.watch/capture/sync/profile.ready" ] && break; sleep 0.1; done
		sleep 1
		kill -TERM -- -"$pg" 2>/dev/null
		if [ "${2:-0}" = 1 ]; then
			sleep 0.3
			pkill -TERM -g "$pg" -f 'k8s/(watch|profile)[.]sh'
			sleep 0.4
			pkill -TERM -g "$pg" -f 'k8s/(watch|profile)[.]sh'
		fi
		wait "$pg"; rc=$?
		# make returns at once; the steps finish their cleanup (bounded)
		for i in $(seq 150); do ! wleft "$1" && pods_clean && break; sleep 0.2; done
		kill "$wprom" 2>/dev/null; wait "$wprom" 2>/dev/null
	}
	watch_term watch-term
	check watch-interrupt "[ \$rc != 0 ] && [ ! -e '$R' ] && ! wleft watch-term && [ ! -s '$T/jfr-started' ] && [ \$(grep -c 'JFR.start' '$T/jattach.log') = 3 ] && pods_clean"
	watch_term watch-term2 1
	check watch-interrupt-again "[ \$rc != 0 ] && [ ! -e '$R' ] && ! wleft watch-term2 && [ ! -s '$T/jfr-started' ] && [ \$(grep -c 'JFR.start' '$T/jattach.log') = 3 ] && [ \$(grep -c 'JFR.stop' '$T/jattach.log') = 3 ] && pods_clean && ! grep -q 'cleanup failed' '$err'"
else
	echo "capture_plans: watch runs skipped (no python3 or no build/release/bin/outliers)"
fi

# run.env updates from concurrent steps lose nothing
mkdir -p "$T/env"
envpids=()
for i in $(seq 20); do
	pipelines/k8s/runenv.sh "$T/env" "key$i=$i" &
	envpids+=($!)
done
wait "${envpids[@]}"
rc=0 err=/dev/null
check runenv-concurrent "[ \$(grep -c '^key' '$T/env/run.env') = 20 ]"

[ "$fails" -eq 0 ] || exit 1
