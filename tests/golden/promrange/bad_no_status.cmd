promrange promrange/no_status.json
