stacks --max-line 100 stacks/long_line.collapsed
