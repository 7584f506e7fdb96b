diagnose --kind --app-prefix org.acme -o $T/d.tsv cpu=diagnose/hot.cpu.collapsed && head -2 $T/d.tsv && ls $T
