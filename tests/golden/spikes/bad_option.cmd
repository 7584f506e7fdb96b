spikes --bogus
