promrange promrange/zero.json
