diagnose -e cpu diagnose/nosuch.collapsed
