stacks --top stacks/perf-java.txt catalog/before/profiles/*.collapsed | head -n 1
