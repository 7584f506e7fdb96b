stackdiff -s stackdiff/hex.collapsed stackdiff/hex.collapsed
