stackdiff - stackdiff/after.collapsed < stackdiff/before.collapsed.gz
