promrange promrange/vector.json
