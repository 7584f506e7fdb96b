runenv -k nope runenv/run.env
