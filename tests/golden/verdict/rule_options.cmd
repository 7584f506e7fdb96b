verdict --rule --confidence 0.9 --resamples 500 --min-effect 2.5
