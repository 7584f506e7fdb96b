stackdiff -S stackdiff/zero.collapsed stackdiff/disjoint1.collapsed
