runenv --load runenv/not-epoch.env
