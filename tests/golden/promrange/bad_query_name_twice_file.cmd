cd $T && printf "cpu\tup\nmem\tup\ncpu\tdown\n" > q && promrange -s 0 -t 1m -f q
