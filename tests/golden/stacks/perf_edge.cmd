stacks stacks/perf-edge.txt
