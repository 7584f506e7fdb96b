runenv --load -k pods runenv/run.env
