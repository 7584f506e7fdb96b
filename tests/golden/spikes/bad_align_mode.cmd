spikes --align=sideways spikes/a.windows
