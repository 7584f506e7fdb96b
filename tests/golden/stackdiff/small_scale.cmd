stackdiff --scale stackdiff/before.collapsed stackdiff/after.collapsed
