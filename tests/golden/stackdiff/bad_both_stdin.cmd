stackdiff - -
