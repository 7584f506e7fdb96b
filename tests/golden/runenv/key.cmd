runenv -k pods runenv/run.env
