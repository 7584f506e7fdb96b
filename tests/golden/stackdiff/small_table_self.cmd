stackdiff --table --sort self stackdiff/before.collapsed stackdiff/after.collapsed
