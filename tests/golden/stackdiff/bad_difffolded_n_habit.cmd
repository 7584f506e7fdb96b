stackdiff -n stackdiff/before.collapsed stackdiff/after.collapsed
