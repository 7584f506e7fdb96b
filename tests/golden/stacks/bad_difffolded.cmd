stacks stacks/difffolded.collapsed
