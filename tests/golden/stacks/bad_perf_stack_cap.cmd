stacks --max-line 200 stacks/perf-java.txt
