#!/usr/bin/env bash
# bench_promrange.sh - promrange reading a generated ~102 MB saved
# query_range response (200 series x 22,500 points, series in reverse
# order, some NaN/+Inf), against jq writing the same TSV (checked
# byte-identical first); wall and CPU time medians side by side.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/bench/lib.sh
BIN=${BIN:-build/release/bin}
resp=$BENCH_DIR/big_range_200x22500.json
command -v jq >/dev/null 2>&1 || { echo "skip: jq is not installed"; exit 77; }

if [ ! -s "$resp" ]; then
	awk 'BEGIN {
		s = 12345; printf "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
		for (k = 199; k >= 0; k--) {
			printf "%s{\"metric\":{\"__name__\":\"http_latency\",\"job\":\"catalog\",\"pod\":\"catalog-%03d\"},\"values\":[", (k < 199 ? "," : ""), k
			for (i = 0; i < 22500; i++) {
				s = (s * 1103515245 + 12345) % 2147483648
				v = (s % 1000003) / 1000
				if (s % 997 == 0) txt = "NaN"; else if (s % 1999 == 0) txt = "+Inf"; else txt = sprintf("%.6g", v)
				printf "%s[%d,\"%s\"]", (i ? "," : ""), 1700000000 + 2 * i, txt
			}
			printf "]}"
		}
		printf "]}}\n"
	}' >"$resp.tmp" && mv "$resp.tmp" "$resp"
fi
bytes=$(wc -c <"$resp")
name=$(basename "$resp" .json)

# The jq program producing promrange's long TSV: labels sorted by key,
# escaped, series sorted bytewise, times as written, values verbatim.
jqprog='def esc: gsub("(?<c>[\\\\,=])"; "\\\(.c)") | gsub("\t"; "\\t") | gsub("\n"; "\\n") | gsub("\r"; "\\r");
"query\tseries\ttime\tvalue",
(.data.result | map({s: (.metric | to_entries | sort_by(.key) | map((.key | esc) + "=" + (.value | esc)) | join(",")), v: .values})
 | sort_by(.s)[] | .s as $s | .v[] | [$q, $s, (.[0] | tostring), .[1]] | join("\t"))'

"$BIN/promrange" "$resp" >"$BENCH_DIR/promrange.tsv"
jq -r --arg q "$name" "$jqprog" "$resp" >"$BENCH_DIR/jq.tsv"
if ! cmp -s "$BENCH_DIR/promrange.tsv" "$BENCH_DIR/jq.tsv"; then
	echo "FAIL: promrange and jq outputs differ"
	exit 1
fi
rows=$(($(wc -l <"$BENCH_DIR/promrange.tsv") - 1))
echo "input: $resp, $bytes bytes, $rows points; outputs identical"

# wall and CPU (user + system) time of the same runs, medians; CPU time is
# what a loaded machine disturbs least
wall_cpu() {   # wall_cpu RUNS CMD: "MEDIAN_WALL MEDIAN_CPU PEAK_RSS_KIB"
	local runs=$1 i tf
	shift
	tf=$(mktemp)
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -f '%e %U %S %M' -o "$tf" bash -c "$*" >/dev/null 2>&1
		tail -n 1 "$tf"
	done | awk '{ w[NR] = $1; c[NR] = $2 + $3; if ($4 > p) p = $4 }
		function med(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
			return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
		END { printf "%.3f %.3f %d\n", med(w, NR), med(c, NR), p }'
	rm -f "$tf"
}
read -r p_s p_cpu p_rss <<<"$(wall_cpu "${BENCH_RUNS:-5}" "$BIN/promrange $resp")"
read -r j_s j_cpu j_rss <<<"$(wall_cpu "${BENCH_JQ_RUNS:-3}" "jq -r --arg q "$name" '$jqprog' $resp")"
echo "promrange FILE:   median ${p_s} s (CPU ${p_cpu} s), $(bench_mibs "$bytes" "$p_s") MiB/s, peak RSS ${p_rss} KiB"
echo "jq (same TSV):    median ${j_s} s (CPU ${j_cpu} s), $(bench_mibs "$bytes" "$j_s") MiB/s, peak RSS ${j_rss} KiB"
echo "speedup vs jq:    $(bench_ratio "$j_s" "$p_s")x wall, $(bench_ratio "$j_cpu" "$p_cpu")x CPU (goal >= 20x)"
echo "memory vs input:  $(bench_ratio "$p_rss" "$((bytes / 1024))")x the response size"
