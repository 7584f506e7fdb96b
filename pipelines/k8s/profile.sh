#!/usr/bin/env bash
# profile.sh - record the JVMs in pods: a Flight Recorder recording or an
# async-profiler profile.
#
# usage: profile.sh -r RUN -m MODE -n NS (-p POD | -l SELECTOR [-1]) [-c CONTAINER]
#          [-B PROFILER] -e EVENT -d DURATION [-i INTERVAL] [-t] [-P]
#          [-b BUNDLE] [-I IMAGE] [-H ASPROF_HOME] [-J JATTACH] [-x IMAGE_JATTACH]
#          [-F JFC] [-T POD_TMPDIR] [-s SIDECAR] [-u JVM_UID] [-G JVM_GID]
#          [-j JVM_PID] [-N NODE_NS] [-k KUBECTL] [-a ALLOW_PRIVILEGED]
#          [-g DEBUG_PROFILE] [-W [-D DELAY] [-M MAXWAIT]] [-w MAXAGE]
#
# Backends (-B):
#   jfr               (default) Flight Recorder through jattach: JFR.start with
#                     the settings file JFC, JFR.dump and JFR.stop at the end;
#                     RUN/profiles/POD.jfr. Any HotSpot JVM >= 11.
#   asprof            async-profiler recording to JFR: asprof start -e EVENT
#                     (with --wall for cpu), asprof stop; RUN/profiles/POD.jfr
#   asprof-collapsed  an async-profiler snapshot of DURATION seconds:
#                     RUN/profiles/POD.EVENT.collapsed
# The recording backends record the whole load: with -W (the capture runs
# beside the load step, which shares RUN/capture/sync with it) they start,
# say so (sync/profile.ready: the load waits for it), and stop when the load
# ends (sync/load.ended), at most MAXWAIT seconds later; without -W they
# record DURATION seconds. A snapshot with -W starts DELAY seconds after the
# load's real start (sync/load.started). Recording backends profile the
# selected pods at once; snapshots one at a time, or at once with -P.
#
# -w MAXAGE (make watch, jfr only): a continuous recording on every pod
# (JFR.start disk=true maxage=MAXAGE) that serves dump requests until
# sync/watch.ended (at most MAXWAIT s): a file sync/dump.POD holding
# "BEGIN END DIR" (epoch seconds, a run folder) is answered with
# JFR.dump begin=BEGIN end=END into DIR/profiles/POD.jfr, then
# sync/dumped.POD (or sync/failed.POD).
#
# Writes the profiles atomically, the tools' output to RUN/capture/, and
# run.env keys profile_backend, profile_jfr_start/profile_jfr_end
# (recordings) or profile_EVENT_start/profile_EVENT_end (snapshots): the
# union of the pods' intervals; profile_cpu_engine=perf_events|ctimer|wall
# for async-profiler's -e cpu (wall: async-profiler 3.x without perf events).
#
# Modes (how the tools reach the JVM):
#   A  copy them into the container with kubectl cp (needs tar there): the
#      local JATTACH, or the async-profiler release BUNDLE
#   B  already in the image (IMAGE_JATTACH, ASPROF_HOME)
#   C  ephemeral container from IMAGE (kubectl debug --target, --profile
#      DEBUG_PROFILE: general adds SYS_PTRACE, which Pod Security baseline and
#      restricted refuse; restricted is enough for a non-root JVM), as
#      JVM_UID:JVM_GID
#   D  the sidecar SIDECAR of a pod with a shared process namespace
#   E  helper pod from IMAGE on the target's node streams the tools into the
#      container with kubectl exec and cat (no tar needed, but sh, cat, chmod)
#   F  privileged host-PID pod on the target's node, as root (only with -a yes)
# Everything put in the JVM's filesystem lives in POD_TMPDIR/jvmperf, one
# fixed folder whatever the mode or event, so a second capture of the same
# JVM names the async-profiler library the JVM already loaded (it is never
# loaded twice). In C, D and F the tools run outside the JVM's container and
# reach that folder through /proc/PID/root.
. "${0%/*}/lib.sh"

