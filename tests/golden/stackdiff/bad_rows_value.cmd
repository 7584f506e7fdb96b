stackdiff -t -n ten stackdiff/before.collapsed stackdiff/after.collapsed
