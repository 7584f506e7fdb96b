stacks stacks/bad_perf_nochain.txt
