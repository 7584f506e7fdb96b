#!/usr/bin/env bash
# containers_testbed.sh - the container test bed itself (tests/containers):
# for each attach mode, the mechanism the capture step relies on, carried
# out by hand through the Docker-backed kubectl stand-in against real
# namespaces, uids and mounts, with a Flight Recorder recording started and
# stopped by jattach:
#   A  kubectl cp of jattach into the JVM's container (tar there), run there
#   B  jattach in the JVM's image
#   C  ephemeral container (kubectl debug --target, --profile=restricted,
#      --custom runAsUser+runAsGroup), recording read via /proc/1/root
#   D  sidecar sharing the process namespace, as the JVM's uid
#   E  helper pod streaming jattach in with exec + cat (no tar needed)
#   F  from the host (host PID, /proc/PID/root/tmp) and from a privileged
#      host-PID pod matching the pod's UID in the JVM's cgroup
# and the refusals the steps must report: no shell (distroless), no tar,
# noexec /tmp, a caller of another gid. Each recording must parse and name
# the fixture's planted culprit; nothing of ours is left in the JVM's /tmp,
# and no container of the test is left. Skips (77) without Docker.
set -u
. "$(cd "$(dirname "$0")/../containers" && pwd)/testlib.sh"
ct_setup containers_testbed
cd "$T" || exit 2

JFR_START='JFR.start name=jvmperf settings=profile filename=/tmp/jvmperf/rec.jfr'
JFR_STOP='JFR.stop name=jvmperf'
REC_S=4

# no_leftovers NAME POD: our folder is gone from the JVM's /tmp
no_leftovers() {
	local pid
	pid=$(ct_jvm_pid "$2")
	if ls -A "/proc/$pid/root/tmp" | grep -q jvmperf; then
		fail "$1/clean" "left in $2's /tmp: $(ls -A "/proc/$pid/root/tmp" | tr '\n' ' ')"
	else
		pass "$1/clean"
	fi
}

# record NAME X...: jattach through the exec prefix X (its last word the
# jattach to run, then the pid) starts, waits, stops a recording.
record() {
	local name=$1
	shift
	if ! "$@" jcmd "$JFR_START" >"$T/$name.start" 2>&1; then
		cat "$T/$name.start"; fail "$name/start"; return 1
	fi
	sleep "$REC_S"
	if ! "$@" jcmd "$JFR_STOP" >"$T/$name.stop" 2>&1; then
		cat "$T/$name.stop"; fail "$name/stop"; return 1
	fi
}

for p in jre full noexec sidecar; do
	ct_pod "fx-$p" "$p" || { echo "FAIL containers_testbed/pod-$p"; exit 1; }
done
jre_pid=$(ct_jvm_pid fx-jre)
full_pid=$(ct_jvm_pid fx-full)

# --- the pods are what they claim -------------------------------------------
if "$K" exec -n "$NS" fx-jre -- sh -c true 2>"$T/nosh.err"; then
	fail distroless/no-shell "sh ran in the JRE image"
elif grep -q 'executable file not found' "$T/nosh.err"; then
	pass distroless/no-shell
else
	cat "$T/nosh.err"; fail distroless/no-shell "unexpected message"
fi
ids=$(awk '/^[UG]id:/ { print $2 }' "/proc/$jre_pid/status" | paste -sd:)
ro=$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}}' "jvmperf-test-$NS-fx-jre-app")
if [ "$ids" = 10001:10001 ] && [ "$ro" = true ]; then
	pass distroless/uid-readonly
else
	fail distroless/uid-readonly "uid:gid $ids, read-only root $ro"
fi
if "$K" exec -n "$NS" fx-full -- sh -c 'echo x >/probe' 2>/dev/null; then
	fail full/readonly-root "the root filesystem is writable"
else
	pass full/readonly-root
fi

# --- A: kubectl cp (tar in the container) ------------------------------------
if "$K" cp -n "$NS" "$(command -v jattach)" fx-jre:/tmp/jattach 2>"$T/notar.err"; then
	fail A/refused-without-tar "kubectl cp worked into an image without tar"
elif grep -q '"tar": executable file not found' "$T/notar.err"; then
	pass A/refused-without-tar
else
	cat "$T/notar.err"; fail A/refused-without-tar "unexpected message"
fi
"$K" exec -n "$NS" fx-full -- mkdir -p /tmp/jvmperf &&
	"$K" cp -n "$NS" "$(command -v jattach)" fx-full:/tmp/jvmperf/jattach &&
	record A "$K" exec -n "$NS" fx-full -- /tmp/jvmperf/jattach 1 &&
	"$K" cp -n "$NS" fx-full:/tmp/jvmperf/rec.jfr "$T/A.jfr" &&
	ct_check_jfr A/recording "$T/A.jfr"
