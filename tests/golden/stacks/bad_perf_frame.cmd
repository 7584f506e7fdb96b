stacks stacks/bad_perf_frame.txt
