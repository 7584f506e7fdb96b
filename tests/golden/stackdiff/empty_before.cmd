stackdiff -t stackdiff/empty.collapsed stackdiff/disjoint1.collapsed
