stacks --format samples --window +0.2,+2 jfr/small.jfr
