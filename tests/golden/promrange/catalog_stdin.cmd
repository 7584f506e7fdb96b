promrange < catalog/before/prom/cpu_by_pod.json | head -4
