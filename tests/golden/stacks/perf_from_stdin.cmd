stacks --from perf - < stacks/perf-edge.txt 2>&1 | head -n 2
