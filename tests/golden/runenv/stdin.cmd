runenv -k service < runenv/run.env
