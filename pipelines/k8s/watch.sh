#!/usr/bin/env bash
# watch.sh - phase 2 automated: record every pod continuously, watch the
# metrics, and when a pod stands out write a run folder with its recording
# and a normal peer's over the spike.
#
# usage: watch.sh -r RUN -n NS -l SELECTOR [-S SERVICE] -u PROM_URL
#          [-q QUERY] [-Q QUERIES.tsv] [-t TOOLS_BIN] [-b PROMRANGE]
#          [-x WATCH_MAX] [-c COOLDOWN] [-C COUNT] [-L LOOKBACK] [-i POLL]
#          [-g MARGIN] [-m MINDUR] [-R RATIO] [-s STEP] [-a MAXAGE] [-k KUBECTL] -- PROFILE_ARGS...
#        watch.sh -I STEPS -r RUN [-u PROM_URL] [-q ...] ... (another runtime)
#
# The runtime's steps go through a small interface: on Kubernetes the
# functions rt_* below (pods.sh, profile.sh -w, metrics.sh); with -I STEPS,
# the script STEPS answering the same four verbs (tests/lab/watch-local.sh
# for the local lab):
#   STEPS url                       the Prometheus URL (when -u is not given)
#   STEPS pods WORK                 WORK/run.env: runtime, namespace, service,
#                                   pods, prometheus_step (copied into each
#                                   incident's run.env)
#   STEPS record WORK MAXAGE MAXWAIT  a ring buffer on every pod, serving the
#                                   dump requests of WORK/capture/sync (below)
#   STEPS metrics RUN STEP QUERIES PROMRANGE  the queries over run.env's load
#                                   window into RUN/prom, RUN/capture/metrics.tsv
# The poll, the decision and the run folder are the same for every runtime.
#
# 1. pods.sh into the work folder RUN.watch (the pods, for the queries' scope);
# 2. profile.sh PROFILE_ARGS -w MAXAGE in the background: a Flight Recorder
#    ring buffer (disk=true maxage=MAXAGE) on every pod, serving dumps;
# 3. every POLL seconds, the query QUERY (a name of QUERIES.tsv, scoped to
#    the namespace and the pods) over the last LOOKBACK seconds through
#    promrange, and the decision of watch-rule.sh: the windows where a pod
#    stands above its peers (`spikes --peers`: more than RATIO times the
#    other pods' median at the same time, for at least MINDUR seconds: a
#    blip is no incident), the pods ranked in each by `outliers`: a pod the
#    tools mark hot (column hot = yes) in a window is the incident. The
#    shell decides nothing: it takes the tools' verdict (the latest window
#    with a hot pod that ends after the watch began and after the last
#    incident's window; the lowest-scored pod of that window that is not
#    hot is the normal peer);
# 4. the range [window start - MARGIN, window end + MARGIN] (waited for) is
#    dumped from the hot pod and the peer into a new folder beside RUN,
#    the metrics of the same range fetched (metrics.sh), run.env written
#    (trigger=watch, hot_pod, peer_pod, load_start/load_end = the range),
#    and the folder renamed to RUN (RUN-2, RUN-3, ... for later incidents,
#    up to COUNT, each after COOLDOWN seconds);
# 5. at COUNT incidents or WATCH_MAX seconds, or on failure, INT or TERM:
#    the recordings are stopped and everything started is removed; an
#    unfinished run folder is removed, never left half-written.
# Without an incident it ends at WATCH_MAX with a message, status 0.
. "${0%/*}/lib.sh"
. "${0%/*}/watch-rule.sh"

run= ns= selector= service= url= query=p99_by_pod queries=pipelines/queries-k8s.tsv
bin=build/release/bin promrange= watch_max=3600 cooldown=300 count=1 lookback=300
poll=15 margin=30 mindur=10 ratio=2 step=2 maxage=15m kubectl=kubectl steps=
while getopts r:n:l:S:u:q:Q:t:b:x:c:C:L:i:g:m:R:s:a:k:I: opt; do
	case $opt in
	r) run=$OPTARG ;; n) ns=$OPTARG ;; l) selector=$OPTARG ;; S) service=$OPTARG ;;
	u) url=$OPTARG ;; q) query=$OPTARG ;; Q) queries=$OPTARG ;; t) bin=$OPTARG ;;
	b) promrange=$OPTARG ;; x) watch_max=$OPTARG ;; c) cooldown=$OPTARG ;; C) count=$OPTARG ;;
	L) lookback=$OPTARG ;; i) poll=$OPTARG ;; g) margin=$OPTARG ;; m) mindur=$OPTARG ;; R) ratio=$OPTARG ;; s) step=$OPTARG ;;
	a) maxage=$OPTARG ;; k) kubectl=$OPTARG ;; I) steps=$OPTARG ;;
	*) cap_die 1 "usage: see the header of $0" ;;
	esac
