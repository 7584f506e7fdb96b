#!/usr/bin/env bash
# metrics.sh - fetch the standard queries over the run's window from Prometheus.
#
# usage: metrics.sh -r RUN [-u PROM_URL] [-n PROM_NS] [-R RELEASE] [-S SERVICE]
#          [-o LOCAL_PORT] [-s STEP] [-b PROMRANGE] [-k KUBECTL] [-N APP_NS] QUERIES.tsv...
#
# The window is load_start - 10 s to load_end + 4 s (run.env). Without -u,
# Prometheus is reached through a kubectl port-forward to kube-prometheus-
# stack's service in PROM_NS: SERVICE, or the name the chart gives it for
# RELEASE: its full name (RELEASE when the release name contains
# "kube-prometheus-stack", else RELEASE-kube-prometheus-stack), cut to 26
# characters, trailing '-' removed, then "-prometheus". (jsonnet
# kube-prometheus names it prometheus-k8s: set SERVICE.)
# The queries' @SCOPE@ becomes the app namespace APP_NS and the run's pods
# (pipelines/k8s/scope.sh).
# promrange archives the raw responses as RUN/prom/NAME.json and writes
# RUN/prom/index.tsv; the queries asked go to RUN/capture/queries.tsv, the
# points to RUN/capture/metrics.tsv; run.env gets prometheus_step.
. "${0%/*}/lib.sh"

run= url= prom_ns=monitoring release=kube-prometheus-stack service= local_port=19090
step=2 promrange=build/release/bin/promrange kubectl=kubectl app_ns=perf
while getopts r:u:n:R:S:o:s:b:k:N: opt; do
	case $opt in
	r) run=$OPTARG ;; u) url=$OPTARG ;; n) prom_ns=$OPTARG ;; R) release=$OPTARG ;;
	S) service=$OPTARG ;; o) local_port=$OPTARG ;; s) step=$OPTARG ;;
	b) promrange=$OPTARG ;; k) kubectl=$OPTARG ;; N) app_ns=$OPTARG ;;
	*) cap_die 1 "usage: see the header of $0" ;;
	esac
done
shift $((OPTIND - 1))
[ -n "$run" ] || cap_die 1 "no run folder: set RUN=runs/NAME"
[ $# -gt 0 ] || cap_die 1 "no query file (QUERIES)"
[[ $step =~ ^[1-9][0-9]*$ ]] || cap_die 1 "bad PROM_STEP '$step' (whole seconds > 0)"
if [ "$CAP_PLAN" = 0 ]; then
	for q in "$@"; do [ -r "$q" ] || cap_die 1 "cannot read query file '$q'"; done
	command -v "$promrange" >/dev/null ||
		cap_die 2 "no promrange at '$promrange': build it with make, or set PROMRANGE"
	s=$(sed -n 's/^load_start=//p' "$run/run.env" 2>/dev/null | tail -1) || :
	e=$(sed -n 's/^load_end=//p' "$run/run.env" 2>/dev/null | tail -1) || :
	[[ $s =~ ^[0-9]+$ && $e =~ ^[0-9]+$ ]] ||
		cap_die 1 "$run/run.env: no load_start/load_end (run capture-load first, or write them)"
fi

cap_init "$run"
cap_let START "\$(( \$(sed -n 's/^load_start=//p' $(cap_quote1 "$run/run.env")) - 10 ))" "$((${s:-0} - 10))"
cap_let END "\$(( \$(sed -n 's/^load_end=//p' $(cap_quote1 "$run/run.env")) + 4 ))" "$((${e:-0} + 4))"

if [ -z "$url" ]; then
	if [ -z "$service" ]; then
		case $release in
		*kube-prometheus-stack*) service=$release ;;
		*) service=$release-kube-prometheus-stack ;;
		esac
		service=${service:0:26}
		service=${service%-}-prometheus
	fi
	cap_show "$(cap_quote "$kubectl" port-forward -n "$prom_ns" "svc/$service" "$local_port:9090") > $(cap_quote1 "$run/capture/prometheus-port-forward.log") 2>&1 &"
	if [ "$CAP_PLAN" = 1 ]; then
		CAP_PLACEHOLDERS+=" PF"
		printf 'PF=$!\n'
		cap_cleanup kill '{{PF}}'
		printf '# wait until 127.0.0.1:%s accepts connections, at most 30 s\n' "$local_port"
	else
		"$kubectl" port-forward -n "$prom_ns" "svc/$service" "$local_port:9090" \
			>"$run/capture/prometheus-port-forward.log" 2>&1 &
		PF=$!
		cap_cleanup kill "$PF"
		for i in $(seq 60); do
			if (exec 9<>"/dev/tcp/127.0.0.1/$local_port") 2>/dev/null; then break; fi
			if ! kill -0 "$PF" 2>/dev/null || [ "$i" = 60 ]; then
				cat "$run/capture/prometheus-port-forward.log" >&2
				cap_die 2 "kubectl port-forward to svc/$service in $prom_ns did not come up (set PROM_SERVICE, PROM_NS or PROM_URL)"
			fi
			sleep 0.5
		done
	fi
	url=http://127.0.0.1:$local_port
fi

cap_out "$run/capture/queries.tsv" "$CAP_DIR/scope.sh" "$run" "$app_ns" "$@"
cap_run "$promrange" -u "$url" -f "$run/capture/queries.tsv" --start "$START" --end "$END" \
	--step "$step" --archive "$run/prom" -o "$run/capture/metrics.tsv"
cap_env "$run" "prometheus_step=$step"
