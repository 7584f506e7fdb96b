spikes --best --min-width 10 --within 1795920581,1795920900 spikes/best_jtl_two_intervals.windows spikes/best_pod_p99.windows spikes/best_score5.windows spikes/best_scoreinf.windows
