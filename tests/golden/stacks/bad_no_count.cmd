stacks stacks/bad_nocount.collapsed
