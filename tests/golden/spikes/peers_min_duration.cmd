spikes --peers --floor 0 --min-duration 20 --merge-gap 4 spikes/long/pods_cov10.tsv
