stackdiff --normalize annotations,lambdas stackdiff/before.collapsed stackdiff/after.collapsed
