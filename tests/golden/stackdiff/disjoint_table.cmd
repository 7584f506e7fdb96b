stackdiff -t stackdiff/disjoint1.collapsed stackdiff/disjoint2.collapsed
