spikes --align spikes/a.windows spikes/b.windows
