promrange promrange/empty.json
