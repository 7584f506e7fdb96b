stacks stacks/perf-java.txt | cut -c1-400
