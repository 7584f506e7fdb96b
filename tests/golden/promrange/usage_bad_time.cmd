promrange -q a=up --start yesterday --step 15s
