spikes --align -v p99 spikes/a.windows
