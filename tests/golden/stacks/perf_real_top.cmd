stacks --top -N stacks/perf-java.txt
