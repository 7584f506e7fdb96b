stackdiff stackdiff/before.collapsed stackdiff/no-such-file.collapsed
