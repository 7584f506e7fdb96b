#!/bin/sh
# verify.sh BASE RUN             the before/after verdict table (verdict's TSV)
# verify.sh --stats BASE RUN     the JTL's exact statistics side by side
# verify.sh --step BASE          the step of the load's series inside BASE's
#                                spike window (AN_STEP, finer in a short window)
# verify.sh --inconclusive RUN   name the metrics of RUN's verdict table that
#                                had too few values; exit 1 when there are any
#
# The comparison window is BASE's spike window (out/windows/spike.tsv),
# moved to the same offset from the start of RUN's load, so both runs are
# compared over the same phase of the same load.  Metrics: p50, p95, p99,
# throughput and error % of all requests (the JTL, per interval of the
# step --step prints: RUN/out/verify/before-total.tsv, after-total.tsv),
# and the p99, CPU and GC time of BASE's top pod (Prometheus, per step).
# The decisions are verdict's (each comparison, and --combine's overall
# row); this script only connects the files.
set -eu
bin=${AN_BIN:-build/release/bin}
# a window yields at least this many of the load's intervals, when 1 s steps allow
AN_VERIFY_POINTS=6
case $1 in
--stats)
	exec "$bin/verdict" --stats "$2/out/jtl/stats.tsv" "$3/out/jtl/stats.tsv" ;;
--step)
	# AN_STEP (500ms, 5s, 1m, 1h) when the window holds AN_VERIFY_POINTS
	# intervals of it; else the whole seconds that make it hold that many,
	# at least 1 s
	awk -F '\t' -v step="${AN_STEP:-5s}" -v want="$AN_VERIFY_POINTS" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		NR == 2 { width = $c["end"] - $c["start"] }
		END {
			s = step; u = 1
			if (s ~ /ms$/) { sub(/ms$/, "", s); u = 0.001 }
			else if (s ~ /s$/) sub(/s$/, "", s)
			else if (s ~ /m$/) { sub(/m$/, "", s); u = 60 }
			else if (s ~ /h$/) { sub(/h$/, "", s); u = 3600 }
			if (s !~ /^[0-9]+(\.[0-9]+)?$/ || s * u <= 0) {
				print "verify.sh: AN_STEP=" step " is not a step (500ms, 5s, 1m, 1h)" > "/dev/stderr"
				exit 1
			}
			if (width == "" || width / (s * u) >= want) { print step; exit }
			f = int(width / want)
			if (f < 1) f = 1
			if (f >= s * u) { print step; exit }
			print f "s"
		}' "$2/out/windows/spike.tsv"
	exit ;;
--inconclusive)
	# metric rows "not enough data" (not the overall row), names made printable
	awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["metric"] != "overall" && $c["verdict"] == "not enough data" {
			m = $c["metric"]; gsub(/[^ -~]/, "?", m)
			printf "%s%s", (n++ ? ", " : ""), m
		}
		END { if (n) { print ""; exit 1 } }' "$2/out/verify/verdict.tsv"
	exit ;;
esac
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
	-m 'errors (%)=error_pct' -o "$tmp/jtl.tsv" "$run/out/verify/before-total.tsv" "$run/out/verify/after-total.tsv"
for q in p99_by_pod cpu_by_pod gc_by_pod; do
	"$bin/verdict" $win --series "pod=$hot" -m "$q {pod=$hot}=value" -o "$tmp/$q.tsv" \
		"$base/out/prom/$q.tsv" "$run/out/prom/$q.tsv"
done
"$bin/verdict" --combine "$tmp/jtl.tsv" "$tmp/p99_by_pod.tsv" "$tmp/cpu_by_pod.tsv" "$tmp/gc_by_pod.tsv"
