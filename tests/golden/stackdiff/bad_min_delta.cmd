stackdiff -t --min-delta 150 stackdiff/before.collapsed stackdiff/after.collapsed
