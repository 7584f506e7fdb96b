spikes --best --min-width 10 --within 1795920581,1795920653 spikes/best_empty.windows spikes/best_empty.windows