"$K" exec -n "$NS" fx-full -- rm -rf /tmp/jvmperf
no_leftovers A fx-full
# noexec /tmp: the copy works, running it does not
"$K" exec -n "$NS" fx-noexec -- mkdir -p /tmp/jvmperf
"$K" cp -n "$NS" "$(command -v jattach)" fx-noexec:/tmp/jvmperf/jattach
if "$K" exec -n "$NS" fx-noexec -- /tmp/jvmperf/jattach 1 jcmd VM.version >"$T/noexec.out" 2>&1; then
	fail A/noexec-refused "a binary ran from a noexec /tmp"
elif grep -qi 'permission denied' "$T/noexec.out"; then
	pass A/noexec-refused
else
	cat "$T/noexec.out"; fail A/noexec-refused "unexpected message"
fi
"$K" exec -n "$NS" fx-noexec -- rm -rf /tmp/jvmperf
no_leftovers A-noexec fx-noexec

# --- B: jattach in the image --------------------------------------------------
"$K" exec -n "$NS" fx-full -- mkdir -p /tmp/jvmperf &&
	record B "$K" exec -n "$NS" fx-full -- jattach 1 &&
	"$K" exec -n "$NS" fx-full -- cat /tmp/jvmperf/rec.jfr >"$T/B.jfr" &&
	ct_check_jfr B/recording "$T/B.jfr"
"$K" exec -n "$NS" fx-full -- rm -rf /tmp/jvmperf
no_leftovers B fx-full

# --- C: ephemeral container ---------------------------------------------------
debug() { # NAME SPEC-JSON
	printf '%s\n' "$2" >"$T/$1.spec"
	"$K" debug -n "$NS" fx-jre --target=app --image="$TOOLS_IMAGE" --profile=restricted \
		--custom="$T/$1.spec" -c "$1" -- sh -c 'echo $$ >/tmp/jvmperf-holder.pid; exec sleep "$0"' 300
}
sc='"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}'
if debug jvmperf-c1 "{\"securityContext\":{\"runAsUser\":10001,\"runAsGroup\":10001,\"runAsNonRoot\":true,$sc}}"; then
	C=("$K" exec -n "$NS" fx-jre -c jvmperf-c1 --)
	"${C[@]}" mkdir -p /proc/1/root/tmp/jvmperf &&
		record C "${C[@]}" jattach 1 &&
		"${C[@]}" cat /proc/1/root/tmp/jvmperf/rec.jfr >"$T/C.jfr" &&
		ct_check_jfr C/recording "$T/C.jfr"
	"${C[@]}" rm -rf /proc/1/root/tmp/jvmperf
	"${C[@]}" sh -c 'kill "$(cat /tmp/jvmperf-holder.pid)"'
	no_leftovers C fx-jre
	st=$("$K" get pod -n "$NS" fx-jre -o 'jsonpath={.status.ephemeralContainerStatuses[?(@.name=="jvmperf-c1")].state.running.startedAt}')
	[ -z "$st" ] && pass C/holder-ended || fail C/holder-ended "the ephemeral container still runs"
else
	fail C/debug "kubectl debug failed"
fi
# the right uid but not the JVM's gid (as a pod-level runAsGroup of
# another value would give): HotSpot refuses the attach
if debug jvmperf-c2 "{\"securityContext\":{\"runAsUser\":10001,\"runAsGroup\":65534,\"runAsNonRoot\":true,$sc}}"; then
	C2=("$K" exec -n "$NS" fx-jre -c jvmperf-c2 --)
	gid=$("${C2[@]}" id -g)
	if [ "$gid" = 10001 ]; then
		fail C/gid-mismatch "the debug container runs with the JVM's gid"
	elif timeout 30 "${C2[@]}" jattach 1 jcmd VM.version >"$T/gid.out" 2>&1; then
		fail C/gid-mismatch "attach worked as gid $gid"
	else
		pass "C/gid-mismatch (gid $gid refused: $(grep -v '^command terminated' "$T/gid.out" | tail -n 1))"
	fi
	"${C2[@]}" sh -c 'kill "$(cat /tmp/jvmperf-holder.pid)"'
else
	fail C/debug-gid "kubectl debug failed"
fi

# --- D: sidecar with a shared process namespace --------------------------------
D=("$K" exec -n "$NS" fx-sidecar -c profiler --)
"${D[@]}" mkdir -p /proc/1/root/tmp/jvmperf &&
	record D "${D[@]}" jattach 1 &&
	"${D[@]}" cat /proc/1/root/tmp/jvmperf/rec.jfr >"$T/D.jfr" &&
	ct_check_jfr D/recording "$T/D.jfr"
"${D[@]}" rm -rf /proc/1/root/tmp/jvmperf
no_leftovers D fx-sidecar

