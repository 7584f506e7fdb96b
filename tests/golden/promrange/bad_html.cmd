promrange promrange/html.json
