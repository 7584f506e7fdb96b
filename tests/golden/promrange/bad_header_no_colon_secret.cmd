promrange -s 0 -t 1m -q cpu=up -H 'Authorization Bearer s3cr3t-token'
