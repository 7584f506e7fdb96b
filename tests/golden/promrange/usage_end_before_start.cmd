promrange -q a=up --start 1700000100 --end 1700000000 --step 15
