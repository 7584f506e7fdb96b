stackdiff stackdiff/before.collapsed stackdiff/badcount.collapsed
