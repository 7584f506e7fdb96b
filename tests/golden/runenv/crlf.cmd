runenv --load runenv/crlf.env
