#!/usr/bin/env bash
# stacks on live perf script output: a small Java program (two pool threads,
# one in a recursive method, one calling a helper with a lambda) runs with
# -XX:+PreserveFramePointer; perf record -e cpu-clock -g samples it for 3 s,
# jcmd Compiler.perfmap writes the JIT perf map, and `perf script | stacks`
# must name the Java methods as async-profiler does (org/example/Hot.fib),
# give thread frames, keep every sample, and --top must rank the program's
# hot methods.  Skips where perf or a JDK is missing or perf_events are not
# permitted.
set -u
BIN=${BIN:-build/release/bin}
TOP=${TOP:-.}
for c in perf java javac jcmd timeout; do
	command -v "$c" >/dev/null 2>&1 || { echo "skip: $c is not installed"; exit 77; }
done
work=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ -n "$pid" ] && rm -f "/tmp/perf-$pid.map"
	rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir -p "$work/src/org/example" "$work/classes"
cat >"$work/src/org/example/Hot.java" <<'JAVA'
package org.example;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntUnaryOperator;

public class Hot {
    static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

    static String join(String a, boolean upper) {
        String s = a + "-" + a.length();
        return upper ? s.toUpperCase() : s;
    }

    static long work(int n, IntUnaryOperator f) {
        long h = 0;
        for (int i = 0; i < n; i++)
            h += join("item" + (i % 97), (i & 1) == 0).hashCode() + f.applyAsInt(i);
        return h;
    }

    public static void main(String[] args) throws Exception {
        long end = System.currentTimeMillis() + Long.parseLong(args[0]) * 1000;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        for (int t = 0; t < 2; t++) {
            final int k = t;
            pool.submit(() -> {
                long acc = 0;
                while (System.currentTimeMillis() < end)
                    acc += k == 0 ? work(20000, x -> x * 31 + 7) : fib(24);
                return acc;
            });
        }
        pool.shutdown();
        while (!pool.isTerminated()) Thread.sleep(50);
    }
}
JAVA
javac -d "$work/classes" "$work/src/org/example/Hot.java" || fail "javac"
java -XX:+PreserveFramePointer -cp "$work/classes" org.example.Hot 20 >"$work/java.out" 2>&1 &
pid=$!
sleep 3   # let the JIT compile the hot methods
timeout 20 perf record -q -e cpu-clock -F 199 -g -p "$pid" -o "$work/perf.data" -- sleep 3 \
	>"$work/record.out" 2>&1 ||
	{ echo "skip: perf record is not permitted here: $(head -n 1 "$work/record.out")"; exit 77; }
timeout 20 jcmd "$pid" Compiler.perfmap >/dev/null 2>&1 || fail "jcmd Compiler.perfmap"
perf script -i "$work/perf.data" >"$work/perf.txt" 2>/dev/null || fail "perf script"
events=$(grep -c '^[^[:space:]#]' "$work/perf.txt")
[ "$events" -gt 20 ] || fail "only $events perf events recorded"

"$BIN/stacks" "$work/perf.txt" >"$work/raw.collapsed" || fail "stacks exit $?"
total=$(awk '{ s += $NF } END { print s + 0 }' "$work/raw.collapsed")
[ "$total" = "$events" ] || fail "stacks kept $total samples of $events events"
grep -q '^\[pool-1-thread-[12] tid=[0-9]*\];' "$work/raw.collapsed" || fail "no thread root frame"
grep -q ';org/example/Hot\.fib;org/example/Hot\.fib' "$work/raw.collapsed" ||
	fail "no recursive org/example/Hot.fib frames"
grep -q 'org/example/Hot\.work' "$work/raw.collapsed" || fail "no org/example/Hot.work frame"
if grep -q 'org\.example\.Hot\|(int)\|^long \|;long ' "$work/raw.collapsed"; then
	fail "a Java frame kept its perf map form"
fi

"$BIN/stacks" --top --no-threads --app-prefix org.example "$work/perf.txt" >"$work/top.tsv" ||
	fail "stacks --top exit $?"
head -n 1 "$work/top.tsv" | grep -q '^self	self%	total	total%	frame$' || fail "top header"
awk -F'\t' 'NR > 1 && $5 ~ /^org\/example\/Hot\.(fib|work|join)/ { s += $1 } END { exit !(s > 0) }' \
	"$work/top.tsv" || fail "no self time in the program's methods"
awk -F'\t' 'NR > 1 && $5 == "org/example/Hot.fib" && $3 > '"$events"' { exit 1 }' "$work/top.tsv" ||
	fail "recursion counted more than once in a total"
echo "ok: $events perf events, $(wc -l <"$work/raw.collapsed") stacks, top: $(sed -n 2p "$work/top.tsv" | cut -f5)"
