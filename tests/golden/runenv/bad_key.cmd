runenv -k pods runenv/bad-key.env
