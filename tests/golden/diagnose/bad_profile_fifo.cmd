mkdir $T/p && mkfifo $T/p/x.wall.collapsed && cd $T && diagnose --kind --pod x --profiles p
