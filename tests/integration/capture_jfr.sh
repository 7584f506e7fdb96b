#!/usr/bin/env bash
# capture_jfr.sh - the Flight Recorder capture against a real JVM.
#
# 1. pipelines/jvmperf.jfc loads in a real JVM (-XX:StartFlightRecording)
#    and `jfr summary` shows the events it enables (execution samples,
#    monitor enter, park, sleep, allocation samples, GC) and none it leaves
#    off (class loading, thread start).
# 2. find-jvm-pid.sh finds the JVM with its uid and gid.
# 3. `make capture-profile PROFILER=jfr` (mode B, then D through
#    /proc/PID/root, A copying jattach in) with the stand-in kubectl of tests/plans/fake, which
#    runs the commands here, and the real jattach: a recording that parses
#    and names the busy method; a second capture of the same JVM works; the
#    recording is stopped and nothing is left in POD_TMPDIR.
# 4. make watch's ring buffer (profile.sh -w): a dump of a time range.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$TOP" || exit 2
for prog in java jfr jattach make; do
	if ! command -v "$prog" >/dev/null 2>&1; then
		echo "SKIP capture_jfr: $prog not installed"
		exit 77
	fi
done
unset MAKEFLAGS MFLAGS MAKELEVEL
T=$(mktemp -d)
jvm=
cleanup() {
	[ -z "$jvm" ] || kill "$jvm" 2>/dev/null
	[ -z "$jvm" ] || wait "$jvm" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
fails=0
pass() { echo "PASS capture_jfr/$1"; }
fail() { echo "FAIL capture_jfr/$1"; fails=$((fails + 1)); }
count() { # FILE EVENT: the event's count in `jfr summary`
	awk -v e="$2" '$1 == e { print $2; found = 1 } END { if (!found) print 0 }' "$1"
}

cat >"$T/Busy.java" <<'JAVA'
import java.util.concurrent.locks.LockSupport;
public class Busy {
    static final Object LOCK = new Object();
    static volatile Object sink;
    static double spin(int n) {
        double x = 0;
        for (int i = 0; i < n; i++) { x += Math.sqrt(i); sink = new byte[64]; }
        return x;
    }
    public static void main(String[] a) throws Exception {
        long end = System.currentTimeMillis() + 1000L * Integer.parseInt(a[0]);
        // holds the monitor 30 ms at a time, then lets go for 10 ms: the
        // main thread waits to enter (contention) but is never starved
        Thread holder = new Thread(() -> {
            while (System.currentTimeMillis() < end) {
                synchronized (LOCK) { try { Thread.sleep(30); } catch (InterruptedException e) { return; } }
                LockSupport.parkNanos(10_000_000L);
            }
        });
        holder.setDaemon(true);
        holder.start();
        double x = 0;
        for (int round = 0; System.currentTimeMillis() < end; round++) {
            x += spin(1_000_000);
            synchronized (LOCK) { x++; }
            LockSupport.parkNanos(20_000_000L);
            if (round % 20 == 0) System.gc();
        }
        System.out.println(x > 0);
    }
}
JAVA

# 1. the settings in a real JVM
java -XX:StartFlightRecording:settings=pipelines/jvmperf.jfc,filename="$T/start.jfr" \
	"$T/Busy.java" 4 >"$T/start.out" 2>&1
jfr summary "$T/start.jfr" >"$T/start.sum" 2>&1
ok=1
for e in jdk.ExecutionSample jdk.JavaMonitorEnter jdk.ThreadPark jdk.ThreadSleep \
	jdk.ObjectAllocationSample jdk.GarbageCollection jdk.GCHeapSummary jdk.CPULoad; do
	[ "$(count "$T/start.sum" "$e")" -gt 0 ] || { echo "capture_jfr: no $e in the recording"; ok=0; }
done
for e in jdk.ClassLoad jdk.ThreadStart jdk.JavaExceptionThrow jdk.ObjectAllocationInNewTLAB; do
	[ "$(count "$T/start.sum" "$e")" = 0 ] || { echo "capture_jfr: $e recorded, but the settings leave it off"; ok=0; }
done
if [ "$ok" = 1 ]; then pass settings-events; else cat "$T/start.out" "$T/start.sum"; fail settings-events; fi
if jfr print --events jdk.ExecutionSample "$T/start.jfr" | grep -q 'Busy.spin'; then
	pass settings-stacks
else
	fail settings-stacks
fi

# 2. a JVM to attach to
java "$T/Busy.java" 120 >"$T/busy.out" 2>&1 &
jvm=$!
for i in $(seq 100); do
	[ -S "/tmp/.java_pid$jvm" ] || grep -q libjvm.so "/proc/$jvm/maps" 2>/dev/null && break
	sleep 0.1
done
sleep 2
line=$(sh pipelines/k8s/find-jvm-pid.sh | awk -v p="$jvm" '$1 == p')
if [ "$line" = "$jvm $(id -u) $(id -u) $(id -g) $(id -g)" ]; then
	pass find-jvm-pid
else
	echo "capture_jfr: find-jvm-pid.sh said '$line'"
	fail find-jvm-pid
fi

# 3. the capture step, real jattach, stand-in kubectl
F=$TOP/tests/plans/fake
export FAKE_ROOT=$T FAKE_PODS=catalog-a FAKE_JVMS="$jvm $(id -u) $(id -u) $(id -g) $(id -g)"
n=0
capture() { # MODE: sets R, P, rc, err
	n=$((n + 1))
	R=$T/run$n P=$T/pod$n/tmp err=$T/err$n
	export FAKE_LOG=$T/kubectl$n.log
	mkdir -p "$P"
	env LC_ALL=C make -s --no-print-directory RUN="$R" KUBECTL="$F/kubectl" POD_TMPDIR="$P" \
		IMAGE_JATTACH="$(command -v jattach)" DURATION=5 capture-profile MODE="$1" POD=catalog-a \
		</dev/null >"$T/out$n" 2>"$err"
	rc=$?
}
check() { # NAME CONDITION
	local name=$1
	shift
	if eval "$@"; then pass "$name"; else
		echo "capture_jfr: $name: not ($*); exit $rc; stderr:"; cat "$err"
		cat "$T/sum$n" 2>/dev/null | awk '$2 > 0'
		jcmd "$jvm" JFR.check 2>&1
		find "$P" -mindepth 1
		fail "$name"
	fi
}
recorded() { # the recording parses and names the busy method
	jfr summary "$R/profiles/catalog-a.jfr" >"$T/sum$n" 2>&1 &&
		[ "$(count "$T/sum$n" jdk.ExecutionSample)" -gt 0 ] &&
		jfr print --events jdk.ExecutionSample "$R/profiles/catalog-a.jfr" | grep -q 'Busy.spin'
}
leftovers() { find "$P" -mindepth 1 | grep -q .; }
running() { jcmd "$jvm" JFR.check 2>/dev/null | grep -q 'name=jvmperf'; }
capture B
check mode-B "[ \$rc = 0 ] && recorded && ! leftovers && ! running"
capture B
check mode-B-again "[ \$rc = 0 ] && recorded && ! leftovers && ! running"
capture A
check mode-A "[ \$rc = 0 ] && recorded && ! leftovers && ! running && grep -q 'kubectl cp .*jattach catalog-a:$P/jvmperf/jattach' '$R/capture/commands.log'"
capture D
check mode-D "[ \$rc = 0 ] && recorded && ! leftovers && ! running && grep -q '/proc/$jvm/root' '$R/capture/commands.log'"

# 4. the ring buffer of make watch: profile.sh -w, one dump request of
# the last seconds (JFR.dump begin=ISO end=ISO), then the end of the watch
n=$((n + 1))
R=$T/run$n P=$T/pod$n/tmp err=$T/err$n W=$T/watch$n
export FAKE_LOG=$T/kubectl$n.log
mkdir -p "$P" "$W/profiles"
bash pipelines/k8s/profile.sh -r "$R" -m B -n perf -p catalog-a -B jfr -e cpu -d 1 \
	-x "$(command -v jattach)" -F pipelines/jvmperf.jfc -T "$P" -w 5m -M 60 -k "$F/kubectl" \
	</dev/null >/dev/null 2>"$err" &
rec=$!
for i in $(seq 100); do [ -e "$R/capture/sync/profile.ready" ] && break; sleep 0.2; done
sleep 3
now=$(date +%s)
echo "$((now - 3)) $now $W" >"$R/capture/sync/dump.catalog-a"
for i in $(seq 100); do [ -e "$R/capture/sync/dumped.catalog-a" ] || [ -e "$R/capture/sync/failed.catalog-a" ] && break; sleep 0.2; done
: >"$R/capture/sync/watch.ended"
wait "$rec"
rc=$?
R=$W
check watch-ring-dump "[ \$rc = 0 ] && recorded && ! leftovers && ! running && grep -q 'JFR.dump name=jvmperf begin=20[0-9-]*T[0-9:]*Z end=' '$T/kubectl$n.log'"

[ "$fails" -eq 0 ] || exit 1
