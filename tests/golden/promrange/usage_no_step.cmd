promrange -q a=up --start -1h
