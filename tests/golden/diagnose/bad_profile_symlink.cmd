mkdir $T/p && ln -s ../../../etc/passwd $T/p/x.cpu.collapsed && cd $T && diagnose --kind --pod x --profiles p
