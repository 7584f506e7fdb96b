runenv --load runenv/run.env
