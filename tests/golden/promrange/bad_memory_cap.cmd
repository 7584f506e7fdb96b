promrange --max-memory 1 catalog/before/prom/*.json promrange/special.json
