runenv --load runenv/empty-window.env
