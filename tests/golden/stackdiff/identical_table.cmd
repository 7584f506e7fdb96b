stackdiff -t stackdiff/before.collapsed stackdiff/before.collapsed
