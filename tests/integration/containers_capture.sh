#!/usr/bin/env bash
# containers_capture.sh - the capture steps themselves (make capture-profile,
# PROFILER=jfr) against real containers through the Docker-backed kubectl
# stand-in (tests/containers): modes A-E record the fixture service's JVM
# (uid 10001, read-only root, tmpfs /tmp) and each recording must parse and
# name the planted culprit (Search.tokenize); mode F (ALLOW_PRIVILEGED=yes)
# the same from a privileged host-PID pod. The refusals: mode A on an image
# without a shell or tar, mode A with a noexec /tmp, mode C with a gid other
# than the JVM's; then parallel recordings of two pods (distinct helper
# names) and `make capture-clean`. After each step nothing of ours is left
# in the JVM's /tmp and no helper pod or ephemeral container still runs.
# With ASPROF_BUNDLE (an async-profiler release folder: bin/asprof,
# lib/libasyncProfiler.so) the same for PROFILER=asprof in modes A-F,
# PROFILER=asprof-collapsed snapshots in modes C and E, the refusals, and no
# profiling session left active; without it a NOTE says they did not run.
# Skips (77) without Docker.
set -u
. "$(cd "$(dirname "$0")/../containers" && pwd)/testlib.sh"
ct_setup containers_capture
grep -q 'PROFILER' "$TOP/pipelines/capture.mk" ||
	ct_skip "the capture steps have no PROFILER=jfr backend"
cd "$TOP" || exit 2
DUR=${CT_DURATION:-5}

for p in jre full noexec sidecar; do
	ct_pod "fx-$p" "$p" || { echo "FAIL containers_capture/pod-$p"; exit 1; }
done
for p in jre full; do
	ct_pod "fx-${p}2" "$p" || { echo "FAIL containers_capture/pod-${p}2"; exit 1; }
done

# capture NAME MAKE-ARGS...: make capture-profile into $T/NAME; output in
# $T/NAME.log, status returned
# status returned, its wall time in CAP_SECS
capture() {
	local name=$1 t0=$SECONDS rc=0
	shift
	timeout 300 make --no-print-directory -s capture-profile RUN="$T/$name" NS="$NS" \
		KUBECTL="$K" TOOLS_IMAGE="$TOOLS_IMAGE" NODE_PROFILER_NS="$NS" PROFILER=jfr \
		DURATION="$DUR" "$@" >"$T/$name.log" 2>&1 || rc=$?
	CAP_SECS=$((SECONDS - t0))
	return "$rc"
}

# mode_pod MODE: the fixture pod each mode can reach (A, B, E exec into a
# container with a shell; C and F need none; D has a tools sidecar)
mode_pod() {
	case $1 in
	A | B | E) echo fx-full ;;
	C | F) echo fx-jre ;;
	D) echo fx-sidecar ;;
	esac
}

# engine_of RUN: the cpu engine async-profiler used, from RUN/run.env
engine_of() {
	local e
	e=$(sed -n 's/^profile_cpu_engine=//p' "$1/run.env" 2>/dev/null)
	echo "engine ${e:-none}"
}

