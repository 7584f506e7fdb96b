outliers -x
