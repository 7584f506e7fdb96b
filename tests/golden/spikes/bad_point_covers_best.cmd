spikes --best --within 1,2 --point-covers next spikes/a.windows
