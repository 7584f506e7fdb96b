promrange -q a=up --start -1h --step 0s
