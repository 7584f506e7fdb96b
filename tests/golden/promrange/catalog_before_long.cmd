promrange catalog/before/prom/*.json
