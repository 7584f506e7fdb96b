#!/usr/bin/env bash
# profile.sh - capture async-profiler collapsed stacks from JVMs in pods.
#
# usage: profile.sh -r RUN -m MODE -n NS (-p POD | -l SELECTOR [-1]) [-c CONTAINER]
#          -e EVENT -d DURATION [-i INTERVAL] [-t] [-P] [-b BUNDLE] [-I IMAGE]
#          [-H ASPROF_HOME] [-T POD_TMPDIR] [-s SIDECAR] [-u JVM_UID]
#          [-j JVM_PID] [-N NODE_NS] [-k KUBECTL] [-a ALLOW_PRIVILEGED]
#          [-g DEBUG_PROFILE]
#
# Writes RUN/profiles/POD.EVENT.collapsed (atomically), the asprof output to
# RUN/capture/POD.EVENT.asprof.log, and run.env keys profile_EVENT_start and
# profile_EVENT_end (the union of the pods' capture intervals), plus
# profile_cpu_engine=perf_events|ctimer for -e cpu. With -l, the selector's
# running pods are profiled one at a time, or all at once with -P; with -1
# only the first (by name, as the API lists them).
#
# Modes (how asprof reaches the JVM):
#   A  copy BUNDLE into the container with kubectl cp (needs tar there)
#   B  asprof already in the image at ASPROF_HOME
#   C  ephemeral container from IMAGE (kubectl debug --target, --profile
#      DEBUG_PROFILE: general adds SYS_PTRACE, which Pod Security baseline and
#      restricted refuse; restricted is enough for a non-root JVM), as JVM_UID
#   D  the sidecar SIDECAR of a pod with a shared process namespace
#   E  helper pod from IMAGE on the target's node streams the bundle into the
#      container with kubectl exec and cat (no tar needed, but sh, cat, chmod)
#   F  privileged host-PID pod on the target's node (only with -a yes)
# In C, D and F asprof runs outside the JVM's container: the library is put
# under POD_TMPDIR of the JVM's own filesystem (/proc/PID/root) and passed
# with --libpath, and the profile is read back the same way.
. "${0%/*}/lib.sh"

run= mode= ns= pod= selector= container= event= duration= interval= threads=0
parallel=0 bundle= image= asprof_home=/opt/async-profiler pod_tmp=/tmp
sidecar=profiler jvm_uid= jvm_pid= node_ns=perf-node-profiler kubectl=kubectl
allow=no first_only=0 debug_profile=general
while getopts r:m:n:p:l:1c:e:d:i:tPb:I:H:T:s:u:j:N:k:a:g: opt; do
	case $opt in
	r) run=$OPTARG ;; m) mode=$OPTARG ;; n) ns=$OPTARG ;; p) pod=$OPTARG ;;
	l) selector=$OPTARG ;; 1) first_only=1 ;; c) container=$OPTARG ;; e) event=$OPTARG ;;
	d) duration=$OPTARG ;; i) interval=$OPTARG ;; t) threads=1 ;; P) parallel=1 ;;
	b) bundle=$OPTARG ;; I) image=$OPTARG ;; H) asprof_home=$OPTARG ;;
	T) pod_tmp=$OPTARG ;; s) sidecar=$OPTARG ;; u) jvm_uid=$OPTARG ;;
	j) jvm_pid=$OPTARG ;; N) node_ns=$OPTARG ;; k) kubectl=$OPTARG ;;
	a) allow=$OPTARG ;; g) debug_profile=$OPTARG ;;
	*) cap_die 1 "usage: see the header of $0" ;;
	esac
done
[ -n "$run" ] || cap_die 1 "no run folder: set RUN=runs/NAME"
[ -n "$ns" ] || cap_die 1 "no namespace: set NS"
[ -n "$pod$selector" ] || cap_die 1 "no pod: set POD=NAME or SELECTOR=LABEL=VALUE"
[[ $event =~ ^[A-Za-z0-9_.:-]+$ ]] || cap_die 1 "bad EVENT '$event' (cpu, wall, alloc, lock, itimer, ctimer, ...)"
[[ $duration =~ ^[1-9][0-9]*$ ]] || cap_die 1 "bad DURATION '$duration' (whole seconds > 0)"
[[ -z $interval || $interval =~ ^[1-9][0-9]*(ns|us|ms|s)?$ ]] ||
	cap_die 1 "bad INTERVAL '$interval' (e.g. 10ms, 1000000)"
