#!/usr/bin/env python3
"""Generate the series of the long-anomaly goldens (fixed seeds).

Run from this folder: python3 gen.py.  Times: 92 points, 2 s apart, from
1800000000 (a 184 s run).  Values are rounded to 4 decimals so the files
are small and exact.
"""
import random

T0, STEP, N = 1800000000, 2, 92


def noisy(rng, level, rel=0.08):
    return round(level * (1 + rng.uniform(-rel, rel)), 4)


def write(name, rows):
    with open(name, "w") as f:
        f.write("series\ttime\tvalue\n")
        for s, t, v in rows:
            f.write(f"{s}\t{t}\t{v}\n")


def pods(name, seed, first, last, factor=4.5):
    """Three pods; pod-c is factor x slower in points [first, last)."""
    rng = random.Random(seed)
    rows = []
    for pod in ("pod-a", "pod-b", "pod-c"):
        for i in range(N):
            lvl = 0.05 * (factor if pod == "pod-c" and first <= i < last else 1)
            rows.append((f"pod={pod}", T0 + i * STEP, noisy(rng, lvl)))
    write(name, rows)


def single(name, seed, level_of, rel=0.08):
    rng = random.Random(seed)
    write(name, [("", T0 + i * STEP, noisy(rng, level_of(i), rel))
                 for i in range(N)])


pods("pods_cov10.tsv", 1, 40, 49)
pods("pods_cov40.tsv", 2, 30, 67)
pods("pods_cov70.tsv", 3, 10, 74)
single("load_cov10.tsv", 4, lambda i: 0.3 if 40 <= i < 49 else 0.1)
single("load_cov40.tsv", 5, lambda i: 0.3 if 30 <= i < 67 else 0.1)
single("load_cov70.tsv", 6, lambda i: 0.3 if 10 <= i < 74 else 0.1)
single("warmup.tsv", 7, lambda i: 0.5 if i < 4 else 0.1)
single("two_spikes.tsv", 8, lambda i: 0.35 if 20 <= i < 28 or 60 <= i < 70 else 0.1)
single("step.tsv", 9, lambda i: 0.25 if i >= 55 else 0.1)
single("noise.tsv", 10, lambda i: 0.1, rel=0.2)
# a histogram quantile stuck on a bucket boundary (MAD = 0), then a step
write("bucket.tsv", [("", T0 + i * STEP, 0.25 if 50 <= i < 80 else 0.1)
                     for i in range(N)])
