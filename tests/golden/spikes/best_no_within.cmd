spikes --best spikes/best_score5.windows
