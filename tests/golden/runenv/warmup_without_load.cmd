runenv -k pods --warmup 3 runenv/run.env
