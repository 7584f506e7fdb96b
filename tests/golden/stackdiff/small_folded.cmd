stackdiff stackdiff/before.collapsed stackdiff/after.collapsed
