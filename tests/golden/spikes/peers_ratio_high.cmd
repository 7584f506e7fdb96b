spikes --peers --ratio 6 spikes/long/pods_cov40.tsv
