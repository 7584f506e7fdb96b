promrange promrange/dup_point.json
