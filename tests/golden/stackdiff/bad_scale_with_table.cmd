stackdiff -t -S stackdiff/before.collapsed stackdiff/after.collapsed
