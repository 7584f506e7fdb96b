verdict - -
