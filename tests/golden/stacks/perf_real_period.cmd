stacks --period --no-threads --top -n 5 stacks/perf-java.txt
