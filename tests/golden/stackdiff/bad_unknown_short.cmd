stackdiff -t -x stackdiff/before.collapsed stackdiff/after.collapsed; stackdiff -t --sort