# clean_after NAME POD...: no jvmperf folder in the pods' /tmp, no helper
# pod, no running ephemeral container, no async-profiler session active
clean_after() {
	local name=$1 pod pid bad=
	shift
	for pod in "$@"; do
		pid=$(ct_jvm_pid "$pod")
		if ls -A "/proc/$pid/root/tmp" | grep -q jvmperf; then
			bad+=" $pod:/tmp/$(ls -A "/proc/$pid/root/tmp" | grep jvmperf | paste -sd,)"
		fi
	done
	# helper pods may stay Terminating for their grace period, as on a cluster
	local i
	for ((i = 0; i < 40; i++)); do
		[ -z "$(docker ps -q --filter "label=jvmperf-test.ns=$NS" --filter 'label=jvmperf-test.kind=ephemeral')$("$K" get pods -n "$NS" -l app.kubernetes.io/managed-by=jvmperf -o name)" ] && break
		sleep 0.5
	done
	[ "$i" -lt 40 ] || bad+=" still running: $(docker ps --filter "label=jvmperf-test.ns=$NS" --format '{{.Names}}' | grep -v -e '-fx-[a-z0-9]*-app$' -e '-fx-sidecar-profiler$' | paste -sd' ')"
	# async-profiler's library stays loaded in the JVM (an agent is never
	# unloaded; its file is gone), but no profiling may be left active: asked
	# from here as root through the path the JVM loaded it from, so no second
	# copy is loaded
	local lib
	if [ -n "${ASPROF_BUNDLE:-}" ]; then
		for pod in "$@"; do
			pid=$(ct_jvm_pid "$pod")
			while read -r lib; do
				"$ASPROF_BUNDLE/bin/asprof" status --libpath "$lib" "$pid" 2>&1 | grep -q 'Profiler is not active' ||
					bad+=" $pod: async-profiler still active"
			done < <(awk '$6 ~ /libasyncProfiler[.]so$/ { print $6 }' "/proc/$pid/maps" | sort -u)
		done
	fi
	if [ -z "$bad" ]; then pass "$name/clean"; else fail "$name/clean" "$bad"; fi
}

# expect_refusal NAME PATTERN MAKE-ARGS...: the step fails with exit 1 (bad
# input, not a crash) and a message matching PATTERN
expect_refusal() {
	local name=$1 pat=$2 rc=0
	shift 2
	capture "$name" "$@" || rc=$?
	if [ "$rc" = 0 ]; then
		fail "$name" "the capture succeeded"
	elif grep -qE "$pat" "$T/$name.log"; then
		pass "$name (exit $rc: $(grep -E "$pat" "$T/$name.log" | head -n 1 | cut -c1-150))"
	else
		cat "$T/$name.log"; fail "$name" "no message matching /$pat/"
	fi
}

for m in A B C D E F; do
	pod=$(mode_pod "$m")
	if capture "mode-$m" MODE=$m POD=$pod ALLOW_PRIVILEGED=yes; then
		ct_check_jfr "$m/recording" "$T/mode-$m/profiles/$pod.jfr" "${CAP_SECS}s"
	else
		cat "$T/mode-$m.log"; fail "$m/capture" "make capture-profile MODE=$m failed"
	fi
	clean_after "$m" "$pod"
done

# a second capture of the same JVM
if capture mode-B2 MODE=B POD=fx-full; then
	ct_check_jfr B/second-recording "$T/mode-B2/profiles/fx-full.jfr"
else
	cat "$T/mode-B2.log"; fail B/second-capture "make capture-profile MODE=B failed the second time"
fi
clean_after B2 fx-full

