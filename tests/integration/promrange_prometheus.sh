#!/usr/bin/env bash
# promrange against a real Prometheus (Debian's 2.42) on 127.0.0.1, with
# history backfilled by promtool from a generated OpenMetrics text (known
# values, NaN, +Inf).  A range of 12,000 points per series at a 1 s step is
# split into two requests; the stitched TSV must equal the expected one
# exactly.  Also: several queries, an empty result, a PromQL error,
# archive and byte-identical replay.
set -u
BIN=${BIN:-build/release/bin}
TOP=${TOP:-.}
for c in prometheus promtool python3 curl; do
	command -v $c >/dev/null 2>&1 || { echo "skip: $c is not installed"; exit 77; }
done
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
T0=1700000000
N=12000

# History: gauge m for pods a, b, c every 10 s over N seconds; c has NaN
# and +Inf samples.  Expected output: at each 1 s step the latest sample.
python3 - "$work" $T0 $N <<'PY'
import sys
work, t0, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def val(pod, i):
    if pod == "c" and i % 50 == 7: return float("nan")
    if pod == "c" and i % 50 == 8: return float("inf")
    return {"a": i * 0.25, "b": 1000 - i, "c": (i % 13) / 8}[pod]
def fmt(v):
    if v != v: return "NaN"
    if v == float("inf"): return "+Inf"
    return str(int(v)) if v == int(v) else repr(v)
samples = n // 10 + 1
with open(work + "/history.om", "w") as f:
    f.write("# TYPE m gauge\n")
    for pod in "abc":
        for i in range(samples):
            f.write('m{pod="%s"} %s %d\n' % (pod, fmt(val(pod, i)), t0 + 10 * i))
    f.write("# EOF\n")
with open(work + "/expected.tsv", "w") as f:
    f.write("query\tseries\ttime\tvalue\n")
    for q, name, mul in (("raw", "__name__=m,", 1), ("double", "", 2)):
        for pod in "abc":
            if q == "double" and pod == "c": continue
            for t in range(n):
                f.write("%s\t%spod=%s\t%d\t%s\n" % (q, name, pod, t0 + t, fmt(val(pod, t // 10) * mul)))
PY
mkdir "$work/data"
promtool tsdb create-blocks-from openmetrics "$work/history.om" "$work/data" >"$work/promtool.log" 2>&1 ||
	{ echo "FAIL: promtool backfill"; cat "$work/promtool.log"; exit 1; }
printf 'global:\n  scrape_interval: 15s\n' >"$work/prometheus.yml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
	--storage.tsdb.retention.time=100y --web.listen-address=127.0.0.1:$port \
	>"$work/prometheus.log" 2>&1 &
pid=$!
for _ in $(seq 120); do
	curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1 && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.5
done
curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1 ||
	{ echo "FAIL: prometheus did not become ready"; tail -20 "$work/prometheus.log"; exit 1; }
url=http://127.0.0.1:$port
fails=0
fail() { echo "FAIL $1"; fails=$((fails + 1)); }
range="--start $T0 --end $((T0 + N - 1)) --step 1s"

# chunked (2 requests of 11,000 and 1,000 points), several queries, NaN/+Inf, empty
"$BIN/promrange" -u "$url" -q raw=m -q 'double=m{pod!="c"} * 2' -q empty=no_such_metric $range \
	--archive "$work/arch" >"$work/out.tsv" 2>"$work/err"
rc=$?
if [ $rc = 0 ] && cmp -s "$work/out.tsv" "$work/expected.tsv"; then echo "ok chunked_stitched"; else
	fail "chunked_stitched: rc=$rc"; cat "$work/err"; diff "$work/expected.tsv" "$work/out.tsv" | head; fi
[ "$(ls "$work/arch" | tr '\n' ' ')" = "double.part0.json double.part1.json empty.part0.json empty.part1.json index.tsv raw.part0.json raw.part1.json " ] &&
	grep -q "^raw	raw.part1.json	m	$((T0 + 11000))	$((T0 + N - 1))	1$" "$work/arch/index.tsv" &&
	echo "ok archive_files" || { fail "archive_files"; ls "$work/arch"; cat "$work/arch/index.tsv"; }
grep -q NaN "$work/out.tsv" && grep -q '+Inf' "$work/out.tsv" && echo "ok nan_inf" || fail "nan_inf"

# one request covering the same range gives the same bytes (Prometheus' limit
# is 11,000 points, so compare on a range both can do)
"$BIN/promrange" -u "$url" -q raw=m --start $T0 --end $((T0 + 10999)) --step 1 >"$work/one.tsv" 2>"$work/err" &&
"$BIN/promrange" -u "$url" -q raw=m --start $T0 --end $((T0 + 10999)) --step 1 --max-points 997 >"$work/many.tsv" 2>>"$work/err" &&
	cmp -s "$work/one.tsv" "$work/many.tsv" && echo "ok split_equals_unsplit" || { fail "split_equals_unsplit"; cat "$work/err"; }

# without chunking Prometheus refuses the range: its error is shown, exit 2
"$BIN/promrange" -u "$url" -q raw=m $range --max-points 20000 >/dev/null 2>"$work/err"
rc=$?
[ $rc = 2 ] && grep -q "raw: prometheus error: bad_data: exceeded maximum resolution of 11,000 points per timeseries" "$work/err" &&
	echo "ok prometheus_limit" || { fail "prometheus_limit: rc=$rc"; cat "$work/err"; }

# replay is byte-identical, long and wide
"$BIN/promrange" --replay "$work/arch" >"$work/replay.tsv" 2>"$work/err" && cmp -s "$work/replay.tsv" "$work/out.tsv" &&
	echo "ok replay" || { fail "replay"; cat "$work/err"; }
"$BIN/promrange" --wide -u "$url" -q raw=m $range >"$work/wide_live.tsv" 2>"$work/err" &&
"$BIN/promrange" --wide --replay "$work/arch" | cut -f1-4 >"$work/wide_replay.tsv" &&
	cmp -s "$work/wide_live.tsv" "$work/wide_replay.tsv" &&
	[ "$(head -1 "$work/wide_live.tsv")" = "time	raw{__name__=m,pod=a}	raw{__name__=m,pod=b}	raw{__name__=m,pod=c}" ] &&
	[ "$(wc -l <"$work/wide_live.tsv")" = $((N + 1)) ] && echo "ok wide" || { fail "wide"; cat "$work/err"; }

# a PromQL error: exit 2 and Prometheus' text
"$BIN/promrange" -u "$url" -q bad='sum(' $range >"$work/out" 2>"$work/err"
rc=$?
[ $rc = 2 ] && grep -q "bad.part0: prometheus error: bad_data: .*parse error" "$work/err" &&
	echo "ok promql_error" || { fail "promql_error: rc=$rc"; cat "$work/err"; }

[ $fails = 0 ] || { echo "$fails failed"; exit 1; }
echo "all passed"
