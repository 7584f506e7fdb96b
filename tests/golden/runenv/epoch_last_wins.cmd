runenv --epoch load_start runenv/run.env
