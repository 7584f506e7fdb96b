stackdiff stackdiff/zero.collapsed stackdiff/disjoint1.collapsed && stackdiff -t stackdiff/zero.collapsed stackdiff/disjoint1.collapsed
