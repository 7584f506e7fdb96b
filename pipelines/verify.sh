#!/bin/sh
# verify.sh BASE RUN          the before/after verdict table (verdict's TSV)
# verify.sh --stats BASE RUN  the JTL's exact statistics side by side
#
# The comparison window is BASE's spike window (out/windows/spike.tsv),
# moved to the same offset from the start of RUN's load, so both runs are
# compared over the same phase of the same load.  Metrics: p50, p95, p99,
# throughput and error % of all requests (the JTL, per interval), and the
# p99, CPU and GC time of BASE's top pod (Prometheus, per step).  The
# decisions are verdict's (each comparison, and --combine's overall row);
# this script only connects the files.
set -eu
bin=${AN_BIN:-build/release/bin}
if [ "$1" = --stats ]; then
	exec "$bin/verdict" --stats "$2/out/jtl/stats.tsv" "$3/out/jtl/stats.tsv"
fi
base=$1 run=$2
tmp=$(mktemp -d "$run/out/verify/.verify.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# RUN's load started this many seconds after BASE's (whole seconds)
shift_s=$(( $("$bin/runenv" --epoch load_start "$run/run.env") - $("$bin/runenv" --epoch load_start "$base/run.env") ))
hot=$("$bin/hotpod" --top "$base")
win="--window-file $base/out/windows/spike.tsv --shift $shift_s"
"$bin/verdict" $win --series label=TOTAL \
	-m 'p50 (all requests, ms)=p50' -m 'p95 (all requests, ms)=p95' \
	-m 'p99 (all requests, ms)=p99' -m 'throughput (requests/s)=throughput:higher' \
	-m 'errors (%)=error_pct' -o "$tmp/jtl.tsv" "$base/out/jtl/series-total.tsv" "$run/out/jtl/series-total.tsv"
for q in p99_by_pod cpu_by_pod gc_by_pod; do
	"$bin/verdict" $win --series "pod=$hot" -m "$q {pod=$hot}=value" -o "$tmp/$q.tsv" \
		"$base/out/prom/$q.tsv" "$run/out/prom/$q.tsv"
done
"$bin/verdict" --combine "$tmp/jtl.tsv" "$tmp/p99_by_pod.tsv" "$tmp/cpu_by_pod.tsv" "$tmp/gc_by_pod.tsv"
