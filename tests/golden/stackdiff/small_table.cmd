stackdiff --table stackdiff/before.collapsed stackdiff/after.collapsed
