#!/usr/bin/env bash
# heatmap_browser.sh - open heatmap pages in headless Chromium, select time
# ranges through the page's API and by mouse drags on the map, and compare
# the flame graph drawn for each range with totals computed independently
# (python3) from the same samples.  The samples come from a real recording:
# `jfr print --json` of the hot replica's JFR file, converted by
# heatmap_jfr2tsv.py.  A second page with hostile frame names checks that
# no name becomes markup or script.  Screenshots are kept in
# build/integration/heatmap/.
set -u
BIN=${BIN:-build/release/bin}
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$TOP" || exit 2
BROWSER_TIMEOUT=90 BROWSER_BUDGET=10000 BROWSER_WINDOW=1300,1200
. tests/browser/lib.sh
browser_setup
if ! command -v jfr >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
	echo "skip: the JDK's jfr tool and python3 are needed"
	exit 77
fi
run=testdata/catalog-jfr/before
rec=$run/profiles/catalog-5d8b9c-g5h6i.jfr
if [ ! -r "$rec" ]; then
	echo "not ok: no recording at $rec"
	exit 1
fi
art=build/integration/heatmap
mkdir -p "$art"
# compare EXPECTED-FILE ACTUAL-FILE: one "ok"/"not ok" line per key.
compare() {
	local key want got
	while IFS='=' read -r key want; do
		got=$(sed -n "s/^$key=//p" "$2" | head -n 1)
		if [ "$want" = "$got" ]; then
			echo "ok: $key = $got"
		else
			echo "not ok: $key: expected '$want', got '$got'"
			fail=1
		fi
	done <"$1"
}

# result DOM-FILE: the key=value lines the test script left in the page.
result() {
	sed -n '/<pre id="result">/,/<\/pre>/p' "$1" | sed 's/<[^>]*>//g; s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&amp;/\&/g'
}

# --- the real recording ---
timeout 300 jfr print --json --stack-depth 4096 --events jdk.ExecutionSample "$rec" \
	>"$work/cpu.json" || { echo "not ok: jfr print failed"; exit 1; }
python3 tests/integration/heatmap_jfr2tsv.py <"$work/cpu.json" >"$work/cpu.tsv" ||
	{ echo "not ok: conversion failed"; exit 1; }
load_start=$(sed -n 's/^load_start=//p' "$run/run.env")
# the burst, seconds +40..+70 of the load, as a spike window
printf 'series\tstart\tend\tpeak_time\tpeak\tbaseline\tscore\npod=catalog-5d8b9c-g5h6i\t%s\t%s\t%s\t1\t1\t1\n' \
	"$((load_start + 40))" "$((load_start + 70))" "$((load_start + 50))" >"$work/windows.tsv"
"$BIN/heatmap" --title "catalog-5d8b9c-g5h6i cpu" --windows "$work/windows.tsv" \
	"$work/cpu.tsv" -o "$work/cpu.html" || { echo "not ok: heatmap failed"; exit 1; }
"$BIN/heatmap" --title "catalog-5d8b9c-g5h6i cpu" --windows "$work/windows.tsv" \
	"$work/cpu.tsv" >"$work/cpu2.html"
if cmp -s "$work/cpu.html" "$work/cpu2.html"; then
	echo "ok: same input, same bytes"
else
	echo "not ok: two runs differ"
	fail=1
fi
cp "$work/cpu.html" "$art/cpu.html"

# Expected values (python3, from the TSV) and the page's test script.
python3 - "$work" "$load_start" <<'PY'
import json, sys
work, load = sys.argv[1], int(sys.argv[2])
rows = []
with open(work + "/cpu.tsv") as f:
    next(f)
    for line in f:
        t, w, st = line.rstrip("\n").split("\t")
        sec, _, frac = t.partition(".")
        ms = int(sec) * 1000 + int((frac + "000")[:3])
        frames = st.replace("\\\\", "\0").replace("\\t", "\t").replace("\\n", "\n") \
                   .replace("\\r", "\r").replace("\0", "\\").split(";")
        rows.append((ms, int(w), frames))
