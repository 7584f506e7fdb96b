spikes --align=intersect --clip 108,122 spikes/a.windows spikes/b.windows
