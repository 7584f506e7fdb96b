stackdiff -t -o $T/out stackdiff/before.collapsed stackdiff/after.collapsed && ls $T && cat $T/out
