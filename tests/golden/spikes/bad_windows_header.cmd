spikes --align spikes/a.windows spikes/badheader.windows
