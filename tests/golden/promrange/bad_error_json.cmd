promrange promrange/error.json
