stackdiff stackdiff/sum_overflow.collapsed stackdiff/bom.collapsed
