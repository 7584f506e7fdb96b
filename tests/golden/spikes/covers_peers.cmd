spikes --peers --point-covers previous spikes/long/pods_cov40.tsv
