stackdiff stackdiff/unicode1.collapsed stackdiff/unicode2.collapsed && stackdiff -t stackdiff/unicode1.collapsed stackdiff/unicode2.collapsed
