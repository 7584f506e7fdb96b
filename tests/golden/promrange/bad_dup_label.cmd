promrange promrange/dup_label.json
