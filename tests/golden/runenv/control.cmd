runenv -k pods runenv/control.env
