#!/usr/bin/env bash
# load.sh - run a JMeter test plan against the service, write the run's JTL.
#
# usage: load.sh -r RUN -n NS -x PLAN.jmx -f PHASE (-p POD | -l SELECTOR | -S SERVICE)
#          [-P PORT] [-D SECONDS] [-J '-Jname=value ...'] [-L k8s|local]
#          [-j JMETER] [-o LOCAL_PORT] [-k KUBECTL] [-K JMETER_KUSTOMIZATION]
#          [-W [-M MAXWAIT]]
#
# Phase 1 loads one pod (its IP; -p, or the selector's first running pod),
# phase 2 the Service (-S). The plan gets
# -JserverHost, -JserverPort and -Jduration, plus the -J properties of -J.
# LOAD=k8s (default) runs JMeter in the runner pod of k8s/jmeter: the plan is
# copied in, the results (-l) and the HTML report (-e -o) copied back, the pod
# deleted, also on failure or interrupt. LOAD=local runs JMeter here against
# a kubectl port-forward to the pod; a port-forward to a Service reaches a
# single pod, so phase 2 needs LOAD=k8s (and a port-forward stalls under many
# connections: pipelines/CLUSTER.md). A runner pod left by an earlier run
# (still terminating) is waited for before a new one is created.
#
# With -W the load runs beside the profile step (pipelines/capture.mk): it
# starts once RUN/capture/sync/profile.ready exists (at most MAXWAIT s; it
# stops when profile.failed appears), writes sync/load.started (the load's
# start, epoch seconds) and sync/load.ended (also after a failure).
#
# Writes RUN/result.jtl.gz (atomically), RUN/capture/jmeter-report/,
# RUN/capture/jmeter.log and run.env keys load_start, load_end (the wall-clock
# seconds JMeter ran), phase, namespace, service.
. "${0%/*}/lib.sh"

run= ns= plan= phase=1 pod= service= port=8080 seconds=120 props= load=k8s
jmeter=jmeter local_port=18080 kubectl=kubectl kust=k8s/jmeter
selector= sync=0 maxwait=900
while getopts r:n:x:f:p:l:S:P:D:J:L:j:o:k:K:WM: opt; do
	case $opt in
	r) run=$OPTARG ;; n) ns=$OPTARG ;; x) plan=$OPTARG ;; f) phase=$OPTARG ;;
	p) pod=$OPTARG ;; l) selector=$OPTARG ;; S) service=$OPTARG ;; P) port=$OPTARG ;; D) seconds=$OPTARG ;;
	J) props=$OPTARG ;; L) load=$OPTARG ;; j) jmeter=$OPTARG ;; o) local_port=$OPTARG ;;
	k) kubectl=$OPTARG ;; K) kust=$OPTARG ;; W) sync=1 ;; M) maxwait=$OPTARG ;;
	*) cap_die 1 "usage: see the header of $0" ;;
	esac
done
[ -n "$run" ] || cap_die 1 "no run folder: set RUN=runs/NAME"
[ -n "$ns" ] || cap_die 1 "no namespace: set NS"
[ -n "$plan" ] || cap_die 1 "no test plan: set JMX=path/to/plan.jmx"
[ "$CAP_PLAN" = 1 ] || [ -r "$plan" ] || cap_die 1 "cannot read JMX '$plan'"
[[ $seconds =~ ^[1-9][0-9]*$ ]] || cap_die 1 "bad LOAD_SECONDS '$seconds' (whole seconds > 0)"
[[ $port =~ ^[1-9][0-9]*$ ]] || cap_die 1 "bad PORT '$port'"
[[ $maxwait =~ ^[1-9][0-9]*$ ]] || cap_die 1 "bad maximum wait '$maxwait' (whole seconds > 0)"
case $phase in
1) [ -n "$pod$selector" ] || cap_die 1 "phase 1 loads one pod: set POD (or SELECTOR)" ;;
2) [ -n "$service" ] || cap_die 1 "phase 2 loads the Service: set SERVICE" ;;
*) cap_die 1 "bad PHASE '$phase' (1 or 2)" ;;
esac
case $load in
k8s) ;;
local) [ "$phase" = 1 ] ||
	cap_die 1 "LOAD=local goes through kubectl port-forward, which reaches one pod even for a Service: phase 2 needs LOAD=k8s" ;;
*) cap_die 1 "bad LOAD '$load' (k8s or local)" ;;
esac
for p in $props; do
	[[ $p == -J?*=* ]] || cap_die 1 "bad JMETER_PROPS word '$p' (want -Jname=value)"
done

cap_init "$run"
report=$run/capture/jmeter-report
jtl=$run/result.jtl
cap_env "$run" "phase=$phase" "namespace=$ns" ${service:+"service=$service"} runtime=k8s
S=$run/capture/sync
[ "$sync" = 0 ] || [ "$CAP_PLAN" = 1 ] || mkdir -p "$S"
# the profile beside the load stops when the load ends, even a failed one
[ "$sync" = 0 ] || cap_cleanup touch "$S/load.ended"

