stacks -N --no-threads --top -n 6 stacks/perf-java.txt stacks/annotated.collapsed
