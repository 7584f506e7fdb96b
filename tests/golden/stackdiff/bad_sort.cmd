stackdiff -t --sort leaf stackdiff/before.collapsed stackdiff/after.collapsed
