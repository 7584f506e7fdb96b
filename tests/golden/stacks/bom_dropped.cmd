stacks --top stacks/bom.collapsed; stacks stacks/bom.collapsed | od -c | head -2
