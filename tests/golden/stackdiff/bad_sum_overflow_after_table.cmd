stackdiff --table stackdiff/bom.collapsed stackdiff/sum_overflow.collapsed
