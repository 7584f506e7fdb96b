#!/usr/bin/env bash
# flamegraph_browser.sh - open generated flame graphs in headless Chromium,
# drive their own script (search, zoom, unzoom) and check what it did.
# A page written here inlines the SVG, calls svg.fg.* and writes the
# results into the DOM, which --dump-dom prints.  Screenshots are kept in
# build/integration/flamegraph/ as test artifacts.
set -u
BIN=${BIN:-build/release/bin}
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$TOP" || exit 2
. tests/browser/lib.sh
browser_setup
art=build/integration/flamegraph
mkdir -p "$art"
check() { # check NAME EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then
		echo "ok: $1 = $3"
	else
		echo "not ok: $1: expected '$2', got '$3'"
		fail=1
	fi
}

# A small profile with known shares: tokenize is 60 of 100 samples, in two
# places (one nested under the other's caller), Pattern.split 40.
cat >"$work/in.collapsed" <<'IN'
java/lang/Thread.run_[0];org/example/Search.handle_[j];org/example/Search$Index.tokenize_[j];java/util/regex/Pattern.split_[i] 40
java/lang/Thread.run_[0];org/example/Search.handle_[j];org/example/Search$Index.tokenize_[j];java/lang/String.toLowerCase_[j] 10
java/lang/Thread.run_[0];org/example/Prices.lookup_[j];org/example/Search$Index.tokenize_[j] 10
java/lang/Thread.run_[0];org/example/Prices.lookup_[j];java/util/HashMap.get_[i] 25
start_thread;JavaThread::run;GCTaskThread::work_[k] 15
IN
"$BIN/flamegraph" --title "browser test" "$work/in.collapsed" >"$work/fg.svg" || exit 1
xmllint --noout "$work/fg.svg" || { echo "not ok: svg is not well-formed"; exit 1; }

# A real profile too, inlined in the same page (two graphs must not mix):
# searching "tokenize" must report the share of the samples whose stack
# holds it, computed here from the input.
real=testdata/catalog/before/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed
"$BIN/flamegraph" "$real" >"$work/real.svg" || exit 1
xmllint --noout "$work/real.svg" || { echo "not ok: real svg is not well-formed"; exit 1; }
want_real=$(awk '{ t += $NF; if ($0 ~ /tokenize/) m += $NF } END { printf "%.2f", 100 * m / t }' "$real")

# The test page: the SVGs inline, then a script using their API.
{
	echo '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
	sed 1d "$work/fg.svg"
	sed 1d "$work/real.svg"
	cat <<'JS'
<pre id="result"></pre>
<script>
(function () {
	var svg = document.querySelector("svg"), out = [];
	function w(g) { return g.getElementsByTagName("rect")[0].getAttribute("width"); }
	function put(k, v) { out.push(k + "=" + v); }
	put("api", typeof svg.fg);
	var pct = svg.fg.search("tokenize");
	put("search_return", pct.toFixed(2));
	put("matched_text", svg.querySelector(".fg-matched").textContent);
	var hi = 0;
	svg.querySelectorAll(".fg-frames rect").forEach(function (r) {
		if (r.getAttribute("fill") === "rgb(230,0,230)") hi++;
	});
	put("highlighted", hi);
	put("bad_regex", String(svg.fg.search("(")));
	svg.fg.resetSearch();
	var g = svg.fg.zoom("org/example/Prices.lookup");
	put("zoomed_width", w(g));
	put("zoomed_label", g.getElementsByTagName("text")[0].textContent);
	var hidden = svg.querySelectorAll(".fg-frames g.fg-hide").length;
	var parents = svg.querySelectorAll(".fg-frames g.fg-parent").length;
	put("hidden", hidden);
	put("parents", parents);
	var hm = null;
	svg.querySelectorAll(".fg-frames g").forEach(function (x) {
		if (x.getElementsByTagName("title")[0].textContent.indexOf("java/util/HashMap.get ") === 0) hm = x;
	});
	put("child_width", w(hm));
	put("reset_visible", svg.querySelector(".fg-unzoom").getAttribute("class"));
	svg.fg.unzoom();
	put("unzoomed_width", w(g));
	put("hidden_after", svg.querySelectorAll(".fg-frames g.fg-hide").length);
	// real events: hovering a frame fills the details line, clicking zooms
	var rect = hm.getElementsByTagName("rect")[0];
	rect.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
	put("details", svg.querySelector(".fg-details").textContent);
	rect.dispatchEvent(new MouseEvent("click", { bubbles: true }));
	put("clicked_width", w(hm));
	svg.querySelector(".fg-unzoom").dispatchEvent(new MouseEvent("click", { bubbles: true }));
	put("reset_width", w(hm));
	svg.fg.search("^org/example/");
	var real = document.querySelectorAll("svg")[1];
	put("real_search", real.fg.search("tokenize").toFixed(2));
	put("first_untouched", svg.querySelector(".fg-matched").textContent);
	document.getElementById("result").textContent = out.join("\n");
})();
</script></body></html>
JS
} >"$work/page.html"

run_chromium "file://$work/page.html" dump >"$work/dom.html"
result=$(sed -n '/<pre id="result">/,/<\/pre>/p' "$work/dom.html" | sed 's/<[^>]*>//g')
get() { printf '%s\n' "$result" | sed -n "s/^$1=//p"; }
check api object "$(get api)"
# tokenize: 50 under handle + 10 under lookup = 60 of 100
check search_return 60.00 "$(get search_return)"
check matched_text "Matched: 60.00%" "$(get matched_text)"
check highlighted 2 "$(get highlighted)"
check bad_regex NaN "$(get bad_regex)"
# zoom on Prices.lookup (35 samples): it takes the whole plot, 1180 px
check zoomed_width 1180.00 "$(get zoomed_width)"
check zoomed_label org/example/Prices.lookup "$(get zoomed_label)"
# all and Thread.run are its faded callers; handle's subtree and the
# native stack (start_thread, JavaThread::run, GCTaskThread::work) hidden
check parents 2 "$(get parents)"
check hidden 7 "$(get hidden)"
# HashMap.get: 25 of 35 samples of the zoomed frame -> 1180*25/35
check child_width 842.86 "$(get child_width)"
check reset_visible "fg-unzoom fg-btn" "$(get reset_visible)"
# back to 35 of 100 samples
check unzoomed_width 413.00 "$(get unzoomed_width)"
check hidden_after 0 "$(get hidden_after)"
check details "Function: java/util/HashMap.get (25 samples, 25.00%)" "$(get details)"
check clicked_width 1180.00 "$(get clicked_width)"
check reset_width 295.00 "$(get reset_width)"
check real_search "$want_real" "$(get real_search)"
# 85 of 100 samples are under org/example/ frames in the small graph
check first_untouched "Matched: 85.00%" "$(get first_untouched)"

# Screenshots: the page (search highlight on) and the standalone SVG.
run_chromium "file://$work/page.html" "$TOP/$art/search.png"
run_chromium "file://$work/fg.svg" "$TOP/$art/graph.png"
for p in search graph; do
	if [ -s "$art/$p.png" ]; then
		echo "ok: screenshot $art/$p.png"
	else
		echo "not ok: no screenshot $p"
		fail=1
	fi
done
exit $fail