done
shift $((OPTIND - 1))
profile_args=("$@")
promrange=${promrange:-$bin/promrange}
[ -n "$run" ] || cap_die 1 "no run folder: set RUN=runs/NAME"
[ -n "$steps" ] || [ -n "$ns" ] || cap_die 1 "no namespace: set NS"
[ -n "$steps" ] || [ -n "$selector" ] || cap_die 1 "no pod selector: set SELECTOR=LABEL=VALUE"
[ -z "$steps" ] || [ -r "$steps" ] || cap_die 1 "cannot read the runtime's steps '$steps'"
[ -n "$steps" ] || [ -n "$url" ] || cap_die 1 "make watch polls Prometheus: set PROM_URL (e.g. a kubectl port-forward to it: pipelines/CLUSTER.md)"
for v in watch_max cooldown count lookback poll margin step; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || cap_die 1 "bad ${v^^} '${!v}' (whole seconds or a count > 0)"
done
[[ $mindur =~ ^[0-9]+$ ]] || cap_die 1 "bad WATCH_MIN_DURATION '$mindur' (whole seconds)"
[[ $ratio =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v r="$ratio" 'BEGIN { exit !(r >= 1) }' ||
	cap_die 1 "bad WATCH_PEER_RATIO '$ratio' (a number, at least 1)"
[[ $query =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || cap_die 1 "bad WATCH_QUERY '$query'"
if [ "$CAP_PLAN" = 0 ]; then
	[ ! -e "$run" ] || cap_die 1 "$run exists: make watch writes a new run folder (choose another RUN)"
	[ -r "$queries" ] || cap_die 1 "cannot read query file '$queries'"
	awk -F'\t' -v q="$query" '$1 == q { f = 1 } END { exit !f }' "$queries" ||
		cap_die 1 "no query '$query' in $queries"
	for t in "$promrange" "$bin/spikes" "$bin/outliers"; do
		command -v "$t" >/dev/null || cap_die 2 "no $t: build the tools with make"
	done
fi

work=$run.watch
S=$work/capture/sync
rec=
incidents=0
since=0
part=
cap_init "$work"
[ "$CAP_PLAN" = 1 ] || { rm -rf "$S"; mkdir -p "$S"; }
# the recordings end first, then the work folder and an unfinished run folder go
cap_cleanup rm -rf "$work"
stop_recordings() {
	[ "$CAP_PLAN" = 1 ] || [ -z "$rec" ] || {
		: >"$S/watch.ended"
		# the recorder must have ended (its pods' cleanups write into the
		# work folder) before the work folder goes
		cap_reap "$rec"
		rec=
	}
	[ -z "$part" ] || rm -rf "$part"
}
# (from the first signal on, a further one does not cut the cleanup short)
trap 'st=$?; trap : INT TERM; stop_recordings; cap_exit "$st"' EXIT

# The runtime's steps (see the header): Kubernetes, or the script -I.
rt_pods() { # WORK
	if [ -n "$steps" ]; then
		cap_run bash "$steps" pods "$1"
	else
		CAP_PLAN=$CAP_PLAN bash "$CAP_DIR/pods.sh" -r "$1" -n "$ns" -l "$selector" ${service:+-S "$service"} -k "$kubectl"
	fi
}
# (the command in rec_cmd: run in the background, its pid is the recorder's
# own, which cleans up on TERM and is waited for)
rt_record() { # WORK MAXAGE MAXWAIT
	if [ -n "$steps" ]; then
		rec_cmd=(bash "$steps" record "$@")
	else
		rec_cmd=(bash "$CAP_DIR/profile.sh" "${profile_args[@]}" -r "$1" -l "$selector" -w "$2" -M "$3" -k "$kubectl")
	fi
}
rt_metrics() { # RUN
	if [ -n "$steps" ]; then
		CAP_PLAN=$CAP_PLAN bash "$steps" metrics "$1" "$step" "$queries" "$promrange"
	else
		bash "$CAP_DIR/metrics.sh" -r "$1" -u "$url" -s "$step" -b "$promrange" -N "$ns" -k "$kubectl" "$queries"
	fi
}

if [ -n "$steps" ] && [ -z "$url" ]; then
	cap_get URL bash "$steps" url
	url=$URL
fi
rt_pods "$work"
maxwait=$((watch_max + cooldown + 600))
if [ "$CAP_PLAN" = 1 ]; then
	printf '# in the background:\n'
	rt_record "$work" "$maxage" "$maxwait"
	CAP_PLAN=1 "${rec_cmd[@]}"
	printf '# when every pod records (%s), every %s s for at most %s s:\n' "$(cap_quote1 "$S/profile.ready")" "$poll" "$watch_max"
else
	rt_record "$work" "$maxage" "$maxwait"
	CAP_PLAN=0 "${rec_cmd[@]}" &
	rec=$!
	for ((i = 0; i < 1200; i++)); do
		[ ! -e "$S/profile.ready" ] || break
		[ ! -e "$S/profile.failed" ] && kill -0 "$rec" 2>/dev/null ||
			cap_die 2 "the recordings did not start (see the messages above)"
		sleep 0.5
	done
	[ -e "$S/profile.ready" ] || cap_die 2 "the recordings did not start within 600 s"
	cap_note "every pod records; watching $query for at most $watch_max s"
fi

q=$work/capture/watch-query.tsv
if [ -n "$steps" ]; then
	cap_run cp "$queries" "$work/capture/queries.tsv"
else
	cap_out "$work/capture/queries.tsv" "$CAP_DIR/scope.sh" "$work" "$ns" "$queries"
fi
cap_out "$q" awk -F '\t' -v q="$query" '$1 == q' "$work/capture/queries.tsv"

# One poll: the last LOOKBACK seconds of the query, and the decision
# (pipelines/k8s/watch-rule.sh) in $work/capture/outliers.tsv; sets HOT,
# PEER, WSTART, WEND when a pod stands out.
poll_once() {
	local cur=$work/capture/watch.tsv
	cap_epoch NOW
	cap_let FROM "\$((NOW - $lookback))" "$((${NOW//[!0-9]/0} - lookback))"
	cap_run "$promrange" -u "$url" -f "$q" --start "$FROM" --end "$NOW" --step "$step" -o "$cur"
	watch_decide "$cur" "$work/capture/watch.windows" "$work/capture/outliers.tsv" "$since"
}

# The incident's run folder, built beside RUN and renamed into place.
write_run() { # DEST
	local dest=$1 b e p d
	if [ "$CAP_PLAN" = 1 ]; then
		printf '# the range: window start - %s s to window end + %s s, waited for\n' "$margin" "$margin"
		CAP_PLACEHOLDERS+=" PART HOT PEER BEGIN END WSTART WEND"
		cap_get PART mktemp -d "$dest.part.XXXXXX"
		d={{PART}}
		cap_run mkdir -p "$d/profiles" "$d/capture"
		cap_out "$S/dump.{{HOT}}" echo '{{BEGIN}}' '{{END}}' "$d"
		cap_out "$S/dump.{{PEER}}" echo '{{BEGIN}}' '{{END}}' "$d"
		printf '# wait until %s and %s exist (the dumps), at most 300 s\n' "$(cap_quote1 "$S/dumped.{{HOT}}")" "$(cap_quote1 "$S/dumped.{{PEER}}")"
		if [ -n "$steps" ]; then
			cap_run cp "$work/run.env" "$d/run.env"
			cap_env "$d" phase=2 trigger=watch \
				'hot_pod={{HOT}}' 'peer_pod={{PEER}}' 'pods={{HOT}} {{PEER}}' 'load_start={{BEGIN}}' 'load_end={{END}}' 'spike_start={{WSTART}}' 'spike_end={{WEND}}' \
				profile_backend=jfr 'profile_jfr_start={{BEGIN}}' 'profile_jfr_end={{END}}'
			rt_metrics "$d"
			cap_run cp "$work/capture/watch.tsv" "$work/capture/watch.windows" "$work/capture/outliers.tsv" "$d/capture/"
		cap_run cp "$work/capture/commands.log" "$d/capture/"
			cap_run mv "$d" "$dest"
			return 0
		fi
		cap_env "$d" runtime=k8s "namespace=$ns" ${service:+"service=$service"} phase=2 trigger=watch \
			'hot_pod={{HOT}}' 'peer_pod={{PEER}}' 'pods={{HOT}} {{PEER}}' 'load_start={{BEGIN}}' 'load_end={{END}}' 'spike_start={{WSTART}}' 'spike_end={{WEND}}' \
			profile_backend=jfr 'profile_jfr_start={{BEGIN}}' 'profile_jfr_end={{END}}'
		printf '# the metrics of the range into "$PART" (pipelines/k8s/metrics.sh -r "$PART" -u %s ...)\n' "$(cap_quote1 "$url")"
		cap_run cp "$work/capture/watch.tsv" "$work/capture/watch.windows" "$work/capture/outliers.tsv" "$d/capture/"
		cap_run cp "$work/capture/commands.log" "$d/capture/"
		cap_run mv "$d" "$dest"
		return 0
	fi
	b=$((WSTART - margin)) e=$((WEND + margin))
	now=$(date +%s)
	[ "$now" -ge "$e" ] || { cap_note "$HOT stands out ($query, $WSTART-$WEND): waiting $((e - now)) s for the margin"; sleep $((e - now)); }
	part=$(mktemp -d "$dest.part.XXXXXX")
	mkdir -p "$part/profiles" "$part/capture"
	for p in $HOT $PEER; do
		rm -f "$S/dumped.$p" "$S/failed.$p"
		printf '%s %s %s\n' "$b" "$e" "$part" >"$S/dump.$p.tmp"
		mv "$S/dump.$p.tmp" "$S/dump.$p"
	done
	for p in $HOT $PEER; do
		for ((i = 0; i < 600; i++)); do
			[ ! -e "$S/dumped.$p" ] || break
			[ ! -e "$S/failed.$p" ] || cap_die 2 "$p: the dump failed (see the messages above)"
			kill -0 "$rec" 2>/dev/null || cap_die 2 "the recordings ended before the dump"
			sleep 0.5
		done
		[ -e "$S/dumped.$p" ] || cap_die 2 "$p: no dump within 300 s"
	done
	cap_note "$HOT: dumped at $(date +%s)"
	if [ -n "$steps" ]; then
		cp "$work/run.env" "$part/run.env"
	else
		cap_env "$part" runtime=k8s "namespace=$ns" ${service:+"service=$service"}
	fi
	cap_env "$part" phase=2 trigger=watch \
		"hot_pod=$HOT" "peer_pod=$PEER" "pods=$HOT${PEER:+ $PEER}" "load_start=$b" "load_end=$e" "spike_start=$WSTART" "spike_end=$WEND" \
		profile_backend=jfr "profile_jfr_start=$b" "profile_jfr_end=$e"
	rt_metrics "$part" || cap_die 2 "the metrics of the incident could not be fetched"
	# the evidence of the decision: the series, its windows, the ranking
	cp "$work/capture/watch.tsv" "$work/capture/watch.windows" "$work/capture/outliers.tsv" "$part/capture/"
	cp "$work/capture/commands.log" "$part/capture/watch-commands.log"
	mv "$part" "$dest"
	part=
	cap_note "$HOT stood out: its recording and $PEER's, $b to $e, are in $dest"
}

if [ "$CAP_PLAN" = 1 ]; then
	poll_once
	WSTART={{WSTART}} WEND={{WEND}}
	write_run "$run"
	printf '# then, up to %s incidents (RUN-2, ...), the next after %s s\n' "$count" "$cooldown"
	printf '# at the end, failure, INT or TERM: touch %s (the recordings stop), wait for them\n' "$(cap_quote1 "$S/watch.ended")"
	exit 0
fi
t0=$(date +%s)
# a window that ended before the watch began (or before the last incident's
# end) is history, not an incident
since=$t0
while [ $(($(date +%s) - t0)) -lt "$watch_max" ]; do
	rc=0
	poll_once || rc=$?
	[ "$rc" -le 1 ] || cap_die 1 "the metrics of $query cannot name the pod to record"
	if [ "$rc" = 0 ]; then
		incidents=$((incidents + 1))
		dest=$run
		[ "$incidents" = 1 ] || dest=$run-$incidents
		write_run "$dest"
		since=$WEND
		[ "$incidents" -lt "$count" ] || break
		sleep "$cooldown"
	else
		sleep "$poll"
	fi
done
stop_recordings
if [ "$incidents" = 0 ]; then
	cap_note "no pod stood out in $query over $watch_max s of watching: no run folder written"
fi
exit 0
