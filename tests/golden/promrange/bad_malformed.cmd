promrange promrange/malformed.json
