(function () {
"use strict";
var svg = (document.currentScript && document.currentScript.ownerSVGElement) ||
	document.documentElement;
function el(c) { return svg.querySelector("." + c); }
function num(e, a) { return Number(e.getAttribute(a)); }
var box = el("fg-frames"), details = el("fg-details"), matched = el("fg-matched");
var resetBtn = el("fg-unzoom"), searchBtn = el("fg-search");
var total = num(box, "data-total"), x0 = num(box, "data-x0");
var plot = num(box, "data-plot"), glyph = num(box, "data-glyph");
var inverted = box.getAttribute("data-inverted") === "1";
var nametype = details.getAttribute("data-nametype");
var frames = [], current = null, searching = false;
var gs = box.getElementsByTagName("g");
for (var i = 0; i < gs.length; i++) {
	var g = gs[i], tip = g.getElementsByTagName("title")[0].textContent;
	var r = g.getElementsByTagName("rect")[0];
	g.fgIndex = i;
	frames.push({ g: g, rect: r, text: g.getElementsByTagName("text")[0] || null,
		tip: tip, name: tip.slice(0, tip.lastIndexOf(" (")),
		o: num(g, "data-o"), s: num(g, "data-s"), y: num(r, "y"),
		fill: r.getAttribute("fill") });
}
function label(f, x, w) {
	var n = Math.floor((w - 3) / glyph), cp = Array.from(f.name), s = "";
	if (w >= 3 * glyph && n >= 3)
		s = cp.length <= n ? f.name : cp.slice(0, n - 2).join("") + "..";
	if (!f.text) {
		if (!s)
			return;
		f.text = document.createElementNS("http://www.w3.org/2000/svg", "text");
		f.text.setAttribute("y", (f.y + (num(f.rect, "height") + 1) / 2 +
			num(svg, "font-size") * 0.35 - 0.5).toFixed(2));
		f.g.appendChild(f.text);
	}
	f.text.setAttribute("x", (x + 3).toFixed(2));
	f.text.textContent = s;
}
function place(f, x, w) {
	f.rect.setAttribute("x", x.toFixed(2));
	f.rect.setAttribute("width", w.toFixed(2));
	label(f, x, w);
}
function shallower(a, b) { return inverted ? a.y < b.y : a.y > b.y; }
function find(x) {
	if (x && x.fgIndex !== undefined && frames[x.fgIndex].g === x)
		return frames[x.fgIndex];
	var best = null;
	frames.forEach(function (f) {
		if (f.name === x && (!best || f.s > best.s))
			best = f;
	});
	return best;
}
function zoom(x) {
	var z = find(x);
	if (!z || !(z.s > 0))
		return null;
	var scale = plot / z.s, end = z.o + z.s;
	frames.forEach(function (f) {
		var cls = "fg-hide";
		if (f === z || (shallower(f, z) && f.o <= z.o && f.o + f.s >= end)) {
			place(f, x0, plot);
			cls = f === z ? "" : "fg-parent";
		} else if (shallower(z, f) && f.o >= z.o && f.o + f.s <= end) {
			place(f, x0 + (f.o - z.o) * scale, f.s * scale);
			cls = "";
		}
		f.g.setAttribute("class", cls);
	});
	current = z;
	resetBtn.setAttribute("class", "fg-unzoom fg-btn");
	return z.g;
}
function unzoom() {
	var scale = total > 0 ? plot / total : 0;
	frames.forEach(function (f) {
		place(f, x0 + f.o * scale, f.s * scale);
		f.g.setAttribute("class", "");
	});
	current = null;
	resetBtn.setAttribute("class", "fg-unzoom fg-btn fg-off");
}
function resetSearch() {
	frames.forEach(function (f) { f.rect.setAttribute("fill", f.fill); });
	matched.textContent = " ";
	searching = false;
}
function search(re) {
	var rx;
	try {
		rx = re instanceof RegExp ? re : new RegExp(String(re));
	} catch (e) {
		resetSearch();
		matched.textContent = "Invalid regex";
		return NaN;
	}
	resetSearch();
	var hits = frames.filter(function (f) {
		rx.lastIndex = 0;
		return rx.test(f.name);
	});
	hits.forEach(function (f) { f.rect.setAttribute("fill", "rgb(230,0,230)"); });
	hits.sort(function (a, b) { return a.o - b.o || b.s - a.s; });
	var sum = 0, end = -1;
	hits.forEach(function (f) {
		if (f.o >= end) {
			sum += f.s;
			end = f.o + f.s;
		}
	});
	var pct = total > 0 ? 100 * sum / total : 0;
	matched.textContent = "Matched: " + pct.toFixed(2) + "%";
	searching = true;
	return pct;
}
function ask() {
	var term = window.prompt("Search frames (regular expression):", "");
	if (term)
		search(term);
}
function frameOf(e) {
	for (; e && e !== svg; e = e.parentNode)
		if (e.parentNode === box)
			return frames[e.fgIndex];
	return null;
}
svg.addEventListener("mouseover", function (e) {
	var f = frameOf(e.target);
	if (f)
		details.textContent = nametype + " " + f.tip;
});
svg.addEventListener("mouseout", function (e) {
	if (frameOf(e.target))
		details.textContent = " ";
});
svg.addEventListener("click", function (e) {
	var f = frameOf(e.target);
	if (f)
		zoom(f.g);
	else if (e.target === resetBtn)
		unzoom();
	else if (e.target === searchBtn)
		searching ? resetSearch() : ask();
});
window.addEventListener("keydown", function (e) {
	if (e.key === "F3" || ((e.ctrlKey || e.metaKey) && e.key === "f")) {
		e.preventDefault();
		ask();
	} else if (e.key === "Escape") {
		resetSearch();
	}
});
svg.fg = { search: search, resetSearch: resetSearch, zoom: zoom, unzoom: unzoom,
	zoomed: function () { return current ? current.g : null; } };
})();
