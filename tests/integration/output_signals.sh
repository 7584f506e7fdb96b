#!/usr/bin/env bash
# output_signals.sh - a tool stopped by SIGINT, SIGTERM or SIGHUP while it
# writes -o FILE leaves neither FILE nor its temporary file, and dies of
# that signal.  jtlslice streams: it reads from a FIFO we hold open, so the
# temporary file surely exists when the signal comes.  stacks is stopped
# while writing a large output (best effort: if it finishes first, the
# complete file is the only thing allowed to be there).  A background job
# of a script starts with SIGINT ignored, which the tools respect (as
# under nohup), so env gives them the default action back.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-build/release/bin}
case $BIN in /*) ;; *) BIN=$TOP/$BIN ;; esac
cd "$TOP/testdata" || exit 2
for prog in mkfifo awk; do
	if ! command -v "$prog" >/dev/null 2>&1; then
		echo "SKIP output_signals: $prog not installed"
		exit 77
	fi
done
T=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null; fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
export LC_ALL=C TZ=UTC
fails=0
report() { # NAME OK
	if [ "$2" = 1 ]; then echo "PASS output_signals/$1"; else
		echo "FAIL output_signals/$1"; fails=$((fails + 1)); fi
}

# wait up to 10 s for a file matching the glob $1
wait_for() {
	local i
	for ((i = 0; i < 1000; i++)); do
		compgen -G "$1" >/dev/null && return 0
		sleep 0.01
	done
	return 1
}

for sig in INT TERM HUP; do
	rm -rf "$T/d" && mkdir "$T/d" && mkfifo "$T/in"
	# read-write: opening never blocks, whatever jtlslice does
	exec 3<>"$T/in"
	env --default-signal=INT,TERM,HUP "$BIN/jtlslice" -o "$T/d/s.jtl" "$T/in" 2>"$T/err" &
	pid=$!
	head -n 3 jtlslice/v5_6_quoted.jtl >&3
	ok=0
	if wait_for "$T/d/s.jtl.tmp.*"; then
		kill -s "$sig" "$pid"
		wait "$pid"
		rc=$?
		[ "$rc" -eq $((128 + $(kill -l "$sig"))) ] && [ -z "$(ls -A "$T/d")" ] && ok=1
	fi
	exec 3>&-
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
	rm -f "$T/in"
	report "jtlslice_$sig" "$ok"
done

# about 60 MB of distinct stacks
awk 'BEGIN { for (i = 0; i < 600000; i++)
	printf "java/lang/Thread.run;org/example/Worker.run;org/example/Handler%d.handle;org/example/Deep.call%d %d\n", i, i % 97, i % 13 + 1 }' \
	>"$T/big.collapsed"
for sig in INT TERM; do
	rm -rf "$T/d" && mkdir "$T/d"
	env --default-signal=INT,TERM "$BIN/stacks" -o "$T/d/big.collapsed" "$T/big.collapsed" 2>"$T/err" &
	pid=$!
	wait_for "$T/d/big.collapsed*"
	kill -s "$sig" "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	pid=
	left=$(ls -A "$T/d")
	ok=0
	if [ "$rc" -eq $((128 + $(kill -l "$sig"))) ] && [ -z "$left" ]; then ok=1; fi
	if [ "$rc" -eq 0 ] && [ "$left" = big.collapsed ]; then ok=1; fi
	report "stacks_$sig (exit $rc)" "$ok"
done
[ "$fails" -eq 0 ]
