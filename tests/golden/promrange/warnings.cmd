promrange promrange/warnings.json