run= mode= ns= pod= selector= container= event= duration= interval= threads=0
parallel=0 bundle= image= asprof_home=/opt/async-profiler pod_tmp=/tmp
sidecar=profiler jvm_uid= jvm_gid= jvm_pid= node_ns=perf-node-profiler kubectl=kubectl
allow=no first_only=0 debug_profile=general profiler=jfr jattach=jattach
jattach_path=/usr/bin/jattach jfc=${0%/*}/../jvmperf.jfc sync=0 delay=30 maxwait=1020 maxage=
while getopts r:m:n:p:l:1c:e:d:i:tPb:I:H:T:s:u:G:j:N:k:a:g:B:J:x:F:WD:M:w: opt; do
	case $opt in
	r) run=$OPTARG ;; m) mode=$OPTARG ;; n) ns=$OPTARG ;; p) pod=$OPTARG ;;
	l) selector=$OPTARG ;; 1) first_only=1 ;; c) container=$OPTARG ;; e) event=$OPTARG ;;
	d) duration=$OPTARG ;; i) interval=$OPTARG ;; t) threads=1 ;; P) parallel=1 ;;
	b) bundle=$OPTARG ;; I) image=$OPTARG ;; H) asprof_home=$OPTARG ;;
	T) pod_tmp=$OPTARG ;; s) sidecar=$OPTARG ;; u) jvm_uid=$OPTARG ;; G) jvm_gid=$OPTARG ;;
	j) jvm_pid=$OPTARG ;; N) node_ns=$OPTARG ;; k) kubectl=$OPTARG ;;
	a) allow=$OPTARG ;; g) debug_profile=$OPTARG ;; B) profiler=$OPTARG ;;
	J) jattach=$OPTARG ;; x) jattach_path=$OPTARG ;; F) jfc=$OPTARG ;;
	W) sync=1 ;; D) delay=$OPTARG ;; M) maxwait=$OPTARG ;; w) maxage=$OPTARG; sync=1 ;;
	*) cap_die 1 "usage: see the header of $0" ;;
	esac
done
[ -n "$run" ] || cap_die 1 "no run folder: set RUN=runs/NAME"
[ -n "$ns" ] || cap_die 1 "no namespace: set NS"
[ -n "$pod$selector" ] || cap_die 1 "no pod: set POD=NAME or SELECTOR=LABEL=VALUE"
[[ $event =~ ^[A-Za-z0-9_.:-]+$ ]] || cap_die 1 "bad EVENT '$event' (cpu, wall, alloc, lock, itimer, ctimer, ...)"
[[ $duration =~ ^[1-9][0-9]*$ ]] || cap_die 1 "bad DURATION '$duration' (whole seconds > 0)"
[[ $delay =~ ^[0-9]+$ ]] || cap_die 1 "bad PROFILE_DELAY '$delay' (whole seconds)"
[[ $maxwait =~ ^[1-9][0-9]*$ ]] || cap_die 1 "bad maximum wait '$maxwait' (whole seconds > 0)"
[[ -z $interval || $interval =~ ^[1-9][0-9]*(ns|us|ms|s)?$ ]] ||
	cap_die 1 "bad INTERVAL '$interval' (e.g. 10ms, 1000000)"
# the folder is named in jcmd arguments, which split at spaces
[[ $pod_tmp =~ ^/[A-Za-z0-9._/-]*$ ]] || cap_die 1 "bad POD_TMPDIR '$pod_tmp' (an absolute path of letters, digits, . _ - /)"
[[ -z $jvm_uid || $jvm_uid =~ ^[0-9]+$ ]] || cap_die 1 "bad JVM_UID '$jvm_uid' (a number)"
[[ -z $jvm_gid || $jvm_gid =~ ^[0-9]+$ ]] || cap_die 1 "bad JVM_GID '$jvm_gid' (a number)"
case $profiler in
jfr) tools="jattach at IMAGE_JATTACH ($jattach_path)" ;;
asprof | asprof-collapsed) tools="async-profiler at ASPROF_HOME ($asprof_home)" ;;
*) cap_die 1 "bad PROFILER '$profiler' (jfr, asprof or asprof-collapsed)" ;;
esac
case $mode in
A) if [ "$profiler" = jfr ]; then
	[ "$CAP_PLAN" = 1 ] || jattach=$(command -v "$jattach") ||
		cap_die 1 "mode A copies jattach into the pod: no '$jattach' here (apt-get install jattach, or set JATTACH)"
   else
	[ -n "$bundle" ] || cap_die 1 "mode A copies async-profiler into the pod: set ASPROF_BUNDLE to the release folder (bin/asprof, lib/libasyncProfiler.so)"
	[ "$CAP_PLAN" = 1 ] || { [ -x "$bundle/bin/asprof" ] && [ -f "$bundle/lib/libasyncProfiler.so" ]; } ||
		cap_die 1 "ASPROF_BUNDLE '$bundle' is not an async-profiler release folder (no bin/asprof or lib/libasyncProfiler.so)"
   fi ;;
B | D) ;;
C | E) [ -n "$image" ] || cap_die 1 "mode $mode needs TOOLS_IMAGE: an image with $tools and sh, cat, cp, mkdir, chown, rm, sleep" ;;
F) if [ "$allow" != yes ]; then
	cap_die 1 "mode F starts a privileged pod with the host's PID namespace on the target's node; refused unless ALLOW_PRIVILEGED=yes (and k8s/overlays/node-profiler applied by a cluster admin)"
   fi
   [ -n "$image" ] || cap_die 1 "mode F needs TOOLS_IMAGE: an image with $tools and sh, cat, cp, mkdir, chown, rm, sleep" ;;
*) cap_die 1 "bad MODE '$mode' (A, B, C, D, E or F)" ;;
esac
if [ "$mode" = C ] && [ "$jvm_uid" = 0 ]; then
	cap_die 1 "mode C runs the ephemeral container with runAsNonRoot, which the kubelet refuses for uid 0: a JVM running as root is reached with MODE=A, B or E (exec into its container) or MODE=F"
fi
if [ "$profiler" = jfr ] && [ "$CAP_PLAN" = 0 ] && [ ! -r "$jfc" ]; then
	cap_die 1 "cannot read the Flight Recorder settings JFC '$jfc'"
fi
if [ -n "$maxage" ]; then
	[[ $maxage =~ ^[1-9][0-9]*[smh]$ ]] || cap_die 1 "bad WATCH_MAXAGE '$maxage' (e.g. 10m)"
	[ "$profiler" = jfr ] || cap_die 1 "make watch records with PROFILER=jfr (a Flight Recorder ring buffer), not $profiler"
fi
whole=0
[ "$profiler" = asprof-collapsed ] || whole=1
[ "$whole" = 0 ] || parallel=1

cap_init "$run"
S=$run/capture/sync
dir=$pod_tmp/jvmperf
agent=$dir/async-profiler
if [ "$profiler" = asprof-collapsed ]; then
	tag=$event
	asprof_args=(-d "$duration" -e "$event")
	[ "$threads" = 1 ] && asprof_args+=(-t)
	[ -n "$interval" ] && asprof_args+=(-i "$interval")
	asprof_args+=(-o collapsed)
else
	tag=jfr
	asprof_args=(-e "$event")
	# wall-clock samples beside cpu, at async-profiler's own default interval
	# for wall clock: at 20 ms the wall-clock signal handler took 16-25% of
	# the JVM's cpu samples (async-profiler 4.5, ctimer, a loaded machine),
	# at 50 ms about 4%
	[ "$event" != cpu ] || asprof_args+=(--wall 50ms)
	[ "$threads" = 1 ] && asprof_args+=(-t)
	[ -n "$interval" ] && asprof_args+=(-i "$interval")
	asprof_args+=(-o jfr)
fi

# Explains a failed exec into the target container and stops.
exec_failed() { # LOG WHAT
	local log=$1 what=$2
	if grep -qiE 'executable file not found|no such file or directory' "$log" 2>/dev/null; then
		cap_die 1 "$what: the container has no shell (distroless image?): use MODE=C (ephemeral container) or MODE=D (profiling sidecar)"
	fi
	cat "$log" >&2 2>/dev/null || :
	cap_die 2 "$what failed (see the kubectl message above)"
}

# find_jvm X... : sets PID, JVM_OWNER (uid:gid) from the JVM seen by the exec
# prefix X (and checks uid and gid); MATCH narrows to a cgroup (mode F).
find_jvm() {
	local err
	err=$(mktemp)
	if ! cap_get JVMS "<$CAP_DIR/find-jvm-pid.sh" "$@" sh -s ${MATCH:+"$MATCH"} 2>"$err"; then
		if grep -q 'exit code 3' "$err"; then
			rm -f "$err"
			cap_die 1 "$pod: no JVM process found in the container's /proc (set JVM_PID if it runs under another name)"
		fi
		exec_failed "$err" "$pod: finding the JVM"
	fi
	rm -f "$err"
	local line juid ouid jgid ogid
	line=$JVMS
	if [ -n "$jvm_pid" ] && [ "$CAP_PLAN" = 0 ]; then
		line=$(awk -v p="$jvm_pid" '$1 == p' <<<"$JVMS")
		[ -n "$line" ] || cap_die 1 "$pod: JVM_PID $jvm_pid is not a JVM of the container (found: $(cut -d' ' -f1 <<<"$JVMS" | paste -sd,))"
	fi
	read -r PID juid ouid jgid ogid <<<"$line"
	if [ -n "$jvm_pid" ]; then
		cap_let PID "$jvm_pid" "$jvm_pid"
		cap_let JVM_OWNER "\$(echo \"\$JVMS\" | awk '\$1 == $jvm_pid { print \$2 \":\" \$4 }')" "$juid:$jgid"
	else
		cap_let PID '${JVMS%% *}' "$PID"
		cap_let JVM_OWNER "\$(echo \"\$JVMS\" | awk 'NR == 1 { print \$2 \":\" \$4 }')" "$juid:$jgid"
	fi
	[ "$CAP_PLAN" = 0 ] || return 0
	[ -n "$jvm_pid" ] || [ "$(wc -l <<<"$JVMS")" -eq 1 ] ||
		cap_note "$pod: several JVMs (pid uid): $(cut -d' ' -f1,2 <<<"$JVMS" | paste -sd,); recording pid $PID (set JVM_PID to choose)"
	if [ "$mode" != F ] && { [ "$juid" != "$ouid" ] || [ "$jgid" != "$ogid" ]; }; then
		local how="the container's user is not the JVM's (an entrypoint that switches users?): use MODE=C with JVM_UID=$juid JVM_GID=$jgid"
		[ "$mode" != C ] || how="set JVM_UID=$juid JVM_GID=$jgid"
		[ "$mode" != D ] || how="run the sidecar as uid $juid, gid $jgid (runAsUser, runAsGroup)"
		cap_die 1 "$pod: the JVM (pid $PID) runs as uid $juid gid $jgid but the tools would run as uid $ouid gid $ogid: HotSpot accepts attach requests only from its own user and group; $how"
	fi
}

# The holder command of mode C/E/F containers: ends at once on SIGTERM
# (a plain sleep as PID 1 ignores it for the whole grace period).
holder() { # SECONDS
	printf 'trap exit TERM; sleep %s & wait' "$1"
}

# profile_one POD: the whole capture for one pod, cleanup included.
profile_one() {
	pod=$1
	if [ "$CAP_PLAN" = 0 ] && ! [[ $pod =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]]; then
		cap_die 1 "bad pod name '$pod'"
	fi
	local c=$container X XI tool asp libpath=() root= out log list ver keep=$((duration + 600))
	[ "$whole" = 0 ] || keep=$((maxwait + 600))
	if [ "$whole" = 1 ]; then
		out=$run/profiles/$pod.jfr
		log=$run/capture/$pod.$profiler.log
	else
		out=$run/profiles/$pod.$event.collapsed
		log=$run/capture/$pod.$event.asprof.log
	fi
	if [ -z "$c" ] && [[ $mode == [ABCE] ]]; then
		cap_get CONTAINER "$kubectl" get pod -n "$ns" "$pod" -o 'jsonpath={.spec.containers[0].name}'
		c=$CONTAINER
	fi
	case $mode in
	A | B | E)
		X=("$kubectl" exec -n "$ns" "$pod" -c "$c" --)
		XI=("$kubectl" exec -i -n "$ns" "$pod" -c "$c" --) ;;
	C)
		local uid=$jvm_uid gid=$jvm_gid
		if [ -z "$uid" ]; then
			cap_get JVM_UID "$kubectl" get pod -n "$ns" "$pod" -o "jsonpath={.spec.containers[?(@.name==\"$c\")].securityContext.runAsUser}{\" \"}{.spec.securityContext.runAsUser}"
			read -r uid _ <<<"$JVM_UID" || :
			[ "$CAP_PLAN" = 0 ] || uid=$JVM_UID
			[ "$CAP_PLAN" = 1 ] || [ -n "$uid" ] ||
				cap_die 1 "$pod: the pod spec sets no runAsUser: set JVM_UID to the JVM's uid (and JVM_GID to its gid; ephemeral containers run as the image's user)"
			[ "$uid" != 0 ] ||
				cap_die 1 "$pod: the JVM runs as root (runAsUser 0): mode C runs the ephemeral container with runAsNonRoot, which the kubelet refuses for uid 0; use MODE=A, B or E (exec into its container) or MODE=F"
		fi
		if [ -z "$gid" ]; then
			cap_get JVM_GID "$kubectl" get pod -n "$ns" "$pod" -o "jsonpath={.spec.containers[?(@.name==\"$c\")].securityContext.runAsGroup}{\" \"}{.spec.securityContext.runAsGroup}"
			read -r gid _ <<<"$JVM_GID" || :
			[ "$CAP_PLAN" = 0 ] || gid=$JVM_GID
			[ "$CAP_PLAN" = 1 ] || [ -n "$gid" ] ||
				cap_die 1 "$pod: the pod spec sets no runAsGroup: set JVM_GID to the JVM's gid (kubectl exec $pod -- id -g; HotSpot checks the caller's gid too)"
		fi
		cap_name DEBUG_NAME jvmperf
		cap_get SPEC mktemp
		cap_cleanup rm -f "$SPEC"
		cap_out "$SPEC" printf '{"securityContext":{"runAsUser":%s,"runAsGroup":%s,"runAsNonRoot":true,"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]},"seccompProfile":{"type":"RuntimeDefault"}}}\n' "$uid" "$gid"
		# The holder shell records its pid (in the shared process namespace
		# PID 1 is the application's) so cleanup ends exactly it: an
		# ephemeral container cannot be removed, only ended. kubectl 1.30
		# has --custom only behind KUBECTL_DEBUG_CUSTOM_PROFILE.
		cap_run env KUBECTL_DEBUG_CUSTOM_PROFILE=true "$kubectl" debug -n "$ns" "$pod" --target="$c" --image="$image" \
			--profile="$debug_profile" --custom="$SPEC" -c "$DEBUG_NAME" -- \
			sh -c 'echo $$ >/tmp/jvmperf-holder.pid; exec sleep "$0"' "$keep"
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
		cap_name NP jvmperf-node
		cap_cleanup "$kubectl" delete pod -n "$node_ns" "$NP" --ignore-not-found --wait=false
		# privileged gives a non-root image user no capabilities: root
		cap_run "$kubectl" run "$NP" -n "$node_ns" --image="$image" --restart=Never --labels="$CAP_LABEL" \
			--overrides="{\"apiVersion\":\"v1\",\"spec\":{\"nodeName\":\"$NODE\",\"hostPID\":true,\"terminationGracePeriodSeconds\":1,\"containers\":[{\"name\":\"jvmperf-node\",\"image\":\"$image\",\"command\":[\"sh\",\"-c\",\"$(holder "$keep")\"],\"securityContext\":{\"privileged\":true,\"runAsUser\":0,\"runAsNonRoot\":false}}]}}"
		cap_run "$kubectl" wait -n "$node_ns" --for=condition=Ready "pod/$NP" --timeout=120s
		X=("$kubectl" exec -n "$node_ns" "$NP" --)
		XI=("$kubectl" exec -i -n "$node_ns" "$NP" --)
		MATCH=$POD_UID ;;
	esac

	# the tools where X runs them
	case $mode in
	A)
		check_exec "${X[@]}" sh -c 'command -v tar >/dev/null' ||
			cap_die 1 "$pod: kubectl cp needs tar in the container and $c has none (distroless or slim image?): use MODE=E (copies with cat), MODE=C (ephemeral container) or MODE=D (sidecar)"
		make_dir "${X[@]}"
		if [ "$profiler" = jfr ]; then
			cap_run "$kubectl" cp -n "$ns" -c "$c" "$jattach" "$pod:$dir/jattach"
			tool=$dir/jattach
		else
			cap_run "$kubectl" cp -n "$ns" -c "$c" "$bundle" "$pod:$agent"
			tool=$agent/bin/asprof
		fi ;;
	B)
		make_dir "${X[@]}"
		tool=$asprof_home/bin/asprof
		[ "$profiler" != jfr ] || tool=$jattach_path ;;
	E)
		cap_get NODE "$kubectl" get pod -n "$ns" "$pod" -o 'jsonpath={.spec.nodeName}'
		cap_name HELPER jvmperf-helper
		cap_cleanup "$kubectl" delete pod -n "$ns" "$HELPER" --ignore-not-found --wait=false
		cap_run "$kubectl" run "$HELPER" -n "$ns" --image="$image" --restart=Never --labels="$CAP_LABEL" \
			--overrides="{\"apiVersion\":\"v1\",\"spec\":{\"nodeName\":\"$NODE\",\"terminationGracePeriodSeconds\":1,\"securityContext\":{\"runAsNonRoot\":true,\"runAsUser\":65534,\"runAsGroup\":65534,\"seccompProfile\":{\"type\":\"RuntimeDefault\"}},\"containers\":[{\"name\":\"jvmperf-helper\",\"image\":\"$image\",\"command\":[\"sh\",\"-c\",\"$(holder "$keep")\"],\"securityContext\":{\"allowPrivilegeEscalation\":false,\"capabilities\":{\"drop\":[\"ALL\"]}},\"resources\":{\"limits\":{\"cpu\":\"200m\",\"memory\":\"64Mi\"}}}]}}"
		cap_run "$kubectl" wait -n "$ns" --for=condition=Ready "pod/$HELPER" --timeout=120s
		make_dir "${X[@]}"
		local f from=() to=()
		if [ "$profiler" = jfr ]; then
			from=("$jattach_path") to=("$dir/jattach")
			tool=$dir/jattach
		else
			cap_run "${X[@]}" mkdir -p "$agent/bin" "$agent/lib"
			from=("$asprof_home/bin/asprof" "$asprof_home/lib/libasyncProfiler.so")
			to=("$agent/bin/asprof" "$agent/lib/libasyncProfiler.so")
			tool=$agent/bin/asprof
		fi
		for f in "${!from[@]}"; do
			# beside, then renamed: a library the JVM has mapped is never rewritten
			cap_pipe "$kubectl" exec -n "$ns" "$HELPER" -- cat "${from[$f]}" '|' \
				"${XI[@]}" sh -c 'cat >"$1.tmp" && chmod 755 "$1.tmp" && mv -f "$1.tmp" "$1"' sh "${to[$f]}"
		done ;;
	C | D | F)
		tool=$asprof_home/bin/asprof
		[ "$profiler" != jfr ] || tool=$jattach_path ;;
	esac
	check_runnable "${X[@]}" "$tool"

	MATCH=${MATCH:-}
	find_jvm "${XI[@]}"
	if [[ $mode == [CDF] ]]; then
		root=/proc/$PID/root
		cap_cleanup "${X[@]}" rm -rf "$root$dir"
		# owned by the JVM's user, who loads the library and writes the profile
		cap_run "${X[@]}" sh -c 'mkdir -p "$1" && chown "$2" "$1"' sh "$root$dir" "$JVM_OWNER"
		if [ "$profiler" != jfr ]; then
			cap_run "${X[@]}" sh -c 'mkdir -p "$1" && cp "$2" "$1/.lib.tmp" && chown -R "$3" "$1" && mv -f "$1/.lib.tmp" "$1/libasyncProfiler.so"' \
				sh "$root$agent/lib" "$asprof_home/lib/libasyncProfiler.so" "$JVM_OWNER"
			libpath=(--libpath "$agent/lib/libasyncProfiler.so")
		fi
	fi

	if [ "$profiler" = jfr ]; then
		record_jfr "${X[@]}"
		return
	fi
	asp=$tool
	ver=$run/capture/$pod.asprof-version.txt
	check_version "$ver"
	if [ "$event" = cpu ]; then
		list=$run/capture/$pod.asprof-list.txt
		cap_out "$list" "${X[@]}" "$asp" list "${libpath[@]}" "$PID"
		if [ "$CAP_PLAN" = 1 ]; then
			# asprof lists perf events only where perf_event_open works; without
			# them async-profiler >= 4.0 samples -e cpu with ctimer, 3.x wall
			cap_let ENGINE "\$(if grep -q '^Perf events:' $(cap_quote1 "$list"); then echo perf_events; elif grep -q ' 3\\.' $(cap_quote1 "$ver"); then echo wall; else echo ctimer; fi)"
		elif grep -q '^Perf events:' "$list"; then
			engine=perf_events
		elif [ "$asprof_major" = 3 ]; then
			engine=wall
			cap_note "$pod: perf_events are not available in the container and async-profiler 3.x then samples -e cpu as wall clock: the profile is recorded as wall (use async-profiler >= 4.0 for ctimer)"
		else
			engine=ctimer
			cap_note "$pod: perf_events are not available in the container (perf_event_paranoid, seccomp): async-profiler >= 4.0 samples cpu with ctimer (no kernel frames)"
		fi
	fi
	if [ "$whole" = 1 ]; then
		record_asprof "${X[@]}"
		return
	fi

	[ "$sync" = 0 ] || wait_load_start
	cap_epoch START
	if ! cap_outerr "$log" "${X[@]}" "$asp" "${asprof_args[@]}" -f "$dir/profile.collapsed" "${libpath[@]}" "$PID"; then
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

# jcmd X... COMMAND: jcmd COMMAND in the JVM through jattach,, its answer appended to the log
jcmd() {
	local x=("${@:1:$#-1}") cmd=${*: -1}
	if ! cap_append "$log" "${x[@]}" "$tool" "$PID" jcmd "$cmd" ||
		{ [ "$CAP_PLAN" = 0 ] && grep -qiE 'exception|could not|error' "$log"; }; then
		cat "$log" >&2
		cap_die 2 "$pod: jattach $PID jcmd '$cmd' failed (output in $log)"
	fi
}

record_jfr() { # X...: the whole recording with Flight Recorder
	[ "$CAP_PLAN" = 1 ] || : >"$log"
	cap_in "$jfc" "${XI[@]}" sh -c 'cat >"$1.tmp" && mv -f "$1.tmp" "$1"' sh "$root$dir/jvmperf.jfc"
	# stopped on any exit; popped once stopped normally
	cap_cleanup "${X[@]}" "$tool" "$PID" jcmd 'JFR.stop name=jvmperf'
	cap_epoch START
	if [ -n "$maxage" ]; then
		jcmd "${X[@]}" "JFR.start name=jvmperf settings=$dir/jvmperf.jfc disk=true maxage=$maxage"
		mark_ready
		serve_dumps "${X[@]}"
		jcmd "${X[@]}" 'JFR.stop name=jvmperf'
		cap_cleanup_pop
		return
	fi
	jcmd "${X[@]}" "JFR.start name=jvmperf settings=$dir/jvmperf.jfc"
	mark_ready
	wait_end
	jcmd "${X[@]}" "JFR.dump name=jvmperf filename=$dir/recording.jfr"
	cap_epoch END
	jcmd "${X[@]}" 'JFR.stop name=jvmperf'
	cap_cleanup_pop
	fetch_recording "${X[@]}"
}

# serve_dumps X...: answer sync/dump.POD requests until sync/watch.ended
serve_dumps() {
	local req=$S/dump.$pod b e d i
	if [ "$CAP_PLAN" = 1 ]; then
		printf '# until %s exists (at most %s s), on each request %s holding "BEGIN END DIR":
' \
			"$(cap_quote1 "$S/watch.ended")" "$maxwait" "$(cap_quote1 "$req")"
		CAP_PLACEHOLDERS+=" BEGIN END DIR"
		b={{BEGIN}} e={{END}} d={{DIR}}
		dump_one "$@"
		return
	fi
	for ((i = 0; i < maxwait * 2; i++)); do
		[ ! -e "$S/watch.ended" ] || return 0
		if [ -s "$req" ]; then
			read -r b e d <"$req"
			rm -f "$req"
			if (dump_one "$@"); then : >"$S/dumped.$pod"; else : >"$S/failed.$pod"; fi
		fi
		sleep 0.5
	done
	cap_note "$pod: no end of the watch within $maxwait s: stopping the recording"
}

dump_one() { # X...: the requested range into DIR/profiles/POD.jfr
	local o=$d/profiles/$pod.jfr
	cap_get ISO_BEGIN date -u -d "@$b" +%Y-%m-%dT%H:%M:%SZ
	cap_get ISO_END date -u -d "@$e" +%Y-%m-%dT%H:%M:%SZ
	jcmd "$@" "JFR.dump name=jvmperf begin=$ISO_BEGIN end=$ISO_END filename=$dir/dump.jfr"
	cap_out "$o.tmp" "$@" cat "$root$dir/dump.jfr"
	if [ "$CAP_PLAN" = 0 ] && [ "$(head -c 3 "$o.tmp" 2>/dev/null)" != FLR ]; then
		rm -f "$o.tmp"
		cap_die 2 "$pod: the dump copied back is not a JFR file (see $log)"
	fi
	cap_run mv "$o.tmp" "$o"
	cap_run "$@" rm -f "$root$dir/dump.jfr"
}

record_asprof() { # X...: the whole recording with async-profiler, as JFR
	cap_cleanup "${X[@]}" "$asp" stop "${libpath[@]}" "$PID"
	cap_epoch START
	if ! cap_outerr "$log" "${X[@]}" "$asp" start "${asprof_args[@]}" -f "$dir/recording.jfr" "${libpath[@]}" "$PID"; then
		cat "$log" >&2
		cap_die 2 "$pod: asprof start failed (output in $log)"
	fi
	mark_ready
	wait_end
	cap_epoch END
	if ! cap_append "$log" "${X[@]}" "$asp" stop -o jfr -f "$dir/recording.jfr" "${libpath[@]}" "$PID"; then
		cat "$log" >&2
		cap_die 2 "$pod: asprof stop failed (output in $log)"
	fi
	cap_cleanup_pop
	fetch_recording "${X[@]}"
}

fetch_recording() { # X...: RUN/profiles/POD.jfr, atomically; a JFR file starts with FLR\0
	cap_out "$out.tmp" "${X[@]}" cat "$root$dir/recording.jfr"
	if [ "$CAP_PLAN" = 0 ] && [ "$(head -c 3 "$out.tmp" 2>/dev/null)" != FLR ]; then
		rm -f "$out.tmp"
		cap_die 2 "$pod: the recording copied back is not a JFR file (see $log)"
	fi
	cap_run mv "$out.tmp" "$out"
	[ "$CAP_PLAN" = 1 ] || cap_note "$pod: recorded from $START to $END"
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

check_runnable() { # X... TOOL: the tool must run from where it is (exit
	# 126: not executable, 127: not found); asprof's version goes to
	# RUN/capture/POD.asprof-version.txt
	local tool=${*: -1} err status=0
	err=$(mktemp)
	if [ "$profiler" = jfr ]; then
		cap_run "${@:1:$#-1}" sh -c '"$1" >/dev/null 2>&1; test $? -lt 126' sh "$tool" 2>"$err" || status=$?
	else
		# through sh: a tool that cannot run (noexec, missing) is then sh's
		# exit 126 or 127, not a failure of the exec itself
		cap_out "$run/capture/$pod.asprof-version.txt" "${@:1:$#-1}" sh -c '"$1" --version' sh "$tool" 2>"$err" || status=$?
	fi
	if [ "$status" -ne 0 ] && ! grep -q 'command terminated with exit code' "$err"; then
		exec_failed "$err" "$pod: kubectl exec"
	fi
	rm -f "$err"
	[ "$status" -eq 0 ] && return 0
	if [[ $mode == [AE] ]]; then
		cap_die 1 "$pod: cannot run $tool: POD_TMPDIR '$pod_tmp' is mounted noexec (or the tool is for another architecture); set POD_TMPDIR to a writable folder that allows exec (an emptyDir mount)"
	fi
	cap_die 1 "$pod: cannot run $tool: the image has no $tools"
}

check_version() { # FILE: async-profiler >= 3.0 (the asprof launcher)
	asprof_major=
	[ "$CAP_PLAN" = 0 ] || return 0
	asprof_major=$(sed -n 's/.*[Pp]rofiler \([0-9][0-9]*\)\..*/\1/p' "$1" | head -1)
	if [ -n "$asprof_major" ] && [ "$asprof_major" -lt 3 ]; then
		cap_die 1 "$pod: $(head -1 "$1"): the capture needs async-profiler >= 3.0 (the asprof launcher), >= 4.0 for -e cpu without perf events"
	fi
}

