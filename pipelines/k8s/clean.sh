#!/usr/bin/env bash
# clean.sh - remove what an interrupted capture may have left in the cluster.
#
# usage: clean.sh -n NS -l SELECTOR [-T POD_TMPDIR] [-N NODE_NS] [-k KUBECTL]
#
# Deletes the pods the capture steps create (JMeter runner, mode E helpers,
# mode F node profilers: label app.kubernetes.io/managed-by=jvmperf) and the
# POD_TMPDIR/jvmperf folder in the selector's pods (all modes: in C, D, F
# it is the same path of the JVM's filesystem). A recording an interrupted
# capture left running in a JVM ends with the JVM, or with
# `jattach PID jcmd "JFR.stop name=jvmperf"`.
# Ephemeral containers (mode C) cannot be removed: they end by themselves
# and stay listed in the pod until it is replaced. Each step's own cleanup
# normally does all this; this is for a killed make or a lost connection.
. "${0%/*}/lib.sh"

ns= selector= pod_tmp=/tmp node_ns=perf-node-profiler kubectl=kubectl
while getopts n:l:T:N:k: opt; do
	case $opt in
	n) ns=$OPTARG ;; l) selector=$OPTARG ;; T) pod_tmp=$OPTARG ;; N) node_ns=$OPTARG ;;
	k) kubectl=$OPTARG ;;
	*) cap_die 1 "usage: see the header of $0" ;;
	esac
done
[ -n "$ns" ] || cap_die 1 "no namespace: set NS"
[ -n "$selector" ] || cap_die 1 "no pod selector: set SELECTOR=LABEL=VALUE"

trap 'exit 130' INT
trap 'exit 143' TERM
cap_run "$kubectl" delete pod -n "$ns" -l "$CAP_LABEL" --ignore-not-found --wait=false
# mode F's namespace: where it does not exist or is not ours to list, there
# is nothing of ours to delete (no cluster-scoped `get namespace` needed)
if ! cap_run "$kubectl" delete pod -n "$node_ns" -l "$CAP_LABEL" --ignore-not-found --wait=false 2>/dev/null; then
	cap_note "no mode F pods removed from $node_ns (no such namespace, or no rights there: k8s/overlays/node-profiler grants them)"
fi
cap_get PODS "$kubectl" get pods -n "$ns" -l "$selector" --field-selector=status.phase=Running -o 'jsonpath={.items[*].metadata.name}'
[ "$CAP_PLAN" = 0 ] || { CAP_PLACEHOLDERS+=" POD"; PODS={{POD}}; printf '# for each POD in $PODS:\n'; }
# A pod without a shell is not a failure: modes A and B need one, so nothing
# of theirs is there; what an interrupted C, D or F capture left in such a
# JVM's /tmp (the agent folder) goes with the pod.
status=0 errf=$(mktemp)
trap 'rm -f "$errf"' EXIT
for pod in $PODS; do
	cap_run "$kubectl" exec -n "$ns" "$pod" -- sh -c 'rm -rf "$1"/jvmperf "$1"/jvmperf-*' sh "$pod_tmp" 2>"$errf" && continue
	rc=$?
	if grep -qiE 'executable file not found|no such file or directory|exit code 12[67]' "$errf"; then
		cap_note "$pod: no shell in the image: nothing copied by modes A/B can be there; a C, D or F leftover in $pod_tmp ends with the pod"
	else
		cat "$errf" >&2
		status=$rc
		cap_note "$pod: could not clean $pod_tmp/jvmperf"
	fi
done
exit "$status"
