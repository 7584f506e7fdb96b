/*
 * heatmap.js - the page of `heatmap`: a sub-second heatmap (one column per
 * second, one row per bucket of the second, colour by weight) over a flame
 * graph of the selected cells.  Data comes from the JSON block #hm-data;
 * every name from it reaches the page through text nodes only.
 *
 * window.heatmap is the page's API (used by tests and the console):
 *   select(t0, t1)      cells starting in [t0, t1), epoch seconds
 *   selectCells(c0, c1) cells c0..c1 (index = column * rows + row)
 *   search(re), resetSearch(), zoom(name), unzoom(), frameTotal(name),
 *   columnTotals(), setMinWidth(px), selection()
 */
(function () {
"use strict";
var SVGNS = "http://www.w3.org/2000/svg";
var HIGHLIGHT = "rgb(230,0,230)";
var D = JSON.parse(document.getElementById("hm-data").textContent);
var rows = D.rows, cols = D.cols, ncell = rows * cols, bms = D.bucketMs;
var nn = D.nodes.length / 2, i;
var parent = new Int32Array(nn), frame = new Int32Array(nn);
var cellPos = new Int32Array(ncell), cellTot = new Float64Array(ncell), maxCell = 0;
function $(id) { return document.getElementById(id); }

for (i = 0; i < nn; i++) {
	parent[i] = D.nodes[2 * i];
	frame[i] = D.nodes[2 * i + 1];
}
cellPos.fill(-1);
for (i = 0; i < D.cells.length;) {
	var c = D.cells[i], k = D.cells[i + 1], s = 0;
	cellPos[c] = i;
	for (var j = 0; j < k; j++)
		s += D.cells[i + 3 + 2 * j];
	cellTot[c] = s;
	if (s > maxCell)
		maxCell = s;
	i += 2 + 2 * k;
}

/* Children of each node (and the roots), ordered by frame name. */
var kids = [], roots = [];
for (i = 0; i < nn; i++)
	kids.push([]);
for (i = 0; i < nn; i++)
	(parent[i] < 0 ? roots : kids[parent[i]]).push(i);
function byName(a, b) {
	var x = D.frames[frame[a]], y = D.frames[frame[b]];
	return x < y ? -1 : x > y ? 1 : 0;
}
roots.sort(byName);
kids.forEach(function (l) { l.sort(byName); });

/* async-profiler's annotations: removed from the name, used for colour. */
function kindOf(name) {
	var m = /_\[([ji01k])\]$/.exec(name);
	if (m)
		return { shown: name.slice(0, -4), k: m[1] };
	if (/^\[.* tid=/.test(name) && name.slice(-1) === "]")
		return { shown: name, k: "t" };
	return { shown: name, k: name.indexOf("/") >= 0 ? "j" : name.indexOf("::") >= 0 ? "c" : "n" };
}
var shown = D.frames.map(function (f) { return kindOf(f); });
function hash(s) {
	var h = 2166136261;
	for (var x = 0; x < s.length; x++)
		h = Math.imul(h ^ s.charCodeAt(x), 16777619) >>> 0;
	return (h & 0xffff) / 65536;
}
function colour(f) {
	if (f.node < 0)
		return "rgb(210,210,210)";
	var kd = shown[frame[f.node]], v = hash(kd.shown);
	function mix(r0, rr, g0, gr, b0, br) {
		return "rgb(" + (r0 + Math.floor(rr * v)) + "," + (g0 + Math.floor(gr * v)) + "," +
			(b0 + Math.floor(br * v)) + ")";
	}
	switch (kd.k) {
	case "j": return mix(50, 60, 200, 55, 50, 60);
	case "i": return mix(50, 60, 165, 55, 165, 55);
	case "0": return mix(150, 40, 215, 30, 120, 40);
	case "1": return mix(170, 40, 210, 30, 40, 30);
	case "k": return mix(190, 65, 90, 65, 0, 0);
	case "c": return mix(175, 55, 175, 55, 50, 20);
	case "t": return mix(160, 40, 170, 40, 200, 40);
	}
	return mix(200, 55, 50, 80, 50, 80);
}

/* ---- the heatmap ---- */
var canvas = $("hm-canvas"), ctx = canvas.getContext("2d");
var cw = Math.max(1, Math.min(12, Math.floor(1180 / Math.max(cols, 1))));
var rh = Math.max(2, Math.min(10, Math.floor(400 / rows)));
var TOP = 12, AXIS = 18;
var mapW = cols * cw, mapH = rows * rh;
canvas.width = Math.max(mapW, 200);
canvas.height = TOP + mapH + AXIS;
var base = document.createElement("canvas");
base.width = canvas.width;
base.height = canvas.height;

function cellColour(v) {
	if (!(v > 0))
		return "rgb(255,255,255)";
	var t = maxCell > 0 ? v / maxCell : 0;
	return "rgb(" + Math.round(255 - 75 * t) + "," + Math.round(235 * (1 - t)) + "," +
		Math.round(200 * (1 - t)) + ")";
}
function fmtTime(ms) {
	return (ms / 1000).toFixed(3).replace(/\.?0+$/, "");
}
function drawBase() {
	var b = base.getContext("2d"), col, row, step;
	b.fillStyle = "rgb(255,255,255)";
	b.fillRect(0, 0, base.width, base.height);
	for (col = 0; col < cols; col++)
		for (row = 0; row < rows; row++) {
			var v = cellTot[col * rows + row];
			if (v > 0) {
				b.fillStyle = cellColour(v);
				b.fillRect(col * cw, TOP + row * rh, cw, rh);
			}
		}
	b.fillStyle = "rgba(32,80,192,0.8)";
	D.windows.forEach(function (w) {
		var x0 = (w[1] - D.start) * cw, x1 = (w[2] - D.start) * cw;
		x0 = Math.max(0, x0);
		x1 = Math.min(mapW, Math.max(x1, x0 + 1));
		if (x1 > 0 && x0 < mapW)
			b.fillRect(x0, 2, x1 - x0, TOP - 4);
	});
	b.strokeStyle = "rgb(160,160,160)";
	b.strokeRect(0.5, TOP + 0.5, Math.max(mapW - 1, 0), mapH - 1);
	b.fillStyle = "rgb(0,0,0)";
	b.font = "10px Verdana, sans-serif";
	step = 1;
	while (step * cw < 40)
		step = step < 5 ? 5 : step < 10 ? 10 : step * 2;
	for (col = 0; col < cols; col += step)
		b.fillText("+" + col + "s", col * cw + 1, TOP + mapH + 12);
}
var sel = [0, ncell - 1], drag = null;
function drawSel(c0, c1) {
	ctx.drawImage(base, 0, 0);
	if (c1 < c0 || (c0 === 0 && c1 === ncell - 1))
		return; /* everything selected: the map as it is */
	ctx.fillStyle = "rgba(0,100,255,0.25)";
	for (var col = Math.floor(c0 / rows); col <= Math.floor(c1 / rows); col++) {
		var r0 = col === Math.floor(c0 / rows) ? c0 % rows : 0;
		var r1 = col === Math.floor(c1 / rows) ? c1 % rows : rows - 1;
		ctx.fillRect(col * cw, TOP + r0 * rh, cw, (r1 - r0 + 1) * rh);
	}
}
function cellAt(e) {
	var r = canvas.getBoundingClientRect();
	var x = e.clientX - r.left, y = e.clientY - r.top - TOP;
	var col = Math.min(cols - 1, Math.max(0, Math.floor(x / cw)));
	var row = Math.min(rows - 1, Math.max(0, Math.floor(y / rh)));
	return col * rows + row;
}
function cellStart(c) {
	return D.start * 1000 + Math.floor(c / rows) * 1000 + (c % rows) * bms;
}
canvas.addEventListener("mousedown", function (e) {
	if (!ncell)
		return;
	drag = cellAt(e);
	drawSel(drag, drag);
	e.preventDefault();
});
canvas.addEventListener("mousemove", function (e) {
	if (!ncell)
		return;
	var c = cellAt(e);
	$("hm-cell").textContent = "+" + fmtTime(cellStart(c) - D.start * 1000) + " s (" +
		fmtTime(cellStart(c)) + "): " + cellTot[c] + " " + D.countname;
	if (drag !== null)
		drawSel(Math.min(drag, c), Math.max(drag, c));
});
window.addEventListener("mouseup", function (e) {
	if (drag === null)
		return;
	var c = cellAt(e), a = Math.min(drag, c), b = Math.max(drag, c);
	drag = null;
	selectCells(a, b);
});

/* ---- the flame graph of the selection ---- */
var W = 1200, X0 = 10, PLOT = W - 2 * X0, FH = 16, GLYPH = 12 * 0.59, minWidth = 0.1;
var layout = [], total = 0, zoomed = null, searchRe = null, drawn = [];

function computeLayout(c0, c1) {
	var val = new Float64Array(nn), c, n;
	for (c = c0; c <= c1; c++) {
		var p = cellPos[c];
		if (p < 0)
			continue;
		for (var j = 0, k = D.cells[p + 1]; j < k; j++)
			val[D.cells[p + 2 + 2 * j]] += D.cells[p + 3 + 2 * j];
	}
	for (n = nn - 1; n >= 0; n--)
		if (parent[n] >= 0)
			val[parent[n]] += val[n];
	total = 0;
	roots.forEach(function (r) { total += val[r]; });
	layout = [{ node: -1, name: "all", depth: 0, o: 0, s: total }];
	var stack = [{ list: roots, i: 0, o: 0, d: 1 }];
	while (stack.length) {
		var top = stack[stack.length - 1];
		if (top.i >= top.list.length) {
			stack.pop();
			continue;
		}
		n = top.list[top.i++];
		if (!(val[n] > 0))
			continue;
		layout.push({ node: n, name: shown[frame[n]].shown, depth: top.d, o: top.o, s: val[n] });
		if (kids[n].length)
			stack.push({ list: kids[n], i: 0, o: top.o, d: top.d + 1 });
		top.o += val[n];
	}
}

function tip(f) {
	var pct = total > 0 ? 100 * f.s / total : 0;
	return f.name + " (" + f.s + " " + D.countname + ", " + pct.toFixed(2) + "%)";
}
function label(f, w) {
	var n = Math.floor((w - 3) / GLYPH), cp = Array.from(f.name);
	if (w < 3 * GLYPH || n < 3)
		return "";
	return cp.length <= n ? f.name : cp.slice(0, n - 2).join("") + "..";
}
function el(name, attrs) {
	var e = document.createElementNS(SVGNS, name);
	for (var a in attrs)
		e.setAttribute(a, attrs[a]);
	return e;
}
function draw() {
	var maxDepth = 0, box = $("hm-flame");
	layout.forEach(function (f) { if (f.depth > maxDepth) maxDepth = f.depth; });
	var H = (maxDepth + 1) * FH + 10;
	var svg = el("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H });
	var z = zoomed || layout[0], scale = z.s > 0 ? PLOT / z.s : 0, end = z.o + z.s;
	drawn = [];
	layout.forEach(function (f, idx) {
		var x, w, cls = "";
		if (f === z || (f.depth < z.depth && f.o <= z.o && f.o + f.s >= end)) {
			x = X0;
			w = PLOT;
			cls = f === z ? "" : "hm-parent";
		} else if (f.depth > z.depth && f.o >= z.o && f.o + f.s <= end) {
			x = X0 + (f.o - z.o) * scale;
			w = f.s * scale;
		} else {
			return;
		}
		if (w < minWidth)
			return;
		var y = H - 5 - (f.depth + 1) * FH;
		var g = el("g", { "data-n": idx, "data-o": f.o, "data-s": f.s, "class": cls });
		var t = el("title", {});
		t.textContent = tip(f);
		g.appendChild(t);
		var r = el("rect", { x: x.toFixed(2), y: y, width: w.toFixed(2), height: FH - 1,
			fill: colour(f), rx: 2, ry: 2 });
		g.appendChild(r);
		var text = label(f, w);
		if (text) {
			var tx = el("text", { x: (x + 3).toFixed(2), y: (y + FH / 2 + 3.7).toFixed(2) });
			tx.textContent = text;
			g.appendChild(tx);
		}
		f.rect = r;
		drawn.push(f);
		svg.appendChild(g);
	});
	if (!(total > 0)) {
		var none = el("text", { x: W / 2, y: FH, "text-anchor": "middle" });
		none.textContent = "no samples";
		svg.appendChild(none);
	}
	box.textContent = "";
	box.appendChild(svg);
	$("hm-unzoom").disabled = !zoomed;
	if (searchRe)
		search(searchRe);
}

function selectCells(c0, c1) {
	c0 = Math.max(0, Math.floor(c0));
	c1 = Math.min(ncell - 1, Math.floor(c1));
	sel = [c0, c1];
	zoomed = null;
	computeLayout(c0, c1);
	draw();
	drawSel(c0, c1);
	if (c1 >= c0) {
		var a = cellStart(c0), b = cellStart(c1) + bms, s = D.start * 1000;
		$("hm-sel").textContent = "Selected +" + fmtTime(a - s) + " s to +" + fmtTime(b - s) +
			" s (" + fmtTime(a) + " to " + fmtTime(b) + "): " + total + " " + D.countname;
	} else {
		$("hm-sel").textContent = "Selected nothing";
	}
	return total;
}
function select(t0, t1) {
	var s = D.start * 1000;
	var c0 = Math.ceil((Math.round(t0 * 1000) - s) / bms);
	var c1 = Math.ceil((Math.round(t1 * 1000) - s) / bms) - 1;
	return selectCells(c0, c1);
}

function outermost(hits) {
	hits.sort(function (a, b) { return a.o - b.o || b.s - a.s; });
	var sum = 0, end = -1;
	hits.forEach(function (f) {
		if (f.o >= end) {
			sum += f.s;
			end = f.o + f.s;
		}
	});
	return sum;
}
function resetSearch() {
	drawn.forEach(function (f) { f.rect.setAttribute("fill", colour(f)); });
	$("hm-matched").textContent = "\u00a0";
	searchRe = null;
}
function search(re) {
	var rx;
	try {
		rx = re instanceof RegExp ? re : new RegExp(String(re));
	} catch (e) {
		resetSearch();
		$("hm-matched").textContent = "Invalid regex";
		return NaN;
	}
	resetSearch();
	searchRe = rx;
	var hits = layout.filter(function (f) {
		rx.lastIndex = 0;
		return rx.test(f.name);
	});
	drawn.forEach(function (f) {
		rx.lastIndex = 0;
		if (rx.test(f.name))
			f.rect.setAttribute("fill", HIGHLIGHT);
	});
	var pct = total > 0 ? 100 * outermost(hits) / total : 0;
	$("hm-matched").textContent = "Matched: " + pct.toFixed(2) + "%";
	return pct;
}
function frameTotal(name) {
	return outermost(layout.filter(function (f) { return f.name === name; }));
}
function zoom(x) {
	var z = null;
	if (typeof x === "number")
		z = layout[x] || null;
	else
		layout.forEach(function (f) { if (f.name === x && (!z || f.s > z.s)) z = f; });
	if (!z || !(z.s > 0))
		return null;
	zoomed = z;
	draw();
	return z;
}
function unzoom() {
	zoomed = null;
	draw();
}

var flame = $("hm-flame");
flame.addEventListener("click", function (e) {
	for (var t = e.target; t && t !== flame; t = t.parentNode)
		if (t.getAttribute && t.getAttribute("data-n") !== null) {
			zoom(Number(t.getAttribute("data-n")));
			return;
		}
});
flame.addEventListener("mouseover", function (e) {
	for (var t = e.target; t && t !== flame; t = t.parentNode)
		if (t.getAttribute && t.getAttribute("data-n") !== null) {
			$("hm-details").textContent = "Function: " + tip(layout[Number(t.getAttribute("data-n"))]);
			return;
		}
});
$("hm-all").addEventListener("click", function () { selectCells(0, ncell - 1); });
$("hm-unzoom").addEventListener("click", unzoom);
$("hm-clear").addEventListener("click", resetSearch);
function ask() {
	var term = window.prompt("Search frames (regular expression):", "");
	if (term)
		search(term);
}
$("hm-search").addEventListener("click", ask);
window.addEventListener("keydown", function (e) {
	if (e.key === "F3" || ((e.ctrlKey || e.metaKey) && e.key === "f")) {
		e.preventDefault();
		ask();
	} else if (e.key === "Escape") {
		resetSearch();
	}
});

var wl = $("hm-windows");
D.windows.forEach(function (w) {
	var li = document.createElement("li");
	li.textContent = "window " + w[0] + ": +" + fmtTime(w[1] * 1000 - D.start * 1000) + " s to +" +
		fmtTime(w[2] * 1000 - D.start * 1000) + " s";
	li.style.cursor = "pointer";
	li.addEventListener("click", function () { select(w[1], w[2]); });
	wl.appendChild(li);
});
$("hm-info").textContent = cols ? D.events + " events, " + D.total + " " + D.countname +
	" from " + fmtTime(D.start * 1000) + " over " + cols + " s; columns are seconds, rows " +
	bms + " ms buckets. Drag over the map to draw the flame graph of a range." :
	"no samples in the input";
drawBase();
selectCells(0, ncell - 1);

window.heatmap = {
	select: select, selectCells: selectCells, search: search, resetSearch: resetSearch,
	zoom: zoom, unzoom: unzoom, frameTotal: frameTotal,
	columnTotals: function () {
		var out = [];
		for (var col = 0; col < cols; col++) {
			var s = 0;
			for (var row = 0; row < rows; row++)
				s += cellTot[col * rows + row];
			out.push(s);
		}
		return out;
	},
	setMinWidth: function (px) { minWidth = px; draw(); },
	selection: function () { return { c0: sel[0], c1: sel[1], total: total, drawn: drawn.length }; }
};
})();
