promrange catalog/before/prom/p99_by_pod.json | spikes --peers
