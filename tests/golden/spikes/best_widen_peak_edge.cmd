spikes --best --min-width 10 --within 0,200 spikes/best_peak_edge.windows
