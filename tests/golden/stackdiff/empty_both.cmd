stackdiff stackdiff/empty.collapsed stackdiff/empty.collapsed; echo rc=$?; stackdiff -t stackdiff/empty.collapsed stackdiff/empty.collapsed
