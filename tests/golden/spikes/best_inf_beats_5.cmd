spikes --best --within 1795920581,1795920900 spikes/best_score5.windows spikes/best_scoreinf.windows
