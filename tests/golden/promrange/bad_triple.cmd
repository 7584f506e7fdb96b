promrange promrange/bad_triple.json