wait_running() { # CMD...: until CMD prints something, at most 60 s
	local i
	[ "$CAP_PLAN" = 0 ] || printf '# repeated every 2 s until it prints a time, at most 60 s:\n'
	for i in $(seq 30); do
		cap_get STARTED "$@"
		[ "$CAP_PLAN" = 0 ] || return 0
		[ -z "$STARTED" ] || return 0
		sleep 2
	done
	cap_die 2 "$pod: the ephemeral container did not start in 60 s (image pull? see kubectl describe pod -n $ns $pod)"
}

# The snapshot starts DELAY seconds after the load's real start.
wait_load_start() {
	local i now t
	if [ "$CAP_PLAN" = 1 ]; then
		printf '# wait until %s exists (the load started), at most %s s\n' "$(cap_quote1 "$S/load.started")" "$maxwait"
		printf '# then sleep until %s s after the time it holds\n' "$delay"
		return
	fi
	for ((i = 0; i < maxwait * 2; i++)); do
		[ ! -e "$S/load.started" ] || break
		[ ! -e "$S/load.ended" ] || cap_die 2 "$pod: the load ended before it started (see the load step's messages)"
		sleep 0.5
	done
	[ -s "$S/load.started" ] || cap_die 2 "$pod: the load did not start within $maxwait s"
	t=$(($(cat "$S/load.started") + delay))
	now=$(date +%s)
	[ "$now" -ge "$t" ] || sleep $((t - now))
}

