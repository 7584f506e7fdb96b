stackdiff -n 5 stackdiff/before.collapsed stackdiff/after.collapsed