[[ $pod_tmp == /* ]] || cap_die 1 "bad POD_TMPDIR '$pod_tmp' (an absolute path)"
case $mode in
A) [ -n "$bundle" ] || cap_die 1 "mode A copies async-profiler into the pod: set ASPROF_BUNDLE to the release folder (bin/asprof, lib/libasyncProfiler.so)"
   [ "$CAP_PLAN" = 1 ] || { [ -x "$bundle/bin/asprof" ] && [ -f "$bundle/lib/libasyncProfiler.so" ]; } ||
	cap_die 1 "ASPROF_BUNDLE '$bundle' is not an async-profiler release folder (no bin/asprof or lib/libasyncProfiler.so)" ;;
B | D) ;;
C | E) [ -n "$image" ] || cap_die 1 "mode $mode needs ASPROF_IMAGE: an image with async-profiler at ASPROF_HOME ($asprof_home) and sh, cat, cp, mkdir" ;;
F) if [ "$allow" != yes ]; then
	cap_die 1 "mode F starts a privileged pod with the host's PID namespace on the target's node; refused unless ALLOW_PRIVILEGED=yes (and k8s/overlays/node-profiler applied by a cluster admin)"
   fi
   [ -n "$image" ] || cap_die 1 "mode F needs ASPROF_IMAGE: an image with async-profiler at ASPROF_HOME ($asprof_home) and sh, cat, cp, mkdir" ;;
*) cap_die 1 "bad MODE '$mode' (A, B, C, D, E or F)" ;;
esac

cap_init "$run"
dir=$pod_tmp/jvmperf-$event
asprof_args=(-d "$duration" -e "$event")
[ "$threads" = 1 ] && asprof_args+=(-t)
[ -n "$interval" ] && asprof_args+=(-i "$interval")
asprof_args+=(-o collapsed)

# Explains a failed exec into the target container and stops.
exec_failed() { # LOG WHAT
	local log=$1 what=$2
	if grep -qiE 'executable file not found|no such file or directory' "$log" 2>/dev/null; then
		cap_die 1 "$what: the container has no shell (distroless image?): use MODE=C (ephemeral container) or MODE=D (profiling sidecar)"
	fi
	cat "$log" >&2 2>/dev/null || :
	cap_die 2 "$what failed (see the kubectl message above)"
}

# find_jvm X... : sets PID from the JVM seen by the exec prefix X (and UID
# check); MATCH narrows to a cgroup (mode F).
find_jvm() {
	local err
	err=$(mktemp)
	if [ -n "$jvm_pid" ]; then
		PID=$jvm_pid
		return
	fi
	if ! cap_get JVMS "<$CAP_DIR/find-jvm-pid.sh" "$@" sh -s ${MATCH:+"$MATCH"} 2>"$err"; then
		if grep -q 'exit code 3' "$err"; then
			rm -f "$err"
			cap_die 1 "$pod: no JVM process found in the container's /proc (set JVM_PID if it runs under another name)"
		fi
		exec_failed "$err" "$pod: finding the JVM"
	fi
	rm -f "$err"
	local juid ouid
	read -r PID juid ouid <<<"$JVMS"
	cap_let PID '${JVMS%% *}' "$PID"
	cap_let JVM_OWNER '$(echo "$JVMS" | cut -d" " -f2)' "$juid"
	[ "$CAP_PLAN" = 0 ] || return 0
	[ "$(wc -l <<<"$JVMS")" -eq 1 ] ||
		cap_note "$pod: several JVMs (pid uid): $(cut -d' ' -f1,2 <<<"$JVMS" | paste -sd,); profiling pid $PID (set JVM_PID to choose)"
	if [ "$mode" != F ] && [ "$juid" != "$ouid" ]; then
		local how="the container's user is not the JVM's (an entrypoint that switches users?): use MODE=C with JVM_UID=$juid"
		[ "$mode" != C ] || how="set JVM_UID=$juid"
		[ "$mode" != D ] || how="run the sidecar as uid $juid (runAsUser)"
		cap_die 1 "$pod: the JVM (pid $PID) runs as uid $juid but asprof would run as uid $ouid: HotSpot accepts attach requests only from its own user; $how"
	fi
}

# profile_one POD: the whole capture for one pod, cleanup included.
profile_one() {
	pod=$1
	local c=$container X XI asp libpath=() root= out log list
	out=$run/profiles/$pod.$event.collapsed
	log=$run/capture/$pod.$event.asprof.log
	if [ -z "$c" ] && [[ $mode == [ABCE] ]]; then
		cap_get CONTAINER "$kubectl" get pod -n "$ns" "$pod" -o 'jsonpath={.spec.containers[0].name}'
		c=$CONTAINER
	fi
	case $mode in
	A | B | E)
		X=("$kubectl" exec -n "$ns" "$pod" -c "$c" --)
		XI=("$kubectl" exec -i -n "$ns" "$pod" -c "$c" --) ;;
	C)
		if [ -z "$jvm_uid" ]; then
			cap_get JVM_UID "$kubectl" get pod -n "$ns" "$pod" -o "jsonpath={.spec.containers[?(@.name==\"$c\")].securityContext.runAsUser}{\" \"}{.spec.securityContext.runAsUser}"
			read -r jvm_uid _ <<<"$JVM_UID" || :
			[ "$CAP_PLAN" = 0 ] || jvm_uid=$JVM_UID
			[ "$CAP_PLAN" = 1 ] || [ -n "$jvm_uid" ] ||
				cap_die 1 "$pod: the pod spec sets no runAsUser: set JVM_UID to the JVM's uid (ephemeral containers run as the image's user)"
		fi
		cap_get DEBUG_NAME date +jvmperf-%s
		cap_get SPEC mktemp
		cap_cleanup rm -f "$SPEC"
		cap_out "$SPEC" printf '{"securityContext":{"runAsUser":%s,"runAsNonRoot":true,"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}\n' "$jvm_uid"
		# The holder shell records its pid (in the shared process namespace
		# PID 1 is the application's) so cleanup ends exactly it: an
		# ephemeral container cannot be removed, only ended.
		cap_run "$kubectl" debug -n "$ns" "$pod" --target="$c" --image="$image" \
			--profile="$debug_profile" --custom="$SPEC" -c "$DEBUG_NAME" -- \
			sh -c 'echo $$ >/tmp/jvmperf-holder.pid; exec sleep "$0"' $((duration + 300))
		X=("$kubectl" exec -n "$ns" "$pod" -c "$DEBUG_NAME" --)
		XI=("$kubectl" exec -i -n "$ns" "$pod" -c "$DEBUG_NAME" --)
		cap_cleanup "${X[@]}" sh -c 'kill "$(cat /tmp/jvmperf-holder.pid)"'
		wait_running "$kubectl" get pod -n "$ns" "$pod" -o "jsonpath={.status.ephemeralContainerStatuses[?(@.name==\"$DEBUG_NAME\")].state.running.startedAt}" ;;
	D)
		X=("$kubectl" exec -n "$ns" "$pod" -c "$sidecar" --)
		XI=("$kubectl" exec -i -n "$ns" "$pod" -c "$sidecar" --) ;;
	F)
		cap_get NODE "$kubectl" get pod -n "$ns" "$pod" -o 'jsonpath={.spec.nodeName}'
		cap_get POD_UID "$kubectl" get pod -n "$ns" "$pod" -o 'jsonpath={.metadata.uid}'
		local np=jvmperf-node-$event
		cap_cleanup "$kubectl" delete pod -n "$node_ns" "$np" --ignore-not-found --wait=false
		cap_run "$kubectl" run "$np" -n "$node_ns" --image="$image" --restart=Never --labels="$CAP_LABEL" \
			--overrides="{\"apiVersion\":\"v1\",\"spec\":{\"nodeName\":\"$NODE\",\"hostPID\":true,\"containers\":[{\"name\":\"$np\",\"image\":\"$image\",\"command\":[\"sleep\",\"$((duration + 600))\"],\"securityContext\":{\"privileged\":true}}]}}"
		cap_run "$kubectl" wait -n "$node_ns" --for=condition=Ready "pod/$np" --timeout=120s
		X=("$kubectl" exec -n "$node_ns" "$np" --)
		XI=("$kubectl" exec -i -n "$node_ns" "$np" --)
		MATCH=$POD_UID ;;
	esac

	case $mode in
	A)
		check_exec "${X[@]}" sh -c 'command -v tar >/dev/null' ||
			cap_die 1 "$pod: kubectl cp needs tar in the container and $c has none (distroless or slim image?): use MODE=E (copies with cat), MODE=C (ephemeral container) or MODE=D (sidecar)"
		make_dir "${X[@]}"
		cap_run "$kubectl" cp -n "$ns" -c "$c" "$bundle" "$pod:$dir/async-profiler"
		asp=$dir/async-profiler
		check_runnable "${X[@]}" "$asp/bin/asprof" ;;
	B)
		make_dir "${X[@]}"
		asp=$asprof_home
		check_runnable "${X[@]}" "$asp/bin/asprof" ;;
	E)
		cap_get NODE "$kubectl" get pod -n "$ns" "$pod" -o 'jsonpath={.spec.nodeName}'
		local helper=jvmperf-helper-$event
		cap_cleanup "$kubectl" delete pod -n "$ns" "$helper" --ignore-not-found --wait=false
		cap_run "$kubectl" run "$helper" -n "$ns" --image="$image" --restart=Never --labels="$CAP_LABEL" \
			--overrides="{\"apiVersion\":\"v1\",\"spec\":{\"nodeName\":\"$NODE\",\"securityContext\":{\"runAsNonRoot\":true,\"runAsUser\":65534},\"containers\":[{\"name\":\"$helper\",\"image\":\"$image\",\"command\":[\"sleep\",\"$((duration + 600))\"],\"securityContext\":{\"allowPrivilegeEscalation\":false,\"capabilities\":{\"drop\":[\"ALL\"]}},\"resources\":{\"limits\":{\"cpu\":\"200m\",\"memory\":\"64Mi\"}}}]}}"
		cap_run "$kubectl" wait -n "$ns" --for=condition=Ready "pod/$helper" --timeout=120s
		make_dir "${X[@]}"
		cap_run "${X[@]}" mkdir -p "$dir/async-profiler/bin" "$dir/async-profiler/lib"
		local f
		for f in bin/asprof lib/libasyncProfiler.so; do
			cap_pipe "$kubectl" exec -n "$ns" "$helper" -- cat "$asprof_home/$f" '|' \
				"${XI[@]}" sh -c 'cat >"$1" && chmod 755 "$1"' sh "$dir/async-profiler/$f"
		done
		asp=$dir/async-profiler
		check_runnable "${X[@]}" "$asp/bin/asprof" ;;
	C | D | F)
		asp=$asprof_home
		check_runnable "${X[@]}" "$asp/bin/asprof" ;;
	esac

	MATCH=${MATCH:-}
	find_jvm "${XI[@]}"
	if [[ $mode == [CDF] ]]; then
		root=/proc/$PID/root
		cap_cleanup "${X[@]}" rm -rf "$root$dir"
		# owned by the JVM's user, who loads the library and writes the profile
		cap_run "${X[@]}" sh -c 'mkdir -p "$1" && cp "$2" "$1/" && chown "$3" "$1" "$1/libasyncProfiler.so"' \
			sh "$root$dir" "$asp/lib/libasyncProfiler.so" "$JVM_OWNER"
		libpath=(--libpath "$dir/libasyncProfiler.so")
	fi

	if [ "$event" = cpu ]; then
		list=$run/capture/$pod.asprof-list.txt
		cap_out "$list" "${X[@]}" "$asp/bin/asprof" list "${libpath[@]}" "$PID"
		if [ "$CAP_PLAN" = 1 ]; then
			# asprof lists perf events only where perf_event_open works; without
			# them async-profiler >= 4.0 samples -e cpu with ctimer
			cap_let ENGINE "\$(grep -q '^Perf events:' $(cap_quote1 "$list") && echo perf_events || echo ctimer)" 
		elif grep -q '^Perf events:' "$list"; then
			engine=perf_events
		else
			engine=ctimer
			cap_note "$pod: perf_events are not available in the container (perf_event_paranoid, seccomp): async-profiler >= 4.0 samples cpu with ctimer (no kernel frames)"
		fi
	fi

	cap_epoch START
	if ! cap_outerr "$log" "${X[@]}" "$asp/bin/asprof" "${asprof_args[@]}" -f "$dir/profile.collapsed" "${libpath[@]}" "$PID"; then
		cat "$log" >&2
		cap_die 2 "$pod: asprof failed (output in $log); asprof attaches by itself, jcmd is not needed"
	fi
	cap_epoch END
	if [ "$CAP_PLAN" = 0 ]; then
		cat "$log" >&2
		cap_note "$pod: profiled $event from $START to $END"
	fi
	cap_out "$out.tmp" "${X[@]}" cat "$root$dir/profile.collapsed"
	if [ "$CAP_PLAN" = 0 ] && [ ! -s "$out.tmp" ]; then
		rm -f "$out.tmp"
		cap_die 1 "$pod: the profile is empty (no samples: was the JVM busy? see $log)"
	fi
	cap_run mv "$out.tmp" "$out"
	record_interval
}

check_exec() { # X... CMD: true if CMD succeeds; a failed exec is explained
	local err status=0
	err=$(mktemp)
	cap_run "$@" 2>"$err" || status=$?
	if [ "$status" -ne 0 ] && ! grep -q 'command terminated with exit code' "$err"; then
		exec_failed "$err" "$pod: kubectl exec"
	fi
	rm -f "$err"
	return "$status"
}

make_dir() { # X...: the working folder under POD_TMPDIR, removed at exit
	cap_cleanup "$@" rm -rf "$dir"
	check_exec "$@" mkdir -p "$dir" ||
		cap_die 1 "$pod: cannot create $dir: POD_TMPDIR '$pod_tmp' is read-only; set POD_TMPDIR to a writable folder (an emptyDir mount)"
}

check_runnable() { # X... ASPROF: asprof must run from where it is; its
	# version goes to RUN/capture/POD.asprof-version.txt
	local asprof=${*: -1} err status=0
	err=$(mktemp)
	cap_out "$run/capture/$pod.asprof-version.txt" "$@" --version 2>"$err" || status=$?
	if [ "$status" -ne 0 ] && ! grep -q 'command terminated with exit code' "$err"; then
		exec_failed "$err" "$pod: kubectl exec"
	fi
	rm -f "$err"
	[ "$status" -eq 0 ] && return 0
	if [[ $mode == [AE] ]]; then
		cap_die 1 "$pod: cannot run $asprof: POD_TMPDIR '$pod_tmp' is mounted noexec (or the bundle is for another architecture); set POD_TMPDIR to a writable folder that allows exec (an emptyDir mount)"
	fi
	cap_die 1 "$pod: cannot run $asprof: set ASPROF_HOME to the async-profiler folder in the image"
}

wait_running() { # CMD...: until CMD prints something, at most 60 s
	local i out
	[ "$CAP_PLAN" = 0 ] || printf '# repeated every 2 s until it prints a time, at most 60 s:\n'
	for i in $(seq 30); do
		cap_get STARTED "$@"
		[ "$CAP_PLAN" = 0 ] || return 0
		[ -z "$STARTED" ] || return 0
		sleep 2
	done
	cap_die 2 "$pod: the ephemeral container did not start in 60 s (image pull? see kubectl describe pod -n $ns $pod)"
}

# Each pod's interval (and cpu engine) goes to a file; the parent records
# the union once all are done.
record_interval() {
	if [ "$CAP_PLAN" = 1 ]; then
		cap_env "$run" "profile_${event}_start=$START" "profile_${event}_end=$END" \
			${engine_plan:+"profile_cpu_engine=$engine_plan"}
	else
		echo "$START $END $engine" >"$intervals/$pod"
	fi
}

run_pod() { # POD: profile_one in a subshell with its own cleanup
	(
		CAP_CLEANUP=()
		cap_traps
		profile_one "$1"
	)
}

items='*'
[ "$first_only" = 0 ] || items=0
engine=
engine_plan=
[ "$event" != cpu ] || engine_plan='{{ENGINE}}'
if [ "$CAP_PLAN" = 1 ]; then
	if [ -n "$pod" ]; then
		profile_one "$pod"
	else
		cap_get PODS "$kubectl" get pods -n "$ns" -l "$selector" --field-selector=status.phase=Running -o "jsonpath={.items[$items].metadata.name}"
		if [ "$first_only" = 1 ]; then
			printf 'POD=$PODS\n'
		else
			printf '# for each POD in $PODS, %s:\n' "$([ "$parallel" = 1 ] && echo "all at once" || echo "one at a time")"
		fi
		CAP_PLACEHOLDERS+=" POD"
		profile_one "{{POD}}"
	fi
	exit 0
fi
intervals=$(mktemp -d)
trap 'rm -rf "$intervals"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ -n "$pod" ]; then
	PODS=$pod
else
	cap_get PODS "$kubectl" get pods -n "$ns" -l "$selector" --field-selector=status.phase=Running -o "jsonpath={.items[$items].metadata.name}"
	[ -n "$PODS" ] || cap_die 1 "no running pod matches SELECTOR '$selector' in namespace $ns"
fi
status=0
if [ "$parallel" = 0 ]; then
	for p in $PODS; do
		run_pod "$p" || { status=$?; break; }
	done
else
	pids=()
	for p in $PODS; do
		run_pod "$p" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p" || status=$?; done
fi
if [ -n "$(ls "$intervals")" ]; then
	read -r s e eng <<<"$(sort -n "$intervals"/* | awk '
		NR == 1 || $1 < s { s = $1 } NR == 1 || $2 > e { e = $2 }
		$3 == "ctimer" || ($3 != "" && eng == "") { eng = $3 }
		END { print s, e, eng }')"
	cap_env "$run" "profile_${event}_start=$s" "profile_${event}_end=$e" ${eng:+"profile_cpu_engine=$eng"}
fi
exit "$status"
