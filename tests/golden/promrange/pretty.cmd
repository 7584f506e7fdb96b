promrange promrange/pretty.json
