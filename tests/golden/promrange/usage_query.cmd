promrange -q "rate(x{a=\"b\"}[1m])"
