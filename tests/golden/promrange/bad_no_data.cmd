promrange promrange/no_data.json
