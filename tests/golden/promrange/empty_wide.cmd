promrange --wide promrange/empty.json
