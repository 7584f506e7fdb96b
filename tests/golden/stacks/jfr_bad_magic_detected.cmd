stacks jfr/bad/bad_magic.jfr
