stackdiff stackdiff/folded.difffolded stackdiff/after.collapsed
