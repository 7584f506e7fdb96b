printf 'a;b\\c\tx 1\na;b,c=d 2\n' | stacks --top
