promrange -q a=up promrange/special.json
