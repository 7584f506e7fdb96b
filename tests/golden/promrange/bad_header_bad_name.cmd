promrange -s 0 -t 1m -q cpu=up -H 'X Scope: s3cr3t'
