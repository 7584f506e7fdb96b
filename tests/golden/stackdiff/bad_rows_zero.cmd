stackdiff -t -n 0 stackdiff/before.collapsed stackdiff/after.collapsed
