diagnose --kind cpu=diagnose/nosuch.collapsed
