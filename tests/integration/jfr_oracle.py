#!/usr/bin/env python3
"""Independent computation of collapsed stacks from `jfr print --json`.

usage: jfr_oracle.py JSON[,JSON...] OUTDIR START_NS,END_NS

Several JSON files stand for their recordings concatenated (the JDK's own
parser mixes up the constant pools of concatenated recordings, so each is
printed alone).

Reads the JSON once and writes, for CLASS in cpu wall alloc lock wait, MODE
in samples total, and the whole file or the window [START_NS, END_NS):
OUTDIR/CLASS.MODE.whole and OUTDIR/CLASS.MODE.window, "stack weight" lines
with thread frames and annotations (stacks -t -a), summed and sorted
bytewise; and OUTDIR/cpu.rows, the "time<TAB>weight<TAB>stack" rows of
stacks --format samples -t --event cpu, sorted bytewise.
"""
import json
import re
import sys

CLASSES = {
    "cpu": ["jdk.ExecutionSample"],
    "wall": ["profiler.WallClockSample"],
    "alloc": ["jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB",
              "jdk.ObjectAllocationSample"],
    "lock": ["jdk.JavaMonitorEnter"],
    "wait": ["jdk.ThreadPark", "jdk.ThreadSleep", "jdk.JavaMonitorWait",
             "jdk.SocketRead", "jdk.SocketWrite", "jdk.FileRead", "jdk.FileWrite"],
}
ANNOT = {"Interpreted": "_[0]", "JIT compiled": "_[j]", "Inlined": "_[i]",
         "Kernel": "_[k]", "C1 compiled": "_[1]"}


def epoch_ns(s):
    m = re.fullmatch(r"(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", s)
    if not m:
        raise SystemExit("oracle: cannot parse time %r" % s)
    y, mo, d, h, mi, sec = (int(x) for x in m.group(1, 2, 3, 4, 5, 6))
    frac = (m.group(7) or "").ljust(9, "0")[:9]
    # days from civil (proleptic Gregorian)
    y2 = y - (mo <= 2)
    era = y2 // 400
    yoe = y2 - era * 400
    doy = (153 * (mo + (-3 if mo > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    t = ((days * 24 + h) * 60 + mi) * 60 + sec
    tz = m.group(8)
    if tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        t -= sign * (int(tz[1:3]) * 3600 + int(tz[4:6]) * 60)
    return t * 1000000000 + int(frac)


def duration_ns(s):
    m = re.fullmatch(r"(-?)PT(?:(\d+)H)?(?:(\d+)M)?(?:(-?\d+)(?:\.(\d+))?S)?", s)
    if not m:
        raise SystemExit("oracle: cannot parse duration %r" % s)
    h, mi = int(m.group(2) or 0), int(m.group(3) or 0)
    sec = int(m.group(4) or 0)
    frac = int((m.group(5) or "").ljust(9, "0")[:9])
    v = ((h * 60 + mi) * 60 + abs(sec)) * 1000000000 + frac
    return -v if (m.group(1) or (m.group(4) or "").startswith("-")) else v


def frame_name(f, annotate):
    meth = f.get("method") or {}
    ftype = f.get("type") or ""
    cls = (meth.get("type") or {}).get("name") or ""
    name = meth.get("name") or ""
    if ftype in ("C++", "Kernel") or (ftype == "Native" and "/" not in cls) or not cls:
        n = name
    else:
        n = cls + "." + name
    if not n:
        n = "[unknown]"
    n = n.replace("\n", "?").replace("\r", "?")
    if annotate:
        n += ANNOT.get(ftype, "")
    return n


def collapse(events, types, mode, window, threads, annotate, samples_format=False):
    out = {}
    rows = []
    for ev in events:
        if ev["type"] not in types:
            continue
        v = ev["values"]
        t = epoch_ns(v["startTime"])
        if window and not (window[0] <= t < window[1]):
            continue
        st = v.get("stackTrace")
        if not st or not st.get("frames"):
            continue
        frames = [frame_name(f, annotate) for f in reversed(st["frames"])]
        if threads:
            th = v.get("sampledThread") or v.get("eventThread")
            if th:
                name = th.get("javaName") or th.get("osName") or ""
                frames.insert(0, "[%s tid=%d]" % (name.replace("\n", "?").replace("\r", "?"),
                                                 th.get("osThreadId") or 0))
        if mode == "total" and ("allocationSize" in v or "weight" in v):
            w = v.get("tlabSize") or v.get("allocationSize") or v.get("weight") or 0
        elif mode == "total" and "duration" in v:
            w = max(duration_ns(v["duration"]), 0)
        else:
            w = v.get("samples", 1)
        stack = ";".join(frames)
        if samples_format:
            ms = (t + 500000) // 1000000
            ts = "%d.%03d" % (ms // 1000, ms % 1000)
            ts = ts.rstrip("0").rstrip(".")
            esc = stack.replace("\\", "\\\\").replace("\t", "\\t")
            rows.append("%s\t%d\t%s" % (ts, w, esc))
        else:
            out[stack] = out.get(stack, 0) + w
    if samples_format:
        return sorted(rows, key=lambda s: s.encode())
    return sorted(("%s %d" % (s, c) for s, c in out.items() if c), key=lambda s: s.encode())


def main():
    path, outdir, win = sys.argv[1:4]
    lo, hi = win.split(",")
    window = (int(lo), int(hi))
    events = []
    for one in path.split(","):
        with open(one, encoding="utf-8") as fh:
            events += json.load(fh)["recording"]["events"]
    for cls, types in CLASSES.items():
        for mode in ("samples", "total"):
            for name, w in (("whole", None), ("window", window)):
                lines = collapse(events, types, mode, w, True, True)
                with open("%s/%s.%s.%s" % (outdir, cls, mode, name), "w", encoding="utf-8") as fh:
                    fh.write("".join(line + "\n" for line in lines))
    lines = collapse(events, CLASSES["cpu"], "samples", None, True, False, True)
    with open("%s/cpu.rows" % outdir, "w", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in lines))


main()
