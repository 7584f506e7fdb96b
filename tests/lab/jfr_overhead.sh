#!/usr/bin/env bash
# jfr_overhead.sh - the overhead of the shipped Flight Recorder settings
# (pipelines/jvmperf.jfc) on the lab service: the same steady load against
# one replica, alternately without and with a recording started through
# jattach (JFR.start settings=pipelines/jvmperf.jfc ... JFR.stop), RUNS
# times each; prints throughput and p99 of every run (jtlslice --stats) and
# the medians. Not a pass/fail test: a measurement (pipelines/CLUSTER.md).
#
# Environment: RUNS (3), SECONDS_PER_RUN (30), THREADS (6), BIN
# (build/release/bin), LAB_PORT (28080), LAB_PROM_PORT (29090).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
RUNS=${RUNS:-3} SECONDS_PER_RUN=${SECONDS_PER_RUN:-30} THREADS=${THREADS:-6}
BIN=${BIN:-$top/build/release/bin}
for c in java jattach; do command -v "$c" >/dev/null || { echo "jfr_overhead: no $c" >&2; exit 1; }; done
T=$(mktemp -d)
export LAB_DIR=$T/lab LAB_REPLICAS=1 LAB_HOT=0 LAB_PORT=${LAB_PORT:-28080} LAB_PROM_PORT=${LAB_PROM_PORT:-29090}
cleanup() { bash tests/lab/lab.sh stop >/dev/null 2>&1 || :; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
bash tests/lab/lab.sh start >"$T/lab.log" 2>&1 || { cat "$T/lab.log"; exit 2; }
pod=$(sed -n 's/^LAB_PODS=//p' "$LAB_DIR/lab.env" | tr -d "'\"" | cut -d' ' -f1)
pid=$(cat "$LAB_DIR/pids/$pod.java.pid")
printf 'run\tjfr\tthroughput\tp99\n'
for i in $(seq "$RUNS"); do
	for jfr in no yes; do
		run=$T/run-$i-$jfr
		[ "$jfr" = no ] || jattach "$pid" jcmd "JFR.start name=overhead settings=$top/pipelines/jvmperf.jfc" >/dev/null
		RUN=$run PHASE=1 POD=$pod LAB_THREADS=$THREADS LAB_BURST_THREADS=0 LAB_BURST_START=0 LAB_BURST_END=0 \
			LAB_WARMUP=5 LAB_LOAD_SECONDS=$SECONDS_PER_RUN bash tests/lab/capture.sh pods >/dev/null 2>&1
		RUN=$run PHASE=1 POD=$pod LAB_THREADS=$THREADS LAB_BURST_THREADS=0 LAB_BURST_START=0 LAB_BURST_END=0 \
			LAB_WARMUP=5 LAB_LOAD_SECONDS=$SECONDS_PER_RUN bash tests/lab/capture.sh load >"$T/load.log" 2>&1 ||
			{ cat "$T/load.log"; exit 2; }
		[ "$jfr" = no ] || jattach "$pid" jcmd "JFR.stop name=overhead" >/dev/null
		"$BIN/jtlslice" --stats --total "$run/result.jtl.gz" |
			awk -F'\t' -v i="$i" -v j="$jfr" 'NR == 2 { printf "%s\t%s\t%s\t%s\n", i, j, $5, $11 }'
	done
done | tee "$T/runs.tsv"
awk -F'\t' '$1 != "run" { n[$2]++; tp[$2, n[$2]] = $3; p99[$2, n[$2]] = $4 }
	function med(a, k, c,   v, i, j, t) {
		for (i = 1; i <= c; i++) v[i] = a[k, i]
		for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
		return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
	}
	END {
		for (k in n) printf "median\t%s\t%s\t%s\n", k, med(tp, k, n[k]), med(p99, k, n[k])
	}' "$T/runs.tsv" | sort
