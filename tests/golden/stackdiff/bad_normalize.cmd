stackdiff --normalize annotations,bogus stackdiff/before.collapsed stackdiff/after.collapsed
