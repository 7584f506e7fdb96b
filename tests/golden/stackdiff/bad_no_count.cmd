stackdiff -t stackdiff/nocount.collapsed stackdiff/after.collapsed