# async-profiler, when a release is given (ASPROF_BUNDLE; not needed
# otherwise; the images then hold it at /opt/async-profiler): PROFILER=asprof
# in modes A-F as for jfr, a second recording of the same JVM (the library
# is loaded once and stays loaded: a JVM cannot unload an agent), snapshots
# (PROFILER=asprof-collapsed) in modes C and E, and the refusals
if [ -n "${ASPROF_BUNDLE:-}" ]; then
	ASPROF_BUNDLE=$(cd "$ASPROF_BUNDLE" && pwd)
	for m in A B C D E F C2; do
		pod=$(mode_pod "${m:0:1}")
		if capture "asprof-$m" MODE="${m:0:1}" POD=$pod PROFILER=asprof EVENT=cpu \
			ASPROF_BUNDLE="$ASPROF_BUNDLE" ALLOW_PRIVILEGED=yes; then
			ct_check_jfr "asprof-$m/recording" "$T/asprof-$m/profiles/$pod.jfr" \
				"$(engine_of "$T/asprof-$m"), ${CAP_SECS}s"
		else
			cat "$T/asprof-$m.log"; fail "asprof-$m/capture" "make capture-profile PROFILER=asprof MODE=${m:0:1} failed"
		fi
		clean_after "asprof-$m" "$pod"
	done
	n=$(grep libasyncProfiler.so "/proc/$(ct_jvm_pid fx-jre)/maps" | awk '{ print $6 }' | sort -u | wc -l)
	[ "$n" = 1 ] && pass asprof-C/agent-loaded-once || fail asprof-C/agent-loaded-once "$n library paths mapped"
	for m in C E; do
		pod=$(mode_pod "$m")
		if capture "collapsed-$m" MODE=$m POD=$pod PROFILER=asprof-collapsed EVENT=cpu \
			ASPROF_BUNDLE="$ASPROF_BUNDLE"; then
			ct_check_collapsed "collapsed-$m/snapshot" "$T/collapsed-$m/profiles/$pod.cpu.collapsed" \
				"$(engine_of "$T/collapsed-$m"), ${CAP_SECS}s"
		else
			cat "$T/collapsed-$m.log"; fail "collapsed-$m/capture" "make capture-profile PROFILER=asprof-collapsed MODE=$m failed"
		fi
		clean_after "collapsed-$m" "$pod"
	done
	expect_refusal asprof-A-no-shell 'profile.sh: fx-jre: .*no shell' MODE=A POD=fx-jre \
		PROFILER=asprof ASPROF_BUNDLE="$ASPROF_BUNDLE"
	expect_refusal asprof-A-noexec 'profile.sh: fx-noexec: .*mounted noexec' MODE=A POD=fx-noexec \
		PROFILER=asprof ASPROF_BUNDLE="$ASPROF_BUNDLE"
	clean_after asprof-A-noexec fx-noexec
	expect_refusal asprof-C-gid 'profile.sh: fx-jre: .*gid 10001 but the tools would run as uid 10001 gid 65534' \
		MODE=C POD=fx-jre JVM_GID=65534 PROFILER=asprof
	clean_after asprof-C-gid fx-jre
else
	echo "NOTE containers_capture: PROFILER=asprof not run (set ASPROF_BUNDLE to an async-profiler release)"
fi

expect_refusal A-no-shell 'profile.sh: fx-jre: .*no shell' MODE=A POD=fx-jre
expect_refusal A-noexec 'profile.sh: fx-noexec: .*mounted noexec' MODE=A POD=fx-noexec
clean_after A-noexec fx-noexec
expect_refusal C-gid 'profile.sh: fx-jre: .*gid 10001 but the tools would run as uid 10001 gid 65534' MODE=C POD=fx-jre JVM_GID=65534
clean_after C-gid fx-jre

# two pods at once (a recording backend records the selected pods together):
# mode E's helper pods must have distinct names
if capture parallel-E MODE=E SELECTOR=jvmperf-test/kind=full PHASE=2 &&
	capture parallel-C MODE=C SELECTOR=jvmperf-test/kind=jre PHASE=2; then
	helpers=$(grep -oE ' run [a-z0-9-]+' "$T/parallel-E/capture/commands.log" | sort -u | wc -l)
	[ "$helpers" = 2 ] && pass "parallel-E/distinct-helpers" ||
		fail parallel-E/distinct-helpers "$helpers distinct helper pod names for 2 pods"
	for p in fx-full fx-full2; do ct_check_jfr "parallel-E/$p" "$T/parallel-E/profiles/$p.jfr"; done
	for p in fx-jre fx-jre2; do ct_check_jfr "parallel-C/$p" "$T/parallel-C/profiles/$p.jfr"; done
else
	cat "$T"/parallel-*.log; fail parallel "recording two pods at once failed"
fi
clean_after parallel fx-jre fx-jre2 fx-full fx-full2

# pods without a shell are named, not a failure (nothing of modes A/B there)
if make --no-print-directory -s capture-clean NS="$NS" SELECTOR=app.kubernetes.io/name=fixture \
	NODE_PROFILER_NS="$NS" KUBECTL="$K" >"$T/clean.log" 2>&1 &&
	grep -q 'no shell in the image' "$T/clean.log"; then
	pass capture-clean
else
	cat "$T/clean.log"; fail capture-clean
fi
ct_done
