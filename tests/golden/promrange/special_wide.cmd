promrange --wide promrange/special.json promrange/empty.json
