#!/usr/bin/env bash
# pods.sh - record the pods of the service and the capture tools' versions.
#
# usage: pods.sh -r RUN -n NS -l SELECTOR [-S SERVICE] [-k KUBECTL]
#
# Writes RUN/capture/pods.txt (kubectl get pods -o wide), RUN/capture/pods.yaml
# (their specs and statuses: node, IP, restarts, limits), RUN/capture/
# kubectl-version.txt, and run.env keys namespace, service, pods, runtime.
. "${0%/*}/lib.sh"

run= ns= selector= service= kubectl=kubectl
while getopts r:n:l:S:k: opt; do
	case $opt in
	r) run=$OPTARG ;; n) ns=$OPTARG ;; l) selector=$OPTARG ;; S) service=$OPTARG ;;
	k) kubectl=$OPTARG ;;
	*) cap_die 1 "usage: see the header of $0" ;;
	esac
done
[ -n "$run" ] || cap_die 1 "no run folder: set RUN=runs/NAME"
[ -n "$ns" ] || cap_die 1 "no namespace: set NS"
[ -n "$selector" ] || cap_die 1 "no pod selector: set SELECTOR=LABEL=VALUE"

cap_init "$run"
cap_out "$run/capture/kubectl-version.txt" "$kubectl" version
cap_out "$run/capture/pods.txt" "$kubectl" get pods -n "$ns" -l "$selector" -o wide
cap_out "$run/capture/pods.yaml" "$kubectl" get pods -n "$ns" -l "$selector" -o yaml
cap_get PODS "$kubectl" get pods -n "$ns" -l "$selector" -o 'jsonpath={.items[*].metadata.name}'
[ "$CAP_PLAN" = 1 ] || [ -n "$PODS" ] || cap_die 1 "no pod matches SELECTOR '$selector' in namespace $ns"
cap_env "$run" runtime=k8s "namespace=$ns" ${service:+"service=$service"} "pods=$PODS"
