spikes --help
