#!/usr/bin/env bash
# stacks --from jfr against an independent computation from the JDK's own
# `jfr print --json` (tests/integration/jfr_oracle.py), exactly, per event
# class (cpu, wall, alloc, lock, wait) in samples and totals, for whole files
# and for a time window, on:
#   - a recording started with java -XX:StartFlightRecording (small chunks),
#   - a recording started through jcmd JFR.start and one through jattach,
#   - those recordings concatenated (multi-chunk input; the oracle reads
#     each alone: the JDK's parser mixes up concatenated recordings' pools),
#   - the async-profiler recording of the samples (testdata/jfr).
# A small Java program burns CPU with regular expressions, allocates,
# contends on a monitor, parks, sleeps and reads a socket.  Skips where a
# JDK (java, javac, jcmd, jfr), jattach or python3 is missing.
set -u
BIN=${BIN:-build/release/bin}
TOP=${TOP:-.}
for c in java javac jcmd jfr jattach python3 timeout; do
	command -v "$c" >/dev/null 2>&1 || { echo "skip: $c is not installed"; exit 77; }
done
work=$(mktemp -d)
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
oracle=$TOP/tests/integration/jfr_oracle.py

mkdir -p "$work/src/org/example" "$work/classes"
cp "$TOP/testdata/jfr/Load.java" "$work/src/org/example/Load.java"
javac -d "$work/classes" "$work/src/org/example/Load.java" || fail "javac"

# 1. -XX:StartFlightRecording, chunks of at most 1 MB.
timeout 60 java -XX:FlightRecorderOptions:maxchunksize=1M \
	-XX:StartFlightRecording=settings=profile,filename="$work/start.jfr" \
	-cp "$work/classes" org.example.Load 6 >/dev/null 2>&1 || fail "java with StartFlightRecording"
[ -s "$work/start.jfr" ] || fail "no recording from StartFlightRecording"

# 2. and 3. JFR.start through jcmd, then through jattach, on running JVMs.
attach_record() { # TOOL NAME
	java -cp "$work/classes" org.example.Load 40 >/dev/null 2>&1 &
	local pid=$!
	pids="$pids $pid"
	local i=0
	while [ $i -lt 50 ] && ! jcmd "$pid" VM.version >/dev/null 2>&1; do sleep 0.1; i=$((i + 1)); done
	if [ "$1" = jcmd ]; then
		jcmd "$pid" JFR.start name=t settings=profile >/dev/null || fail "jcmd JFR.start"
		sleep 4
		jcmd "$pid" JFR.stop name=t filename="$work/$2.jfr" >/dev/null || fail "jcmd JFR.stop"
	else
		jattach "$pid" jcmd "JFR.start name=t settings=profile" >/dev/null || fail "jattach JFR.start"
		sleep 4
		jattach "$pid" jcmd "JFR.stop name=t filename=$work/$2.jfr" >/dev/null || fail "jattach JFR.stop"
	fi
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ -s "$work/$2.jfr" ] || fail "no recording through $1"
}
attach_record jcmd jcmd
attach_record jattach jattach
cat "$work/start.jfr" "$work/jcmd.jfr" "$work/jattach.jfr" >"$work/concat.jfr"
cp "$TOP/testdata/jfr/catalog-before-g5h6i.jfr.gz" "$work/ap.jfr.gz"
gzip -dc "$work/ap.jfr.gz" >"$work/ap.jfr"

chunks=$(jfr summary "$work/concat.jfr" | awk '/Chunks:/ { print $2 }')
[ "${chunks:-0}" -ge 3 ] || fail "concatenated recording has ${chunks:-0} chunks, expected >= 3"

