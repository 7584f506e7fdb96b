stacks stacks/crlf.collapsed
