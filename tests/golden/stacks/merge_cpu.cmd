stacks catalog/before/profiles/catalog-5d8b9c-a1b2c.cpu.collapsed catalog/before/profiles/catalog-5d8b9c-d3e4f.cpu.collapsed | head -n 5 | cut -c1-300
