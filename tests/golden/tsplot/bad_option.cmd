tsplot --colour
