runenv --load --warmup 20 runenv/run.env
