stacks stacks/bad_perf_header.txt