# --- E: helper pods stream jattach in (two at once, distinct names) ------------
helper() { # NAME
	"$K" run "$1" -n "$NS" --image="$TOOLS_IMAGE" --restart=Never --labels=app.kubernetes.io/managed-by=jvmperf \
		--overrides="{\"apiVersion\":\"v1\",\"spec\":{\"securityContext\":{\"runAsNonRoot\":true,\"runAsUser\":65534},\"containers\":[{\"name\":\"$1\",\"image\":\"$TOOLS_IMAGE\",\"command\":[\"sleep\",\"600\"],\"securityContext\":{$sc}}]}}" >/dev/null &&
		"$K" wait -n "$NS" --for=condition=Ready "pod/$1" --timeout=60s >/dev/null
}
helper jvmperf-helper-e1 & h1=$!
helper jvmperf-helper-e2 & h2=$!
if wait "$h1" && wait "$h2"; then
	pass E/parallel-helpers
	"$K" exec -n "$NS" fx-full -- mkdir -p /tmp/jvmperf &&
		"$K" exec -n "$NS" jvmperf-helper-e1 -- cat /usr/bin/jattach |
		"$K" exec -i -n "$NS" fx-full -- sh -c 'cat >"$1" && chmod 755 "$1"' sh /tmp/jvmperf/jattach &&
		record E "$K" exec -n "$NS" fx-full -- /tmp/jvmperf/jattach 1 &&
		"$K" exec -n "$NS" fx-full -- cat /tmp/jvmperf/rec.jfr >"$T/E.jfr" &&
		ct_check_jfr E/recording "$T/E.jfr"
	"$K" exec -n "$NS" fx-full -- rm -rf /tmp/jvmperf
	no_leftovers E fx-full
else
	fail E/parallel-helpers "two helper pods could not run at once"
fi
if "$K" run jvmperf-helper-e1 -n "$NS" --image="$TOOLS_IMAGE" --restart=Never >/dev/null 2>"$T/exists.err"; then
	fail E/same-name-refused "a second pod of the same name was created"
else
	grep -q 'already exists' "$T/exists.err" && pass E/same-name-refused ||
		{ cat "$T/exists.err"; fail E/same-name-refused "unexpected message"; }
fi
"$K" delete pod -n "$NS" jvmperf-helper-e1 jvmperf-helper-e2 --now >/dev/null

# --- F: node level -------------------------------------------------------------
mkdir -p "/proc/$jre_pid/root/tmp/jvmperf" && chown 10001:10001 "/proc/$jre_pid/root/tmp/jvmperf" &&
	record F-host jattach "$jre_pid" &&
	cp "/proc/$jre_pid/root/tmp/jvmperf/rec.jfr" "$T/F.jfr" &&
	ct_check_jfr F/host-recording "$T/F.jfr"
rm -rf "/proc/$jre_pid/root/tmp/jvmperf"
no_leftovers F-host fx-jre
uid=$("$K" get pod -n "$NS" fx-jre -o 'jsonpath={.metadata.uid}')
np=jvmperf-node-f1
if "$K" run "$np" -n "$NS" --image="$TOOLS_IMAGE" --restart=Never --labels=app.kubernetes.io/managed-by=jvmperf \
	--overrides="{\"apiVersion\":\"v1\",\"spec\":{\"hostPID\":true,\"containers\":[{\"name\":\"$np\",\"image\":\"$TOOLS_IMAGE\",\"command\":[\"sleep\",\"600\"],\"securityContext\":{\"privileged\":true,\"runAsUser\":0}}]}}" >/dev/null &&
	"$K" wait -n "$NS" --for=condition=Ready "pod/$np" --timeout=60s >/dev/null; then
	X=("$K" exec -n "$NS" "$np" --)
	found=$("$K" exec -i -n "$NS" "$np" -- sh -s "$uid" <"$TOP/pipelines/k8s/find-jvm-pid.sh")
	read -r fpid fuid _ <<<"$found"
	if [ "$fpid" = "$jre_pid" ] && [ "$fuid" = 10001 ] && [ "$(wc -l <<<"$found")" = 1 ]; then
		pass F/find-by-pod-uid
	else
		fail F/find-by-pod-uid "found '$found', want '$jre_pid 10001 0'"
	fi
	"${X[@]}" sh -c 'mkdir -p "$1" && chown 10001:10001 "$1"' sh "/proc/$jre_pid/root/tmp/jvmperf" &&
		record F-pod "${X[@]}" jattach "$jre_pid" &&
		"${X[@]}" cat "/proc/$jre_pid/root/tmp/jvmperf/rec.jfr" >"$T/F2.jfr" &&
		ct_check_jfr F/node-pod-recording "$T/F2.jfr"
	"${X[@]}" rm -rf "/proc/$jre_pid/root/tmp/jvmperf"
	no_leftovers F-pod fx-jre
	"$K" delete pod -n "$NS" "$np" --now >/dev/null
else
	fail F/node-pod "the privileged host-PID pod did not start"
fi

# --- nothing of ours left running -------------------------------------------
left=$(docker ps -a --filter "label=jvmperf-test.ns=$NS" --format '{{.Names}}' | grep -v -e '-fx-' -e 'jvmperf-c[12]$')
running_eph=$(docker ps --filter "label=jvmperf-test.ns=$NS" --filter "label=jvmperf-test.kind=ephemeral" -q)
if [ -z "$left" ] && [ -z "$running_eph" ]; then
	pass nothing-left
else
	fail nothing-left "$left $running_eph"
fi
ct_done
