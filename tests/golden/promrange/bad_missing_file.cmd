promrange promrange/nonexistent.json
