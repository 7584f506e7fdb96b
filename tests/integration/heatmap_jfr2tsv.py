#!/usr/bin/env python3
"""heatmap_jfr2tsv.py - `jfr print --json` of jdk.ExecutionSample events to
the per-event samples TSV (time, weight, stack), independently of the
toolkit: frames root first, Java frames as pkg/Class.method, native, C++
and kernel frames by their symbol, times truncated to the millisecond."""
import calendar
import json
import sys

NATIVE = {"Native", "C++", "Kernel"}


def epoch_ms(iso):
    # 2026-12-01T13:28:08.888278291Z
    day, rest = iso.rstrip("Z").split("T")
    hms, _, frac = rest.partition(".")
    secs = calendar.timegm(tuple(int(x) for x in day.split("-") + hms.split(":")) + (0, 0, 0))
    return secs * 1000 + int((frac + "000")[:3])


def frame_name(f):
    m = f["method"]
    if f.get("type") in NATIVE or m["type"]["name"].endswith(".so"):
        return m["name"]
    return m["type"]["name"].replace(".", "/") + "." + m["name"]


def escape(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def main():
    doc = json.load(sys.stdin)
    out = sys.stdout
    out.write("time\tweight\tstack\n")
    for ev in doc["recording"]["events"]:
        if ev["type"] != "jdk.ExecutionSample":
            continue
        st = ev["values"].get("stackTrace")
        if not st or not st["frames"]:
            continue
        frames = [frame_name(f) for f in reversed(st["frames"])]
        ms = epoch_ms(ev["values"]["startTime"])
        out.write("%d.%03d\t1\t%s\n" % (ms // 1000, ms % 1000, escape(";".join(frames))))


main()
