spikes --align --within 1,2 spikes/best_score5.windows
