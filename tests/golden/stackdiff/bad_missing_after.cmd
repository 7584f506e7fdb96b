stackdiff stackdiff/before.collapsed
