stacks --state '(' jfr/small.jfr
