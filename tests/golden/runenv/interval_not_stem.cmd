runenv --interval nodot runenv/run.env
