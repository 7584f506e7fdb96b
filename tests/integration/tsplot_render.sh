#!/usr/bin/env bash
# tsplot_render.sh - tsplot through the real gnuplot: a valid SVG (xmllint)
# holding every series and the shaded windows, the same bytes twice, the
# same chart from --dry-run's script, a PNG of the asked size (read from
# its IHDR header), the format taken from the .png suffix, no output file
# left behind when gnuplot fails, hostile titles and series names drawn as
# text (never run), and exit 2 with no file on a full disk (a 16 KiB tmpfs
# when it can be mounted), on /dev/full and on a closed standard output.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-build/release/bin}
case $BIN in /*) ;; *) BIN=$TOP/$BIN ;; esac
cd "$TOP/testdata" || exit 2
for prog in gnuplot xmllint od cmp; do
	if ! command -v "$prog" >/dev/null 2>&1; then
		echo "SKIP tsplot_render: $prog not installed"
		exit 77
	fi
done
if ! gnuplot -e 'set terminal' 2>&1 | grep -q pngcairo; then
	echo "SKIP tsplot_render: gnuplot has no pngcairo terminal"
	exit 77
fi
T=$(mktemp -d)
cleanup() {
	if [ -n "${mounted:-}" ]; then umount "$T/full"; fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
export LC_ALL=C TZ=UTC
fails=0
check() { # NAME COMMAND...
	local name=$1
	shift
	if "$@" >"$T/out" 2>&1; then
		echo "PASS tsplot_render/$name"
	else
		echo "FAIL tsplot_render/$name"
		sed 's/^/  /' "$T/out" | head -20
		fails=$((fails + 1))
	fi
}

# IHDR of a PNG: bytes 16-23 are the width and height, big-endian.
png_size() {
	od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d\n",
		(($1 * 256 + $2) * 256 + $3) * 256 + $4,
		(($5 * 256 + $6) * 256 + $7) * 256 + $8 }'
}
png_magic() {
	[ "$(od -An -tx1 -N8 "$1" | tr -d ' \n')" = 89504e470d0a1a0a ]
}

"$BIN/spikes" --baseline 1795920587,1795920599 --min-duration 4 \
	spikes/before_cpu.tsv >"$T/w" || exit 1

svg_ok() {
	"$BIN/tsplot" -W "$T/w" -t 'catalog CPU' --ylabel cores -o "$T/a.svg" \
		spikes/before_cpu.tsv &&
		xmllint --noout "$T/a.svg" &&
		grep -q 'pod=catalog-5d8b9c-g5h6i' "$T/a.svg" &&
		grep -q 'pod=catalog-5d8b9c-a1b2c' "$T/a.svg" &&
		grep -q 'catalog CPU' "$T/a.svg" &&
		grep -q 'time (UTC)' "$T/a.svg" &&
		[ "$(grep -c 'rgb(244, 177, 131)' "$T/a.svg")" -ge 2 ]
}
check svg_valid svg_ok

svg_same() {
	"$BIN/tsplot" -W "$T/w" -t 'catalog CPU' --ylabel cores \
		spikes/before_cpu.tsv >"$T/b.svg" && cmp "$T/a.svg" "$T/b.svg"
}
check svg_deterministic svg_same

dry_run_same() {
	"$BIN/tsplot" --dry-run -W "$T/w" -t 'catalog CPU' --ylabel cores \
		-o "$T/c.gp" spikes/before_cpu.tsv &&
		gnuplot "$T/c.gp" >"$T/c.svg" && cmp "$T/a.svg" "$T/c.svg"
}
check dry_run_renders_the_same dry_run_same

png_ok() {
	"$BIN/tsplot" -W "$T/w" --logscale --tz +02:00 --size 640x360 \
		-o "$T/a.png" spikes/before_cpu.tsv &&
		png_magic "$T/a.png" && [ "$(png_size "$T/a.png")" = 640x360 ]
}
check png_size png_ok

png_forced() {
	GNUPLOT=gnuplot "$BIN/tsplot" -f png -q p99 spikes/before_p99_cpu.tsv \
		>"$T/b.png" && png_magic "$T/b.png" && [ "$(png_size "$T/b.png")" = 900x500 ]
}
check png_format_option png_forced

gnuplot_fails() {
	printf '#!/bin/sh\necho partial\nexit 3\n' >"$T/bad-gnuplot"
	chmod +x "$T/bad-gnuplot"
	"$BIN/tsplot" --gnuplot "$T/bad-gnuplot" -o "$T/d.svg" spikes/before_cpu.tsv 2>"$T/err"
	[ $? -eq 2 ] && [ ! -e "$T/d.svg" ] &&
		grep -q "failed with exit status 3" "$T/err" &&
		[ -z "$(ls "$T" | grep 'd\.svg')" ]
}
check gnuplot_failure_leaves_no_file gnuplot_fails

hostile_text() {
	local title="'quoted' \`touch $T/PWNED1\` @a \$s0 \\ \"1"
	"$BIN/tsplot" -t "$title" --ylabel "'" -o "$T/h.svg" tsplot/hostile.tsv &&
		xmllint --noout "$T/h.svg" && [ ! -e "$T/PWNED1" ] &&
		grep -qF "$title" "$T/h.svg" &&
		grep -qF "pod='\`id\`@a\$s0\"7\\x" "$T/h.svg"
}
check hostile_title_and_series_are_text hostile_text

# far more than 16 KiB of SVG
full_disk() {
	mkdir "$T/full" && mount -t tmpfs -o size=16k tmpfs "$T/full" || return 0
	mounted=1
	"$BIN/tsplot" -o "$T/full/e.svg" spikes/before_cpu.tsv 2>"$T/err"
	[ $? -eq 2 ] && [ -z "$(ls -A "$T/full")" ] &&
		grep -q "No space left on device\|is the disk full" "$T/err"
}
check full_disk_is_an_error full_disk

dev_full() {
	"$BIN/tsplot" spikes/before_cpu.tsv >/dev/full 2>"$T/err"
	[ $? -eq 2 ] && grep -q "No space left on device" "$T/err"
}
check dev_full_is_an_error dev_full

stdout_closed() {
	"$BIN/tsplot" spikes/before_cpu.tsv >&- 2>"$T/err"
	[ $? -eq 2 ] && grep -q "Bad file descriptor" "$T/err"
}
check closed_stdout_is_an_error stdout_closed

[ "$fails" -eq 0 ]
