printf 'a;b 1\na;b\0c 2\n' | stacks
