verdict --rule
