promrange promrange/special.json
