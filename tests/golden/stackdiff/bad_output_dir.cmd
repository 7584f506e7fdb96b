stackdiff -o /nonexistent-dir/out stackdiff/before.collapsed stackdiff/after.collapsed
