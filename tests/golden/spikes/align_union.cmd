spikes --align union spikes/a.windows spikes/b.windows
