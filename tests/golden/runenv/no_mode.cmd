runenv runenv/run.env
