promrange --wide catalog/after/prom/p99_by_pod.json catalog/after/prom/rps_by_pod.json
