runenv -k pods runenv/bad-line.env
