stacks stacks/truncated.collapsed.gz
