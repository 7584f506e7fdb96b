spikes --best --within 1,2 --clip 1,2 spikes/best_score5.windows
