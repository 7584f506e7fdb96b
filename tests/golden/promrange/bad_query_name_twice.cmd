promrange -s 0 -t 1m -q cpu=up -q cpu='rate(x[1m])'