first = min(r[0] for r in rows) // 1000
# ranges: the burst, a sub-second-edged range before it, the whole file
ranges = {"burst": (load + 40, load + 70), "early": (first + 10.5, first + 20.26),
          "all": (first, first + 10 ** 6)}
exp, queries = [], {}
for key, (t0, t1) in ranges.items():
    a, b = round(t0 * 1000), round(t1 * 1000)
    tot, ft = 0, {}
    for ms, w, frames in rows:
        if a <= ms < b:
            tot += w
            for fr in set(frames):
                ft[fr] = ft.get(fr, 0) + w
    top = sorted(ft.items(), key=lambda kv: (-kv[1], kv[0]))[:6]
    names = [n for n, _ in top]
    tok = [n for n in ft if n.endswith("Search$SearchIndex.tokenize")]
    names += [n for n in tok if n not in names]
    queries[key] = {"t0": t0, "t1": t1, "names": names}
    exp.append("%s.total=%d" % (key, tot))
    for i, n in enumerate(names):
        exp.append("%s.api.%d=%d" % (key, i, ft[n]))
        exp.append("%s.dom.%d=%d" % (key, i, ft[n]))
    if tok:
        exp.append("%s.search=%.2f" % (key, 100.0 * ft[tok[0]] / tot))
        queries[key]["search"] = "Search\\$SearchIndex\\.tokenize$"
