promrange catalog/after/prom/p99_by_pod.json | spikes --peers
