runenv -k pods runenv/nothere.env