# per-second totals, and the burst shows: more per column inside than outside
cols = {}
for ms, w, _ in rows:
    cols[ms // 1000 - first] = cols.get(ms // 1000 - first, 0) + w
ncols = max(cols) + 1
exp.append("columns=" + ",".join(str(cols.get(c, 0)) for c in range(ncols)))
inside = [cols.get(c, 0) for c in range(ncols) if load + 40 <= first + c < load + 70]
outside = [cols.get(c, 0) for c in range(ncols) if not load + 40 <= first + c < load + 70]
print("burst: %.1f samples per second inside, %.1f outside" %
      (sum(inside) / len(inside), sum(outside) / len(outside)))
exp.append("burst_shows=%s" % (sum(inside) / len(inside) >= 2 * sum(outside) / len(outside)))
# a mouse drag over the burst's columns, first row to last
queries["drag"] = {"c0": load + 40 - first, "c1": load + 69 - first}
exp.append("drag.total=%d" % sum(cols.get(c, 0) for c in range(load + 40 - first, load + 70 - first)))
exp += ["zoom.width=1180.00", "zoom.parents=true", "zoom.reset=false", "unzoom.all=1180.00"]
with open(work + "/expected", "w") as f:
    f.write("\n".join(exp) + "\n")
with open(work + "/queries.js", "w") as f:
    f.write("var Q = " + json.dumps(queries).replace("<", "\\u003c") + ";\n")
PY
[ -s "$work/expected" ] || { echo "not ok: no expectations"; exit 1; }

cat >"$work/test.js" <<'JS'
(function () {
	var out = [], hm = window.heatmap;
	function put(k, v) { out.push(k + "=" + v); }
	// totals of a frame read from the drawn SVG: outermost frames of that name
	function domTotal(name) {
		var hits = [];
		document.querySelectorAll("#hm-flame g").forEach(function (g) {
			var t = g.getElementsByTagName("title")[0].textContent;
			if (t.slice(0, t.lastIndexOf(" (")) === name)
				hits.push({ o: Number(g.getAttribute("data-o")), s: Number(g.getAttribute("data-s")) });
		});
		hits.sort(function (a, b) { return a.o - b.o || b.s - a.s; });
		var sum = 0, end = -1;
		hits.forEach(function (h) { if (h.o >= end) { sum += h.s; end = h.o + h.s; } });
		return sum;
	}
	["burst", "early", "all"].forEach(function (key) {
		var q = Q[key];
		put(key + ".total", hm.select(q.t0, q.t1));
		hm.setMinWidth(0);
		q.names.forEach(function (n, i) {
			put(key + ".api." + i, hm.frameTotal(n));
			put(key + ".dom." + i, domTotal(n));
		});
		if (q.search)
			put(key + ".search", hm.search(q.search).toFixed(2));
		hm.resetSearch();
	});
	// zoom on the burst's tokenize: it spans the plot; its callers fade; reset restores
	hm.select(Q.burst.t0, Q.burst.t1);
	var tok = Q.burst.names[Q.burst.names.length - 1], z = hm.zoom(tok);
	function widthOf(name) {
		var w = null;
		document.querySelectorAll("#hm-flame g").forEach(function (g) {
			var t = g.getElementsByTagName("title")[0].textContent;
			if (w === null && t.slice(0, t.lastIndexOf(" (")) === name && g.getAttribute("class") === "")
				w = g.getElementsByTagName("rect")[0].getAttribute("width");
		});
		return w;
	}
	put("zoom.width", widthOf(tok));
	put("zoom.parents", document.querySelectorAll("#hm-flame g.hm-parent").length > 0);
	put("zoom.reset", document.getElementById("hm-unzoom").disabled);
	hm.unzoom();
	put("unzoom.all", widthOf("all"));
	put("columns", hm.columnTotals().join(","));
	var cols = hm.columnTotals();
	var c = document.getElementById("hm-canvas"), r = c.getBoundingClientRect();
	// a real drag: mousedown on the first cell of column c0, mouseup on the last of c1
	var cellW = Math.max(1, Math.min(12, Math.floor(1180 / cols.length)));
	var y0 = r.top + 12 + 1, y1 = r.top + 12 + 400 - 1;
	function ev(type, col, y) {
		return new MouseEvent(type, { bubbles: true, clientX: r.left + col * cellW + cellW / 2,
			clientY: y });
	}
	c.dispatchEvent(ev("mousedown", Q.drag.c0, y0));
	c.dispatchEvent(ev("mousemove", Q.drag.c1, y1));
	window.dispatchEvent(ev("mouseup", Q.drag.c1, y1));
	put("drag.total", hm.selection().total);
	put("drag.sel", document.getElementById("hm-sel").textContent);
	put("windows", document.getElementById("hm-windows").textContent);
	document.getElementById("result").textContent = out.join("\n");
})();
JS
# the page under test: the heatmap, then the queries and the test script
{
	sed '/^<\/body><\/html>$/d' "$work/cpu.html"
	echo '<pre id="result"></pre><script>'
	cat "$work/queries.js" "$work/test.js"
	echo '</script></body></html>'
} >"$work/page.html"
run_chromium "file://$work/page.html" dump >"$work/dom.html"
result "$work/dom.html" >"$work/got"
grep -v '^burst_shows=' "$work/expected" >"$work/expected.api"
compare "$work/expected.api" "$work/got"
if grep -q '^burst_shows=True$' "$work/expected"; then
	echo "ok: the burst shows (at least twice the samples per second inside)"
else
	echo "not ok: the burst does not show"
	fail=1
fi
sed -n 's/^drag.sel=/ok: drag selected: /p; s/^windows=/ok: windows listed: /p' "$work/got"

# --- the toolkit end to end: stacks --format samples into heatmap, a range
# selected in the page against stacks --window over the same range ---
b0=$((load_start + 40)) b1=$((load_start + 70))
"$BIN/stacks" --event cpu --format samples "$rec" >"$work/stk.tsv" &&
	"$BIN/heatmap" "$work/stk.tsv" -o "$work/stk.html" &&
	"$BIN/stacks" --event cpu --window "$b0,$b1" --top --sort total -n 6 "$rec" >"$work/stk-top.tsv" ||
	{ echo "not ok: stacks or heatmap failed on the recording"; exit 1; }
# expected: the window's total (sum of the collapsed counts) and the total
# column of six frames of stacks' top table (a frame counted once per stack)
{
	"$BIN/stacks" --event cpu --window "$b0,$b1" "$rec" | awk '{ s += $NF } END { printf "total=%d\n", s }'
	awk -F '\t' 'NR > 1 { printf "frame.%d=%s\n", NR - 2, $3 }' "$work/stk-top.tsv"
} >"$work/stk-expected"
{
	printf 'var N = ['
	awk -F '\t' 'NR > 1 { gsub(/\\/, "\\\\", $5); gsub(/"/, "\\\"", $5); printf "%s\"%s\"", (NR > 2 ? "," : ""), $5 }' "$work/stk-top.tsv"
	printf '];\n'
	cat <<JS
(function () {
	var out = [], hm = window.heatmap;
	out.push("total=" + hm.select($b0, $b1));
	N.forEach(function (n, i) { out.push("frame." + i + "=" + hm.frameTotal(n)); });
	document.getElementById("result").textContent = out.join("\n");
})();
JS
} >"$work/stk-test.js"
{
	sed '/^<\/body><\/html>$/d' "$work/stk.html"
	echo '<pre id="result"></pre><script>'
	cat "$work/stk-test.js"
	echo '</script></body></html>'
} >"$work/stk-page.html"
run_chromium "file://$work/stk-page.html" dump >"$work/stk-dom.html"
result "$work/stk-dom.html" >"$work/stk-got"
[ "$(wc -l <"$work/stk-expected")" -eq 7 ] || { echo "not ok: stacks --top gave too few frames"; fail=1; }
compare "$work/stk-expected" "$work/stk-got"

# --- hostile names (';' separates frames: the second stack has two) ---
{
	printf 'time\tweight\tstack\n'
	printf '100.000\t3\tmain;</script><img src=x onerror=alert(1)>\n'
	printf '100.020\t2\tmain;"]});alert(1)//\n'
	printf '100.040\t1\tmain;<img src=x onerror="window.pwned=1">;&lt\\tx\n'
} >"$work/evil.tsv"
printf 'series\tstart\tend\npod=<b onmouseover=alert(1)>\t100\t101\n' >"$work/evil-windows.tsv"
"$BIN/heatmap" --title '</title><script>window.pwned=2</script>' --windows "$work/evil-windows.tsv" \
	"$work/evil.tsv" -o "$work/evil.html" || { echo "not ok: heatmap failed on hostile names"; exit 1; }
cat >"$work/evil-test.js" <<'JS'
(function () {
	var out = [];
	function put(k, v) { out.push(k + "=" + v); }
	put("pwned", String(window.pwned));
	put("imgs", document.getElementsByTagName("img").length);
	put("bold", document.getElementsByTagName("b").length);
	put("scripts", document.getElementsByTagName("script").length);
	put("title", document.title);
	put("total", window.heatmap.select(100, 101));
	var names = [];
	document.querySelectorAll("#hm-flame title").forEach(function (t) {
		names.push(t.textContent.slice(0, t.textContent.lastIndexOf(" (")));
	});
	put("names", JSON.stringify(names));
	put("window", document.getElementById("hm-windows").textContent);
	document.getElementById("result").textContent = out.join("\n");
})();
JS
{
	sed '/^<\/body><\/html>$/d' "$work/evil.html"
	echo '<pre id="result"></pre><script>'
	cat "$work/evil-test.js"
	echo '</script></body></html>'
} >"$work/evil-page.html"
run_chromium "file://$work/evil-page.html" dump >"$work/evil-dom.html"
result "$work/evil-dom.html" >"$work/evil-got"
cat >"$work/evil-expected" <<'EXP'
pwned=undefined
imgs=0
bold=0
scripts=3
title=</title><script>window.pwned=2</script>
total=6
names=["all","main","\"]})","alert(1)//","</script><img src=x onerror=alert(1)>","<img src=x onerror=\"window.pwned=1\">","&lt\tx"]
window=window pod=<b onmouseover=alert(1)>: +0 s to +1 s
EXP
compare "$work/evil-expected" "$work/evil-got"

# Screenshots: the real page (whole recording selected) and the burst selected.
run_chromium "file://$work/cpu.html" "$TOP/$art/heatmap.png"
{
	sed '/^<\/body><\/html>$/d' "$work/cpu.html"
	printf '<script>window.heatmap.select(%s, %s);</script></body></html>\n' \
		"$((load_start + 40))" "$((load_start + 70))"
} >"$work/burst.html"
run_chromium "file://$work/burst.html" "$TOP/$art/burst.png"
for p in heatmap burst; do
	if [ -s "$art/$p.png" ]; then
		echo "ok: screenshot $art/$p.png"
	else
		echo "not ok: no screenshot $p"
		fail=1
	fi
done
exit $fail
