#!/usr/bin/env bash
# lab_phase1_perf.sh - lab_phase1.sh with PROFILER=perf: the lab's perf
# backend (a perf snapshot of the replica during the burst, converted with
# `stacks --from perf`) keeps a test.
#
# Exit 0 pass, 77 skip (a part of the lab or a working perf missing),
# anything else fail.
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
PROFILER=perf exec bash "$TOP/tests/integration/lab_phase1.sh"
