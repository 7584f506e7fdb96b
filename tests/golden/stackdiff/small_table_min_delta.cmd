stackdiff --table --min-delta 10 -n 3 stackdiff/before.collapsed stackdiff/after.collapsed
