#!/usr/bin/env bash
# jtlslice --stats and --series checked against an independent computation
# (python3's csv module, sorting every sample) over the same files: the real
# catalog JTL (gzip, 5.6 layout) and a generated one with quoted fields,
# failures and a slice of it.
set -u
BIN=${BIN:-build/release/bin}
TOP=${TOP:-.}
command -v python3 >/dev/null 2>&1 || { echo "skip: python3 is not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/gen.jtl" <<'PY'
import random, sys
random.seed(7)
with open(sys.argv[1], "w", newline="") as f:
    f.write("timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n")
    for i in range(5000):
        ts = 1700000000000 + random.randrange(0, 120000)
        el = int(random.expovariate(1 / 80)) if i % 97 else 700000 + i
        lab = random.choice(["GET /a", "POST /b", '"quoted, label"', "multi\nline"])
        q = '"' + lab.replace('"', '""') + '"' if any(c in lab for c in ',"\n') else lab
        ok = "false" if random.random() < 0.05 else "true"
        f.write(f"{ts},{el},{q},200,OK,t 1-{i % 7},text,{ok},,{random.randrange(100, 900)},{random.randrange(50, 200)},7,7,http://x/{i},1,0,0\n")
PY

check() {  # check NAME ARGS... : compare jtlslice --stats and --series with python
	local name=$1
	shift
	"$BIN/jtlslice" --stats "$@" >"$work/stats.tsv" || { echo "FAIL $name: jtlslice --stats exit $?"; return 1; }
	"$BIN/jtlslice" --series 7s "$@" >"$work/series.tsv" || { echo "FAIL $name: jtlslice --series exit $?"; return 1; }
	"$BIN/jtlslice" "$@" >"$work/slice.jtl" || { echo "FAIL $name: jtlslice exit $?"; return 1; }
	python3 - "$work/slice.jtl" "$work/stats.tsv" "$work/series.tsv" <<'PY' || { echo "FAIL $name"; return 1; }
import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
def rank(n, p):  # Java Math.round, at least 1
    return max(1, math.floor(n * p + 0.5))
def pct(vals, p):
    return vals[rank(len(vals), p) - 1]
def esc(s):
    return "".join("\\" + {"\t": "t", "\n": "n", "\r": "r"}.get(c, c) if c in "\\,=\t\n\r" else c for c in s)
def close(a, b):
    if a == "NaN" or b == "NaN":
        return a == b
    return abs(float(a) - float(b)) <= 1e-5 * max(1.0, abs(float(b)))
def common(rs, tput):
    el = sorted(int(r["elapsed"]) for r in rs)
    n, errs = len(el), sum(r["success"].lower() != "true" for r in rs)
    if n == 0:
        return ["0", "0", "NaN", str(tput), "NaN", "NaN", "NaN", "NaN", "NaN", "NaN", "NaN"]
    return [str(n), str(errs), str(100 * errs / n), str(tput), str(sum(el) / n), str(el[0])] + \
        [str(pct(el, p)) for p in (0.5, 0.9, 0.95, 0.99)] + [str(el[-1])]
def summary(rs):
    start = min(int(r["timeStamp"]) for r in rs)
    end = max(int(r["timeStamp"]) + int(r["elapsed"]) for r in rs)
    span = (end - start) / 1000
    kb = lambda k: sum(int(r[k]) for r in rs) / 1024 / span
    return common(rs, len(rs) / span) + [str(kb("bytes")), str(kb("sentBytes"))]
labels = []
for r in rows:
    if r["label"] not in labels:
        labels.append(r["label"])
want = [["label", "samples", "errors", "error_pct", "throughput", "mean", "min", "p50", "p90", "p95", "p99", "max", "received_kb_s", "sent_kb_s"]]
want += [[esc(l)] + summary([r for r in rows if r["label"] == l]) for l in labels]
want += [["TOTAL"] + summary(rows)]
got = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
bad = 0
if len(got) != len(want):
    print("stats: %d rows, want %d" % (len(got), len(want))); bad = 1
if got[:1] != want[:1]:
    print("stats header: %s" % got[:1]); bad = 1
for g, w in zip(got[1:], want[1:]):
    if g[0] != w[0] or len(g) != len(w) or not all(close(a, b) for a, b in zip(g[1:], w[1:])):
        print("stats differ:\n  got  %s\n  want %s" % (g, w)); bad = 1
step = 7000
ks = sorted({int(r["timeStamp"]) // step * step for r in rows})
series = sorted([("label=" + esc(l), l) for l in labels] + [("label=TOTAL", None)])
want = []
for name, l in series:
    for k in range(ks[0], ks[-1] + 1, step):
        rs = [r for r in rows if int(r["timeStamp"]) // step * step == k and (l is None or r["label"] == l)]
        want.append([name, str(k / 1000)] + common(rs, len(rs) / 7))
got = [l.rstrip("\n").split("\t") for l in open(sys.argv[3])][1:]
if len(got) != len(want):
    print("series: %d rows, want %d" % (len(got), len(want))); bad = 1
for g, w in zip(got, want):
    if g[0] != w[0] or not all(close(a, b) for a, b in zip(g[1:], w[1:])):
        print("series differ:\n  got  %s\n  want %s" % (g, w)); bad = 1
        break
print("%d samples, %d labels checked" % (len(rows), len(labels)))
sys.exit(bad)
PY
	echo "PASS $name"
}

fails=0
check catalog-before "$TOP/testdata/catalog/before/result.jtl.gz" || fails=$((fails + 1))
check catalog-after-burst --from +40s --to +70s "$TOP/testdata/catalog/after/result.jtl.gz" || fails=$((fails + 1))
check generated "$work/gen.jtl" || fails=$((fails + 1))
check generated-failed-b --failed --label 'b$|line' "$work/gen.jtl" || fails=$((fails + 1))
[ $fails -eq 0 ] || { echo "$fails checks failed"; exit 1; }
echo "all statistics match the independent computation"
