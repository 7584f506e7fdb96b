stacks --top stacks/top_sum_overflow.collapsed
