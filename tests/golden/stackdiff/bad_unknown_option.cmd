stackdiff --frobnicate stackdiff/before.collapsed stackdiff/after.collapsed