# With -W: until the profile step records (or failed), then the load's start.
begin_load() {
	local i
	if [ "$sync" = 1 ]; then
		if [ "$CAP_PLAN" = 1 ]; then
			printf '# wait until %s exists (every pod records), at most %s s\n' "$(cap_quote1 "$S/profile.ready")" "$maxwait"
		else
			for ((i = 0; i < maxwait * 2; i++)); do
				[ ! -e "$S/profile.ready" ] || break
				[ ! -e "$S/profile.failed" ] || cap_die 2 "the profile step failed before the load started (see its messages): no load run"
				sleep 0.5
			done
			[ -e "$S/profile.ready" ] || cap_die 2 "the profile step did not start recording within $maxwait s: no load run"
		fi
	fi
	cap_epoch LOAD_START
	[ "$sync" = 0 ] || cap_out "$S/load.started" echo "$LOAD_START"
}

end_load() {
	cap_epoch LOAD_END
	[ "$sync" = 0 ] || cap_run touch "$S/load.ended"
}

run_k8s() {
	local r=jmeter-runner w=/work host
	if [ "$phase" = 1 ]; then
		cap_get POD_IP "$kubectl" get pod -n "$ns" "$pod" -o 'jsonpath={.status.podIP}'
		host=$POD_IP
	else
		host=$service.$ns.svc
	fi
	# an earlier runner still terminating would make apply say "unchanged"
	cap_run "$kubectl" delete pod -n "$ns" "$r" --ignore-not-found --wait=true --timeout=90s
	cap_cleanup "$kubectl" delete pod -n "$ns" "$r" --ignore-not-found --wait=false
	cap_run "$kubectl" apply -n "$ns" -k "$kust"
	cap_run "$kubectl" wait -n "$ns" --for=condition=Ready "pod/$r" --timeout=180s
	cap_run "$kubectl" cp -n "$ns" -c jmeter "$plan" "$r:$w/plan.jmx"
	begin_load
	cap_run "$kubectl" exec -n "$ns" "$r" -c jmeter -- jmeter -n -t "$w/plan.jmx" \
		-j "$w/jmeter.log" -l "$w/result.jtl" -e -o "$w/report" \
		"-JserverHost=$host" "-JserverPort=$port" "-Jduration=$seconds" $props
	end_load
	cap_run "$kubectl" cp -n "$ns" -c jmeter "$r:$w/result.jtl" "$jtl"
	cap_run rm -rf "$report"
	cap_run "$kubectl" cp -n "$ns" -c jmeter "$r:$w/report" "$report"
	cap_run "$kubectl" cp -n "$ns" -c jmeter "$r:$w/jmeter.log" "$run/capture/jmeter.log"
}

run_local() {
	cap_show "$(cap_quote "$kubectl" port-forward -n "$ns" "pod/$pod" "$local_port:$port") > $(cap_quote1 "$run/capture/port-forward.log") 2>&1 &"
	if [ "$CAP_PLAN" = 1 ]; then
		CAP_PLACEHOLDERS+=" PF"
		cap_cleanup kill '{{PF}}'
		printf 'PF=$!\n'
	else
		"$kubectl" port-forward -n "$ns" "pod/$pod" "$local_port:$port" >"$run/capture/port-forward.log" 2>&1 &
		PF=$!
		cap_cleanup kill "$PF"
	fi
	wait_port
	cap_run rm -rf "$report"
	begin_load
	cap_run "$jmeter" -n -t "$plan" -j "$run/capture/jmeter.log" -l "$jtl" -e -o "$report" \
		-JserverHost=127.0.0.1 "-JserverPort=$local_port" "-Jduration=$seconds" $props
	end_load
}

wait_port() { # until the port-forward accepts connections, at most 30 s
	local i
	if [ "$CAP_PLAN" = 1 ]; then
		printf '# wait until 127.0.0.1:%s accepts connections, at most 30 s\n' "$local_port"
		return
	fi
	for i in $(seq 60); do
		if (exec 9<>"/dev/tcp/127.0.0.1/$local_port") 2>/dev/null; then return 0; fi
		kill -0 "$PF" 2>/dev/null || break
		sleep 0.5
	done
	cat "$run/capture/port-forward.log" >&2
	cap_die 2 "kubectl port-forward to pod/$pod did not come up on 127.0.0.1:$local_port"
}

if [ "$phase" = 1 ] && [ -z "$pod" ]; then
	cap_get POD "$kubectl" get pods -n "$ns" -l "$selector" --field-selector=status.phase=Running -o 'jsonpath={.items[0].metadata.name}'
	pod=$POD
	[ "$CAP_PLAN" = 1 ] || [ -n "$pod" ] || cap_die 1 "no running pod matches SELECTOR '$selector' in namespace $ns"
fi
cap_run rm -f "$jtl" "$jtl.gz.tmp"
"run_$load"
if [ "$CAP_PLAN" = 0 ] && [ ! -s "$jtl" ]; then
	cap_die 2 "JMeter wrote no results ($jtl is missing or empty; see $run/capture/jmeter.log)"
fi
cap_out "$jtl.gz.tmp" gzip -n -c "$jtl"
cap_run mv "$jtl.gz.tmp" "$jtl.gz"
cap_run rm -f "$jtl"
cap_env "$run" "load_start=$LOAD_START" "load_end=$LOAD_END"
