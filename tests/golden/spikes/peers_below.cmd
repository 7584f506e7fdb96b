spikes --peers --below spikes/long/pods_cov40.tsv
