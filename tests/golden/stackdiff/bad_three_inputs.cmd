stackdiff stackdiff/before.collapsed stackdiff/after.collapsed stackdiff/after.collapsed
