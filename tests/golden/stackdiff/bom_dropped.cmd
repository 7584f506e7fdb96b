stackdiff stackdiff/bom.collapsed stackdiff/bom.collapsed
