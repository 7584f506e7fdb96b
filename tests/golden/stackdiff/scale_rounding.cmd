stackdiff -S stackdiff/round1.collapsed stackdiff/round2.collapsed && stackdiff -S stackdiff/big1.collapsed stackdiff/big2.collapsed && stackdiff -S stackdiff/big3.collapsed stackdiff/big4.collapsed