checks=0
for rec in start jcmd jattach concat ap; do
	f=$work/$rec.jfr
	json=$work/$rec.json
	if [ $rec = concat ]; then
		json=$work/start.json,$work/jcmd.json,$work/jattach.json
	else
		jfr print --json --stack-depth 4096 "$f" >"$json" || fail "jfr print $rec"
	fi
	# A window over the middle third, from the cpu samples' first and last.
	win=$("$BIN/stacks" --list "$f" 2>/dev/null | awk -F'\t' '
		$1 == "jdk.ExecutionSample" { a = $3; b = $4;
			s = a + (b - a) / 3; e = a + 2 * (b - a) / 3;
			printf "%.3f,%.3f\n", s, e }')
	[ -n "$win" ] || fail "$rec: no jdk.ExecutionSample listed"
	ns=$(echo "$win" | awk -F, '{ printf "%.0f,%.0f\n", $1 * 1000, $2 * 1000 }' |
		awk -F, '{ print $1 "000000," $2 "000000" }')
	mkdir -p "$work/o-$rec"
	python3 "$oracle" "$json" "$work/o-$rec" "$ns" || fail "oracle $rec"
	for cls in cpu wall alloc lock wait; do
		for mode in samples total; do
			for w in whole window; do
				if [ $w = whole ]; then wopt=; else wopt="--window $win"; fi
				# shellcheck disable=SC2086
				"$BIN/stacks" --event $cls --$mode -t -a $wopt "$f" 2>/dev/null |
					LC_ALL=C sort >"$work/got"
				LC_ALL=C sort "$work/o-$rec/$cls.$mode.$w" >"$work/want"
				if ! cmp -s "$work/want" "$work/got"; then
					diff "$work/want" "$work/got" | head -n 6 | cut -c 1-300
					fail "$rec $cls $mode $w: stacks differ from jfr print"
				fi
				checks=$((checks + 1))
				echo "ok $rec $cls $mode $w ($(wc -l <"$work/want") stacks)"
			done
		done
	done
	# The per-event samples TSV: same rows (times rounded to ms), any order.
	LC_ALL=C sort "$work/o-$rec/cpu.rows" >"$work/want"
	"$BIN/stacks" --format samples -t "$f" 2>/dev/null | tail -n +2 | LC_ALL=C sort >"$work/got"
	cmp -s "$work/want" "$work/got" || { diff "$work/want" "$work/got" | head -n 4; fail "$rec: samples TSV differs"; }
	checks=$((checks + 1))
	echo "ok $rec samples TSV ($(wc -l <"$work/want") rows)"
done

# A recording cut short (as by a JVM killed mid-write): the complete
# chunks are read, the rest reported, exit 1.
size=$(stat -c %s "$work/concat.jfr")
head -c $((size - 3000)) "$work/concat.jfr" >"$work/cut.jfr"
"$BIN/stacks" -o "$work/cut.out" "$work/cut.jfr" 2>"$work/cut.err"
rc=$?
[ $rc = 1 ] || fail "truncated recording: exit $rc, expected 1"
grep -q 'truncated chunk' "$work/cut.err" || fail "truncated recording: $(cat "$work/cut.err")"
n=$(jfr summary "$work/jattach.jfr" | awk '/Chunks:/ { print $2 }')
if [ "$n" = 1 ]; then
	cat "$work/start.jfr" "$work/jcmd.jfr" | "$BIN/stacks" >"$work/cut.want" 2>/dev/null
	cmp -s "$work/cut.want" "$work/cut.out" || fail "truncated recording: complete chunks not all read"
fi
echo "ok truncated recording: $(tail -n 1 "$work/cut.err" | cut -c 1-120)"

# The JDK recordings hold what the program did.
for cls in cpu alloc lock wait; do
	"$BIN/stacks" --event $cls "$work/start.jfr" 2>/dev/null | grep -q 'org/example/Load' ||
		fail "start.jfr: no org/example/Load frame in $cls"
done
"$BIN/stacks" --event jdk.SocketRead "$work/jcmd.jfr" 2>/dev/null | grep -q 'java/net/Socket' ||
	fail "jcmd.jfr: no socket read stack"
echo "$checks oracle comparisons passed"
