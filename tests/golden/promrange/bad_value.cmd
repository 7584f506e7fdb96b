promrange promrange/bad_value.json
