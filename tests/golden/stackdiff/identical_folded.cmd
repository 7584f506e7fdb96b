stackdiff stackdiff/before.collapsed stackdiff/before.collapsed
