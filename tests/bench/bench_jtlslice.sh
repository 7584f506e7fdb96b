#!/usr/bin/env bash
# bench_jtlslice.sh - per-label statistics (jtlslice --stats) on a generated
# 1 GiB JTL (JMeter 5.6 layout, deterministic, some quoted fields with
# commas, doubled quotes and line breaks), against Miller computing the
# same statistics and against `wc -l` reading the same bytes.
# Miller is measured on a 200 MiB prefix (over 1 min per run on 1 GiB);
# jtlslice on both, so the per-MiB ratio is like for like.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/bench/lib.sh
BIN=${BIN:-build/release/bin}
big=$BENCH_DIR/jtl-1g.jtl
small=$BENCH_DIR/jtl-200m.jtl

cat >"$BENCH_DIR/genjtl.c" <<'C'
/* genjtl BYTES: a deterministic JMeter 5.6 JTL of about BYTES bytes. */
#include <stdio.h>
#include <stdlib.h>
static unsigned long long s = 88172645463325252ull;
static unsigned long long rnd(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }
int main(int argc, char **argv)
{
	static const char *labels[] = { "GET /api/search", "GET /api/price", "GET /api/product",
		"\"POST /api/cart, add\"", "GET /api/user", "\"GET /api/\"\"quoted\"\"\"" };
	long long target = atoll(argv[1]), n = 0, i = 0;
	char buf[512];
	n += printf("timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n");
	while (n < target) {
		unsigned long long r = rnd();
		int el = (int)(r % 97) + (int)((r >> 8) % 13) * (int)((r >> 16) % 29) + ((r >> 24) % 500 == 0 ? 4000 : 0);
		int fail = (r >> 32) % 50 == 0, li = (int)((r >> 20) % 100);
		/* 2 % of labels quoted (comma, doubled quotes) */
		const char *label = li == 0 ? labels[3] : li == 1 ? labels[5] : labels[(li % 4) == 3 ? 4 : li % 4];
		int len = snprintf(buf, sizeof buf,
			"%lld,%d,%s,%s,%s,steady 1-%d,text,%s,%s,%d,%d,30,30,http://127.0.0.1:18080/api/x?q=%llu,%d,0,%d\n",
			1795920563000LL + i / 10 + (long long)((r >> 40) % 2000), el, label,
			fail ? "500" : "200", fail ? "Internal Server Error" : "OK", (int)(i % 30) + 1,
			fail ? "false" : "true", fail && (r >> 50) % 2 ? "\"Assertion failed:\nexpected 200, got 500\"" : "",
			100 + (int)((r >> 12) % 900), 142, (r >> 28) % 100000, el > 0 ? el - 1 : 0, (int)((r >> 44) % 3));
		fwrite(buf, 1, (size_t)len, stdout);
		n += len;
		i++;
	}
	return 0;
}
C
cc -O2 -o "$BENCH_DIR/genjtl" "$BENCH_DIR/genjtl.c"
[ -s "$big" ] || "$BENCH_DIR/genjtl" 1073741824 >"$big"
[ -s "$small" ] || "$BENCH_DIR/genjtl" 209715200 >"$small"
bytes_big=$(stat -c %s "$big")
bytes_small=$(stat -c %s "$small")
cat "$big" "$small" >/dev/null   # warm the page cache

read -r t_wc rss_wc < <(bench_time "$BENCH_RUNS" "wc -l $big")
read -r t_big rss_big < <(bench_time "$BENCH_RUNS" "$BIN/jtlslice --stats $big")
read -r t_small rss_small < <(bench_time "$BENCH_RUNS" "$BIN/jtlslice --stats $small")
mlr_runs=${BENCH_MLR_RUNS:-3}
read -r t_mlr rss_mlr < <(bench_time "$mlr_runs" "mlr --icsv --opprint stats1 -a count,mean,min,max,p50,p90,p95,p99 -f elapsed -g label $small")

echo "jtlslice --stats, 1 GiB generated JTL ($bytes_big bytes):"
echo "  wc -l          $t_wc s  $(bench_mibs "$bytes_big" "$t_wc") MiB/s  (anchor)"
echo "  jtlslice       $t_big s  $(bench_mibs "$bytes_big" "$t_big") MiB/s  peak RSS ${rss_big} KiB"
echo "  throughput vs wc -l: $(bench_ratio "$t_wc" "$t_big") (goal 0.40)"
echo "200 MiB prefix ($bytes_small bytes):"
echo "  jtlslice       $t_small s  peak RSS ${rss_small} KiB"
echo "  mlr stats1     $t_mlr s  peak RSS ${rss_mlr} KiB  ($mlr_runs runs)"
echo "  speedup vs Miller, same file: $(bench_ratio "$t_mlr" "$t_small")x (goal >= 10)"
echo "  speedup vs Miller per MiB (ours on 1 GiB): $(awk -v a="$t_mlr" -v na="$bytes_small" -v b="$t_big" -v nb="$bytes_big" 'BEGIN { printf "%.2f", (a / na) / (b / nb) }')x"
[ "$rss_big" -le 65536 ] || { echo "FAIL: peak RSS ${rss_big} KiB over 64 MiB"; exit 1; }
