promrange promrange/lat.part1.json promrange/lat.part0.json && promrange --wide promrange/lat.part0.json promrange/lat.part1.json