# A recording runs until the load ends (-W) or DURATION seconds.
wait_end() {
	if [ "$sync" = 0 ]; then
		cap_run sleep "$duration"
		return
	fi
	cap_wait_file "$S/load.ended" "$maxwait" "the load ended" ||
		cap_note "$pod: the load did not end within $maxwait s: stopping the recording"
}

mark_ready() { # this pod records
	if [ "$sync" = 0 ]; then return; fi
	if [ "$CAP_PLAN" = 1 ]; then
		printf '# once every pod records:\n'
		cap_run touch "$S/profile.ready"
	else
		: >"$intervals/$pod.ready"
	fi
}

# Each pod's interval (and cpu engine) goes to a file; the parent records
# the union once all are done.
record_interval() {
	if [ "$CAP_PLAN" = 1 ]; then
		cap_env "$run" "profile_backend=$profiler" "profile_${tag}_start=$START" "profile_${tag}_end=$END" \
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
[ "$event" != cpu ] || [ "$profiler" = jfr ] || engine_plan='{{ENGINE}}'
if [ "$CAP_PLAN" = 1 ]; then
	if [ "$sync" = 1 ] && [ "$whole" = 0 ]; then
		cap_run touch "$S/profile.ready"
	fi
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
# the load step waits for profile.ready or profile.failed
signal_failed() {
	[ "$sync" = 0 ] || [ -e "$S/profile.ready" ] || : >"$S/profile.failed"
}
pids=()
# on INT or TERM the pods' captures clean up first (each its own trap)
stop_pods() {
	[ ${#pids[@]} -eq 0 ] || { kill -TERM "${pids[@]}" 2>/dev/null; cap_reap "${pids[@]}"; }
}
trap 'signal_failed; rm -rf "$intervals"' EXIT
# (a further signal while the pods clean up does not cut the wait short)
trap 'trap : INT TERM; stop_pods; exit 130' INT
trap 'trap : INT TERM; stop_pods; exit 143' TERM
[ "$sync" = 0 ] || mkdir -p "$S"
if [ -n "$pod" ]; then
	PODS=$pod
else
	cap_get PODS "$kubectl" get pods -n "$ns" -l "$selector" --field-selector=status.phase=Running -o "jsonpath={.items[$items].metadata.name}"
	[ -n "$PODS" ] || cap_die 1 "no running pod matches SELECTOR '$selector' in namespace $ns"
fi
[ "$sync" = 0 ] || [ "$whole" = 1 ] || : >"$S/profile.ready"
status=0
if [ "$parallel" = 0 ]; then
	for p in $PODS; do
		run_pod "$p" || { status=$?; break; }
	done
else
	for p in $PODS; do
		run_pod "$p" &
		pids+=($!)
	done
	if [ "$sync" = 1 ] && [ "$whole" = 1 ]; then
		# every pod records, or one failed: tell the load step (bounded)
		npods=$(wc -w <<<"$PODS")
		for ((i = 0; i < maxwait * 2; i++)); do
			if [ "$(find "$intervals" -name '*.ready' | wc -l)" -ge "$npods" ]; then
				: >"$S/profile.ready"
				break
			fi
			for p in "${pids[@]}"; do
				kill -0 "$p" 2>/dev/null || break 2
			done
			sleep 0.5
		done
		signal_failed
	fi
	for p in "${pids[@]}"; do wait "$p" || status=$?; done
fi
if [ -n "$(find "$intervals" -type f ! -name '*.ready')" ]; then
	read -r s e eng <<<"$(find "$intervals" -type f ! -name '*.ready' -exec cat {} + | sort -n | awk '
		NR == 1 || $1 < s { s = $1 } NR == 1 || $2 > e { e = $2 }
		$3 == "ctimer" || $3 == "wall" || ($3 != "" && eng == "") { eng = $3 }
		END { print s, e, eng }')"
	cap_env "$run" "profile_backend=$profiler" "profile_${tag}_start=$s" "profile_${tag}_end=$e" ${eng:+"profile_cpu_engine=$eng"}
fi
exit "$status"
