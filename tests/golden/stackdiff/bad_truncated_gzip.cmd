stackdiff stackdiff/before.collapsed stackdiff/truncated.collapsed.gz
