stacks --event page-faults --period stacks/perf-edge.txt
