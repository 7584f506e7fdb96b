spikes --best --min-width 30 --within 1795920598,1795920653 spikes/best_jtl_two_intervals.windows
