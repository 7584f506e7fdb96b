promrange -s 0 -t 1m -q cpu=up -H "$(printf 'X-Scope: a\r\nX-Evil: s3cr3t')"
