runenv --load --warmup 91 runenv/run.env
