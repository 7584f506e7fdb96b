#!/bin/sh
# verify.sh BASE RUN          the before/after verdict table (verdict's TSV)
# verify.sh --stats BASE RUN  the JTL's exact statistics side by side
#
# The comparison window is BASE's spike window (out/windows/spike.tsv),
# moved to the same offset from the start of RUN's load, so both runs are
# compared over the same phase of the same load.  Metrics: p50, p95, p99,
# throughput and error % of all requests (the JTL, per interval), and the
# p99, CPU and GC time of BASE's hot pod (Prometheus, per step).  The
# overall verdict follows verdict's rule: regressed if any metric
# regressed, else improved if any improved.
set -eu
bin=${AN_BIN:-build/release/bin}
if [ "$1" = --stats ]; then
	base=$2 run=$3
	awk -F '\t' -v OFS='\t' '
	FNR == 1 { for (i = 1; i <= NF; i++) col[FILENAME, $i] = i; next }
	$1 == "TOTAL" { for (i = 2; i <= NF; i++) v[FILENAME, i] = $i; n = NF; f[++k] = FILENAME; if (k == 1) for (i = 2; i <= NF; i++) h[i] = hdr[i] }
	END {
		print "metric", "before", "after", "change", "rel_change_pct"
		split("samples errors error_pct throughput mean p50 p90 p95 p99 max", m, " ")
		for (j = 1; j <= 10; j++) {
			b = v[f[1], col[f[1], m[j]]]; a = v[f[2], col[f[2], m[j]]]
			ch = a - b
			rel = (b + 0 != 0) ? sprintf("%.2f", 100 * ch / b) : "NaN"
			print m[j], b, a, sprintf("%.6g", ch), rel
		}
	}' "$base/out/jtl/stats.tsv" "$run/out/jtl/stats.tsv"
	exit 0
fi
base=$1 run=$2
get() { sed -n "s/^$2=//p" "$1/run.env" | tail -n 1; }
window=$(awk -F '\t' 'NR == 2 { print $2, $3 }' "$base/out/windows/spike.tsv")
set -- $window
bstart=$1 bend=$(( $2 + 1 ))
shift_s=$(( $(get "$run" load_start) - $(get "$base" load_start) ))
bw="$bstart,$bend"
aw="$(( bstart + shift_s )),$(( bend + shift_s ))"
hot=$(awk -F '\t' 'NR == 2 { print $2 }' "$base/out/hotpod.tsv")
"$bin/verdict" --before-window "$bw" --after-window "$aw" --series label=TOTAL \
	-m 'p50 (all requests, ms)=p50' -m 'p95 (all requests, ms)=p95' \
	-m 'p99 (all requests, ms)=p99' -m 'throughput (requests/s)=throughput:higher' \
	-m 'errors (%)=error_pct' "$base/out/jtl/series-total.tsv" "$run/out/jtl/series-total.tsv" > "$run/out/verify/.jtl.tsv"
: > "$run/out/verify/.pod.tsv"
if [ -n "$hot" ]; then
	for q in p99_by_pod cpu_by_pod gc_by_pod; do
		"$bin/verdict" --no-header --before-window "$bw" --after-window "$aw" --series "pod=$hot" \
			-m "$q {pod=$hot}=value" "$base/out/prom/$q.tsv" "$run/out/prom/$q.tsv" |
			grep -v '^overall' >> "$run/out/verify/.pod.tsv"
	done
fi
grep -v '^overall' "$run/out/verify/.jtl.tsv"
cat "$run/out/verify/.pod.tsv"
cat "$run/out/verify/.jtl.tsv" "$run/out/verify/.pod.tsv" | awk -F '\t' '
	$1 != "metric" && $11 == "regressed" { r = 1 }
	$1 != "metric" && $11 == "improved" { i = 1 }
	END { printf "overall\t\t\t\t\t\t\t\t\t\t%s\n", r ? "regressed" : i ? "improved" : "no significant change" }'
rm -f "$run/out/verify/.jtl.tsv" "$run/out/verify/.pod.tsv"
